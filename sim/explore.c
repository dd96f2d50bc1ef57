/* explore.c runs a scenario again and again under one strategy, stopping at
 * the first `error`, and keeps what a report needs of the verdict's run:
 * the finding, its trace tail and its schedule. A `rule` finding does not
 * stop it; each distinct one is kept with its first run's schedule for a
 * note (docs/design.md, Decisions: "Severity and stopping"). It also tells
 * which given parameters no run read. */
#include "explore.h"

#include "dfs_classes.h"
#include "footprint.h"
#include "grow.h"
#include "report.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const strategy_names[] = {
    [SIM_STRATEGY_RANDOM] = "random",       [SIM_STRATEGY_PCT] = "pct",       [SIM_STRATEGY_DFS] = "dfs",
    [SIM_STRATEGY_PORTFOLIO] = "portfolio", [SIM_STRATEGY_REPLAY] = "replay", [SIM_STRATEGY_FUZZ_INPUT] = "fuzz-input",
};

int sim_strategy_parse(const char *name) {
    for (int s = SIM_STRATEGY_RANDOM; s <= SIM_STRATEGY_PORTFOLIO; s++)
        if (strcmp(strategy_names[s], name) == 0)
            return s;
    return -1;
}

const char *sim_strategy_name(sim_strategy strategy) { return strategy_names[strategy]; }

void sim_explore_defaults(sim_explore_config *config, const sim_scenario *scenario) {
    memset(config, 0, sizeof *config);
    config->scenario = scenario;
    config->strategy = SIM_STRATEGY_PORTFOLIO;
    config->seed = 1;
    config->runs = 1000;
    config->preemption_bound = 2;
    config->reduction = true;
    config->pct_depth = 3;
    config->machine.hang_ms = 2000;
}

/* The storage of every source lives here, not on the caller's stack: the
 * DFS state alone is over a megabyte. */
static union {
    sim_random_state random;
    sim_pct_state pct;
    sim_dfs_state dfs;
    sim_portfolio_state portfolio;
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
        sim_source_dfs(source, &source_state.dfs, config->preemption_bound, config->reduction, config->count_classes);
        return;
    case SIM_STRATEGY_PORTFOLIO:
        /* Its first run is the default schedule: k is learned there, without a run of its own. */
        sim_source_portfolio(source, &source_state.portfolio, config->seed, config->pct_steps);
        return;
    case SIM_STRATEGY_REPLAY:
        sim_source_replay(source, &source_state.replay, config->replay, config->replay_file, config->replay_warn);
        return;
    case SIM_STRATEGY_FUZZ_INPUT:
        sim_source_fuzz(source, &source_state.fuzz, config->fuzz_events, config->fuzz_event_count);
        return;
    }
}

static void keep_finding(sim_explore_result *result, const sim_run *run, const sim_finding *verdict) {
    result->found = true;
    result->finding = *verdict;
    result->finding_run = result->runs - 1;
    sim_report_snapshot_take(&result->snapshot, &result->finding, verdict->info.severity == SIM_SEV_ERROR);
    sim_schedule_free(&result->schedule);
    sim_schedule_from_run(&result->schedule, run->config->scenario->name);
}

/* Whether the run's verdict becomes the exploration's: the first one, or an
 * error after rules only. */
static bool takes_over(const sim_explore_config *config, const sim_explore_result *result, const sim_finding *verdict) {
    if (verdict == NULL)
        return false;
    bool error = verdict->info.severity == SIM_SEV_ERROR;
    if (!result->found)
        return error || !config->errors_only;
    return error && !sim_explore_error(result);
}

static sim_explore_rule *find_rule(sim_explore_rules *rules, const char *key) {
    for (int i = 0; i < rules->count; i++)
        if (strcmp(rules->items[i].key, key) == 0)
            return &rules->items[i];
    return NULL;
}

static void add_rule(sim_explore_rules *rules, const sim_run *run, const sim_finding *finding, const char *key,
                     uint64_t run_index) {
    rules->items =
        sim_grow_or_panic(rules->items, &rules->cap, rules->count + 1, sizeof *rules->items, 8, "rule findings");
    sim_explore_rule *rule = &rules->items[rules->count++];
    memset(rule, 0, sizeof *rule);
    snprintf(rule->key, sizeof rule->key, "%s", key);
    rule->finding = *finding;
    rule->first_run = rule->last_run = run_index;
    rule->runs = 1;
    sim_report_snapshot_take(&rule->snapshot, finding, false);
    sim_schedule_from_run(&rule->schedule, run->config->scenario->name);
    if (sim_run_verdict(run)->info.severity == SIM_SEV_RULE)
        rule->schedule.expect = finding->info.kind;
}

/* Counts each distinct rule finding of the run that just ended. */
static void note_rules(sim_explore_result *result, const sim_run *run) {
    uint64_t run_index = result->runs - 1;
    for (int i = 0; i < run->finding_count; i++) {
        const sim_finding *finding = &run->findings[i];
        if (finding->info.severity != SIM_SEV_RULE)
            continue;
        char key[sizeof result->rules.items[0].key];
        sim_finding_key(key, sizeof key, finding);
        sim_explore_rule *rule = find_rule(&result->rules, key);
        if (rule == NULL) {
            add_rule(&result->rules, run, finding, key, run_index);
        } else if (rule->last_run != run_index) {
            rule->last_run = run_index;
            rule->runs++;
        }
    }
}

/* Marks the given parameters the run read, and collects every key it read
 * while some given one is still unread (once all are read, no parameter
 * is unknown, and the keys are never listed). */
