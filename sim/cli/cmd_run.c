/* cmd_run.c: `sim run SCENARIO|--all`: explore a scenario under a strategy;
 * on a finding write its report and schedule under reports/ (or -o) and
 * exit 1. With --all, print expected vs found for every scenario and exit 0
 * only when each matches its expectation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "cli.h"
#include "report.h"

void cli_write_finding(const cli_args *args, const char *scenario, const sim_explore_result *result, char *report_path,
                       size_t report_size, char *schedule_path, size_t schedule_size) {
    if (args->output != NULL) {
        snprintf(report_path, report_size, "%s", args->output);
    } else {
        if (mkdir(args->report_dir, 0777) != 0 && errno != EEXIST)
            cli_bad_input(args->command, "cannot create %s: %s", args->report_dir, strerror(errno));
        snprintf(report_path, report_size, "%s/%s-%s.txt", args->report_dir, scenario,
                 sim_kind_token(result->finding.info.kind));
    }
    snprintf(schedule_path, schedule_size, "%s.sched", report_path);
    size_t size = 0;
    char *text = sim_schedule_text(&result->schedule, &size);
    if (text == NULL || !sim_file_write(schedule_path, text, size))
        cli_bad_input(args->command, "cannot write %s: %s", schedule_path, strerror(errno));
    free(text);
    FILE *out = open_memstream(&text, &size);
    sim_report_text(out, scenario, result, schedule_path);
    fclose(out);
    if (!sim_file_write(report_path, text, size))
        cli_bad_input(args->command, "cannot write %s: %s", report_path, strerror(errno));
    free(text);
}

/* Per-lock fairness of the last execution (the finding's, if any): how
 * often a waiter was bypassed and the longest wait, in steps. */
static void describe_fairness(void) {
    for (int id = 0; id < sim_R->object_count; id++) {
        sim_fairness fairness = sim_check_fairness(id);
        if (fairness.acquisitions == 0)
            continue;
        char name[64];
        sim_object_label(id, name, sizeof name);
        printf("  fairness    %s: %llu acquisitions, max bypass %llu, max wait %llu steps\n", name,
               (unsigned long long)fairness.acquisitions, (unsigned long long)fairness.bypass_max,
               (unsigned long long)fairness.wait_max_steps);
    }
}

static void describe_search(const sim_explore_config *config, const sim_explore_result *result) {
    printf("  %llu run%s, strategy %s, seed %llu", (unsigned long long)result->runs, result->runs == 1 ? "" : "s",
           sim_strategy_name(config->strategy), (unsigned long long)config->seed);
    if (config->strategy == SIM_STRATEGY_DFS)
        printf(", preemption bound %d, space %s", config->preemption_bound,
               result->exhausted ? "exhausted" : "not exhausted");
    printf(", longest run %llu steps\n", (unsigned long long)result->max_steps);
}

static int run_one(cli_args *args, const sim_scenario *scenario) {
    sim_explore_config *config = &args->explore;
    config->scenario = scenario;
    sim_explore_result result;
    sim_explore(config, &result);
    if (result.bad_scenario)
        cli_bad_input(args->command, "scenario %s: %s", scenario->name, result.bad_scenario_why);
    int status = CLI_EXIT_CLEAN;
    if (result.found) {
        char report_path[4096], schedule_path[4200];
        cli_write_finding(args, scenario->name, &result, report_path, sizeof report_path, schedule_path,
                          sizeof schedule_path);
        if (!args->quiet)
            sim_report_text(stdout, scenario->name, &result, schedule_path);
        printf("scenario %s: %s in run %llu\n", scenario->name, sim_kind_token(result.finding.info.kind),
               (unsigned long long)result.finding_run + 1);
        printf("  report      %s\n", report_path);
        status = CLI_EXIT_FINDING;
    } else {
        printf("scenario %s: no finding\n", scenario->name);
    }
    describe_search(config, &result);
    describe_fairness();
    sim_schedule_free(&result.schedule);
    return status;
}

static int run_all(cli_args *args) {
    int mismatches = 0, count = 0;
    printf("%-28s %-20s %-20s %s\n", "scenario", "expected", "found", "verdict");
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next) {
        args->explore.scenario = scenario;
        sim_explore_result result;
        sim_explore(&args->explore, &result);
        if (result.bad_scenario)
            cli_bad_input(args->command, "scenario %s: %s", scenario->name, result.bad_scenario_why);
        sim_kind expected = sim_R->expected;
        sim_kind found = result.found ? result.finding.info.kind : SIM_FINDING_NONE;
        if (result.found) {
            char report_path[4096], schedule_path[4200];
            cli_args one = *args;
            one.output = NULL;
            cli_write_finding(&one, scenario->name, &result, report_path, sizeof report_path, schedule_path,
                              sizeof schedule_path);
        }
        bool match = expected == found;
        mismatches += !match;
        count++;
        printf("%-28s %-20s %-20s %s\n", scenario->name, sim_kind_token(expected), sim_kind_token(found),
               match ? "ok" : "MISMATCH");
        sim_schedule_free(&result.schedule);
    }
    printf("%d scenarios, %d as expected, %d not\n", count, count - mismatches, mismatches);
    return mismatches == 0 ? CLI_EXIT_CLEAN : CLI_EXIT_FINDING;
}

int cli_run(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "run", argc, argv, 2,
              OPT_STRATEGY | OPT_SEED | OPT_RUNS | OPT_CPUS | OPT_PREEMPTIONS | OPT_DEPTH | OPT_PARAM | OPT_ALLOW |
                  OPT_OUTPUT | OPT_REPORT | OPT_ALL | OPT_STEPS | OPT_QUIET,
              1);
    if (args.all == (args.positional_count == 1))
        cli_bad_input("run", "give one SCENARIO or --all (see sim run --help)");
    if (args.all && args.output != NULL)
        cli_bad_input("run", "-o names one report; with --all reports go under reports/");
    if (args.explore.strategy == SIM_STRATEGY_DFS && !args.runs_given)
        args.explore.runs = UINT64_MAX;
    if (args.all)
        return run_all(&args);
    return run_one(&args, cli_scenario("run", args.positional[0]));
}
