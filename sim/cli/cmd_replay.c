/* cmd_replay.c: `sim replay SCENARIO FILE`: run a schedule file once, with
 * its parameters and allows (and those of --allow), print the verdict (and
 * the trace with --trace), say where it diverged from the recording if the
 * scenario changed, and exit as `run` does: 1 on an error, and on a rule
 * only with --strict. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

static void print_line(void *user, const char *line) {
    (void)user;
    puts(line);
}

/* Reads and parses a schedule; exits 2 with the reason when it cannot. */
void cli_load_schedule(const char *command, const char *path, const char *scenario, sim_schedule *out) {
    size_t size = 0;
    char *text = sim_file_read(path, &size);
    if (text == NULL)
        cli_bad_input(command, "cannot read %s: %s", path, strerror(errno));
    char error[256];
    bool ok = sim_schedule_parse(text, size, out, error, sizeof error);
    free(text);
    if (!ok)
        cli_bad_input(command, "%s: %s", path, error);
    if (scenario != NULL && strcmp(out->scenario, scenario) != 0) {
        char recorded[SIM_NAME_MAX];
        snprintf(recorded, sizeof recorded, "%s", out->scenario);
        sim_schedule_free(out);
        cli_bad_input(command, "%s is a schedule of scenario '%s', not '%s'", path, recorded, scenario);
    }
}

/* Replays `schedule` once with warnings on `warn`; fills `result`. */
void cli_replay_schedule(cli_args *args, const sim_scenario *scenario, const sim_schedule *schedule, const char *path,
                         FILE *warn, sim_explore_result *result) {
    sim_explore_config *config = &args->explore;
    config->scenario = scenario;
    config->strategy = SIM_STRATEGY_REPLAY;
    config->runs = 1;
    config->replay = schedule;
    config->replay_file = path;
    config->replay_warn = warn;
    if (!sim_explore_adopt_header(config, schedule))
        cli_bad_input(args->command, "%s: more than %d allows with those of the command line", path, SIM_ALLOWS_MAX);
    sim_explore(config, result);
}

/* A fuzzer input (fuzz/decode.h): every byte string is valid. */
static void replay_raw(cli_args *args, const sim_scenario *scenario, const char *path, sim_explore_result *result) {
    size_t size = 0;
    char *bytes = sim_file_read(path, &size);
    if (bytes == NULL)
        cli_bad_input(args->command, "cannot read %s: %s", path, strerror(errno));
    static sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX];
    int count = sim_fuzz_decode((const uint8_t *)bytes, size, events, SIM_FUZZ_EVENTS_MAX);
    free(bytes);
    cli_replay_events(args, scenario, events, count, result);
}

void cli_replay_events(cli_args *args, const sim_scenario *scenario, const sim_fuzz_event *events, int count,
                       sim_explore_result *result) {
    sim_explore_config *config = &args->explore;
    config->scenario = scenario;
    config->strategy = SIM_STRATEGY_FUZZ_INPUT;
    config->runs = 1;
    config->fuzz_events = events;
    config->fuzz_event_count = count;
    sim_explore(config, result);
}

void cli_replay_file(cli_args *args, const sim_scenario *scenario, const char *path, FILE *warn, sim_schedule *loaded,
                     sim_explore_result *result) {
    memset(loaded, 0, sizeof *loaded);
    if (args->raw) {
        replay_raw(args, scenario, path, result);
    } else {
        cli_load_schedule(args->command, path, scenario->name, loaded);
        cli_replay_schedule(args, scenario, loaded, path, warn, result);
    }
    if (result->bad_scenario)
        cli_bad_input(args->command, "scenario %s: %s", scenario->name, result->bad_scenario_why);
    cli_reject_unknown_param(args, result);
}

int cli_replay(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "replay", argc, argv, 2,
              OPT_TRACE | OPT_REPORT | OPT_OUTPUT | OPT_QUIET | OPT_STEPS | OPT_RAW | OPT_ALLOW | OPT_STRICT, 2);
    if (args.positional_count != 2)
        cli_bad_input("replay", "give SCENARIO and a schedule FILE (see sim replay --help)");
    const sim_scenario *scenario = cli_scenario("replay", args.positional[0]);
    if (args.trace)
        args.explore.machine.trace_sink = print_line;
    args.explore.collect_rules = true;
    sim_schedule schedule;
    sim_explore_result result;
    cli_replay_file(&args, scenario, args.positional[1], stderr, &schedule, &result);
    char found[64];
    cli_describe_found(found, sizeof found, &result, schedule.has_expect ? schedule.expect : SIM_FINDING_NONE);
    if (sim_explore_error(&result) && !args.quiet)
        sim_report_text(stdout, scenario->name, &result.finding, &result.snapshot, args.positional[1]);
    cli_note_rules(&args, scenario->name, &result, false);
    printf("replay %s: %s", scenario->name, found);
    if (schedule.has_expect)
        printf(" (expected %s: %s)", sim_kind_token(schedule.expect),
               sim_explore_meets(&result, schedule.expect, args.strict) ? "match" : "differs");
    if (result.divergences > 0)
        printf(", %d divergence%s", result.divergences, result.divergences == 1 ? "" : "s");
    printf("\n");
    if (args.report_given || args.output != NULL)
        cli_write_replayed(&args, scenario->name, &result, args.positional[1], args.output);
    sim_schedule_free(&schedule);
    int status = cli_exit_status(&args, &result);
    sim_explore_result_free(&result);
    return status;
}