static void note_params(const sim_config *machine, sim_explore_result *result, const sim_run *run) {
    int unread = 0;
    for (int g = 0; g < machine->param_count; g++) {
        for (int r = 0; r < run->param_count && !result->param_read[g]; r++)
            result->param_read[g] = sim_same_name(machine->params[g].name, run->params[r].name);
        unread += !result->param_read[g];
    }
    for (int r = 0; r < run->param_count && unread > 0; r++) {
        const char *name = run->params[r].name;
        bool known = false;
        for (int k = 0; k < result->params_known_count && !known; k++)
            known = sim_same_name(result->params_known[k], name);
        if (!known && result->params_known_count < SIM_PARAMS_KNOWN_MAX)
            snprintf(result->params_known[result->params_known_count++], sizeof result->params_known[0], "%s", name);
    }
}

void sim_explore(sim_explore_config *config, sim_explore_result *result) {
    memset(result, 0, offsetof(sim_explore_result, params_known));
    sim_report_snapshot_clear(&result->snapshot);
    sim_schedule_clear(&result->schedule);
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
        if (config->machine.param_count > 0)
            note_params(&config->machine, result, run);
        if (config->collect_rules)
            note_rules(result, run);
        const sim_finding *verdict = sim_run_verdict(run);
        result->runs_with_finding += verdict != NULL;
        if (takes_over(config, result, verdict))
            keep_finding(result, run, verdict);
        if (config->progress != NULL)
            config->progress(config->progress_user, result,
                             config->strategy == SIM_STRATEGY_DFS ? sim_dfs_explored(&source_state.dfs)
                                                                  : (double)result->runs / (double)config->runs);
        if (verdict != NULL && verdict->info.severity == SIM_SEV_ERROR && !config->keep_going)
            break;
    }
    /* Without a finding, the schedule kept is the last run's (still in sim_R). */
    if (!result->found && result->runs > 0 && !config->errors_only)
        sim_schedule_from_run(&result->schedule, config->scenario->name);
    if (config->strategy == SIM_STRATEGY_DFS) {
        result->exhausted = source_state.dfs.exhausted && !source_state.dfs.truncated;
        result->classes = config->count_classes ? sim_dfs_classes_count() : 0;
        sim_footprint_record(false);
    }
    if (config->strategy == SIM_STRATEGY_REPLAY)
        result->divergences = source_state.replay.divergences;
}

void sim_explore_result_free(sim_explore_result *result) {
    sim_schedule_free(&result->schedule);
    for (int i = 0; i < result->rules.count; i++)
        sim_schedule_free(&result->rules.items[i].schedule);
    free(result->rules.items);
    memset(&result->rules, 0, sizeof result->rules);
}

bool sim_explore_error(const sim_explore_result *result) {
    return result->found && result->finding.info.severity == SIM_SEV_ERROR;
}

bool sim_explore_meets(const sim_explore_result *result, sim_kind expected, bool strict) {
    if (sim_explore_error(result))
        return result->finding.info.kind == expected;
    if (expected == SIM_FINDING_NONE)
        return !strict || !result->found;
    for (int i = 0; i < result->rules.count; i++)
        if (result->rules.items[i].finding.info.kind == expected)
            return true;
    return result->found && result->finding.info.kind == expected;
}

bool sim_explore_adopt_header(sim_explore_config *config, const sim_schedule *schedule) {
    sim_config *machine = &config->machine;
    machine->param_count = schedule->param_count;
    memcpy(machine->params, schedule->params, (size_t)schedule->param_count * sizeof schedule->params[0]);
    for (int i = 0; i < schedule->allows.count; i++)
        if (!sim_allowances_add(&machine->allows, &schedule->allows.items[i]))
            return false;
    return true;
}

bool sim_config_set_param(sim_config *machine, const char *name, int64_t value) {
    sim_param_value *param = NULL;
    for (int i = 0; i < machine->param_count && param == NULL; i++)
        if (strcmp(machine->params[i].name, name) == 0)
            param = &machine->params[i];
    if (param == NULL) {
        if (machine->param_count == SIM_PARAMS_MAX || strlen(name) >= sizeof param->name)
            return false;
        param = &machine->params[machine->param_count++];
        snprintf(param->name, sizeof param->name, "%s", name);
    }
    param->value = value;
    param->given = true;
    return true;
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

bool sim_explore_unknown_param(const sim_explore_config *config, const sim_explore_result *result, char *out,
                               size_t size) {
    if (sim_explore_error(result))
        return false;
    const sim_config *machine = &config->machine;
    int unknown = 0;
    while (unknown < machine->param_count && result->param_read[unknown])
        unknown++;
    if (unknown == machine->param_count)
        return false;
    char known[SIM_PARAMS_KNOWN_MAX][sizeof result->params_known[0]];
    memcpy(known, result->params_known, sizeof known);
    qsort(known, (size_t)result->params_known_count, sizeof known[0], by_name);
    FILE *text = fmemopen(out, size, "w");
    if (text == NULL) {
        snprintf(out, size, "unknown parameter '%s'", machine->params[unknown].name);
        return true;
    }
    fprintf(text, "unknown parameter '%s' for scenario %s (known:", machine->params[unknown].name,
            config->scenario->name);
    for (int k = 0; k < result->params_known_count; k++)
        fprintf(text, "%s %s", k == 0 ? "" : ",", known[k]);
    fprintf(text, ")");
    fclose(text);
    return true;
}
