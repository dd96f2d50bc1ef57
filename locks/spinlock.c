/* spinlock.c owns the ordinary executive spin lock, KSPIN_LOCK: its word,
 * the test-and-test-and-set that takes it, and the ten routines drivers call
 * on it (docs/windows-contract.md sect. 2 and 5).
 *
 * The lock word (ULONG_PTR):
 *   0                        free
 *   bit 0, KSPIN_LOCK_HELD   held
 *   bits 1..63               the owner tag's context id: a winner stores
 *                            id << KSPIN_LOCK_OWNER_SHIFT | KSPIN_LOCK_HELD,
 *                            as checked kernels store owner | 1. A loser's
 *                            bit-test-and-set ORs its tag in as well, so
 *                            above bit 0 the word is a debugging hint only;
 *                            ownership is what the checkers record.
 *
 * Acquire is test-and-test-and-set: one atomic fetch-or (the x64 BTS); if
 * bit 0 was already set, sleep until the word is written and test it with
 * plain loads until bit 0 is clear, then try again. Unfair, as on Windows.
 * The raising routines raise before they try, so spinners sit at
 * DISPATCH_LEVEL. Release is one store of 0, then the lowering.
 *
 * Checker protocol, the same in every lock file: sim_check_acquire before
 * the first attempt (caller IRQL, recursion), sim_check_acquired once the
 * word is owned, sim_check_release before the word is touched,
 * sim_check_released once it is free, and only then the lowering. `irql` in
 * the op is the Old an acquire hands out (SIM_IRQL_NONE for the AtDpcLevel
 * forms, which hand out none) or the level a release restores. */
#include "lock_internal.h"

enum {
    KSPIN_LOCK_FREE = 0,
    KSPIN_LOCK_HELD = 1,
    KSPIN_LOCK_OWNER_SHIFT = 1,
    KSPIN_LOCK_SIZE = (int)sizeof(KSPIN_LOCK),
};

static ULONG_PTR owner_tag(void) {
    return ((ULONG_PTR)(LONG_PTR)sim_ctx_current_id() << KSPIN_LOCK_OWNER_SHIFT) | KSPIN_LOCK_HELD;
}

void locks_spin_acquire(PKSPIN_LOCK lock) {
    const ULONG_PTR tag = owner_tag();
    SIM_ASSERT(tag & KSPIN_LOCK_HELD);
    /* Bit-test-and-set carrying our tag: bit 0 of the old word says whether
     * someone else held it. One atomic step, as the kernel's lock bts. */
    while (sim_atomic_fetch_or(lock, tag, KSPIN_LOCK_SIZE) & KSPIN_LOCK_HELD) {
        /* Lost: sleep until the word is written, then test it with a plain
         * load, which leaves the cache line shared, until the holder's
         * release store has cleared bit 0. Only then retry the write. */
        do
            sim_spin_wait(lock, lock);
        while (sim_atomic_load(lock, KSPIN_LOCK_SIZE) & KSPIN_LOCK_HELD);
    }
}

BOOLEAN locks_spin_try(PKSPIN_LOCK lock) {
    /* Test first: a busy word is left as it is, no tag ORed into it. */
    if (sim_atomic_load(lock, KSPIN_LOCK_SIZE) & KSPIN_LOCK_HELD)
        return FALSE;
    /* It looked free; the bit-test-and-set decides against a racing taker. */
    return (sim_atomic_fetch_or(lock, owner_tag(), KSPIN_LOCK_SIZE) & KSPIN_LOCK_HELD) == 0;
}

void locks_spin_release(PKSPIN_LOCK lock) {
    /* One ordered store of 0 frees the word and wakes every spinner on it. */
    sim_atomic_store(lock, KSPIN_LOCK_FREE, KSPIN_LOCK_SIZE);
}

/* ---- the routines --------------------------------------------------------- */

VOID spinsim_KeInitializeSpinLock(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    /* A store, not a plain write: re-initialising a lock others spin on
     * must wake them, as the real write would end their spin. */
    sim_atomic_store(SpinLock, KSPIN_LOCK_FREE, KSPIN_LOCK_SIZE);
}

/* The raising acquire shared by KeAcquireSpinLock, ...RaiseToDpc, below
 * DISPATCH_LEVEL ...ForDpc, and the cancel, KMDF and NDIS spin locks: Old
 * is the entry IRQL, which KeAcquireSpinLock then writes into `old_out`
 * (the others return it: NULL). It sets DISPATCH_LEVEL whatever the entry
 * IRQL, as KfRaiseIrql writes CR8: a caller above DISPATCH_LEVEL is lowered
 * to it (the checkers report that caller). */
