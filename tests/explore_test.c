/* explore_test.c: the one way tests explore a scenario by name. */
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
