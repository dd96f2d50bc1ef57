/* bench_scenarios.c: the workloads of bench.c: two CPUs stepping through the
 * atomic layer as fast as the machine allows. */
#include "internal.h"

static void many_steps(PVOID context) {
    volatile LONG *counter = context;
    for (int i = 0; i < 50000; i++)
        sim_atomic_fetch_add(counter, 1, 4);
}

SIM_SCENARIO(bench_steps, "bench: two CPUs, 50,000 atomic steps each") {
    volatile LONG *counter = sim_alloc(sizeof *counter);
    sim_thread(0, many_steps, (PVOID)counter);
    sim_thread(1, many_steps, (PVOID)counter);
}

static void few_steps(PVOID context) {
    volatile LONG *counter = context;
    for (int i = 0; i < 12; i++)
        sim_atomic_fetch_add(counter, 1, 4);
}

SIM_SCENARIO(bench_dfs, "bench: two CPUs, 12 atomic steps each, for DFS") {
    volatile LONG *counter = sim_alloc(sizeof *counter);
    sim_thread(0, few_steps, (PVOID)counter);
    sim_thread(1, few_steps, (PVOID)counter);
}
