/* measure.h: how the bench sections time the machine: one exploration of
 * a scenario timed from start to end in the process's CPU time (clock.h). */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "explore.h"

typedef struct bench_param {
    const char *name;
    int64_t value;
} bench_param;

typedef struct bench_cost {
    double ns;      /* host time of the whole exploration */
    uint64_t steps; /* steps of all its runs (each as long as the longest) */
    bool found;     /* a run ended at an error: its steps were cut short */
} bench_cost;

/* Explores `scenario` under `strategy` for `runs` runs with the scenario
 * parameters `params` (`count` of them), race detection on or off, and no
 * step bound of any kind (no steps_max, progress or DPC watchdog bound). */
bench_cost bench_explore(const char *scenario, sim_strategy strategy, uint64_t runs, int bound, bool races,
                         const bench_param *params, int count);

static inline double bench_ns_per_step(bench_cost cost) { return cost.ns / (double)cost.steps; }

#endif
