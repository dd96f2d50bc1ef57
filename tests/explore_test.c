/* explore_test.c: the one way tests explore a scenario by name and replay
 * a schedule from its text. */
#include "check.h"

sim_explore_result test_explore(const char *scenario, sim_strategy strategy, uint64_t runs, int bound) {
    sim_explore_config config;
    const sim_scenario *found = sim_scenario_find(scenario);
    sim_explore_result result;
    if (found == NULL) {
        test_fail(__FILE__, __LINE__, "no scenario named %s", scenario);
        memset(&result, 0, sizeof result);
        return result;
    }
    sim_explore_defaults(&config, found);
    config.strategy = strategy;
    config.runs = runs;
    config.preemption_bound = bound;
    sim_explore(&config, &result);
    return result;
}

void test_config_param(sim_explore_config *config, const char *name, int64_t value) {
    if (!sim_config_set_param(&config->machine, name, value))
        test_fail(__FILE__, __LINE__, "cannot give parameter %s", name);
}

sim_explore_result test_replay_text(const char *scenario, const char *text, size_t size, FILE *warn) {
    static sim_schedule schedule;
    char error[200];
    sim_schedule_free(&schedule);
    if (!sim_schedule_parse(text, size, &schedule, error, sizeof error))
        test_fail(__FILE__, __LINE__, "schedule does not parse: %s", error);
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.strategy = SIM_STRATEGY_REPLAY;
    config.runs = 1;
    config.replay = &schedule;
    config.replay_file = "test.sched";
    config.replay_warn = warn;
    if (!sim_explore_adopt_header(&config, &schedule))
        test_fail(__FILE__, __LINE__, "the schedule's allows do not fit");
    sim_explore_result result;
    sim_explore(&config, &result);
    return result;
}
