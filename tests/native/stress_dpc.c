/* stress_dpc.c: the DPC routines of locks/dpc.c on the native backend's
 * queues (native_dpc.c), on two CPUs as real threads: one case per way a
 * DPC is queued, each inserting from CPU 0 while CPU 1 idles, then judged
 * by where, at what IRQL and how often the routine ran, and how many runs
 * there were when the insert returned on its own CPU (a DPC inserted at
 * PASSIVE_LEVEL there runs before KeInsertQueueDpc returns; one inserted
 * for another CPU races with the insert's return, which is not judged). */
#include <stdatomic.h>
#include <stdio.h>
#include <wdm.h>

#include "stress.h"

typedef struct dpc_case_state {
    KDPC dpc;
    atomic_int runs;
    atomic_int cpu, irql;  /* where and at what IRQL it last ran */
    int runs_after_insert; /* -1: not looked at */
    BOOLEAN results_ok;    /* what each case's calls returned was as documented */
} dpc_case_state;

static VOID record_run(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    dpc_case_state *state = DeferredContext;
    atomic_store(&state->cpu, (int)KeGetCurrentProcessorNumber());
    atomic_store(&state->irql, KeGetCurrentIrql());
    atomic_fetch_add(&state->runs, 1);
}

static void insert_at_passive(dpc_case_state *state) {
    state->results_ok = KeInsertQueueDpc(&state->dpc, NULL, NULL);
    state->runs_after_insert = atomic_load(&state->runs);
}

/* Queued once however often inserted, and run when the IRQL drops. */
static void insert_twice_at_dispatch(dpc_case_state *state) {
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    state->results_ok = KeInsertQueueDpc(&state->dpc, NULL, NULL) && !KeInsertQueueDpc(&state->dpc, NULL, NULL);
    state->runs_after_insert = atomic_load(&state->runs);
    KeLowerIrql(old);
}

static void insert_then_remove(dpc_case_state *state) {
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    state->results_ok = KeInsertQueueDpc(&state->dpc, NULL, NULL) && KeRemoveQueueDpc(&state->dpc);
    state->runs_after_insert = atomic_load(&state->runs);
    KeLowerIrql(old);
    state->results_ok = state->results_ok && !KeRemoveQueueDpc(&state->dpc);
}

static void insert_aimed_at_cpu1(dpc_case_state *state) {
    KeSetTargetProcessorDpc(&state->dpc, 1);
    state->results_ok = KeInsertQueueDpc(&state->dpc, NULL, NULL);
}

typedef struct dpc_case {
    const char *name;
    bool threaded;
    void (*insert)(dpc_case_state *state);
    int runs, runs_after_insert, cpu, irql;
} dpc_case;

static const dpc_case cases[] = {
    {"DPC inserted at PASSIVE_LEVEL runs at once", false, insert_at_passive, 1, 1, 0, DISPATCH_LEVEL},
    {"DPC inserted twice at DISPATCH_LEVEL runs once, after the lowering", false, insert_twice_at_dispatch, 1, 0, 0,
     DISPATCH_LEVEL},
    {"DPC taken back with KeRemoveQueueDpc never runs", false, insert_then_remove, 0, 0, -1, -1},
    {"DPC aimed at another CPU runs there", false, insert_aimed_at_cpu1, 1, -1, 1, DISPATCH_LEVEL},
    {"threaded DPC runs at PASSIVE_LEVEL", true, insert_twice_at_dispatch, 1, 0, 0, PASSIVE_LEVEL},
};

static const dpc_case *current_case;

static void insert_from_cpu0(int cpu, void *arg) {
    if (cpu == 0)
        current_case->insert(arg);
}

int stress_dpcs(void) {
    native_interrupts_reset();
    native_dpcs_reset();
    native_cpu_count_set(2);
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const dpc_case *c = current_case = &cases[i];
        dpc_case_state state = {.cpu = -1, .irql = -1, .runs_after_insert = -1};
        if (c->threaded)
            KeInitializeThreadedDpc(&state.dpc, record_run, &state);
        else
            KeInitializeDpc(&state.dpc, record_run, &state);
        const bool ran = stress_on_cpus(2, insert_from_cpu0, &state) >= 0;
        const int runs = atomic_load(&state.runs), cpu = atomic_load(&state.cpu), irql = atomic_load(&state.irql);
        char detail[160];
        snprintf(detail, sizeof detail, "%d runs (%d when the insert returned) on cpu %d at IRQL %d, results %s", runs,
                 state.runs_after_insert, cpu, irql, state.results_ok ? "as documented" : "wrong");
        failures += stress_case(c->name,
                                ran && state.results_ok && runs == c->runs &&
                                    state.runs_after_insert == c->runs_after_insert && cpu == c->cpu && irql == c->irql,
                                detail);
    }
    return failures;
}
