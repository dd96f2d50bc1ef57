/* bench_scenarios.c: the workloads of bench.c: two CPUs stepping through the
 * atomic layer as fast as the machine allows, long runs for the cost of one
 * step and short ones for DFS. */
#include "internal.h"

typedef struct stepper {
    volatile LONG counter;
    int steps;
} stepper;

static void take_steps(PVOID context) {
    stepper *state = context;
    for (int i = 0; i < state->steps; i++)
        sim_atomic_fetch_add(&state->counter, 1, 4);
}

static void two_steppers(int steps) {
    stepper *state = sim_alloc(sizeof *state);
    state->steps = steps;
    sim_thread(0, take_steps, state);
    sim_thread(1, take_steps, state);
}

SIM_SCENARIO(bench_steps, "bench: two CPUs, 50,000 atomic steps each") { two_steppers(50000); }

SIM_SCENARIO(bench_dfs, "bench: two CPUs, 12 atomic steps each, for DFS") { two_steppers(12); }
