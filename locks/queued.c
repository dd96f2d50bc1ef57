/* queued.c owns the in-stack queued spin lock: an MCS queue threaded through
 * the callers' KLOCK_QUEUE_HANDLEs, and its six routines
 * (docs/windows-contract.md sect. 2, R8, sect. 5).
 *
 * Encodings, as on x64 Windows:
 * - the KSPIN_LOCK word holds the tail of the queue, a KSPIN_LOCK_QUEUE
 *   pointer, or NULL when the lock is free;
 * - each waiter's entry is handle->LockQueue: Next links to the successor,
 *   Lock points at the KSPIN_LOCK with two flags in its low bits (pointers
 *   are 8-byte aligned): LOCK_QUEUE_WAIT while the entry waits its turn,
 *   LOCK_QUEUE_OWNER while it holds the lock. At most one of them is set.
 *
 * What must stay true:
 * - an entry is private until the exchange publishes it as the tail; from
 *   then on only its predecessor writes its Lock (the hand-off) and only
 *   its successor writes its Next (the link); every such cross-context
 *   access is an atomic step, the entry's own bookkeeping is plain;
 * - a waiter sets its own WAIT before it links itself: linking first would
 *   let the predecessor hand over before WAIT is set, and the late WAIT
 *   would then erase the OWNER it was given;
 * - each waiter spins on its own entry; hand-offs follow arrival (the order
 *   of the exchanges), so the lock is FIFO;
 * - a release that finds no successor linked but loses the tail to one
 *   that has swapped in waits for that successor's link (R8e): a blocking
 *   step, the wait names the entry's Next word. The successor stores the
 *   link with the very next step after its exchange (no step between), so
 *   the wait-for graph can tell who it is.
 * The checker protocol is spinlock.c's; queued ops carry the handle. */
#include "lock_internal.h"

enum {
    QUEUE_FLAGS = LOCK_QUEUE_WAIT | LOCK_QUEUE_OWNER,
    QUEUE_WORD_SIZE = (int)sizeof(KSPIN_LOCK),
    QUEUE_ENTRY_ALIGN = (int)_Alignof(KSPIN_LOCK_QUEUE),
};

static PKSPIN_LOCK_QUEUE entry_of(PKLOCK_QUEUE_HANDLE handle) { return &handle->LockQueue; }

static PKSPIN_LOCK with_flags(PKSPIN_LOCK lock, ULONG_PTR flags) { return (PKSPIN_LOCK)((ULONG_PTR)lock | flags); }

static PKSPIN_LOCK lock_of(const KSPIN_LOCK_QUEUE *entry) {
    return (PKSPIN_LOCK)((ULONG_PTR)entry->Lock & ~(ULONG_PTR)QUEUE_FLAGS);
}

/* The word held no queue entry but, say, a plain acquirer's owner tag (bit
 * 0 set): Windows would write through it and corrupt memory (R7, DV
 * C4/0x1008). The simulator must not, so it stops the run here; if the
 * finding is allowed, the acquire waits forever, as a waiter nobody links. */
_Noreturn static void no_queue_entry(PKSPIN_LOCK lock, PKSPIN_LOCK_QUEUE word) {
    sim_reportf(SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, lock, NULL,
                "in-stack queued acquire of a KSPIN_LOCK whose word 0x%lx is no queue entry: a plain acquire holds "
                "it? Plain and queued on one lock corrupt its word (DV C4/0x1008)",
                (unsigned long)(ULONG_PTR)word);
    for (;;)
        sim_spin_wait(lock, lock);
}

static void queue_acquire(PKSPIN_LOCK lock, PKSPIN_LOCK_QUEUE entry) {
    /* Plain writes: the entry is private until the exchange publishes it. */
    entry->Next = NULL;
    entry->Lock = lock;
    /* Publish the entry as the new tail; the old tail is our predecessor. */
    PKSPIN_LOCK_QUEUE pred = (PKSPIN_LOCK_QUEUE)sim_atomic_exchange(lock, (ULONG_PTR)entry, QUEUE_WORD_SIZE);
    if ((ULONG_PTR)pred % QUEUE_ENTRY_ALIGN != 0)
        no_queue_entry(lock, pred);
    if (pred == NULL) {
        entry->Lock = with_flags(lock, LOCK_QUEUE_OWNER);
        return;
    }
    entry->Lock = with_flags(lock, LOCK_QUEUE_WAIT);
    /* Link behind the predecessor: from this store on its release can hand
     * over to us (and a release waiting for our link wakes up). */
    sim_atomic_store(&pred->Next, (ULONG_PTR)entry, QUEUE_WORD_SIZE);
    /* Spin on our own entry until the predecessor flips WAIT to OWNER. */
    while (sim_atomic_load(&entry->Lock, QUEUE_WORD_SIZE) & LOCK_QUEUE_WAIT)
        sim_spin_wait(&entry->Lock, lock);
}

/* The successor, waiting for a tail thief to link itself if need be; NULL
 * when the lock went free. */
