/* exlock.c owns the executive reader/writer spin lock, EX_SPIN_LOCK: its
 * word, the reader and writer protocols, and the Ex*SpinLock* routines
 * (docs/windows-contract.md sect. 2 and 5).
 *
 * The lock word (32 bits; the bit layout is unverified on Windows):
 *   EX_LOCK_EXCLUSIVE       0x80000000  a writer owns the lock
 *   EX_LOCK_WRITER_WAITING  0x40000000  a writer has claimed the lock and
 *                                       waits for the readers inside to leave,
 *                                       or for the writer inside to release
 *   EX_LOCK_READERS         0x3fffffff  how many readers are inside
 * The states: 0 free; n readers; n readers | WRITER_WAITING (draining);
 * EXCLUSIVE (a writer inside); EXCLUSIVE | WRITER_WAITING (a writer inside
 * and the next one waiting). EXCLUSIVE means no reader is inside.
 *
 * Writer preference: a writer that finds the lock taken sets
 * WRITER_WAITING, which keeps every new reader (and writer) out, and takes
 * EXCLUSIVE once the word is WRITER_WAITING alone. A reader that re-enters
 * while a writer waits deadlocks, as recursion does on Windows.
 *
 * Every attempt starts from a guess of the word (free), so an uncontended
 * acquire is one step. Readers retry their compare-exchange with the value
 * that failed it. A writer claims a taken lock with an atomic OR, which no
 * other CPU can make fail: a compare-exchange claim can lose forever to
 * readers coming and going in step with it (a livelock the round-robin
 * phase of a run shows at once). The checker protocol is spinlock.c's. The
 * NDIS reader/writer lock (ndis.c) comes through locks_ex_acquire and
 * locks_ex_release under its own routine names. */
#include "lock_internal.h"

static const ULONG EX_LOCK_FREE = 0;
static const ULONG EX_LOCK_EXCLUSIVE = 0x80000000u;
static const ULONG EX_LOCK_WRITER_WAITING = 0x40000000u;
static const ULONG EX_LOCK_ONE_READER = 1;

enum { EX_LOCK_SIZE = (int)sizeof(EX_SPIN_LOCK) };

typedef enum ex_mode { EX_SHARED, EX_EXCLUSIVE } ex_mode;

static const sim_lock_family raising_family[] = {
    [EX_SHARED] = SIM_LOCK_EX_SHARED, [EX_EXCLUSIVE] = SIM_LOCK_EX_EXCLUSIVE};
static const sim_lock_family at_dpc_family[] = {
    [EX_SHARED] = SIM_LOCK_EX_SHARED_AT_DPC, [EX_EXCLUSIVE] = SIM_LOCK_EX_EXCLUSIVE_AT_DPC};

static ULONG ex_load(PEX_SPIN_LOCK lock) { return (ULONG)sim_atomic_load(lock, EX_LOCK_SIZE); }

static ULONG ex_compare_exchange(PEX_SPIN_LOCK lock, ULONG expected, ULONG desired) {
    return (ULONG)sim_atomic_compare_exchange(lock, expected, desired, EX_LOCK_SIZE);
}

/* Enters as one more reader unless a writer owns or waits. `seen` is the
 * caller's guess of the word and ends as the last value observed. */
static bool reader_enter(PEX_SPIN_LOCK lock, ULONG *seen) {
    while ((*seen & (EX_LOCK_EXCLUSIVE | EX_LOCK_WRITER_WAITING)) == 0) {
        /* Count ourselves in, if the word is still what we saw. */
        const ULONG old = ex_compare_exchange(lock, *seen, *seen + EX_LOCK_ONE_READER);
        if (old == *seen)
            return true;
        *seen = old;
    }
    return false;
}

/* Claims the lock for a writer in one step from `seen`, the caller's guess
 * of the word: EXCLUSIVE by compare-exchange on a free word; on a taken one
 * WRITER_WAITING, by an atomic OR, which makes this writer the next one in.
 * False while another writer waits (with no step taken when `seen` shows
 * it; an OR that finds it changes nothing). `seen` ends as the word after
 * the claim, or as last observed. */
static bool writer_claim(PEX_SPIN_LOCK lock, ULONG *seen) {
    if (*seen == EX_LOCK_FREE) {
        const ULONG old = ex_compare_exchange(lock, EX_LOCK_FREE, EX_LOCK_EXCLUSIVE);
        if (old == EX_LOCK_FREE) {
            *seen = EX_LOCK_EXCLUSIVE;
            return true;
        }
        *seen = old;
    }
    if (*seen & EX_LOCK_WRITER_WAITING)
        return false;
    /* Next in line; the readers or the writer inside go on. */
    const ULONG old = (ULONG)sim_atomic_fetch_or(lock, EX_LOCK_WRITER_WAITING, EX_LOCK_SIZE);
    *seen = old | EX_LOCK_WRITER_WAITING;
    return (old & EX_LOCK_WRITER_WAITING) == 0;
}

