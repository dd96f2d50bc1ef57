/* lock_objects.c: the objects around the locks under concurrency, for
 * exhaustive search: DPCs (re-queued from their own routine, taken back
 * while racing their delivery, flushed), timers cancelled while racing
 * their expiry, events waking blocked threads, an interlocked list shared
 * by a thread and an ISR, IoConnectInterrupt's parameter checks, and a
 * queued acquire that finds a plain lock's owner tag in the word. Each
 * states its outcome with SIM_CHECK; no finding means it held in the
 * schedule. */
#include "lock_scenarios.h"

enum { OBJ_DIRQL = 5, OBJ_SYNC_IRQL = 7, TARGET_CPU = 1 };

typedef struct obj_state {
    KDPC dpc, threaded_dpc;
    int dpc_runs, threaded_runs;
    KTIMER timer;
    BOOLEAN cancelled;
    KEVENT event;
    LONG woken; /* waiters wake together: interlocked */
    LIST_ENTRY list, entries[2];
    KSPIN_LOCK list_lock;
    int removed;
    KSPIN_LOCK driver_lock;
    PKINTERRUPT interrupt;
    int isr_runs;
} obj_state;

static obj_state *obj_setup(int cpus) {
    sim_cpus(cpus);
    obj_state *s = sim_alloc(sizeof *s);
    return s;
}

/* ---- a DPC re-queued from its own routine, and a threaded DPC ------------------------- */

static VOID requeue_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    obj_state *s = context;
    SIM_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL);
    SIM_CHECK(KeGetCurrentProcessorNumber() == TARGET_CPU);
    /* Dequeued before it runs: it may queue itself again, once. */
    SIM_CHECK(dpc->Inserted == 0);
    if (++s->dpc_runs == 1)
        SIM_CHECK(KeInsertQueueDpc(dpc, NULL, NULL) == TRUE);
}

static VOID passive_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    obj_state *s = context;
    SIM_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL);
    s->threaded_runs++;
}

static void check_dpc_runs(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(s->dpc_runs == 2 && s->threaded_runs == 1);
}

static void insert_both(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(KeInsertQueueDpc(&s->dpc, NULL, NULL) == TRUE);
    SIM_CHECK(KeInsertQueueDpc(&s->threaded_dpc, NULL, NULL) == TRUE);
}

SIM_SCENARIO(lk_dpc_requeue, "locks: a DPC runs on its target at DISPATCH_LEVEL and may re-queue itself") {
    obj_state *s = obj_setup(2);
    KeInitializeDpc(&s->dpc, requeue_dpc, s);
    KeSetTargetProcessorDpc(&s->dpc, TARGET_CPU);
    KeInitializeThreadedDpc(&s->threaded_dpc, passive_dpc, s);
    KeSetImportanceDpc(&s->threaded_dpc, HighImportance);
    sim_thread(0, insert_both, s);
    sim_at_end(check_dpc_runs, s);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- taking a DPC back, and cancelling a timer, while it races its delivery ---------- */

static VOID count_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) { ((obj_state *)context)->dpc_runs++; }

/* Taken back before it ran means it never runs; too late means it ran once. */
static void check_taken_back(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(s->dpc_runs == (s->cancelled ? 0 : 1));
    SIM_CHECK(s->dpc.Inserted == 0 && s->timer.Inserted == 0);
}

static void remove_worker(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(KeInsertQueueDpc(&s->dpc, NULL, NULL) == TRUE);
    s->cancelled = KeRemoveQueueDpc(&s->dpc);
}

SIM_SCENARIO(lk_dpc_remove_race, "locks: KeRemoveQueueDpc TRUE means the DPC never runs") {
    obj_state *s = obj_setup(2);
    KeInitializeDpc(&s->dpc, count_dpc, s);
    KeSetTargetProcessorDpc(&s->dpc, TARGET_CPU);
    sim_thread(0, remove_worker, s);
    sim_at_end(check_taken_back, s);
    sim_expect(SIM_FINDING_NONE);
}

