/* lock_mutex.c: mutual exclusion of every lock kind, for exhaustive search.
 * One thread per CPU (param `cpus`, default 2) enters a critical section
 * once: it counts itself in (`inside` must be 1), reads a plain counter,
 * takes a scheduling point (YieldProcessor), writes the counter back plus
 * one, and counts itself out. A lost update or a second context inside is
 * an `invariant` finding; the end-of-run check wants every increment.
 *
 * lk_mutex_none takes no lock at all: search must catch the lost update
 * (the canary).
 * lk_ex_readers_overlap asserts that readers never overlap, which a working
 * reader/writer lock must violate in some schedule. */
#include "lock_scenarios.h"

#include "sim_machine.h"

typedef struct cs_state {
    KSPIN_LOCK lock;
    EX_SPIN_LOCK ex;
    PKINTERRUPT interrupt;
    LONG counter;        /* plain memory: only the lock protects it */
    int inside;          /* contexts in the exclusive section */
    LONG readers_inside; /* contexts in the shared section: readers overlap, so interlocked */
    LONG entries;        /* exclusive sections that ran */
} cs_state;

enum { CS_DIRQL = 5, CS_SYNC_IRQL = 6 };

static void exclusive_section(cs_state *s) {
    s->inside++;
    SIM_CHECK(s->inside == 1);
    SIM_CHECK(s->readers_inside == 0);
    const LONG seen = s->counter;
    YieldProcessor();
    s->counter = seen + 1;
    s->entries++;
    s->inside--;
}

static void shared_section(cs_state *s) {
    InterlockedIncrement(&s->readers_inside);
    SIM_CHECK(s->inside == 0);
    const LONG seen = s->counter;
    YieldProcessor();
    SIM_CHECK(s->counter == seen);
    InterlockedDecrement(&s->readers_inside);
}

static void check_counter(PVOID context) {
    cs_state *s = context;
    SIM_CHECK(s->counter == s->entries);
    SIM_CHECK(s->inside == 0 && s->readers_inside == 0);
}

/* The state, with one `worker` thread per CPU and the end-of-run check. */
static cs_state *cs_setup(void (*worker)(PVOID)) {
    sim_cpus(2);
    cs_state *s = sim_alloc(sizeof *s);
    KeInitializeSpinLock(&s->lock);
    sim_name(&s->lock, "lock");
    sim_name((const void *)&s->ex, "ex");
    for (int cpu = 0; cpu < sim_cpu_count(); cpu++)
        sim_thread(cpu, worker, s);
    sim_at_end(check_counter, s);
    return s;
}

/* The same read, scheduling point and write with no lock, through
 * interlocked operations: updates get lost without a data race, so the
 * end-of-run check speaks, not the sanitizer. One step first, where taking
 * a lock would be: a context's first step belongs to the decision that
 * started it. */
static void no_lock_worker(PVOID context) {
    cs_state *s = context;
    YieldProcessor();
    const LONG seen = InterlockedOr(&s->counter, 0);
    YieldProcessor();
    InterlockedExchange(&s->counter, seen + 1);
    InterlockedIncrement(&s->entries);
}

SIM_SCENARIO(lk_mutex_none, "locks: the canary: a critical section with no lock loses updates") {
    cs_setup(no_lock_worker);
    sim_expect(SIM_FINDING_INVARIANT);
}

static void spin_worker(PVOID context) {
    cs_state *s = context;
    KIRQL old;
    KeAcquireSpinLock(&s->lock, &old);
    exclusive_section(s);
    KeReleaseSpinLock(&s->lock, old);
}

SIM_SCENARIO(lk_mutex_spin, "locks: KSPIN_LOCK excludes") {
    cs_setup(spin_worker);
    sim_expect(SIM_FINDING_NONE);
}

static void queued_worker(PVOID context) {
    cs_state *s = context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&s->lock, &handle);
    exclusive_section(s);
    KeReleaseInStackQueuedSpinLock(&handle);
}

SIM_SCENARIO(lk_mutex_queued, "locks: in-stack queued spin lock excludes") {
    cs_setup(queued_worker);
    sim_expect(SIM_FINDING_NONE);
}

/* Even CPUs write, odd CPUs read. */
static void ex_worker(PVOID context) {
    cs_state *s = context;
    if (KeGetCurrentProcessorNumber() % 2 == 0) {
        KIRQL old = ExAcquireSpinLockExclusive(&s->ex);
        exclusive_section(s);
        ExReleaseSpinLockExclusive(&s->ex, old);
    } else {
        KIRQL old = ExAcquireSpinLockShared(&s->ex);
        shared_section(s);
        ExReleaseSpinLockShared(&s->ex, old);
    }
}

SIM_SCENARIO(lk_mutex_ex, "locks: EX_SPIN_LOCK: a writer excludes writers and readers") {
    cs_setup(ex_worker);
    sim_expect(SIM_FINDING_NONE);
}

static void overlap_reader(PVOID context) {
    cs_state *s = context;
    KIRQL old = ExAcquireSpinLockShared(&s->ex);
    SIM_CHECK(InterlockedIncrement(&s->readers_inside) == 1);
    InterlockedDecrement(&s->readers_inside);
    ExReleaseSpinLockShared(&s->ex, old);
}

SIM_SCENARIO(lk_ex_readers_overlap, "locks: the canary: EX_SPIN_LOCK readers do share the lock") {
    cs_setup(overlap_reader);
    sim_expect(SIM_FINDING_INVARIANT);
}

/* ---- the interrupt lock against its ISR ------------------------------------------------ */

static BOOLEAN cs_isr(PKINTERRUPT interrupt, PVOID context) {
    SIM_CHECK(KeGetCurrentIrql() == CS_SYNC_IRQL);
    exclusive_section(context);
    return TRUE;
}

static void interrupt_worker(PVOID context) {
    cs_state *s = context;
    KIRQL old = KeAcquireInterruptSpinLock(s->interrupt);
    SIM_CHECK(KeGetCurrentIrql() == CS_SYNC_IRQL);
    exclusive_section(s);
    KeReleaseInterruptSpinLock(s->interrupt, old);
}

SIM_SCENARIO(lk_mutex_interrupt, "locks: the interrupt spin lock excludes its ISR on every CPU") {
    cs_state *s = cs_setup(interrupt_worker);
    s->interrupt = sim_interrupt(cs_isr, s, CS_DIRQL, CS_SYNC_IRQL, 1);
    sim_expect(SIM_FINDING_NONE);
}

static BOOLEAN synchronized_section(PVOID context) {
    SIM_CHECK(KeGetCurrentIrql() == CS_SYNC_IRQL);
    exclusive_section(context);
    return TRUE;
}

static void synchronize_worker(PVOID context) {
    cs_state *s = context;
    SIM_CHECK(KeSynchronizeExecution(s->interrupt, synchronized_section, s) == TRUE);
}

SIM_SCENARIO(lk_synchronize_vs_isr, "locks: KeSynchronizeExecution excludes the ISR on every CPU") {
    cs_state *s = cs_setup(synchronize_worker);
    s->interrupt = sim_interrupt(cs_isr, s, CS_DIRQL, CS_SYNC_IRQL, 1);
    sim_expect(SIM_FINDING_NONE);
}
