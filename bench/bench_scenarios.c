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

/* Partial-order reduction: each CPU bumps its own counter `steps` times,
 * then bumps a total shared by all: under a spin lock (`locked`), or with
 * one interlocked add. Only the total (and the lock) order the CPUs; every
 * other pair of steps commutes. */
typedef struct por_state {
    KSPIN_LOCK lock;
    volatile LONG total;
    volatile LONG own[SIM_CPUS_MAX];
    int steps;
    bool locked;
} por_state;

static void por_worker(PVOID context) {
    por_state *state = context;
    int cpu = sim_cpu_current();
    for (int i = 0; i < state->steps; i++)
        sim_atomic_fetch_add(&state->own[cpu], 1, 4);
    if (!state->locked) {
        sim_atomic_fetch_add(&state->total, 1, 4);
        return;
    }
    KIRQL old;
    KeAcquireSpinLock(&state->lock, &old);
    sim_atomic_fetch_add(&state->total, 1, 4);
    KeReleaseSpinLock(&state->lock, old);
}

static void por_cpus(int cpus, int steps, bool locked) {
    por_state *state = sim_alloc(sizeof *state);
    KeInitializeSpinLock(&state->lock);
    state->steps = steps;
    state->locked = locked;
    sim_cpus(cpus);
    for (int c = 0; c < cpus; c++)
        sim_thread(c, por_worker, state);
}

SIM_SCENARIO(bench_por2_lock, "bench: two CPUs, 3 own steps each, then a shared spin lock") { por_cpus(2, 3, true); }
SIM_SCENARIO(bench_por3, "bench: three CPUs, 3 own steps each, then a shared interlocked add") {
    por_cpus(3, 3, false);
}
SIM_SCENARIO(bench_por4, "bench: four CPUs, 1 own step each, then a shared interlocked add") { por_cpus(4, 1, false); }
