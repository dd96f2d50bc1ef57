/* bench.c: the machine's own section of `./build.sh bench`: the fiber
 * switch against the bare register swap, the cost of one simulated step
 * with the race detector's clocks and without them (race_detection=0),
 * with the random walk deciding every step and with no CPU switch at all
 * (the default schedule), and the steps per second of
 * DFS, as ratios measured in the same run (these machines are noisy). */
#include <math.h>
#include <stdio.h>

#include "bench.h"
#include "fiber.h"
#include "measure.h"
#include "table.h"

void sim_fiber_swap(void **save_sp, void *load_sp);

enum { SWITCHES = 2000000, REPEATS = 5, QUICK_REPEATS = 2, DFS_SEARCHES = 200, QUICK_DFS_SEARCHES = 20 };

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
    const double start = bench_cpu_ns();
    for (int i = 0; i < SWITCHES / 2; i++) {
        if (full)
            sim_fiber_switch(&host, &partner, false);
        else
            sim_fiber_swap(&host.sp, partner.sp);
    }
    return (bench_cpu_ns() - start) / SWITCHES;
}

/* Every step is an atomic operation, whose clocks the race detector joins.
 * Past step 5000 of each run of 100,000 the liveness phase runs the CPUs
 * round robin, a fiber switch every step. */
static double step_ns(bool races) {
    return bench_ns_per_step(bench_explore("bench_steps", SIM_STRATEGY_RANDOM, 20, 0, races, NULL, 0));
}

/* The random source's first run, its default schedule, with no liveness
 * phase: each CPU's thread runs its steps to the end, so no step but one
 * switches CPUs. What a step costs besides the fiber switch. */
static double unswitched_step_ns(bool races) {
    const bench_param never_fair = {"liveness_from_step", -1};
    return bench_ns_per_step(bench_explore("bench_steps", SIM_STRATEGY_RANDOM, 1, 0, races, &never_fair, 1));
}

/* The same with the random walk choosing every step (no liveness phase: a
 * switch of CPU at about every other step). */
static double walk_step_ns(bool races) {
    const bench_param never_fair = {"liveness_from_step", -1};
    return bench_ns_per_step(bench_explore("bench_steps", SIM_STRATEGY_RANDOM, 20, 0, races, &never_fair, 1));
}

static double best_of(int repeats, double (*measure)(bool), bool arg) {
    double best = 1e30;
    for (int r = 0; r < repeats; r++) {
        const double v = measure(arg);
        best = v < best ? v : best;
    }
    return best;
}

void bench_machine(const bench_options *options) {
    if (!sim_fiber_create(&partner, 64 * 1024)) {
        fprintf(stderr, "bench: cannot map a fiber stack\n");
        return;
    }
    sim_fiber_init_host(&host);
    const int repeats = options->quick ? QUICK_REPEATS : REPEATS;
    const double swap = best_of(repeats, switch_ns, false);
    const double full = best_of(repeats, switch_ns, true);
    const double step = best_of(repeats, step_ns, true);
    const double step_unraced = best_of(repeats, step_ns, false);
    const double walk_step = best_of(repeats, walk_step_ns, true);
    const double unswitched_step = best_of(repeats, unswitched_step_ns, true);
    /* One search takes about a millisecond, close to what the CPU clock
     * resolves: the total of many. */
    const int searches = options->quick ? QUICK_DFS_SEARCHES : DFS_SEARCHES;
    bench_cost dfs = {0};
    for (int i = 0; i < searches; i++) {
        const bench_cost search = bench_explore("bench_dfs", SIM_STRATEGY_DFS, 20000, 2, true, NULL, 0);
        dfs.ns += search.ns;
        dfs.steps += search.steps;
    }
    char note[64];
    bench_section("the machine (best of repeats)");
    bench_row("bare register swap, one way", swap, "ns", "-", NAN, "");
    bench_row("sim_fiber_switch, one way", full, "ns", "<= 1.3x", full / swap, "of the bare swap");
    bench_row("one simulated step (random, 2 CPUs)", step, "ns", "<= 20 ns", step / 20.0, "of the goal");
    bench_row("the same, race_detection=0", step_unraced, "ns", "<= 2x", step / step_unraced, "race detection costs");
    bench_row("the same, random walk throughout", walk_step, "ns", "-", walk_step / step,
              "of the step with the liveness phase");
    bench_row("the same, default schedule: no CPU switch", unswitched_step, "ns", "<= 20 ns", unswitched_step / 20.0,
              "of the goal; the step without the fiber switch");
    snprintf(note, sizeof note, "%llu steps explored in %d searches", (unsigned long long)dfs.steps, searches);
    bench_row("DFS steps per second (2 CPUs, bound 2)", 1e3 / bench_ns_per_step(dfs), "M/s", "-", NAN, note);
}
