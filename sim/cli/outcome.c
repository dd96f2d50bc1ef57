/* outcome.c: what the commands make of an exploration's result
 * (docs/design.md, Decisions: "Severity and stopping"): the exit status (1
 * for an `error`; for `rule` findings only with --strict), the report and
 * schedule files of an error and of each distinct rule, the notes that
 * list the rules, the verdict as a table or test line shows it, and the
 * rejection of a parameter no run read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report.h"
#include "sha1.h"

int cli_exit_status(const cli_args *args, const sim_explore_result *result) {
    if (sim_explore_error(result) || (result->found && args->strict))
        return CLI_EXIT_FINDING;
    return CLI_EXIT_CLEAN;
}

void cli_reject_unknown_param(const cli_args *args, const sim_explore_result *result) {
    char message[2048];
    if (sim_explore_unknown_param(&args->explore, result, message, sizeof message))
        cli_bad_input(args->command, "%s", message);
}

void cli_describe_found(char *out, size_t size, const sim_explore_result *result, sim_kind expected) {
    if (sim_explore_error(result)) {
        snprintf(out, size, "%s", sim_kind_token(result->finding.info.kind));
        return;
    }
    int rules = result->rules.count;
    if (rules == 0) {
        snprintf(out, size, "none");
        return;
    }
    bool expected_rule = expected != SIM_FINDING_NONE && sim_explore_meets(result, expected, false);
    snprintf(out, size, "%s (%d rule%s)", sim_kind_token(expected_rule ? expected : SIM_FINDING_NONE), rules,
             rules == 1 ? "" : "s");
}

static void make_report_dir(const cli_args *args) {
    if (mkdir(args->report_dir, 0777) != 0 && errno != EEXIST)
        cli_bad_input(args->command, "cannot create %s: %s", args->report_dir, strerror(errno));
}

const char *cli_report_extension(const cli_args *args) {
    static const char *const extensions[] = {[CLI_REPORT_TEXT] = "txt",
                                             [CLI_REPORT_JSON] = "json",
                                             [CLI_REPORT_SARIF] = "sarif",
                                             [CLI_REPORT_TRACE] = "trace.json",
                                             [CLI_REPORT_HTML] = "html"};
    return extensions[args->report];
}

/* reports/SCENARIO-KIND.EXT, the folder made if need be. */
static void default_report_path(const cli_args *args, const char *scenario, sim_kind kind, char *out, size_t size) {
    make_report_dir(args);
    snprintf(out, size, "%s/%s-%s.%s", args->report_dir, scenario, sim_kind_token(kind), cli_report_extension(args));
}

/* The whole run of the finding, replayed from its schedule, as a trace. */
static void write_trace(const cli_args *args, const sim_report_doc *doc, FILE *out) {
    sim_trace_report *report = malloc(sizeof *report);
    if (report == NULL)
        cli_bad_input(args->command, "out of memory");
    cli_args replay = *args;
    replay.explore.machine.event_sink = sim_trace_report_event;
    replay.explore.machine.event_user = report;
    replay.explore.machine.trace_sink = NULL;
    sim_trace_report_start(report, out, doc->scenario);
    sim_explore_result result;
    cli_replay_schedule(&replay, cli_scenario(args->command, doc->scenario), doc->schedule, doc->schedule_path, NULL,
                        &result);
    sim_trace_report_finish(report);
    sim_explore_result_free(&result);
    free(report);
}

/* The report of `doc` in args->report's format, whole, to `report_path`. */
static void write_report_file(const cli_args *args, const char *report_path, const sim_report_doc *doc) {
    char *content = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&content, &size);
    if (out == NULL)
        cli_bad_input(args->command, "out of memory");
    switch (args->report) {
    case CLI_REPORT_TEXT:
        sim_report_text(out, doc->scenario, doc->finding, doc->snapshot, doc->schedule_path);
        break;
    case CLI_REPORT_JSON:
        sim_report_json(out, doc);
        break;
    case CLI_REPORT_SARIF:
        sim_report_sarif(out, doc);
        break;
    case CLI_REPORT_TRACE:
        write_trace(args, doc, out);
        break;
    case CLI_REPORT_HTML: {
        char *trace = NULL;
        size_t trace_size = 0;
        FILE *trace_out = open_memstream(&trace, &trace_size);
        if (trace_out == NULL)
            cli_bad_input(args->command, "out of memory");
        write_trace(args, doc, trace_out);
        fclose(trace_out);
        sim_report_html(out, doc, trace, trace_size);
        free(trace);
        break;
    }
    }
    fclose(out);
    if (!sim_file_write(report_path, content, size))
        cli_bad_input(args->command, "cannot write %s: %s", report_path, strerror(errno));
    free(content);
}

