/* event.c owns the kernel event, KEVENT: KeInitializeEvent, KeSetEvent,
 * KeClearEvent and KeWaitForSingleObject (docs/design.md, "The wdm.h surface
 * beyond locks"; docs/windows-contract.md R12).
 *
 * SignalState is EVENT_NOT_SIGNALED or EVENT_SIGNALED. A notification
 * event stays signaled until cleared and releases every waiter; a
 * synchronization event releases one waiter and resets itself in the same
 * step (a compare-exchange from signaled to not signaled), so two waiters
 * can never both consume one KeSetEvent. A waiter blocks by sleeping on
 * SignalState: the thread leaves its CPU's schedule until a step writes the
 * word, which is a scheduling point like every wait.
 *
 * There is no clock: a wait with a timeout (zero or not) that finds the
 * event not signaled returns STATUS_TIMEOUT at once, as if its time had
 * already run out. Only KEVENTs are waitable objects here. */
#include "lock_internal.h"

enum { EVENT_NOT_SIGNALED = 0, EVENT_SIGNALED = 1, EVENT_STATE_SIZE = (int)sizeof(LONG) };

VOID spinsim_KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State, const sim_site *site) {
    sim_site_set(site);
    Event->Type = (UCHAR)Type;
    /* A store: waiters of a re-initialised event see the new state. */
    sim_atomic_store(&Event->SignalState, State ? EVENT_SIGNALED : EVENT_NOT_SIGNALED, EVENT_STATE_SIZE);
}

/* Returns the previous state. Wait=TRUE promises a wait right after, which
 * the caller may only do below DISPATCH_LEVEL. */
LONG spinsim_KeSetEvent(PRKEVENT Event, LONG Increment, BOOLEAN Wait, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeSetEvent", PASSIVE_LEVEL, Wait ? APC_LEVEL : DISPATCH_LEVEL, site);
    /* Signal; the write wakes every waiter, and the old value is the result. */
    return (LONG)sim_atomic_exchange(&Event->SignalState, EVENT_SIGNALED, EVENT_STATE_SIZE);
}

VOID spinsim_KeClearEvent(PRKEVENT Event, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeClearEvent", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    /* A store: waiters that look again from here on find it not signaled. */
    sim_atomic_store(&Event->SignalState, EVENT_NOT_SIGNALED, EVENT_STATE_SIZE);
}

/* One attempt to satisfy the wait: true when the waiter may go on. */
static bool event_consume(PRKEVENT event) {
    if (event->Type == SynchronizationEvent)
        /* Take the signal and reset the event in one step: one waiter wins. */
        return sim_atomic_compare_exchange(&event->SignalState, EVENT_SIGNALED, EVENT_NOT_SIGNALED, EVENT_STATE_SIZE) ==
               EVENT_SIGNALED;
    /* A notification event only has to be signaled. */
    return sim_atomic_load(&event->SignalState, EVENT_STATE_SIZE) != EVENT_NOT_SIGNALED;
}

/* Object must be a KEVENT. A wait that may block is allowed only below
 * DISPATCH_LEVEL; a zero-timeout poll also at DISPATCH_LEVEL. */
NTSTATUS spinsim_KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                       BOOLEAN Alertable, PLARGE_INTEGER Timeout, const sim_site *site) {
    sim_site_set(site);
    const bool poll = Timeout != NULL && Timeout->QuadPart == 0;
    sim_check_wait("KeWaitForSingleObject", poll, site);
    PRKEVENT event = Object;
    while (!event_consume(event)) {
        if (Timeout != NULL)
            return STATUS_TIMEOUT;
        /* Not signaled, and nothing has run since we looked: sleep until a
         * step writes the state, then look again. */
        sim_spin_wait(&event->SignalState, NULL);
    }
    return STATUS_WAIT_0;
}
