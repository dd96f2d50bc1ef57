/* removelock.c owns the remove lock, IO_REMOVE_LOCK: IoInitializeRemoveLock,
 * IoAcquireRemoveLock, IoReleaseRemoveLock and IoReleaseRemoveLockAndWait
 * (docs/design.md, "The wdm.h surface beyond locks").
 *
 * IoCount starts at 1, the lock's own bias, and counts each acquisition;
 * Removed is set once the owner waits for removal, after which an acquire
 * fails with STATUS_DELETE_PENDING. IoReleaseRemoveLockAndWait drops the
 * bias and its caller's acquisition and sleeps until the count reaches 0:
 * the release that brings it there sets RemoveEvent. Every change is an
 * interlocked step; the tag, bounds and size checks of checked builds are
 * not made. */
#include "lock_internal.h"

enum { REMOVED_SIZE = (int)sizeof(BOOLEAN) };

VOID spinsim_IoInitializeRemoveLock(PIO_REMOVE_LOCK Lock, const sim_site *site) {
    spinsim_routine_enter("IoInitializeRemoveLock", PASSIVE_LEVEL, site);
    Lock->Common.Removed = FALSE;
    Lock->Common.IoCount = 1;
    spinsim_KeInitializeEvent(&Lock->Common.RemoveEvent, NotificationEvent, FALSE, site);
}

/* Drops one count; the last one signals the waiter. */
static void release(PIO_REMOVE_LOCK lock, const sim_site *site) {
    if (spinsim_InterlockedDecrement(&lock->Common.IoCount, site) == 0)
        spinsim_KeSetEvent(&lock->Common.RemoveEvent, IO_NO_INCREMENT, FALSE, site);
}

NTSTATUS spinsim_IoAcquireRemoveLock(PIO_REMOVE_LOCK RemoveLock, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoAcquireRemoveLock", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    spinsim_InterlockedIncrement(&RemoveLock->Common.IoCount, site);
    if (!sim_atomic_load(&RemoveLock->Common.Removed, REMOVED_SIZE))
        return STATUS_SUCCESS;
    release(RemoveLock, site);
    return STATUS_DELETE_PENDING;
}

VOID spinsim_IoReleaseRemoveLock(PIO_REMOVE_LOCK RemoveLock, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoReleaseRemoveLock", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    release(RemoveLock, site);
}

VOID spinsim_IoReleaseRemoveLockAndWait(PIO_REMOVE_LOCK RemoveLock, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoReleaseRemoveLockAndWait", PASSIVE_LEVEL, PASSIVE_LEVEL, site);
    sim_atomic_store(&RemoveLock->Common.Removed, TRUE, REMOVED_SIZE);
    /* The bias goes; the caller's own acquisition keeps the count above 0. */
    spinsim_InterlockedDecrement(&RemoveLock->Common.IoCount, site);
    release(RemoveLock, site);
    spinsim_KeWaitForSingleObject(&RemoveLock->Common.RemoveEvent, Executive, KernelMode, FALSE, NULL, site);
}
