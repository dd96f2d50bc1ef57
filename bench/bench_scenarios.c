/* bench_scenarios.c: the workloads of the bench sections: CPUs stepping
 * through the atomic layer as fast as the machine allows (long runs for
 * the cost of one step, short ones for DFS, and any CPU count and length
 * for the scale tables), and one CPU looping a lock family's uncontended
 * pair (bench_pairs, against native). */
#include "internal.h"
#include "lock_pairs.h"

typedef struct stepper {
    volatile LONG counter;
    int steps;
} stepper;

static void take_steps(PVOID context) {
    stepper *state = context;
    for (int i = 0; i < state->steps; i++)
        sim_atomic_fetch_add(&state->counter, 1, 4);
}

/* `cpus` CPUs, a thread on each taking `steps` atomic steps. */
static void steppers(int cpus, int steps) {
    sim_cpus(cpus);
    stepper *state = sim_alloc(sizeof *state);
    state->steps = steps;
    for (int cpu = 0; cpu < sim_cpu_count(); cpu++)
        sim_thread(cpu, take_steps, state);
}

SIM_SCENARIO(bench_steps, "bench: two CPUs, 50,000 atomic steps each") { steppers(2, 50000); }

SIM_SCENARIO(bench_dfs, "bench: two CPUs, 12 atomic steps each, for DFS") { steppers(2, 12); }

SIM_SCENARIO(bench_scale, "bench: `cpus` CPUs (2), a thread on each, `steps` atomic steps (1000) in all") {
    const int cpus = (int)sim_param("cpus", 2);
    steppers(cpus, (int)(sim_param("steps", 1000) / (cpus > 0 ? cpus : 1)));
}

typedef struct pair_loop {
    bench_locks locks;
    bench_family family;
    long pairs;
} pair_loop;

static void loop_pairs(PVOID context) {
    pair_loop *loop = context;
    bench_lock_pairs(&loop->locks, loop->family, loop->pairs);
}

SIM_SCENARIO(bench_pairs, "bench: one CPU, `pairs` (1000) uncontended pairs of lock family `family` (0)") {
    pair_loop *loop = sim_alloc(sizeof *loop);
    loop->family = (bench_family)sim_param("family", BENCH_SPIN);
    loop->pairs = sim_param("pairs", 1000);
    if (loop->family >= BENCH_FAMILY_COUNT)
        sim_run_bad_scenario("family must be 0..%d", BENCH_FAMILY_COUNT - 1);
    sim_cpus(1);
    bench_locks_init(&loop->locks);
    sim_thread(0, loop_pairs, loop);
}

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