/* Sleeps until a step writes the word, then reads it again. The caller's
 * last step observed the value that made it wait, with no scheduling point
 * since, so no write can be missed. */
static ULONG wait_for_change(PEX_SPIN_LOCK lock) {
    sim_spin_wait(lock, (const void *)lock);
    /* Look at what the writer left. */
    return ex_load(lock);
}

static void acquire_shared(PEX_SPIN_LOCK lock) {
    ULONG seen = EX_LOCK_FREE;
    while (!reader_enter(lock, &seen))
        seen = wait_for_change(lock);
}

static void acquire_exclusive(PEX_SPIN_LOCK lock) {
    ULONG seen = EX_LOCK_FREE;
    while (!writer_claim(lock, &seen))
        seen = wait_for_change(lock);
    if ((seen & EX_LOCK_WRITER_WAITING) == 0)
        return;
    /* Draining: with WRITER_WAITING ours nobody enters, and the readers
     * or the writer inside only leave, so the word reaches WRITER_WAITING
     * alone; turn it into EXCLUSIVE. A failed compare-exchange writes nothing, so sleeping right
     * after it misses no reader's leaving. */
    while (ex_compare_exchange(lock, EX_LOCK_WRITER_WAITING, EX_LOCK_EXCLUSIVE) != EX_LOCK_WRITER_WAITING)
        sim_spin_wait(lock, (const void *)lock);
}

static void ex_take(PEX_SPIN_LOCK lock, ex_mode mode) {
    if (mode == EX_SHARED)
        acquire_shared(lock);
    else
        acquire_exclusive(lock);
}

static BOOLEAN ex_try(PEX_SPIN_LOCK lock, ex_mode mode) {
    ULONG seen = EX_LOCK_FREE;
    if (mode == EX_SHARED)
        return reader_enter(lock, &seen);
    /* A writer's try succeeds only on a free word: it never waits for readers. */
    return ex_compare_exchange(lock, EX_LOCK_FREE, EX_LOCK_EXCLUSIVE) == EX_LOCK_FREE;
}

static void ex_leave(PEX_SPIN_LOCK lock, ex_mode mode) {
    if (mode == EX_SHARED)
        /* Count ourselves out (adding minus one reader, negated as a signed value:
         * UBSan flags the negation of an unsigned one); the last reader out lets a
         * draining writer in. */
        sim_atomic_fetch_add(lock, (ULONG)(-(LONG)EX_LOCK_ONE_READER), EX_LOCK_SIZE);
    else
        /* Clear the writer's bit: the word goes free and wakes every waiter. */
        sim_atomic_fetch_and(lock, ~EX_LOCK_EXCLUSIVE, EX_LOCK_SIZE);
}

/* ---- the routines --------------------------------------------------------- */

static KIRQL acquire_raising(PEX_SPIN_LOCK lock, ex_mode mode, const char *routine, const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    const sim_lock_op op = locks_op(routine, (const void *)lock, raising_family[mode], NULL, old, site);
    sim_check_acquire(&op);
    locks_irql_set(DISPATCH_LEVEL);
    ex_take(lock, mode);
    sim_check_acquired(&op);
    return old;
}

static void acquire_at_dpc(PEX_SPIN_LOCK lock, ex_mode mode, const char *routine, const sim_site *site) {
    sim_site_set(site);
    const sim_lock_op op = locks_op(routine, (const void *)lock, at_dpc_family[mode], NULL, SIM_IRQL_NONE, site);
    sim_check_acquire(&op);
    ex_take(lock, mode);
    sim_check_acquired(&op);
}

static BOOLEAN try_at_dpc(PEX_SPIN_LOCK lock, ex_mode mode, const char *routine, const sim_site *site) {
    sim_site_set(site);
    const sim_lock_op op = locks_op(routine, (const void *)lock, at_dpc_family[mode], NULL, SIM_IRQL_NONE, site);
    sim_check_acquire(&op);
    if (!ex_try(lock, mode))
        return FALSE;
    sim_check_acquired(&op);
    return TRUE;
}

