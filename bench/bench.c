/* bench.c: `./build.sh bench`. The machine's speed, as a table whose ratios
 * are measured in the same run (these machines are noisy): the fiber switch
 * against the bare register swap, the cost of one simulated step with the
 * race detector's clocks and without them (race_detection=0), and with the
 * random walk deciding every step, and the steps per second of DFS. Host
 * time is used here only, never in a run. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explore.h"
#include "fiber.h"

void sim_fiber_swap(void **save_sp, void *load_sp);

enum { SWITCHES = 2000000, REPEATS = 5, DFS_SEARCHES = 200 };

/* The process's own CPU time: time spent descheduled while other work
 * shares these cores does not count. */
static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static sim_fiber host, partner;
static volatile long bounces;

/* The partner bounces straight back, forever: each round trip is two switches. */
static void bounce_switch(void *arg) {
    (void)arg;
    sim_fiber_entered(&partner);
    for (;;) {
        bounces++;
        sim_fiber_switch(&partner, &host, false);
    }
}

static void bounce_swap(void *arg) {
    (void)arg;
    for (;;) {
        bounces++;
        sim_fiber_swap(&partner.sp, host.sp);
    }
}

/* Nanoseconds per one-way switch; `full` uses sim_fiber_switch, else the bare swap. */
static double switch_ns(bool full) {
    sim_fiber_prepare(&partner, full ? bounce_switch : bounce_swap, NULL);
    double start = now_ns();
    for (int i = 0; i < SWITCHES / 2; i++) {
        if (full)
            sim_fiber_switch(&host, &partner, false);
        else
            sim_fiber_swap(&host.sp, partner.sp);
    }
    return (now_ns() - start) / SWITCHES;
}

static double best_of(double (*measure)(bool), bool arg) {
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        double v = measure(arg);
        best = v < best ? v : best;
    }
    return best;
}

typedef struct run_cost {
    double ns_per_step;
    uint64_t steps;
} run_cost;

/* Runs `scenario` under `strategy` for `runs` executions, with or without
 * race detection, with the liveness phase from its default step on or
 * never (`walk_only`: the strategy decides every step); host ns per step. */
static run_cost explore_cost(const char *scenario, sim_strategy strategy, uint64_t runs, int bound, bool races,
                             bool walk_only) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.strategy = strategy;
    config.runs = runs;
    config.preemption_bound = bound;
    config.keep_going = true;
    /* No step bounds: a benchmark run may be as long as it likes. */
    sim_config_set_param(&config.machine, "steps_max", 0);
    sim_config_set_param(&config.machine, "progress_steps_max", 0);
    if (!races)
        sim_config_set_param(&config.machine, "race_detection", 0);
    if (walk_only)
        sim_config_set_param(&config.machine, "liveness_from_step", -1);
    double start = now_ns();
    sim_explore_result result;
    sim_explore(&config, &result);
    double elapsed = now_ns() - start;
    uint64_t steps = result.max_steps * result.runs;
    sim_schedule_free(&result.schedule);
    return (run_cost){elapsed / (double)steps, steps};
}

/* Every step is an atomic operation, whose clocks the race detector joins.
 * Past step 5000 of each run of 100,000 the liveness phase runs the CPUs
 * round robin, a fiber switch every step. */
static double step_ns(bool races) {
    return explore_cost("bench_steps", SIM_STRATEGY_RANDOM, 20, 0, races, false).ns_per_step;
}

/* The same with the random walk choosing every step (a switch of CPU at
 * about every other step). */
static double walk_step_ns(bool races) {
    return explore_cost("bench_steps", SIM_STRATEGY_RANDOM, 20, 0, races, true).ns_per_step;
}

int main(void) {
    if (!sim_fiber_create(&partner, 64 * 1024)) {
        fprintf(stderr, "bench: cannot map a fiber stack\n");
        return 2;
    }
    sim_fiber_init_host(&host);
    double swap = best_of(switch_ns, false);
    double full = best_of(switch_ns, true);
    double step = best_of(step_ns, true);
    double step_unraced = best_of(step_ns, false);
    double walk_step = best_of(walk_step_ns, true);
    /* One search takes about a millisecond, below what the CPU clock
     * resolves here: the mean of many. */
    run_cost dfs = {0, 0};
    for (int i = 0; i < DFS_SEARCHES; i++) {
        run_cost search = explore_cost("bench_dfs", SIM_STRATEGY_DFS, 20000, 2, true, false);
        dfs.ns_per_step += search.ns_per_step / DFS_SEARCHES;
        dfs.steps = search.steps;
    }
    printf("%-44s %12s %12s %s\n", "measure", "value", "goal", "ratio to goal");
    printf("%-44s %9.2f ns %12s\n", "bare register swap, one way", swap, "-");
    printf("%-44s %9.2f ns %12s %.2fx of swap (goal <= 1.30x)\n", "sim_fiber_switch, one way", full, "<= 1.3x",
           full / swap);
    printf("%-44s %9.2f ns %9s ns %.2f (goal <= 1.00)\n", "one simulated step (random, 2 CPUs)", step, "20",
           step / 20.0);
    printf("%-44s %9.2f ns %12s race detection costs %.2fx (goal <= 2x)\n", "the same, race_detection=0", step_unraced,
           "-", step / step_unraced);
    printf("%-44s %9.2f ns %12s %.2fx the step with the liveness phase\n", "the same, random walk throughout",
           walk_step, "-", walk_step / step);
    printf("%-44s %9.2f M/s %12s %llu steps explored\n", "DFS steps per second (2 CPUs, bound 2)",
           1e3 / dfs.ns_per_step, "-", (unsigned long long)dfs.steps);
    return 0;
}
