/* event.c owns the kernel event, KEVENT: KeInitializeEvent, KeSetEvent,
 * KeClearEvent, KeResetEvent and KeReadStateEvent (docs/design.md, "The
 * wdm.h surface beyond locks"). Waiting on an event is wait.c's.
 *
 * Header.SignalState is EVENT_NOT_SIGNALED or EVENT_SIGNALED; Header.Type
 * says notification or synchronization (KOBJECTS, the EVENT_TYPE's value).
 * A notification event stays signaled until cleared and releases every
 * waiter; a synchronization event releases one waiter, which resets it in
 * the same step. Every change of the state is one step; a waiter sleeps on
 * the state word, so the step that signals wakes it. */
#include "lock_internal.h"

enum { EVENT_NOT_SIGNALED = 0, EVENT_SIGNALED = 1, EVENT_STATE_SIZE = (int)sizeof(LONG) };

VOID spinsim_KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State, const sim_site *site) {
    sim_site_set(site);
    locks_dispatcher_init(&Event->Header,
                          Type == SynchronizationEvent ? EventSynchronizationObject : EventNotificationObject);
    /* A store: waiters of a re-initialised event see the new state. */
    sim_atomic_store(&Event->Header.SignalState, State ? EVENT_SIGNALED : EVENT_NOT_SIGNALED, EVENT_STATE_SIZE);
}

/* Returns the previous state. Wait=TRUE promises a wait right after, which
 * the caller may only do below DISPATCH_LEVEL. */
LONG spinsim_KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeSetEvent", PASSIVE_LEVEL, Wait ? APC_LEVEL : DISPATCH_LEVEL, site);
    /* Signal; the write wakes every waiter, and the old value is the result. */
    const LONG previous = (LONG)sim_atomic_exchange(&Event->Header.SignalState, EVENT_SIGNALED, EVENT_STATE_SIZE);
    locks_dispatcher_signaled(&Event->Header);
    return previous;
}

VOID spinsim_KeClearEvent(PRKEVENT Event, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeClearEvent", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    /* A store: waiters that look again from here on find it not signaled. */
    sim_atomic_store(&Event->Header.SignalState, EVENT_NOT_SIGNALED, EVENT_STATE_SIZE);
}

/* KeClearEvent that returns the previous state. */
LONG spinsim_KeResetEvent(PRKEVENT Event, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeResetEvent", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    return (LONG)sim_atomic_exchange(&Event->Header.SignalState, EVENT_NOT_SIGNALED, EVENT_STATE_SIZE);
}

LONG spinsim_KeReadStateEvent(PRKEVENT Event, const sim_site *site) {
    sim_site_set(site);
    return (LONG)sim_atomic_load(&Event->Header.SignalState, EVENT_STATE_SIZE);
}