static sim_report_doc make_doc(const cli_args *args, const char *scenario, const sim_explore_result *result,
                               const sim_finding *finding, const sim_report_snapshot *snapshot) {
    return (sim_report_doc){.scenario = scenario,
                            .finding = finding,
                            .snapshot = snapshot,
                            .strategy = sim_strategy_name(args->explore.strategy),
                            .seed = args->explore.seed,
                            .runs = result->runs,
                            .first_run = result->finding_run,
                            .runs_with = 1};
}

/* Writes the schedule to REPORT.sched, then the report, each whole. */
static void write_report(const cli_args *args, const char *report_path, sim_report_doc *doc,
                         const sim_schedule *schedule, char *schedule_path, size_t schedule_size) {
    snprintf(schedule_path, schedule_size, "%s.sched", report_path);
    size_t size = 0;
    char *content = sim_schedule_text(schedule, &size);
    if (content == NULL || !sim_file_write(schedule_path, content, size))
        cli_bad_input(args->command, "cannot write %s: %s", schedule_path, strerror(errno));
    doc->schedule_path = schedule_path;
    doc->schedule_text = content;
    doc->schedule = schedule;
    write_report_file(args, report_path, doc);
    free(content);
}

void cli_write_finding(const cli_args *args, const char *scenario, const sim_explore_result *result, char *report_path,
                       size_t report_size, char *schedule_path, size_t schedule_size) {
    if (args->output != NULL)
        snprintf(report_path, report_size, "%s", args->output);
    else
        default_report_path(args, scenario, result->finding.info.kind, report_path, report_size);
    sim_report_doc doc = make_doc(args, scenario, result, &result->finding, &result->snapshot);
    write_report(args, report_path, &doc, &result->schedule, schedule_path, schedule_size);
}

void cli_write_rule(const cli_args *args, const char *scenario, const sim_explore_result *result,
                    const sim_explore_rule *rule, char *report_path, size_t report_size) {
    make_report_dir(args);
    char hash[41], schedule_path[4200];
    sim_sha1_hex((const uint8_t *)rule->key, strlen(rule->key), hash);
    snprintf(report_path, report_size, "%s/%s-%s.rule-%.8s.%s", args->report_dir, scenario,
             sim_kind_token(rule->finding.info.kind), hash, cli_report_extension(args));
    sim_report_doc doc = make_doc(args, scenario, result, &rule->finding, &rule->snapshot);
    doc.first_run = rule->first_run;
    doc.runs_with = rule->runs;
    write_report(args, report_path, &doc, &rule->schedule, schedule_path, sizeof schedule_path);
}

void cli_write_replayed(const cli_args *args, const char *scenario, const sim_explore_result *result,
                        const char *schedule_path, const char *report_path) {
    if (!result->found)
        return;
    char path[4096];
    if (report_path == NULL) {
        default_report_path(args, scenario, result->finding.info.kind, path, sizeof path);
        report_path = path;
    }
    size_t size = 0;
    char *text = sim_schedule_text(&result->schedule, &size);
    sim_report_doc doc = make_doc(args, scenario, result, &result->finding, &result->snapshot);
    doc.schedule_path = schedule_path;
    doc.schedule_text = text;
    doc.schedule = &result->schedule;
    write_report_file(args, report_path, &doc);
    free(text);
    printf("  %-11s %s\n", "report", report_path);
}

void cli_note_rules(const cli_args *args, const char *scenario, const sim_explore_result *result, bool write) {
    for (int i = 0; i < result->rules.count; i++) {
        const sim_explore_rule *rule = &result->rules.items[i];
        const sim_site *site = rule->finding.site;
        printf("  %-11s %s", "rule", sim_kind_token(rule->finding.info.kind));
        if (site != NULL)
            printf(" at %s:%d", site->file, site->line);
        printf(" in %llu of %llu run%s, first in run %llu\n", (unsigned long long)rule->runs,
               (unsigned long long)result->runs, result->runs == 1 ? "" : "s", (unsigned long long)rule->first_run + 1);
        printf("  %-11s %s\n", "what", rule->finding.info.message);
        if (write) {
            char report_path[4096];
            cli_write_rule(args, scenario, result, rule, report_path, sizeof report_path);
            printf("  %-11s %s\n", "report", report_path);
        }
    }
}
