/* bench_reduction.c: what partial-order reduction saves DFS, counted in
 * schedules to exhaust the space (runs, including those the sleep sets
 * stop early), with and without it, in the same process, at one bound or
 * unbounded; the whole space reduced is also set against plain DFS at
 * bound 2. Then how much of each search is redundant: the share of its
 * schedules that only repeat a class of equivalent schedules it explored
 * already (sim/dfs_classes.c). Counts, not times: they are deterministic,
 * so the ratios are exact. --quick leaves out only the rows whose plain
 * search takes seconds. */
#include <math.h>
#include <stdio.h>

#include "bench.h"
#include "explore.h"
#include "table.h"

/* Plain DFS at `plain_bound` against the reduced search at
 * `reduced_bound` (-1: unbounded). Rows
 * whose bounds differ set the whole space, reduced, against today's
 * bounded search: the comparison. `full_only`: the plain search
 * takes seconds, too long for --quick. */
typedef struct reduction_case {
    const char *scenario;
    int cpus;
    int plain_bound;
    int reduced_bound;
    bool full_only;
} reduction_case;

static const reduction_case cases[] = {
    {"bench_por2_lock", 2, -1, -1, false},
    {"bench_por3", 3, -1, -1, false},
    {"bench_por3", 3, 2, 2, false},
    {"bench_por3", 3, 2, -1, false},
    {"bench_por4", 4, -1, -1, false},
    {"bench_por4", 4, 2, 2, false},
    {"bench_por4", 4, 2, -1, false},
    {"stats_queued", 2, 2, 2, false},
    {"ring_rx", 2, 1, 1, false},
    {"fordpc_queued_threaded", 2, -1, -1, false},
    {"targeted_dpcs", 2, -1, -1, false},
    {"exlock_try_compact", 2, -1, -1, false},
    {"fordpc_threaded", 2, -1, -1, false},
    {"flush_then_free", 2, -1, -1, false},
    {"nested_documented_order", 2, 2, -1, false},
    {"exlock_writer_waits", 3, 1, 1, false},
    {"rss_receive_queues", 3, 2, 2, false},
    {"rss_receive_queues", 3, 3, 3, true},
    {"rx_4cpu", 4, 1, 1, false},
};

enum { RUNS_MAX = 5000000 };

static void describe_bound(int bound, char *out, size_t size) {
    if (bound < 0)
        snprintf(out, size, "unbounded");
    else
        snprintf(out, size, "bound %d", bound);
}

/* A DFS to exhaust the space, RUNS_MAX schedules at most. */
static sim_explore_result search(const char *scenario, int bound, bool reduction, bool count_classes) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.strategy = SIM_STRATEGY_DFS;
    config.preemption_bound = bound;
    config.reduction = reduction;
    config.count_classes = count_classes;
    config.runs = RUNS_MAX;
    sim_explore_result result;
    sim_explore(&config, &result);
    sim_schedule_free(&result.schedule);
    return result;
}

/* Schedules to exhaust; NaN when RUNS_MAX ran out first. */
static double schedules(const char *scenario, int bound, bool reduction) {
    const sim_explore_result result = search(scenario, bound, reduction, false);
    return result.exhausted ? (double)result.runs : NAN;
}

/* The searches whose redundancy is measured: scenario, CPUs, bound. */
static const reduction_case redundancy_cases[] = {
    {"rss_receive_queues", 3, 2, 2, false},  {"stats_queued", 2, 2, 2, false},
    {"targeted_dpcs", 2, -1, -1, false},     {"fordpc_threaded", 2, -1, -1, false},
    {"exlock_writer_waits", 3, 1, 1, false},
};

/* The share of the search's schedules that repeat a class, as a row. */
static void redundancy_row(const reduction_case *c, bool reduction) {
    const sim_explore_result result = search(c->scenario, c->plain_bound, reduction, true);
    char bound[32], name[128], note[128];
    describe_bound(c->plain_bound, bound, sizeof bound);
    snprintf(name, sizeof name, "%s (%d CPUs, %s), %s reduction", c->scenario, c->cpus, bound,
             reduction ? "with" : "without");
    const double runs = result.exhausted ? (double)result.runs : NAN;
    snprintf(note, sizeof note, "schedules per class: %.0f schedules, %llu classes", runs,
             (unsigned long long)result.classes);
    bench_row(name, 100.0 * (1.0 - (double)result.classes / runs), "% repeat", "-", runs / (double)result.classes,
              note);
}

void bench_reduction(const bench_options *options) {
    bench_section("DFS: schedules to exhaust, with partial-order reduction");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const reduction_case *c = &cases[i];
        if (c->full_only && options->quick)
            continue;
        const double plain = schedules(c->scenario, c->plain_bound, false);
        const double reduced = schedules(c->scenario, c->reduced_bound, true);
        char plain_bound[32], reduced_bound[32], name[128], note[96];
        describe_bound(c->plain_bound, plain_bound, sizeof plain_bound);
        describe_bound(c->reduced_bound, reduced_bound, sizeof reduced_bound);
        if (c->plain_bound == c->reduced_bound)
            snprintf(name, sizeof name, "%s (%d CPUs, %s)", c->scenario, c->cpus, reduced_bound);
        else
            snprintf(name, sizeof name, "%s (%d CPUs, %s against %s)", c->scenario, c->cpus, reduced_bound,
                     plain_bound);
        snprintf(note, sizeof note, "of the %.0f without it, %s", plain, plain_bound);
        bench_row(name, reduced, "schedules", c->cpus == 3 ? ">= 10x fewer" : "-", plain / reduced, note);
    }
    bench_section("DFS: how much of a search repeats itself (classes of equivalent schedules)");
    for (size_t i = 0; i < sizeof redundancy_cases / sizeof redundancy_cases[0]; i++) {
        redundancy_row(&redundancy_cases[i], false);
        redundancy_row(&redundancy_cases[i], true);
    }
}