static void timer_worker(PVOID context) {
    obj_state *s = context;
    LARGE_INTEGER due = {.QuadPart = -1};
    SIM_CHECK(KeSetTimer(&s->timer, due, &s->dpc) == FALSE);
    s->cancelled = KeCancelTimer(&s->timer);
    SIM_CHECK(s->timer.Inserted == 0);
}

SIM_SCENARIO(lk_timer_cancel_race, "locks: KeCancelTimer TRUE means the timer DPC never runs") {
    obj_state *s = obj_setup(2);
    KeInitializeDpc(&s->dpc, count_dpc, s);
    KeSetTargetProcessorDpc(&s->dpc, TARGET_CPU);
    KeInitializeTimer(&s->timer);
    sim_thread(0, timer_worker, s);
    sim_at_end(check_taken_back, s);
    sim_expect(SIM_FINDING_NONE);
}

static void flush_worker(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(KeInsertQueueDpc(&s->dpc, NULL, NULL) == TRUE);
    KeFlushQueuedDpcs();
    SIM_CHECK(s->dpc.Inserted == 0);
}

static void check_ran_once(PVOID context) { SIM_CHECK(((obj_state *)context)->dpc_runs == 1); }

SIM_SCENARIO(lk_dpc_flush, "locks: KeFlushQueuedDpcs returns once the queued DPC was dequeued to run") {
    obj_state *s = obj_setup(2);
    KeInitializeDpc(&s->dpc, count_dpc, s);
    KeSetTargetProcessorDpc(&s->dpc, TARGET_CPU);
    sim_thread(0, flush_worker, s);
    sim_at_end(check_ran_once, s);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- events ---------------------------------------------------------------------------- */

static void event_waiter(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(KeWaitForSingleObject(&s->event, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0);
    InterlockedIncrement(&s->woken);
}

static void event_setter(PVOID context) {
    obj_state *s = context;
    KeSetEvent(&s->event, 0, FALSE);
}

static void check_all_woken(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(s->woken == 2);
    SIM_CHECK(s->event.Header.SignalState == 1);
}

SIM_SCENARIO(lk_event_notification, "locks: one KeSetEvent wakes every waiter of a notification event") {
    obj_state *s = obj_setup(3);
    KeInitializeEvent(&s->event, NotificationEvent, FALSE);
    sim_thread(0, event_waiter, s);
    sim_thread(1, event_waiter, s);
    sim_thread(2, event_setter, s);
    sim_at_end(check_all_woken, s);
    sim_expect(SIM_FINDING_NONE);
}

static void consuming_waiter(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(KeWaitForSingleObject(&s->event, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0);
    InterlockedIncrement(&s->woken);
}

/* The waiter consumed the one signal: the event is reset. */
static void check_consumed(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(s->woken == 1);
    SIM_CHECK(s->event.Header.SignalState == 0);
}

SIM_SCENARIO(lk_event_synchronization, "locks: a synchronization event resets as its waiter wakes") {
    obj_state *s = obj_setup(2);
    KeInitializeEvent(&s->event, SynchronizationEvent, FALSE);
    sim_thread(0, consuming_waiter, s);
    sim_thread(1, event_setter, s);
    sim_at_end(check_consumed, s);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- an interlocked list shared by a thread and an ISR --------------------------------- */

static BOOLEAN list_isr(PKINTERRUPT interrupt, PVOID context) {
    obj_state *s = context;
    if (ExInterlockedRemoveHeadList(&s->list, &s->list_lock) != NULL)
        s->removed++;
    return TRUE;
}

static void list_producer(PVOID context) {
    obj_state *s = context;
    for (int i = 0; i < 2; i++)
        ExInterlockedInsertTailList(&s->list, &s->entries[i], &s->list_lock);
}

static void check_entries(PVOID context) {
    obj_state *s = context;
    int left = 0;
    for (PLIST_ENTRY e = s->list.Flink; e != &s->list; e = e->Flink)
        left++;
    SIM_CHECK(s->removed + left == 2);
    SIM_CHECK(s->list_lock == 0);
}

SIM_SCENARIO(lk_interlocked_list_isr, "locks: ExInterlocked*List shared by a thread and an ISR, any CPU") {
    obj_state *s = obj_setup(2);
    InitializeListHead(&s->list);
    KeInitializeSpinLock(&s->list_lock);
    sim_name(&s->list_lock, "list_lock");
    sim_interrupt(list_isr, s, OBJ_DIRQL, OBJ_DIRQL, 1);
    sim_thread(0, list_producer, s);
    sim_at_end(check_entries, s);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- IoConnectInterrupt ------------------------------------------------------------------ */

static BOOLEAN connected_isr(PKINTERRUPT interrupt, PVOID context) {
    obj_state *s = context;
    SIM_CHECK(interrupt == s->interrupt);
    SIM_CHECK(KeGetCurrentIrql() == OBJ_SYNC_IRQL);
    /* The ISR holds the driver's lock, its ActualLock. */
    SIM_CHECK(KeTestSpinLock(&s->driver_lock) == FALSE);
    s->isr_runs++;
    return TRUE;
}

static void check_isr_runs(PVOID context) {
    obj_state *s = context;
    SIM_CHECK(s->isr_runs == sim_param("irq_fires", 2));
    SIM_CHECK(KeTestSpinLock(&s->driver_lock) == TRUE);
}

static NTSTATUS connect(obj_state *s, PKINTERRUPT *object, KIRQL irql, KIRQL synchronize_irql) {
    return IoConnectInterrupt(object, connected_isr, s, &s->driver_lock, 0, irql, synchronize_irql, Latched, FALSE, 3,
                              FALSE);
}

SIM_SCENARIO(lk_io_connect_interrupt, "locks: IoConnectInterrupt checks its levels; the ISR holds the driver's lock") {
    obj_state *s = obj_setup(2);
    KeInitializeSpinLock(&s->driver_lock);
    PKINTERRUPT rejected = NULL;
    SIM_CHECK(connect(s, &rejected, DISPATCH_LEVEL, DISPATCH_LEVEL) == STATUS_INVALID_PARAMETER);
    SIM_CHECK(connect(s, &rejected, OBJ_DIRQL, OBJ_DIRQL - 1) == STATUS_INVALID_PARAMETER);
    SIM_CHECK(connect(s, &rejected, CLOCK_LEVEL, CLOCK_LEVEL) == STATUS_INVALID_PARAMETER);
    SIM_CHECK(rejected == NULL);
    SIM_CHECK(connect(s, &s->interrupt, OBJ_DIRQL, OBJ_SYNC_IRQL) == STATUS_SUCCESS);
    SIM_CHECK(s->interrupt != NULL);
    sim_at_end(check_isr_runs, s);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- plain and queued on one lock ---------------------------------------------------- */

static void mixed_worker(PVOID context) {
    obj_state *s = context;
    KIRQL old;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireSpinLock(&s->driver_lock, &old);
    KeAcquireInStackQueuedSpinLock(&s->driver_lock, &handle);
    SIM_CHECK(!"the queued acquire of a plain-held lock returned");
}

/* The recursion is allowed so that the queued acquire goes on and finds a
 * plain owner tag in the word; it must stop the run, not write through it. */
SIM_SCENARIO(lk_mixed_plain_queued, "locks: a queued acquire never writes through a plain lock's owner tag") {
    obj_state *s = obj_setup(1);
    KeInitializeSpinLock(&s->driver_lock);
    sim_allow(SIM_FINDING_RECURSIVE_ACQUIRE);
    sim_thread(0, mixed_worker, s);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}

/* ---- sim_interrupt's own checks ---------------------------------------------------------- */

static BOOLEAN unused_isr(PKINTERRUPT interrupt, PVOID context) { return FALSE; }

SIM_SCENARIO(lk_bad_synchronize_irql, "locks: sim_interrupt refuses a SynchronizeIrql below the DIRQL") {
    SIM_CHECK(sim_interrupt(unused_isr, NULL, OBJ_DIRQL, OBJ_DIRQL - 1, 1) == NULL);
}

SIM_SCENARIO(lk_bad_dirql, "locks: sim_interrupt refuses a DIRQL outside the device levels") {
    SIM_CHECK(sim_interrupt(unused_isr, NULL, DISPATCH_LEVEL, DISPATCH_LEVEL, 1) == NULL);
}
