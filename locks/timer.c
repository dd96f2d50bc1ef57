/* timer.c owns the kernel timer, KTIMER: KeInitializeTimer, KeSetTimer and
 * KeCancelTimer (docs/design.md, "The wdm.h surface beyond locks").
 *
 * There is no clock, so the due time is recorded and otherwise ignored:
 * setting a timer with a DPC queues that DPC at once, on the DPC's target
 * CPU or else CPU 0, and the scheduler decides when it fires: from another
 * CPU it is a remote request delivered when the scheduler chooses; set on
 * that CPU itself it runs as soon as the IRQL there drops below
 * DISPATCH_LEVEL, like a timer that was already due. A timer without a DPC
 * expires at once.
 *
 * KTIMER.Inserted is the timer's queued flag: TIMER_SET while its DPC
 * waits on a queue. It is the flag the machine clears when it dequeues the
 * DPC to fire it, so "set" and "DPC queued" are one state and a cancel that
 * finds the timer set always takes the DPC back before it runs. The DPC's
 * own Inserted is won at set time and given back when the timer fires or
 * is cancelled, so a KeInsertQueueDpc of the same KDPC meanwhile loses. */
#include "lock_internal.h"

enum {
    TIMER_IDLE = 0,
    TIMER_SET = 1,
    TIMER_NOT_SIGNALED = 0,
    TIMER_SIGNALED = 1,
    TIMER_FLAG_SIZE = (int)sizeof(LONG),
    TIMER_DEFAULT_CPU = 0,
};

/* The body of a timer DPC's context. The machine has cleared the timer's
 * Inserted; the request carries the KTIMER in arg1 (the routine gets no
 * system arguments: there is no expiry time to pass). */
static void timer_fire(const sim_dpc_request *request) {
    PKTIMER timer = request->arg1;
    PKDPC dpc = (PKDPC)request->object;
    /* Expired: signaled, and its DPC may be queued again from here on. */
    sim_atomic_store(&timer->SignalState, TIMER_SIGNALED, TIMER_FLAG_SIZE);
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
    if (sim_dpc_dequeue(timer->Dpc))
        /* Give the DPC's queued flag back to its owner. */
        sim_atomic_store(&timer->Dpc->Inserted, LOCKS_DPC_IDLE, TIMER_FLAG_SIZE);
    return TRUE;
}

VOID spinsim_KeInitializeTimer(PKTIMER Timer, const sim_site *site) {
    sim_site_set(site);
    Timer->DueTime = 0;
    Timer->Dpc = NULL;
    Timer->SignalState = TIMER_NOT_SIGNALED;
    /* A store: re-initialising ends whatever watched the old state. */
    sim_atomic_store(&Timer->Inserted, TIMER_IDLE, TIMER_FLAG_SIZE);
}

/* Returns TRUE if the timer was set (its old DPC is taken back first). */
BOOLEAN spinsim_KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeSetTimer", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    const BOOLEAN was_set = timer_cancel(Timer);
    Timer->DueTime = DueTime.QuadPart;
    Timer->Dpc = Dpc;
    /* Not signaled until it expires (an old expiry may be racing). */
    sim_atomic_store(&Timer->SignalState, TIMER_NOT_SIGNALED, TIMER_FLAG_SIZE);
    int cpu;
    /* Win the DPC's own queued flag. If the driver has it queued already,
     * the expiry merges with that queued run, as KeInsertQueueDpc at
     * expiry would. */
    if (Dpc == NULL || sim_atomic_compare_exchange(&Dpc->Inserted, LOCKS_DPC_IDLE, LOCKS_DPC_QUEUED, TIMER_FLAG_SIZE) !=
                           LOCKS_DPC_IDLE) {
        /* Expires at once. */
        sim_atomic_store(&Timer->SignalState, TIMER_SIGNALED, TIMER_FLAG_SIZE);
        return was_set;
    }
    if (!locks_dpc_target(Dpc, TIMER_DEFAULT_CPU, &cpu)) {
        /* Give the DPC's flag back: nothing was queued. */
        sim_atomic_store(&Dpc->Inserted, LOCKS_DPC_IDLE, TIMER_FLAG_SIZE);
        return was_set;
    }
    /* Set, and queued in the same instant: until the dequeue or a cancel. */
    sim_atomic_store(&Timer->Inserted, TIMER_SET, TIMER_FLAG_SIZE);
    locks_dpc_enqueue(Dpc, cpu, &Timer->Inserted, timer_fire, Timer, NULL);
    return was_set;
}

BOOLEAN spinsim_KeCancelTimer(PKTIMER Timer, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeCancelTimer", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    return timer_cancel(Timer);
}
