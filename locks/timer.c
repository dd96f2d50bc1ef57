/* timer.c owns the kernel timer, KTIMER: KeInitializeTimer(Ex), KeSetTimer,
 * KeSetTimerEx, KeCancelTimer and KeReadStateTimer (docs/design.md, "The
 * wdm.h surface beyond locks"). Waiting on a timer is wait.c's.
 *
 * There is no clock, so the due time is recorded and otherwise ignored:
 * setting a timer with a DPC queues that DPC at once, on the DPC's target
 * CPU or else CPU 0, and the scheduler decides when it fires: from another
 * CPU it is a remote request delivered when the scheduler chooses; set on
 * that CPU itself it runs as soon as the IRQL there drops below
 * DISPATCH_LEVEL, like a timer that was already due. A timer without a DPC
 * expires at once (once, periodic or not).
 *
 * A periodic timer (KeSetTimerEx with Period > 0) expires up to
 * sim_param("timer_expiries", 3) times per set, so a run ends; after the
 * last one it is no longer set. As Windows re-inserts a periodic timer at
 * expiry, before its DPC runs, the next expiry is queued before the
 * routine is called: a KeCancelTimer in the routine takes it back. The
 * expiries left travel in the DPC request (arg2), not in the KTIMER.
 *
 * KTIMER.Inserted is the timer's queued flag: TIMER_SET while its DPC
 * waits on a queue. It is the flag the machine clears when it dequeues the
 * DPC to fire it, so "set" and "DPC queued" are one state and a cancel that
 * finds the timer set always takes the DPC back before it runs. The DPC's
 * own Inserted is won at set time and given back when the last expiry
 * fires or the timer is cancelled, so a KeInsertQueueDpc of the same KDPC
 * meanwhile loses. */
#include "lock_internal.h"
#include "sim.h"

enum {
    TIMER_IDLE = 0,
    TIMER_SET = 1,
    TIMER_NOT_SIGNALED = 0,
    TIMER_SIGNALED = 1,
    TIMER_FLAG_SIZE = (int)sizeof(LONG),
    TIMER_DEFAULT_CPU = 0,
    TIMER_EXPIRIES_DEFAULT = 3,
};

static void timer_fire(const sim_dpc_request *request);

/* The kernel guards a KTIMER's DueTime, Dpc and Period with its own lock:
 * drivers may set and cancel one timer from several threads at once. The
 * machine runs one context at a time between steps, so these plain
 * bookkeeping accesses never interleave; relaxed atomics tell TSan as much
 * (build/sim-tsan would report the contexts' unordered writes as a data
 * race of the driver's). They are no steps. */
#define TIMER_FIELD_STORE(field, value) __atomic_store_n(&(field), (value), __ATOMIC_RELAXED)
#define TIMER_FIELD_LOAD(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

/* Queues the expiry on the DPC's CPU; the DPC's queued flag is already
 * won. `expiries` counts this one and those after it. */
static void timer_queue(PKTIMER timer, PKDPC dpc, uintptr_t expiries) {
    int cpu;
    if (!locks_dpc_target(dpc, TIMER_DEFAULT_CPU, &cpu)) {
        /* Give the DPC's flag back: nothing was queued. */
        sim_atomic_store(&dpc->Inserted, LOCKS_DPC_IDLE, TIMER_FLAG_SIZE);
        return;
    }
    /* Set, and queued in the same instant: until the dequeue or a cancel. */
    sim_atomic_store(&timer->Inserted, TIMER_SET, TIMER_FLAG_SIZE);
    locks_dpc_enqueue(dpc, cpu, &timer->Inserted, timer_fire, timer, (PVOID)expiries);
}

/* The body of a timer DPC's context. The machine has cleared the timer's
 * Inserted; the request carries the KTIMER in arg1 and the expiries left
 * in arg2 (the routine gets no system arguments: there is no expiry time
 * to pass). */
