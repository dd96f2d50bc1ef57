/* lock_fifo.c: who gets the lock first. One thread per CPU (param `cpus`,
 * default 3) takes the lock once and holds it across a scheduling point.
 * A context arrives with its first write to the lock word: the exchange
 * onto the queue's tail (queued lock) or the first bit-test-and-set (plain
 * lock). The probe reads arrivals off the trace (lk_fifo_sink, which the
 * test installs as the trace sink); the threads record the order in which
 * they own the lock; the end-of-run check wants the two orders equal.
 *
 * In-stack queued locks are FIFO, so lk_fifo_queued holds in every
 * schedule; the plain spin lock is not, and lk_fifo_spin must show a
 * bypass in some schedule. */
#include "lock_scenarios.h"

#include "internal.h"

enum { FIFO_MAX = 8 };

typedef struct fifo_probe {
    int lock_object; /* the lock word's object id */
    sim_trace_op arrival_op;
    int arrivals[FIFO_MAX]; /* context ids, in order of arrival */
    int arrival_count;
} fifo_probe;

/* Reset by each run's setup; the sink only reads the run's own events. */
static fifo_probe probe;

__attribute__((no_sanitize("coverage"))) static bool arrived(int ctx) {
    for (int i = 0; i < probe.arrival_count; i++)
        if (probe.arrivals[i] == ctx)
            return true;
    return false;
}

/* Test instrumentation, not driver code: it runs inside whichever context
 * made the step, so the race detector must not see its accesses. */
__attribute__((no_sanitize("coverage"))) void lk_fifo_sink(void *user, const char *line) {
    (void)user, (void)line;
    const sim_run *run = sim_R;
    const sim_trace_event *event = &run->tail[(run->tail_count - 1) % SIM_TAIL_MAX];
    if (event->op != probe.arrival_op || event->object != probe.lock_object || arrived(event->ctx))
        return;
    if (probe.arrival_count < FIFO_MAX)
        probe.arrivals[probe.arrival_count++] = event->ctx;
}

typedef struct fifo_state {
    KSPIN_LOCK lock;
    int owners[FIFO_MAX]; /* context ids, in order of acquisition */
    int owner_count;
    int threads;
} fifo_state;

static void record_owner(fifo_state *s) {
    SIM_CHECK(s->owner_count < FIFO_MAX);
    s->owners[s->owner_count++] = sim_ctx_current_id();
    YieldProcessor();
}

static void queued_worker(PVOID context) {
    fifo_state *s = context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&s->lock, &handle);
    record_owner(s);
    KeReleaseInStackQueuedSpinLock(&handle);
}

static void spin_worker(PVOID context) {
    fifo_state *s = context;
    KIRQL old;
    KeAcquireSpinLock(&s->lock, &old);
    record_owner(s);
    KeReleaseSpinLock(&s->lock, old);
}

static void check_order(PVOID context) {
    fifo_state *s = context;
    /* Every thread arrived and owned; without the sink nothing arrives. */
    SIM_CHECK(probe.arrival_count == s->threads);
    SIM_CHECK(s->owner_count == s->threads);
    for (int i = 0; i < s->owner_count && i < probe.arrival_count; i++)
        SIM_CHECK(s->owners[i] == probe.arrivals[i]);
}

static void fifo_setup(void (*worker)(PVOID), sim_trace_op arrival_op) {
    sim_cpus(3);
    fifo_state *s = sim_alloc(sizeof *s);
    KeInitializeSpinLock(&s->lock);
    sim_name(&s->lock, "lock");
    probe = (fifo_probe){.lock_object = sim_lock_id(&s->lock), .arrival_op = arrival_op};
    s->threads = sim_cpu_count();
    SIM_CHECK(s->threads <= FIFO_MAX);
    for (int cpu = 0; cpu < s->threads && cpu < FIFO_MAX; cpu++)
        sim_thread(cpu, worker, s);
    sim_at_end(check_order, s);
}

SIM_SCENARIO(lk_fifo_queued, "locks: in-stack queued spin lock owners follow arrival order") {
    fifo_setup(queued_worker, SIM_OP_XCHG);
    sim_expect(SIM_FINDING_NONE);
}

SIM_SCENARIO(lk_fifo_spin, "locks: the plain spin lock lets a later arrival overtake a waiter") {
    fifo_setup(spin_worker, SIM_OP_OR);
    sim_expect(SIM_FINDING_INVARIANT);
}
