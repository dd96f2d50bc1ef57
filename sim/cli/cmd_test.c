/* cmd_test.c: `sim test [DIR]`: replay every pinned schedule (the .sched files
 * of DIR, default scenarios/), with its parameters and allows, and check its
 * verdict against its `expect` line as `run --all` checks a scenario's
 * expectation (sim_explore_meets): an `expect` of a rule kind passes when
 * that rule occurs, `expect none` when no error does. A divergence is a
 * warning; a different verdict, a missing expect line, an unreadable
 * schedule or a parameter no run read is a failure. Ends with `N passed, N
 * failed`. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "grow.h"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted *.sched names in `dir`; exits 2 when it cannot be read. */
static char **list_schedules(const char *dir, int *count) {
    DIR *folder = opendir(dir);
    if (folder == NULL)
        cli_bad_input("test", "cannot read %s: %s", dir, strerror(errno));
    char **names = NULL;
    int n = 0, cap = 0;
    for (struct dirent *entry; (entry = readdir(folder)) != NULL;) {
        size_t len = strlen(entry->d_name);
        if (len <= 6 || strcmp(entry->d_name + len - 6, ".sched") != 0)
            continue;
        char **grown = sim_grow(names, &cap, n + 1, sizeof *names, 32);
        char *name = strdup(entry->d_name);
        if (grown == NULL || name == NULL)
            cli_bad_input("test", "out of memory listing %s", dir);
        names = grown;
        names[n++] = name;
    }
    closedir(folder);
    qsort(names, (size_t)n, sizeof *names, by_name);
    *count = n;
    return names;
}

/* Checks one pinned schedule; prints its line and returns whether it passed. */
static bool check_one(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t size = 0;
    char *text = sim_file_read(path, &size);
    sim_schedule schedule;
    char error[256] = "unreadable";
    bool parsed = text != NULL && sim_schedule_parse(text, size, &schedule, error, sizeof error);
    free(text);
    if (!parsed) {
        printf("FAIL %s: %s\n", path, error);
        return false;
    }
    const sim_scenario *scenario = sim_scenario_find(schedule.scenario);
    bool passed = false;
    if (scenario == NULL) {
        printf("FAIL %s: unknown scenario '%s'\n", path, schedule.scenario);
    } else if (!schedule.has_expect) {
        printf("FAIL %s: no 'expect' line\n", path);
    } else {
        cli_args args;
        cli_parse(&args, "test", 0, NULL, 0, 0, 0);
        args.explore.collect_rules = true;
        sim_explore_result result;
        cli_replay_schedule(&args, scenario, &schedule, path, stderr, &result);
        char found[64], unknown[2048];
        cli_describe_found(found, sizeof found, &result, schedule.expect);
        if (result.bad_scenario)
            printf("FAIL %s: scenario %s: %s\n", path, scenario->name, result.bad_scenario_why);
        else if (sim_explore_unknown_param(&args.explore, &result, unknown, sizeof unknown))
            printf("FAIL %s: %s\n", path, unknown);
        else if (!sim_explore_meets(&result, schedule.expect, false))
            printf("FAIL %s: expected %s, found %s\n", path, sim_kind_token(schedule.expect), found);
        else
            passed = true;
        if (passed)
            printf("PASS %s: %s\n", path, found);
        sim_explore_result_free(&result);
    }
    sim_schedule_free(&schedule);
    return passed;
}

int cli_test(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "test", argc, argv, 2, 0, 1);
    const char *dir = args.positional_count == 1 ? args.positional[0] : "scenarios";
    int count = 0, passed = 0;
    char **names = list_schedules(dir, &count);
    for (int i = 0; i < count; i++) {
        passed += check_one(dir, names[i]);
        free(names[i]);
    }
    free(names);
    printf("%d passed, %d failed\n", passed, count - passed);
    return passed == count ? CLI_EXIT_CLEAN : CLI_EXIT_FINDING;
}
