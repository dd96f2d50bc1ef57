/* cmd_run.c: `sim run SCENARIO|--all`: explore a scenario under a strategy,
 * with a progress line on stderr while it takes long (progress.c).
 * An `error` ends the exploration: its report and schedule go under
 * reports/ (or -o) and the command exits 1. `rule` findings do not: each
 * distinct one gets a note and a report under reports/, and they make the
 * command exit 1 only with --strict (outcome.c). With --all, print expected
 * vs found for every scenario and exit 0 only when each meets its
 * expectation; nothing is written until every scenario has been explored,
 * so an unknown parameter writes nothing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "report.h"

/* Per-lock fairness of the exploration's last execution (the finding's,
 * if any): how often a waiter was bypassed and the longest wait, in steps,
 * as lines in a new string. Taken before a report replays another run into
 * the machine's state (--report trace|html, a rule's report). */
static char *describe_fairness(void) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    for (int id = 0; id < sim_R->object_count; id++) {
        sim_fairness fairness = sim_check_fairness(id);
        if (fairness.acquisitions == 0)
            continue;
        char name[64];
        sim_object_label(id, name, sizeof name);
        fprintf(out, "  fairness    %s: %llu acquisitions, max bypass %llu, max wait %llu steps\n", name,
                (unsigned long long)fairness.acquisitions, (unsigned long long)fairness.bypass_max,
                (unsigned long long)fairness.wait_max_steps);
    }
    fclose(out);
    return text;
}

static void describe_search(const sim_explore_config *config, const sim_explore_result *result) {
    printf("  %llu run%s, strategy %s", (unsigned long long)result->runs, result->runs == 1 ? "" : "s",
           sim_strategy_name(config->strategy));
    if (config->strategy == SIM_STRATEGY_PORTFOLIO && sim_explore_error(result)) {
        /* Which member to ask for alone, to search on the way that found it. */
        char member[32];
        sim_portfolio_member(result->finding_run, member, sizeof member);
        printf(" (run %llu: %s)", (unsigned long long)result->finding_run + 1, member);
    }
    printf(", seed %llu", (unsigned long long)config->seed);
    if (config->strategy == SIM_STRATEGY_DFS && config->preemption_bound < 0)
        printf(", no preemption bound");
    else if (config->strategy == SIM_STRATEGY_DFS)
        printf(", preemption bound %d", config->preemption_bound);
    if (config->strategy == SIM_STRATEGY_DFS)
        printf(", reduction %s, space %s", config->reduction ? "on" : "off",
               result->exhausted ? "exhausted" : "not exhausted");
    printf(", longest run %llu steps\n", (unsigned long long)result->max_steps);
}

static int run_one(cli_args *args, const sim_scenario *scenario) {
    sim_explore_config *config = &args->explore;
    config->scenario = scenario;
    config->collect_rules = true;
    sim_explore_result result;
    cli_progress progress;
    cli_progress_start(&progress, scenario->name, config);
    sim_explore(config, &result);
    cli_progress_end(&progress, config);
    if (result.bad_scenario)
        cli_bad_input(args->command, "scenario %s: %s", scenario->name, result.bad_scenario_why);
    cli_reject_unknown_param(args, &result);
    char *fairness = describe_fairness();
    if (fairness == NULL)
        cli_bad_input(args->command, "out of memory");
    bool error = sim_explore_error(&result);
    char report_path[4096], schedule_path[4200];
    if (error) {
        cli_write_finding(args, scenario->name, &result, report_path, sizeof report_path, schedule_path,
                          sizeof schedule_path);
        if (!args->quiet)
            sim_report_text(stdout, scenario->name, &result.finding, &result.snapshot, schedule_path);
        printf("scenario %s: %s in run %llu", scenario->name, sim_kind_token(result.finding.info.kind),
               (unsigned long long)result.finding_run + 1);
    } else {
        printf("scenario %s: %s", scenario->name, result.rules.count > 0 ? "no error" : "no finding");
    }
    if (result.rules.count > 0)
        printf(", %d rule%s", result.rules.count, result.rules.count == 1 ? "" : "s");
    printf("\n");
    if (error)
        printf("  %-11s %s\n", "report", report_path);
    cli_note_rules(args, scenario->name, &result, true);
    describe_search(config, &result);
    fputs(fairness, stdout);
    free(fairness);
    int status = cli_exit_status(args, &result);
    sim_explore_result_free(&result);
    return status;
}

/* Every scenario is explored before anything is written or printed. */
static int run_all(cli_args *args) {
    int count = 0;
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next)
        count++;
    struct {
        sim_explore_result result;
        sim_kind expected;
    } *rows = calloc((size_t)count, sizeof *rows);
    if (rows == NULL)
        cli_bad_input(args->command, "out of memory");
    args->explore.collect_rules = true;
    int i = 0;
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next, i++) {
        args->explore.scenario = scenario;
        cli_progress progress;
        cli_progress_start(&progress, scenario->name, &args->explore);
        sim_explore(&args->explore, &rows[i].result);
        cli_progress_end(&progress, &args->explore);
        if (rows[i].result.bad_scenario)
            cli_bad_input(args->command, "scenario %s: %s", scenario->name, rows[i].result.bad_scenario_why);
        cli_reject_unknown_param(args, &rows[i].result);
        rows[i].expected = sim_R->expected;
    }
    int mismatches = 0;
    printf("%-28s %-20s %-30s %s\n", "scenario", "expected", "found", "verdict");
    cli_args one = *args;
    one.output = NULL;
    i = 0;
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next, i++) {
        sim_explore_result *result = &rows[i].result;
        char report_path[4096], schedule_path[4200], found[64];
        if (sim_explore_error(result))
            cli_write_finding(&one, scenario->name, result, report_path, sizeof report_path, schedule_path,
                              sizeof schedule_path);
        for (int r = 0; r < result->rules.count; r++)
            cli_write_rule(&one, scenario->name, result, &result->rules.items[r], report_path, sizeof report_path);
        bool match = sim_explore_meets(result, rows[i].expected, args->strict);
        mismatches += !match;
        cli_describe_found(found, sizeof found, result, rows[i].expected);
        printf("%-28s %-20s %-30s %s\n", scenario->name, sim_kind_token(rows[i].expected), found,
               match ? "ok" : "MISMATCH");
        sim_explore_result_free(result);
    }
    printf("%d scenarios, %d as expected, %d not\n", count, count - mismatches, mismatches);
    free(rows);
    return mismatches == 0 ? CLI_EXIT_CLEAN : CLI_EXIT_FINDING;
}

int cli_run(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "run", argc, argv, 2,
              OPT_STRATEGY | OPT_SEED | OPT_RUNS | OPT_CPUS | OPT_PREEMPTIONS | OPT_DEPTH | OPT_PARAM | OPT_ALLOW |
                  OPT_OUTPUT | OPT_REPORT | OPT_ALL | OPT_STEPS | OPT_QUIET | OPT_STRICT | OPT_NO_REDUCTION,
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
