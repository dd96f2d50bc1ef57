/* explore.h: one exploration of a scenario, shared by the CLI and the tests:
 * run it up to `runs` times under a strategy until the first finding (or, for
 * DFS, until the space is exhausted), and keep that run's schedule. */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include "schedule.h"
#include "sources.h"

typedef enum sim_strategy {
    SIM_STRATEGY_RANDOM,
    SIM_STRATEGY_PCT,
    SIM_STRATEGY_DFS,
    SIM_STRATEGY_REPLAY,
    SIM_STRATEGY_FUZZ_INPUT, /* one fuzzer input's events (fuzz/decode.h) */
} sim_strategy;

typedef struct sim_explore_config {
    const sim_scenario *scenario;
    sim_strategy strategy;
    uint64_t seed;
    uint64_t runs;              /* at most this many executions */
    int preemption_bound;       /* DFS; -1 unbounded */
    int pct_depth;              /* PCT d */
    uint64_t pct_steps;         /* PCT k; 0: learn from the first run */
    const sim_schedule *replay; /* SIM_STRATEGY_REPLAY */
    const char *replay_file;
    FILE *replay_warn;
    const sim_fuzz_event *fuzz_events; /* SIM_STRATEGY_FUZZ_INPUT */
    int fuzz_event_count;
    bool keep_going;               /* do not stop at the first finding (tests) */
    bool schedule_of_finding_only; /* no schedule of a last run without a finding (a fuzzer's hot path) */
    sim_config machine;            /* scenario and source are filled in */
} sim_explore_config;

typedef struct sim_explore_result {
    uint64_t runs; /* executions done */
    uint64_t runs_with_finding;
    uint64_t max_steps; /* longest execution, in steps */
    bool exhausted;     /* DFS explored every schedule within the bound */
    bool bad_scenario;
    char bad_scenario_why[200];
    bool found; /* finding below is valid */
    sim_finding finding;
    uint64_t finding_run;    /* index of the run that found it */
    char finding_text[2048]; /* the report's description of it (report.h) */
    char finding_tail[4096]; /* trace tail of that run */
    sim_schedule schedule;   /* schedule of that run (or of the last run, unless schedule_of_finding_only) */
    int divergences;         /* replay */
} sim_explore_result;

void sim_explore_defaults(sim_explore_config *config, const sim_scenario *scenario);
/* Fills `result`; free result->schedule with sim_schedule_free. */
void sim_explore(sim_explore_config *config, sim_explore_result *result);
int sim_strategy_parse(const char *name);
const char *sim_strategy_name(sim_strategy strategy);

#endif
