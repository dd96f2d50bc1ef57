/* explore.h: one exploration of a scenario, shared by the CLI and the tests:
 * run it up to `runs` times under a strategy until the first `error` (or, for
 * DFS, until the space is exhausted), and keep the verdict's schedule. A
 * `rule` finding does not stop it: the runs go on, and each distinct rule
 * can be kept for a note at the end (docs/design.md, Decisions: "Severity and
 * stopping"). */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include "report.h"
#include "schedule.h"
#include "sources.h"

typedef enum sim_strategy {
    SIM_STRATEGY_RANDOM,
    SIM_STRATEGY_PCT,
    SIM_STRATEGY_DFS,
    SIM_STRATEGY_PORTFOLIO, /* the default: random and PCT at several depths in turn */
    SIM_STRATEGY_REPLAY,
    SIM_STRATEGY_FUZZ_INPUT, /* one fuzzer input's events (fuzz/decode.h) */
} sim_strategy;

typedef struct sim_explore_result sim_explore_result;

typedef struct sim_explore_config {
    const sim_scenario *scenario;
    sim_strategy strategy;
    uint64_t seed;
    uint64_t runs;              /* at most this many executions */
    int preemption_bound;       /* DFS; -1 unbounded */
    bool reduction;             /* DFS: partial-order reduction (source_dfs.c); on by default */
    bool count_classes;         /* DFS: count the classes of equivalent schedules explored (the bench) */
    int pct_depth;              /* PCT d (the portfolio has its own depths) */
    uint64_t pct_steps;         /* PCT k, also the portfolio's; 0: learn from the default schedule */
    const sim_schedule *replay; /* SIM_STRATEGY_REPLAY */
    const char *replay_file;
    FILE *replay_warn;
    const sim_fuzz_event *fuzz_events; /* SIM_STRATEGY_FUZZ_INPUT */
    int fuzz_event_count;
    bool keep_going;  /* do not stop at the first error (tests) */
    bool errors_only; /* keep nothing but an error: no rule verdict, no schedule of a clean run (a fuzzer's hot path) */
    bool collect_rules; /* keep every distinct rule finding in result->rules */
    /* Called after each run with the result so far and the share of the
     * search done (DFS: an estimate of the tree explored; otherwise runs
     * over the budget); NULL: none. */
    void (*progress)(void *user, const sim_explore_result *so_far, double done);
    void *progress_user;
    sim_config machine; /* scenario and source are filled in */
} sim_explore_config;

/* A distinct `rule` finding of an exploration, by its sim_finding_key. */
typedef struct sim_explore_rule {
    char key[1024];
    sim_finding finding;          /* as first seen: its context and lock belong to that run */
    uint64_t first_run;           /* index of the run it first appeared in */
    uint64_t last_run;            /* index of the last run it appeared in */
    uint64_t runs;                /* how many runs it appeared in */
    sim_report_snapshot snapshot; /* of its first run, without steps (report.h) */
    sim_schedule schedule;        /* of its first run; `expect` names it, unless that run also had an error */
} sim_explore_rule;

typedef struct sim_explore_rules {
    sim_explore_rule *items; /* in the order they first appeared */
    int count, cap;
} sim_explore_rules;

enum { SIM_PARAMS_KNOWN_MAX = 2 * SIM_PARAMS_MAX };

struct sim_explore_result {
    uint64_t runs; /* executions done */
    uint64_t runs_with_finding;
    uint64_t max_steps; /* longest execution, in steps */
    bool exhausted;     /* DFS explored every schedule within the bound */
    uint64_t classes;   /* DFS with count_classes: of equivalent schedules, among the runs that ended */
    bool bad_scenario;
    char bad_scenario_why[200];
    /* The verdict: the first `error`, else the first `rule`, so a rule
     * never hides an error (sim_explore_error tells which). */
    bool found; /* finding below is valid */
    sim_finding finding;
    uint64_t finding_run;    /* index of the run that found it */
    int divergences;         /* replay */
    sim_explore_rules rules; /* with collect_rules */
    /* The parameters given (config->machine.params) that some run read, and
     * the names of all the keys the runs read (the first
     * SIM_PARAMS_KNOWN_MAX), for sim_explore_unknown_param. Kept only when
     * parameters are given. */
    bool param_read[SIM_PARAMS_MAX];
    int params_known_count;
    /* The large members last: an exploration starts them empty by their
     * counts, without clearing their bytes (a fuzzer explores once per
     * execution). */
    char params_known[SIM_PARAMS_KNOWN_MAX][sizeof(((sim_param_value *)0)->name)];
    sim_report_snapshot snapshot; /* of the verdict's run, with its last steps for an error (report.h) */
    sim_schedule schedule;        /* schedule of that run (or of the last run, unless errors_only) */
};

void sim_explore_defaults(sim_explore_config *config, const sim_scenario *scenario);
/* Fills `result`; free it with sim_explore_result_free (or, without
 * collect_rules, free result->schedule with sim_schedule_free). */
void sim_explore(sim_explore_config *config, sim_explore_result *result);
void sim_explore_result_free(sim_explore_result *result);
/* The verdict is an `error`: the exploration fails (exit status 1). */
bool sim_explore_error(const sim_explore_result *result);
/* Whether the exploration meets the expectation `expected`: its error is
 * of that kind; or it has no error and `expected` is `none` (with rule
 * findings only when not `strict`) or the kind of one of its rules (all of
 * them with collect_rules, else the first). */
bool sim_explore_meets(const sim_explore_result *result, sim_kind expected, bool strict);
/* Takes a schedule's header into config->machine: its parameters replace
 * those given, its allows join them. False when the allows do not fit. */
bool sim_explore_adopt_header(sim_explore_config *config, const sim_schedule *schedule);

/* Gives the parameter `name` the value `value`, replacing an earlier value
 * of the same name (the last one wins, as sim_param reads them); false when
 * the table is full or the name too long. */
bool sim_config_set_param(sim_config *machine, const char *name, int64_t value);
/* A given parameter that no run of the exploration read is unknown: writes
 * `unknown parameter 'KEY' for scenario NAME (known: the keys the runs read,
 * sorted)` to `out` and returns true. An exploration that ended at an error
 * judges no parameter: a run it did not make, or the rest of the stopped
 * run, might have read it. */
bool sim_explore_unknown_param(const sim_explore_config *config, const sim_explore_result *result, char *out,
                               size_t size);
/* A strategy a user may name (random, pct, dfs, portfolio), or -1. */
int sim_strategy_parse(const char *name);
const char *sim_strategy_name(sim_strategy strategy);

#endif
