/* explore.c runs a scenario again and again under one strategy, stopping at
 * the first finding, and keeps what a report needs of that run: the
 * finding, its trace tail and its schedule. */
#include "explore.h"

#include "report.h"

#include <string.h>

static const char *const strategy_names[] = {[SIM_STRATEGY_RANDOM] = "random",
                                             [SIM_STRATEGY_PCT] = "pct",
                                             [SIM_STRATEGY_DFS] = "dfs",
                                             [SIM_STRATEGY_REPLAY] = "replay",
                                             [SIM_STRATEGY_FUZZ_INPUT] = "fuzz-input"};

int sim_strategy_parse(const char *name) {
    for (int s = SIM_STRATEGY_RANDOM; s <= SIM_STRATEGY_DFS; s++)
        if (strcmp(strategy_names[s], name) == 0)
            return s;
    return -1;
}

const char *sim_strategy_name(sim_strategy strategy) { return strategy_names[strategy]; }

void sim_explore_defaults(sim_explore_config *config, const sim_scenario *scenario) {
    memset(config, 0, sizeof *config);
    config->scenario = scenario;
    config->strategy = SIM_STRATEGY_RANDOM;
    config->seed = 1;
    config->runs = 1000;
    config->preemption_bound = 2;
    config->pct_depth = 3;
    config->machine.steps_max = 200000;
    config->machine.ctx_steps_max = 100000;
    config->machine.hang_ms = 2000;
}

/* The storage of every source lives here, not on the caller's stack: the
 * DFS state alone is over a megabyte. */
static union {
    sim_random_state random;
    sim_pct_state pct;
    sim_dfs_state dfs;
    sim_replay_state replay;
    sim_fuzz_state fuzz;
} source_state;

static uint64_t pct_steps_guess(sim_explore_config *config) {
    /* PCT needs k, the number of steps of an execution: measure one default run. */
    sim_replay_state *state = &source_state.replay;
    sim_schedule empty = {0};
    sim_source source;
    sim_source_replay(&source, state, &empty, "", NULL);
    config->machine.scenario = config->scenario;
    config->machine.source = &source;
    sim_run *run = sim_run_execute(&config->machine);
    return run->step > 0 ? run->step : 1;
}

static void make_source(sim_explore_config *config, sim_source *source) {
    switch (config->strategy) {
    case SIM_STRATEGY_RANDOM:
        sim_source_random(source, &source_state.random, config->seed);
        return;
    case SIM_STRATEGY_PCT: {
        uint64_t k = config->pct_steps ? config->pct_steps : pct_steps_guess(config);
        sim_source_pct(source, &source_state.pct, config->seed, config->pct_depth, k);
        return;
    }
    case SIM_STRATEGY_DFS:
        sim_source_dfs(source, &source_state.dfs, config->preemption_bound);
        return;
    case SIM_STRATEGY_REPLAY:
        sim_source_replay(source, &source_state.replay, config->replay, config->replay_file, config->replay_warn);
        return;
    case SIM_STRATEGY_FUZZ_INPUT:
        sim_source_fuzz(source, &source_state.fuzz, config->fuzz_events, config->fuzz_event_count);
        return;
    }
}

static void keep_finding(sim_explore_result *result, const sim_run *run) {
    result->found = true;
    result->finding = *sim_run_verdict(run);
    result->finding_run = result->runs - 1;
    sim_report_describe(result->finding_text, sizeof result->finding_text, run->config->scenario->name,
                        &result->finding);
    FILE *tail = fmemopen(result->finding_tail, sizeof result->finding_tail, "w");
    if (tail != NULL) {
        sim_trace_tail_write(tail, SIM_TAIL_MAX);
        fclose(tail);
    }
}

void sim_explore(sim_explore_config *config, sim_explore_result *result) {
    memset(result, 0, sizeof *result);
    sim_source source;
    make_source(config, &source);
    config->machine.scenario = config->scenario;
    config->machine.source = &source;
    for (bool more = true; more && result->runs < config->runs;) {
        sim_run *run = sim_run_execute(&config->machine);
        if (run->end == SIM_END_BAD_SCENARIO) {
            result->bad_scenario = true;
            snprintf(result->bad_scenario_why, sizeof result->bad_scenario_why, "%s", run->bad_scenario);
            return;
        }
        result->runs++;
        if (run->step > result->max_steps)
            result->max_steps = run->step;
        more = source.run_end(&source);
        bool finding = run->finding_count > 0;
        result->runs_with_finding += finding;
        if (finding && !result->found) {
            keep_finding(result, run);
            sim_schedule_from_run(&result->schedule, config->scenario->name);
        }
        if (finding && !config->keep_going)
            break;
    }
    /* Without a finding, the schedule kept is the last run's (still in sim_R). */
    if (!result->found && result->runs > 0 && !config->schedule_of_finding_only)
        sim_schedule_from_run(&result->schedule, config->scenario->name);
    if (config->strategy == SIM_STRATEGY_DFS)
        result->exhausted = source_state.dfs.exhausted && !source_state.dfs.truncated;
    if (config->strategy == SIM_STRATEGY_REPLAY)
        result->divergences = source_state.replay.divergences;
}
