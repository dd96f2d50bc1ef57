/* cli.h: what the `sim` commands share: option parsing into one struct,
 * the one-line error with exit 2 for bad usage or input, and writing output
 * files whole or not at all. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "explore.h"
#include "file.h"

enum { CLI_EXIT_CLEAN = 0, CLI_EXIT_FINDING = 1, CLI_EXIT_BAD_INPUT = 2 };

/* Options a command accepts, as a bit set. */
enum {
    OPT_STRATEGY = 1 << 0,
    OPT_SEED = 1 << 1,
    OPT_RUNS = 1 << 2,
    OPT_CPUS = 1 << 3,
    OPT_PREEMPTIONS = 1 << 4,
    OPT_DEPTH = 1 << 5,
    OPT_PARAM = 1 << 6,
    OPT_ALLOW = 1 << 7,
    OPT_TRACE = 1 << 8,
    OPT_OUTPUT = 1 << 9,
    OPT_REPORT = 1 << 10,
    OPT_ALL = 1 << 11,
    OPT_STEPS = 1 << 12,
    OPT_QUIET = 1 << 13,
    OPT_RAW = 1 << 14,
    OPT_TIME = 1 << 15,
    OPT_JOBS = 1 << 16,
    OPT_STRICT = 1 << 17,
    OPT_NO_REDUCTION = 1 << 18,
};

/* The format of the report files (--report). */
typedef enum cli_report_format {
    CLI_REPORT_TEXT,
    CLI_REPORT_JSON,
    CLI_REPORT_SARIF,
    CLI_REPORT_TRACE,
    CLI_REPORT_HTML
} cli_report_format;

typedef struct cli_args {
    const char *command;
    const char *positional[4];
    int positional_count;
    bool all, trace, quiet;
    bool strict;                /* rule findings fail like errors (--strict) */
    bool raw;                   /* FILE is a fuzzer input, not a .sched */
    uint64_t time_seconds;      /* fuzz --time */
    int jobs;                   /* fuzz --jobs */
    const char *output;         /* -o */
    const char *report_dir;     /* where reports go: "reports" */
    cli_report_format report;   /* --report */
    bool report_given;          /* --report was given */
    sim_explore_config explore; /* strategy, seed, runs, bounds, params, allow */
    bool runs_given;
} cli_args;

/* Prints `sim COMMAND: message` on stderr and exits 2. */
_Noreturn void cli_bad_input(const char *command, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Parses argv[first..] for `command`, accepting the options in `accepted`
 * and at most `positional_max` positional arguments. Exits 2 on anything else. */
void cli_parse(cli_args *args, const char *command, int argc, char **argv, int first, unsigned accepted,
               int positional_max);
const sim_scenario *cli_scenario(const char *command, const char *name);
/* The folder of the running binary, into `dir`; exits 2 when it cannot tell. */
void cli_self_dir(const char *command, char *dir, size_t size);
/* Reads and parses a schedule of `scenario` (NULL: any); exits 2 with the reason when it cannot. */
void cli_load_schedule(const char *command, const char *path, const char *scenario, sim_schedule *out);
/* Replays `schedule` once, divergence warnings on `warn`, with its
 * parameters and its allows added to args' (exits 2 when they do not fit). */
void cli_replay_schedule(cli_args *args, const sim_scenario *scenario, const sim_schedule *schedule, const char *path,
                         FILE *warn, sim_explore_result *result);
/* Replays fuzzer events (fuzz/decode.h) once; fills `result`. */
void cli_replay_events(cli_args *args, const sim_scenario *scenario, const sim_fuzz_event *events, int count,
                       sim_explore_result *result);
/* Runs FILE once: a `.sched` (loaded into `loaded`), or with args->raw a
 * fuzzer input (`loaded` is then empty). Exits 2 when FILE cannot be read
 * or parsed, the scenario cannot be set up, or a parameter is unknown. */
void cli_replay_file(cli_args *args, const sim_scenario *scenario, const char *path, FILE *warn, sim_schedule *loaded,
                     sim_explore_result *result);

/* outcome.c: docs/design.md, Decisions: "Severity and stopping". */
/* 1 for an `error`, and for a `rule` under --strict; else 0. */
int cli_exit_status(const cli_args *args, const sim_explore_result *result);
/* Exits 2 naming a given parameter no run read (sim_explore_unknown_param). */
void cli_reject_unknown_param(const cli_args *args, const sim_explore_result *result);
/* The verdict as tables and test lines show it: the error's kind; or
 * `none`, or the expected kind when it is one of the rules, with the number
 * of rules, as `none (2 rules)`. */
void cli_describe_found(char *out, size_t size, const sim_explore_result *result, sim_kind expected);
/* The file extension of args->report's format: txt, json, sarif, trace.json or html. */
const char *cli_report_extension(const cli_args *args);
/* Writes the report of `result`'s error, in args->report's format, to
 * args->output, or else to reports/SCENARIO-KIND.EXT (EXT: txt, json, sarif,
 * trace.json or html), and its schedule next to it (REPORT.sched); exits 2 if it
 * cannot. */
void cli_write_finding(const cli_args *args, const char *scenario, const sim_explore_result *result, char *report_path,
                       size_t report_size, char *schedule_path, size_t schedule_size);
/* Writes the report of a rule to reports/SCENARIO-KIND.rule-HASH.EXT (HASH:
 * the first 8 hex digits of the SHA-1 of its finding key, so distinct rules
 * of one kind get distinct files, and none is named as an error's report),
 * and its schedule next to it; exits 2 if it cannot. */
void cli_write_rule(const cli_args *args, const char *scenario, const sim_explore_result *result,
                    const sim_explore_rule *rule, char *report_path, size_t report_size);
/* Prints a note for each rule of `result` (kind, site, in how many runs,
 * the first, what), writing its report first when `write` is set. */
void cli_note_rules(const cli_args *args, const char *scenario, const sim_explore_result *result, bool write);
/* For `replay` and `minimize` given --report (or `replay` given -o): writes
 * the report of `result`'s finding, if any (its schedule: the file
 * `schedule_path`, as the run recorded it), to `report_path`, or when NULL
 * to reports/SCENARIO-KIND.EXT, and prints where. */
void cli_write_replayed(const cli_args *args, const char *scenario, const sim_explore_result *result,
                        const char *schedule_path, const char *report_path);

/* progress.c: the live progress line of a long exploration (stderr), and
 * the monotonic clock that paces it and `fuzz`'s (never a decision). */
double cli_now_seconds(void);
typedef struct cli_progress {
    const char *scenario, *strategy;
    bool dfs, tty, shown;
    double start, last, interval; /* seconds */
} cli_progress;
/* Makes `config` report its progress through `progress` until cli_progress_end. */
void cli_progress_start(cli_progress *progress, const char *scenario, sim_explore_config *config);
/* Clears a live line shown on a terminal, and detaches from `config`. */
void cli_progress_end(cli_progress *progress, sim_explore_config *config);

int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_encode(int argc, char **argv);
int cli_fuzz(int argc, char **argv);
int cli_minimize(int argc, char **argv);
int cli_build(int argc, char **argv);

#endif
