/* bench_reduction.c: what partial-order reduction saves DFS, counted in
 * schedules to exhaust the space (runs, including those the sleep sets
 * stop early), with and without it, in the same process. Counts, not
 * times: they are deterministic, so the ratios are exact, and --quick
 * changes nothing here. */
#include <math.h>
#include <stdio.h>

#include "bench.h"
#include "explore.h"
#include "table.h"

typedef struct reduction_case {
    const char *scenario;
    int cpus;
    int bound; /* -1 unbounded */
} reduction_case;

static const reduction_case cases[] = {
    {"bench_por2_lock", 2, -1}, {"bench_por3", 3, -1},  {"bench_por3", 3, 2}, {"bench_por4", 4, -1},
    {"bench_por4", 4, 2},       {"stats_queued", 3, 2}, {"ring_rx", 2, 1},
};

enum { RUNS_MAX = 5000000 };

/* Schedules to exhaust; NaN when RUNS_MAX ran out first. */
static double schedules(const reduction_case *c, bool reduction) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(c->scenario));
    config.strategy = SIM_STRATEGY_DFS;
    config.preemption_bound = c->bound;
    config.reduction = reduction;
    config.runs = RUNS_MAX;
    sim_explore_result result;
    sim_explore(&config, &result);
    sim_schedule_free(&result.schedule);
    return result.exhausted ? (double)result.runs : NAN;
}

void bench_reduction(const bench_options *options) {
    (void)options;
    bench_section("DFS: schedules to exhaust, with partial-order reduction");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const reduction_case *c = &cases[i];
        const double plain = schedules(c, false), reduced = schedules(c, true);
        char name[96], note[64];
        snprintf(name, sizeof name, c->bound < 0 ? "%s (%d CPUs, unbounded)" : "%s (%d CPUs, bound %d)", c->scenario,
                 c->cpus, c->bound);
        snprintf(note, sizeof note, "of the %.0f without it", plain);
        bench_row(name, reduced, "schedules", c->cpus == 3 ? ">= 10x fewer" : "-", plain / reduced, note);
    }
}