/* Leaves in `mode`; then sets `irql_new` unless it is SIM_IRQL_NONE. */
static void release(PEX_SPIN_LOCK lock, ex_mode mode, sim_lock_family family, uint8_t irql_new, const char *routine,
                    const sim_site *site) {
    sim_site_set(site);
    const sim_lock_op op = locks_op(routine, (const void *)lock, family, NULL, irql_new, site);
    sim_check_release(&op);
    ex_leave(lock, mode);
    sim_check_released(&op);
    if (irql_new != SIM_IRQL_NONE)
        locks_irql_set(irql_new);
}

KIRQL locks_ex_acquire(PEX_SPIN_LOCK lock, bool exclusive, bool at_dpc, const char *routine, const sim_site *site) {
    const ex_mode mode = exclusive ? EX_EXCLUSIVE : EX_SHARED;
    if (!at_dpc)
        return acquire_raising(lock, mode, routine, site);
    acquire_at_dpc(lock, mode, routine, site);
    return SIM_IRQL_NONE;
}

void locks_ex_release(PEX_SPIN_LOCK lock, bool exclusive, bool at_dpc, KIRQL old, const char *routine,
                      const sim_site *site) {
    const ex_mode mode = exclusive ? EX_EXCLUSIVE : EX_SHARED;
    if (at_dpc)
        release(lock, mode, at_dpc_family[mode], SIM_IRQL_NONE, routine, site);
    else
        release(lock, mode, raising_family[mode], old, routine, site);
}

KIRQL spinsim_ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    return acquire_raising(SpinLock, EX_SHARED, "ExAcquireSpinLockShared", site);
}

KIRQL spinsim_ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    return acquire_raising(SpinLock, EX_EXCLUSIVE, "ExAcquireSpinLockExclusive", site);
}

VOID spinsim_ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    acquire_at_dpc(SpinLock, EX_SHARED, "ExAcquireSpinLockSharedAtDpcLevel", site);
}

VOID spinsim_ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    acquire_at_dpc(SpinLock, EX_EXCLUSIVE, "ExAcquireSpinLockExclusiveAtDpcLevel", site);
}

VOID spinsim_ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site) {
    release(SpinLock, EX_SHARED, SIM_LOCK_EX_SHARED, OldIrql, "ExReleaseSpinLockShared", site);
}

VOID spinsim_ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site) {
    release(SpinLock, EX_EXCLUSIVE, SIM_LOCK_EX_EXCLUSIVE, OldIrql, "ExReleaseSpinLockExclusive", site);
}

VOID spinsim_ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    release(SpinLock, EX_SHARED, SIM_LOCK_EX_SHARED_AT_DPC, SIM_IRQL_NONE, "ExReleaseSpinLockSharedFromDpcLevel", site);
}

VOID spinsim_ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    release(SpinLock, EX_EXCLUSIVE, SIM_LOCK_EX_EXCLUSIVE_AT_DPC, SIM_IRQL_NONE,
            "ExReleaseSpinLockExclusiveFromDpcLevel", site);
}

BOOLEAN spinsim_ExTryAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    return try_at_dpc(SpinLock, EX_SHARED, "ExTryAcquireSpinLockSharedAtDpcLevel", site);
}

BOOLEAN spinsim_ExTryAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    return try_at_dpc(SpinLock, EX_EXCLUSIVE, "ExTryAcquireSpinLockExclusiveAtDpcLevel", site);
}

/* The caller holds the lock shared. Succeeds iff it is the only reader and
 * no writer waits; the shared hold then becomes exclusive in the same step.
 * That is no release: the checkers forget the shared hold
 * (sim_check_released alone) and record an exclusive one, without an IRQL
 * of its own (SIM_IRQL_NONE): its level and Old stay the shared acquire's,
 * and the caller releases it with the exclusive routine of the same form. */
ULONG spinsim_ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    /* Only reader, no writer waiting: the word is exactly one reader. */
    if (ex_compare_exchange(SpinLock, EX_LOCK_ONE_READER, EX_LOCK_EXCLUSIVE) != EX_LOCK_ONE_READER)
        return FALSE;
    const char *routine = "ExTryConvertSharedSpinLockExclusive";
    const sim_lock_op shared = locks_op(routine, (const void *)SpinLock, SIM_LOCK_EX_SHARED, NULL, SIM_IRQL_NONE, site);
    const sim_lock_op exclusive =
        locks_op(routine, (const void *)SpinLock, SIM_LOCK_EX_EXCLUSIVE, NULL, SIM_IRQL_NONE, site);
    sim_check_released(&shared);
    sim_check_acquire(&exclusive);
    sim_check_acquired(&exclusive);
    return TRUE;
}
