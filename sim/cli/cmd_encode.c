/* cmd_encode.c: `sim encode SCENARIO FILE -o OUT`: the fuzzer input
 * (fuzz/decode.h) that makes the same decisions as the schedule FILE, so a
 * pinned or minimized schedule can seed a fuzz corpus. It checks that the
 * bytes replay to the schedule's verdict, with the scenario's default
 * parameters as a fuzz target runs it, before writing them. */
#include <errno.h>
#include <string.h>

#include "cli.h"

int cli_encode(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "encode", argc, argv, 2, OPT_OUTPUT | OPT_STEPS, 2);
    if (args.positional_count != 2 || args.output == NULL)
        cli_bad_input("encode", "give SCENARIO, a schedule FILE and -o OUT (see sim encode --help)");
    const sim_scenario *scenario = cli_scenario("encode", args.positional[0]);
    sim_schedule schedule;
    sim_explore_result result;
    cli_replay_file(&args, scenario, args.positional[1], NULL, &schedule, &result);
    sim_kind verdict = result.found ? result.finding.info.kind : SIM_FINDING_NONE;
    static sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX];
    static uint8_t bytes[SIM_FUZZ_EVENTS_MAX * SIM_FUZZ_EVENT_BYTES];
    int count = sim_fuzz_events_of_run(events, SIM_FUZZ_EVENTS_MAX);
    size_t size = count < 0 ? 0 : sim_fuzz_encode(events, count, bytes, sizeof bytes);
    sim_schedule_free(&schedule);
    sim_schedule_free(&result.schedule);
    if (size == 0 && count != 0)
        cli_bad_input("encode", "%s: its decisions do not fit a fuzzer input (at most %d events, 65535 steps apart)",
                      args.positional[1], SIM_FUZZ_EVENTS_MAX);
    /* A fuzz target runs the scenario's defaults: no parameters or allows given. */
    args.explore.machine.param_count = 0;
    args.explore.machine.allows.count = 0;
    cli_replay_events(&args, scenario, events, count, &result);
    sim_kind again = result.found ? result.finding.info.kind : SIM_FINDING_NONE;
    sim_schedule_free(&result.schedule);
    if (again != verdict)
        cli_bad_input("encode", "%s: the encoded input gives %s, not %s", args.positional[1], sim_kind_token(again),
                      sim_kind_token(verdict));
    if (!sim_file_write(args.output, (const char *)bytes, size))
        cli_bad_input("encode", "cannot write %s: %s", args.output, strerror(errno));
    printf("encode %s: %d decision%s -> %zu bytes, replays to %s\n", scenario->name, count, count == 1 ? "" : "s", size,
           sim_kind_token(verdict));
    return CLI_EXIT_CLEAN;
}
