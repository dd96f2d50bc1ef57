/* cmd_minimize.c: `sim minimize SCENARIO FILE -o OUT`: shrink a schedule (or
 * with --raw a fuzzer input) that yields a finding into the smallest `.sched`
 * that yields the same finding (minimize.h), with FILE's allows and those of
 * --allow, write it whole to OUT, print the sizes before and after, and exit
 * as `run` does: 1 for an error, and for a rule only with --strict. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "minimize.h"
#include "report.h"

/* Size in bytes of FILE as given (the input was read whole, so it exists). */
static long long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* `file:line` of the finding's site. */
static void describe_site(char *out, size_t size, const sim_finding *finding) {
    if (finding->site != NULL)
        snprintf(out, size, "%s:%d", finding->site->file, finding->site->line);
    else
        snprintf(out, size, "no site");
}

int cli_minimize(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "minimize", argc, argv, 2,
              OPT_OUTPUT | OPT_REPORT | OPT_RAW | OPT_QUIET | OPT_STEPS | OPT_ALLOW | OPT_STRICT, 2);
    if (args.positional_count != 2)
        cli_bad_input("minimize", "give SCENARIO and a schedule FILE (see sim minimize --help)");
    if (args.output == NULL)
        cli_bad_input("minimize", "give -o OUT, where the minimized schedule goes");
    const sim_scenario *scenario = cli_scenario("minimize", args.positional[0]);
    const char *path = args.positional[1];
    sim_schedule loaded;
    sim_explore_result first;
    cli_replay_file(&args, scenario, path, NULL, &loaded, &first);
    if (!first.found)
        cli_bad_input("minimize", "%s yields no finding on scenario %s: nothing to minimize", path, scenario->name);
    long long bytes_before = file_size(path);
    char site[512];
    describe_site(site, sizeof site, &first.finding);
    /* A fuzzer input is minimized from the schedule its run recorded. */
    const sim_schedule *input = args.raw ? &first.schedule : &loaded;
    sim_schedule out;
    sim_minimize_result minimized;
    if (!sim_minimize(&args.explore, input, &out, &minimized))
        cli_bad_input("minimize", "%s yields no finding when replayed as a schedule: nothing to minimize", path);
    /* The output must replay to the same finding; its report is the one printed. */
    sim_explore_result final;
    cli_replay_schedule(&args, scenario, &out, args.output, NULL, &final);
    char key[sizeof minimized.key] = "";
    if (final.found)
        sim_finding_key(key, sizeof key, &final.finding);
    SIM_ASSERT(strcmp(key, minimized.key) == 0);
    size_t size = 0;
    char *text = sim_schedule_text(&out, &size);
    if (text == NULL)
        cli_bad_input("minimize", "out of memory");
    if (!sim_file_write(args.output, text, size))
        cli_bad_input("minimize", "cannot write %s: %s", args.output, strerror(errno));
    if (!args.quiet)
        sim_report_text(stdout, scenario->name, &final.finding, &final.snapshot, args.output);
    printf("minimize %s: %s at %s: %d decision%s -> %d (%lld bytes -> %zu bytes), %llu replays\n", scenario->name,
           sim_kind_token(minimized.kind), site, minimized.events_before, minimized.events_before == 1 ? "" : "s",
           minimized.events_after, bytes_before, size, (unsigned long long)minimized.runs);
    printf("  written     %s\n", args.output);
    if (args.report_given)
        cli_write_replayed(&args, scenario->name, &final, args.output, NULL);
    free(text);
    int status = cli_exit_status(&args, &final);
    sim_schedule_free(&out);
    sim_schedule_free(&loaded);
    sim_schedule_free(&first.schedule);
    sim_schedule_free(&final.schedule);
    return status;
}
