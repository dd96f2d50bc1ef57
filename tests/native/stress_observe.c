/* stress_observe.c: what a native stress test observes (native_observe.c,
 * native_owner.c), one case per observation and per correct use that must
 * go unobserved, on two CPUs as real threads: each case's code runs, then
 * exactly the expected kinds must have been observed, once each. Runs
 * last: observing, once on, stays on. */
#include <stdatomic.h>
#include <stdio.h>
#include <wdm.h>

#include "stress.h"

typedef struct observe_state {
    KSPIN_LOCK lock;
    EX_SPIN_LOCK ex_lock;
    KDPC dpc;
    atomic_int step; /* CPU 1 waits for CPU 0's part */
} observe_state;

static atomic_int observed[SIM_KIND_COUNT];

static void count_observation(sim_kind kind) { atomic_fetch_add(&observed[kind], 1); }

static void wait_for_step(observe_state *s, int step) {
    while (atomic_load(&s->step) < step)
        YieldProcessor();
}

static void invariant_fails(int cpu, void *arg) {
    if (cpu == 0)
        SIM_CHECK(cpu == 1);
}

static void thread_returns_at_dispatch(int cpu, void *arg) {
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (cpu == 0)
        native_check_return(PASSIVE_LEVEL);
    KeLowerIrql(old);
}

static VOID lower_to_passive(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    KeLowerIrql(PASSIVE_LEVEL);
}

static void dpc_returns_at_passive(int cpu, void *arg) {
    observe_state *s = arg;
    if (cpu == 0) {
        KeInitializeDpc(&s->dpc, lower_to_passive, s);
        KeInsertQueueDpc(&s->dpc, NULL, NULL);
    }
}

static void release_unheld(int cpu, void *arg) {
    observe_state *s = arg;
    if (cpu == 0)
        KeReleaseSpinLock(&s->lock, PASSIVE_LEVEL);
}

/* CPU 0 takes the lock, CPU 1 releases it. */
static void release_on_other_cpu(int cpu, void *arg) {
    observe_state *s = arg;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    if (cpu == 0) {
        KeAcquireSpinLockAtDpcLevel(&s->lock);
        atomic_store(&s->step, 1);
    } else {
        wait_for_step(s, 1);
        KeReleaseSpinLockFromDpcLevel(&s->lock);
    }
    KeLowerIrql(old);
}

/* Both CPUs hold the EX_SPIN_LOCK shared at once, and leave in the order
 * they came. */
static void shared_readers(int cpu, void *arg) {
    observe_state *s = arg;
    const KIRQL old = ExAcquireSpinLockShared(&s->ex_lock);
    atomic_fetch_add(&s->step, 1);
    wait_for_step(s, 2);
    if (cpu == 1)
        wait_for_step(s, 3);
    ExReleaseSpinLockShared(&s->ex_lock, old);
    atomic_fetch_add(&s->step, 1);
}

static void locks_in_turn(int cpu, void *arg) {
    observe_state *s = arg;
    for (int i = 0; i < ITERATIONS; i++) {
        KIRQL old;
        KeAcquireSpinLock(&s->lock, &old);
        KeReleaseSpinLock(&s->lock, old);
    }
}

typedef struct observe_case {
    const char *name;
    void (*body)(int cpu, void *arg);
    sim_kind expected; /* SIM_FINDING_NONE: nothing */
} observe_case;

static const observe_case cases[] = {
    {"a failed SIM_CHECK is observed", invariant_fails, SIM_FINDING_INVARIANT},
    {"a thread's code returning at DISPATCH_LEVEL is observed", thread_returns_at_dispatch, SIM_FINDING_IRQL_LEAK},
    {"a DPC returning at PASSIVE_LEVEL is observed", dpc_returns_at_passive, SIM_FINDING_IRQL_LEAK},
    {"a release of a lock not held is observed", release_unheld, SIM_FINDING_RELEASE_NOT_OWNED},
    {"a release on another CPU is observed", release_on_other_cpu, SIM_FINDING_RELEASE_WRONG_OWNER},
    {"two shared holders of an EX_SPIN_LOCK go unobserved", shared_readers, SIM_FINDING_NONE},
    {"a lock taken in turn by two CPUs goes unobserved", locks_in_turn, SIM_FINDING_NONE},
};

int stress_observations(void) {
    native_interrupts_reset();
    native_dpcs_reset();
    native_cpu_count_set(2);
    native_observe_with(count_observation);
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int kind = 0; kind < SIM_KIND_COUNT; kind++)
            atomic_store(&observed[kind], 0);
        native_owner_reset();
        static observe_state s;
        s = (observe_state){0};
        KeInitializeSpinLock(&s.lock);
        const bool ran = stress_on_cpus(2, cases[i].body, &s) >= 0;
        bool ok = ran;
        char detail[128] = "nothing observed";
        for (int kind = 0, at = 0; kind < SIM_KIND_COUNT; kind++) {
            const int count = atomic_load(&observed[kind]);
            ok = ok && count == (kind == (int)cases[i].expected && kind != SIM_FINDING_NONE);
            if (count > 0)
                at += snprintf(detail + at, sizeof detail - (size_t)at, "%s%s x%d", at > 0 ? ", " : "observed ",
                               sim_kind_token(kind), count);
        }
        failures += stress_case(cases[i].name, ok, detail);
    }
    return failures;
}