static void timer_fire(const sim_dpc_request *request) {
    PKTIMER timer = request->arg1;
    PKDPC dpc = (PKDPC)request->object;
    const uintptr_t expiries = (uintptr_t)request->arg2;
    /* Expired: signaled. */
    sim_atomic_store(&timer->Header.SignalState, TIMER_SIGNALED, TIMER_FLAG_SIZE);
    locks_dispatcher_signaled(&timer->Header);
    if (expiries > 1)
        /* The next period is due: the DPC stays won. */
        timer_queue(timer, dpc, expiries - 1);
    else
        /* The DPC may be queued again from here on. */
        sim_atomic_store(&dpc->Inserted, LOCKS_DPC_IDLE, TIMER_FLAG_SIZE);
    PKDEFERRED_ROUTINE routine = (PKDEFERRED_ROUTINE)request->routine;
    routine(dpc, request->context, NULL, NULL);
}

/* Takes a set timer's DPC back off its queue; TRUE if the timer was set. */
static BOOLEAN timer_cancel(PKTIMER timer) {
    /* Unset it; the old value says whether there is a DPC to take back. */
    if (sim_atomic_exchange(&timer->Inserted, TIMER_IDLE, TIMER_FLAG_SIZE) == TIMER_IDLE)
        return FALSE;
    /* Its DPC is still queued (the machine clears Inserted in the same
     * instant it dequeues), unless the driver took it back itself with
     * KeRemoveQueueDpc, which also gave the DPC's flag back. */
    PKDPC dpc = TIMER_FIELD_LOAD(timer->Dpc);
    if (sim_dpc_dequeue(dpc))
        /* Give the DPC's queued flag back to its owner. */
        sim_atomic_store(&dpc->Inserted, LOCKS_DPC_IDLE, TIMER_FLAG_SIZE);
    return TRUE;
}

VOID spinsim_KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type, const sim_site *site) {
    sim_site_set(site);
    locks_dispatcher_init(&Timer->Header,
                          Type == SynchronizationTimer ? TimerSynchronizationObject : TimerNotificationObject);
    Timer->DueTime.QuadPart = 0;
    Timer->Dpc = NULL;
    Timer->Period = 0;
    Timer->Header.SignalState = TIMER_NOT_SIGNALED;
    /* A store: re-initialising ends whatever watched the old state. */
    sim_atomic_store(&Timer->Inserted, TIMER_IDLE, TIMER_FLAG_SIZE);
}

/* KeSetTimer is KeSetTimerEx with Period 0. Returns TRUE if the timer was
 * set (its old expiry is taken back first). */
BOOLEAN spinsim_KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc, const char *routine,
                             const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(routine, PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    const BOOLEAN was_set = timer_cancel(Timer);
    TIMER_FIELD_STORE(Timer->DueTime.QuadPart, (ULONGLONG)DueTime.QuadPart);
    TIMER_FIELD_STORE(Timer->Dpc, Dpc);
    TIMER_FIELD_STORE(Timer->Period, Period > 0 ? (ULONG)Period : 0);
    /* Not signaled until it expires (an old expiry may be racing). */
    sim_atomic_store(&Timer->Header.SignalState, TIMER_NOT_SIGNALED, TIMER_FLAG_SIZE);
    /* Win the DPC's own queued flag. If the driver has it queued already,
     * the expiry merges with that queued run, as KeInsertQueueDpc at
     * expiry would. */
    if (Dpc == NULL || sim_atomic_compare_exchange(&Dpc->Inserted, LOCKS_DPC_IDLE, LOCKS_DPC_QUEUED, TIMER_FLAG_SIZE) !=
                           LOCKS_DPC_IDLE) {
        /* Expires at once. */
        sim_atomic_store(&Timer->Header.SignalState, TIMER_SIGNALED, TIMER_FLAG_SIZE);
        locks_dispatcher_signaled(&Timer->Header);
        return was_set;
    }
    const int64_t expiries = Period > 0 ? sim_param("timer_expiries", TIMER_EXPIRIES_DEFAULT) : 1;
    timer_queue(Timer, Dpc, expiries > 0 ? (uintptr_t)expiries : 1);
    return was_set;
}

BOOLEAN spinsim_KeCancelTimer(PKTIMER Timer, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeCancelTimer", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    return timer_cancel(Timer);
}

BOOLEAN spinsim_KeReadStateTimer(PKTIMER Timer, const sim_site *site) {
    sim_site_set(site);
    return sim_atomic_load(&Timer->Header.SignalState, TIMER_FLAG_SIZE) != TIMER_NOT_SIGNALED;
}