static PKSPIN_LOCK_QUEUE successor_or_free(PKSPIN_LOCK lock, PKSPIN_LOCK_QUEUE entry) {
    /* A linked successor is there for good: only it writes our Next. */
    PKSPIN_LOCK_QUEUE next = (PKSPIN_LOCK_QUEUE)sim_atomic_load(&entry->Next, QUEUE_WORD_SIZE);
    if (next != NULL)
        return next;
    /* None linked: if we are still the tail, the lock goes free. */
    if (sim_atomic_compare_exchange(lock, (ULONG_PTR)entry, 0, QUEUE_WORD_SIZE) == (ULONG_PTR)entry)
        return NULL;
    /* Someone swapped in behind us and has not linked yet (R8e): wait for
     * its link. The wait names no lock (we still own it); the wait-for
     * graph knows it by the entry we watch and follows it to the successor:
     * with no step between its exchange and its link, that is the one
     * context suspended right before a store to our Next (sim/deadlock.c). */
    while ((next = (PKSPIN_LOCK_QUEUE)sim_atomic_load(&entry->Next, QUEUE_WORD_SIZE)) == NULL)
        sim_spin_wait(&entry->Next, NULL);
    return next;
}

static void queue_release(PKSPIN_LOCK_QUEUE entry) {
    PKSPIN_LOCK lock = lock_of(entry);
    /* OWNER off: the entry is ours alone while it owns. */
    entry->Lock = lock;
    PKSPIN_LOCK_QUEUE next = successor_or_free(lock, entry);
    if (next == NULL)
        return;
    /* Hand off: the successor's flags go WAIT -> OWNER in one store, which
     * wakes it. After this store no one writes our entry any more. */
    sim_atomic_store(&next->Lock, (ULONG_PTR)with_flags(lock, LOCK_QUEUE_OWNER), QUEUE_WORD_SIZE);
    entry->Next = NULL;
}

/* ---- the routines --------------------------------------------------------- */

static void acquire(PKSPIN_LOCK lock, PKLOCK_QUEUE_HANDLE handle, const sim_lock_op *op, bool raise) {
    sim_check_acquire(op);
    if (raise)
        locks_irql_set(DISPATCH_LEVEL);
    queue_acquire(lock, entry_of(handle));
    sim_check_acquired(op);
}

/* Releases through the handle; then lowers to `irql_new` unless it is
 * SIM_IRQL_NONE. */
static void release(PKLOCK_QUEUE_HANDLE handle, const sim_lock_op *op, uint8_t irql_new) {
    sim_check_release(op);
    queue_release(entry_of(handle));
    sim_check_released(op);
    if (irql_new != SIM_IRQL_NONE)
        locks_irql_set(irql_new);
}

VOID spinsim_KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle,
                                            const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    sim_lock_op op = locks_op("KeAcquireInStackQueuedSpinLock", SpinLock, SIM_LOCK_QUEUED, LockHandle, old, site);
    op.old_irql_out = &LockHandle->OldIrql;
    /* OldIrql is written once the lock is owned, as KeAcquireSpinLock's Old. */
    acquire(SpinLock, LockHandle, &op, true);
    LockHandle->OldIrql = old;
}

VOID spinsim_KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle,
                                                      const sim_site *site) {
    sim_site_set(site);
    /* OldIrql is left as it is (unverified on Windows, sect. 2). */
    const sim_lock_op op = locks_op("KeAcquireInStackQueuedSpinLockAtDpcLevel", SpinLock, SIM_LOCK_QUEUED_AT_DPC,
                                    LockHandle, SIM_IRQL_NONE, site);
    acquire(SpinLock, LockHandle, &op, false);
}

VOID spinsim_KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle,
                                                  const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    sim_lock_op op =
        locks_op("KeAcquireInStackQueuedSpinLockForDpc", SpinLock, SIM_LOCK_QUEUED_FOR_DPC, LockHandle, old, site);
    op.old_irql_out = &LockHandle->OldIrql;
    /* Below DISPATCH_LEVEL (a threaded DPC) it raises, else it is AtDpcLevel. */
    acquire(SpinLock, LockHandle, &op, old < DISPATCH_LEVEL);
    LockHandle->OldIrql = old;
}

VOID spinsim_KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site) {
    sim_site_set(site);
    const KIRQL irql_new = LockHandle->OldIrql;
    const sim_lock_op op = locks_op("KeReleaseInStackQueuedSpinLock", lock_of(entry_of(LockHandle)), SIM_LOCK_QUEUED,
                                    LockHandle, irql_new, site);
    release(LockHandle, &op, irql_new);
}

VOID spinsim_KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site) {
    sim_site_set(site);
    const sim_lock_op op = locks_op("KeReleaseInStackQueuedSpinLockFromDpcLevel", lock_of(entry_of(LockHandle)),
                                    SIM_LOCK_QUEUED_AT_DPC, LockHandle, SIM_IRQL_NONE, site);
    release(LockHandle, &op, SIM_IRQL_NONE);
}

VOID spinsim_KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = LockHandle->OldIrql;
    const sim_lock_op op = locks_op("KeReleaseInStackQueuedSpinLockForDpc", lock_of(entry_of(LockHandle)),
                                    SIM_LOCK_QUEUED_FOR_DPC, LockHandle, old, site);
    release(LockHandle, &op, old < DISPATCH_LEVEL ? old : SIM_IRQL_NONE);
}
