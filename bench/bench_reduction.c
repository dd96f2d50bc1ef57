/* bench_reduction.c: what partial-order reduction saves DFS, counted in
 * schedules to exhaust the space (runs, including those the sleep sets
 * stop early), with and without it, in the same process. Counts, not
 * times: they are deterministic, so the ratios are exact. */
#include <stdio.h>

#include "bench.h"
#include "explore.h"

typedef struct row {
    const char *scenario;
    int cpus;
    int bound; /* -1 unbounded */
} row;

static const row rows[] = {
    {"bench_por2_lock", 2, -1}, {"bench_por3", 3, -1},  {"bench_por3", 3, 2}, {"bench_por4", 4, -1},
    {"bench_por4", 4, 2},       {"stats_queued", 3, 2}, {"ring_rx", 2, 1},
};

enum { RUNS_MAX = 5000000 };

/* Schedules to exhaust; *exhausted false when RUNS_MAX ran out first. */
static uint64_t schedules(const row *r, bool reduction, bool *exhausted) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(r->scenario));
    config.strategy = SIM_STRATEGY_DFS;
    config.preemption_bound = r->bound;
    config.reduction = reduction;
    config.runs = RUNS_MAX;
    sim_explore_result result;
    sim_explore(&config, &result);
    sim_schedule_free(&result.schedule);
    *exhausted = result.exhausted;
    return result.runs;
}

void bench_reduction_table(void) {
    printf("\n%-16s %5s %6s %14s %14s %s\n", "DFS to exhaust", "cpus", "bound", "no reduction", "reduction",
           "ratio (goal >= 10x on 3 CPUs)");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        bool plain_done, reduced_done;
        uint64_t plain = schedules(r, false, &plain_done);
        uint64_t reduced = schedules(r, true, &reduced_done);
        char bound[16];
        snprintf(bound, sizeof bound, r->bound < 0 ? "none" : "%d", r->bound);
        printf("%-16s %5d %6s %13llu%s %13llu%s %.1fx\n", r->scenario, r->cpus, bound, (unsigned long long)plain,
               plain_done ? " " : "+", (unsigned long long)reduced, reduced_done ? " " : "+",
               (double)plain / (double)reduced);
    }
    printf("(+: not exhausted within %d schedules)\n", RUNS_MAX);
}
