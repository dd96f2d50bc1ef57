/* semaphore.c owns the kernel semaphore, KSEMAPHORE: KeInitializeSemaphore,
 * KeReleaseSemaphore and KeReadStateSemaphore (docs/design.md, "The wdm.h
 * surface beyond locks"). Waiting on it is wait.c's: a satisfied wait takes
 * one from the count.
 *
 * Header.SignalState is the count, 0..Limit; it is signaled while it is
 * above 0. A release adds Adjustment with a compare-exchange that starts
 * from a guess of the count (0, a semaphore drained by its waiters), so an
 * uncontended release is one step. A release past Limit raises
 * STATUS_SEMAPHORE_LIMIT_EXCEEDED on Windows, which no driver catches: a
 * `crash` finding, and the count is left as it was. */
#include "lock_internal.h"

enum { SEMAPHORE_COUNT_SIZE = (int)sizeof(LONG) };

VOID spinsim_KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit, const sim_site *site) {
    sim_site_set(site);
    Semaphore->Limit = Limit;
    locks_dispatcher_init(&Semaphore->Header, SemaphoreObject);
    /* A store: waiters of a re-initialised semaphore see the new count. */
    sim_atomic_store(&Semaphore->Header.SignalState, (ULONG)Count, SEMAPHORE_COUNT_SIZE);
}

/* Returns the count before the release. */
LONG spinsim_KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment, BOOLEAN Wait,
                                const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("KeReleaseSemaphore", PASSIVE_LEVEL, Wait ? APC_LEVEL : DISPATCH_LEVEL, site);
    LONG seen = 0;
    for (;;) {
        if (seen > Semaphore->Limit - Adjustment) {
            sim_reportf(SIM_FINDING_CRASH, SIM_SEV_ERROR, Semaphore, NULL,
                        "KeReleaseSemaphore raises STATUS_SEMAPHORE_LIMIT_EXCEEDED: count %d + %d exceeds the limit "
                        "%d, and the exception is not handled (0x1E KMODE_EXCEPTION_NOT_HANDLED)",
                        seen, Adjustment, Semaphore->Limit);
            return seen;
        }
        /* Add, if the count is still what we saw. */
        const LONG old = (LONG)sim_atomic_compare_exchange(&Semaphore->Header.SignalState, (ULONG)seen,
                                                           (ULONG)(seen + Adjustment), SEMAPHORE_COUNT_SIZE);
        if (old == seen)
            break;
        seen = old;
    }
    locks_dispatcher_signaled(&Semaphore->Header);
    return seen;
}

LONG spinsim_KeReadStateSemaphore(PRKSEMAPHORE Semaphore, const sim_site *site) {
    sim_site_set(site);
    return (LONG)sim_atomic_load(&Semaphore->Header.SignalState, SEMAPHORE_COUNT_SIZE);
}
