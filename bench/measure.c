/* measure.c: the bench's timed exploration (measure.h). */
#include "measure.h"

bench_cost bench_explore(const char *scenario, sim_strategy strategy, uint64_t runs, int bound, bool races,
                         const bench_param *params, int count) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.strategy = strategy;
    config.runs = runs;
    config.preemption_bound = bound;
    config.keep_going = true;
    /* No step bounds: a benchmark run may be as long as it likes. */
    sim_config_set_param(&config.machine, "steps_max", 0);
    sim_config_set_param(&config.machine, "progress_steps_max", 0);
    sim_config_set_param(&config.machine, "dpc_watchdog_steps", 0);
    if (!races)
        sim_config_set_param(&config.machine, "race_detection", 0);
    for (int i = 0; i < count; i++)
        sim_config_set_param(&config.machine, params[i].name, params[i].value);
    const double start = bench_cpu_ns();
    sim_explore_result result;
    sim_explore(&config, &result);
    const double elapsed = bench_cpu_ns() - start;
    sim_schedule_free(&result.schedule);
    return (bench_cost){.ns = elapsed, .steps = result.max_steps * result.runs, .found = sim_explore_error(&result)};
}