KIRQL locks_spin_acquire_raising(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, PKIRQL old_out,
                                 const sim_site *site) {
    const KIRQL old = sim_irql_get();
    sim_lock_op op = locks_op(routine, lock, family, NULL, old, site);
    op.old_irql_out = old_out;
    sim_check_acquire(&op);
    locks_irql_set(DISPATCH_LEVEL);
    locks_spin_acquire(lock);
    sim_check_acquired(&op);
    if (old_out != NULL)
        *old_out = old;
    return old;
}

void locks_spin_acquire_at_dpc(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, uint8_t irql_old,
                               const sim_site *site) {
    const sim_lock_op op = locks_op(routine, lock, family, NULL, irql_old, site);
    sim_check_acquire(&op);
    locks_spin_acquire(lock);
    sim_check_acquired(&op);
}

void locks_spin_release_as(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, uint8_t op_irql,
                           uint8_t irql_new, const sim_site *site) {
    const sim_lock_op op = locks_op(routine, lock, family, NULL, op_irql, site);
    sim_check_release(&op);
    locks_spin_release(lock);
    sim_check_released(&op);
    if (irql_new != SIM_IRQL_NONE)
        locks_irql_set(irql_new);
}

VOID spinsim_KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql, const sim_site *site) {
    sim_site_set(site);
    /* Old is written only once the lock is owned: the variable may live in
     * the structure the lock protects. */
    locks_spin_acquire_raising(SpinLock, "KeAcquireSpinLock", SIM_LOCK_SPIN, OldIrql, site);
}

KIRQL spinsim_KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    return locks_spin_acquire_raising(SpinLock, "KeAcquireSpinLockRaiseToDpc", SIM_LOCK_SPIN, NULL, site);
}

VOID spinsim_KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql, const sim_site *site) {
    sim_site_set(site);
    locks_spin_release_as(SpinLock, "KeReleaseSpinLock", SIM_LOCK_SPIN, NewIrql, NewIrql, site);
}

VOID spinsim_KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    locks_spin_acquire_at_dpc(SpinLock, "KeAcquireSpinLockAtDpcLevel", SIM_LOCK_SPIN_AT_DPC, SIM_IRQL_NONE, site);
}

VOID spinsim_KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    locks_spin_release_as(SpinLock, "KeReleaseSpinLockFromDpcLevel", SIM_LOCK_SPIN_AT_DPC, SIM_IRQL_NONE, SIM_IRQL_NONE,
                          site);
}

BOOLEAN spinsim_KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    const sim_lock_op op =
        locks_op("KeTryToAcquireSpinLockAtDpcLevel", SpinLock, SIM_LOCK_SPIN_AT_DPC, NULL, SIM_IRQL_NONE, site);
    /* Reported as an acquire attempt (a Try on one's own lock is the same
     * recursion); only a success is an acquisition. */
    sim_check_acquire(&op);
    if (!locks_spin_try(SpinLock))
        return FALSE;
    sim_check_acquired(&op);
    return TRUE;
}

BOOLEAN spinsim_KeTestSpinLock(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    /* A hint: one load, never an acquisition. TRUE means "looked free". */
    return sim_atomic_load(SpinLock, KSPIN_LOCK_SIZE) == KSPIN_LOCK_FREE;
}

KIRQL spinsim_KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    /* At or above DISPATCH_LEVEL it behaves as AtDpcLevel, below it raises;
     * either way Old is the entry IRQL its release branches on. */
    if (old >= DISPATCH_LEVEL) {
        locks_spin_acquire_at_dpc(SpinLock, "KeAcquireSpinLockForDpc", SIM_LOCK_SPIN_FOR_DPC, old, site);
        return old;
    }
    return locks_spin_acquire_raising(SpinLock, "KeAcquireSpinLockForDpc", SIM_LOCK_SPIN_FOR_DPC, NULL, site);
}

VOID spinsim_KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site) {
    sim_site_set(site);
    /* Old below DISPATCH_LEVEL (a threaded DPC at PASSIVE) lowers back to
     * it; Old at DISPATCH_LEVEL or above leaves the IRQL alone. The op
     * carries Old either way, for the checkers' token match. */
    locks_spin_release_as(SpinLock, "KeReleaseSpinLockForDpc", SIM_LOCK_SPIN_FOR_DPC, OldIrql,
                          OldIrql < DISPATCH_LEVEL ? OldIrql : SIM_IRQL_NONE, site);
}
