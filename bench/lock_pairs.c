/* lock_pairs.c: each lock family's acquire+release loop (lock_pairs.h),
 * plain driver code against wdm.h. The AtDpcLevel pair needs
 * DISPATCH_LEVEL: the loop raises once before and lowers once after. */
#include "lock_pairs.h"

#include "sim.h"

const char *const bench_family_names[BENCH_FAMILY_COUNT] = {
    [BENCH_SPIN] = "KeAcquireSpinLock",
    [BENCH_SPIN_RAISE_TO_DPC] = "KeAcquireSpinLockRaiseToDpc",
    [BENCH_SPIN_AT_DPC] = "KeAcquireSpinLockAtDpcLevel",
    [BENCH_QUEUED] = "KeAcquireInStackQueuedSpinLock",
    [BENCH_INTERRUPT] = "KeAcquireInterruptSpinLock",
    [BENCH_EX_SHARED] = "ExAcquireSpinLockShared",
    [BENCH_EX_EXCLUSIVE] = "ExAcquireSpinLockExclusive",
};

enum { BENCH_DIRQL = 5 };

static BOOLEAN never_fired(PKINTERRUPT interrupt, PVOID context) { return TRUE; }

void bench_locks_init(bench_locks *locks) {
    KeInitializeSpinLock(&locks->spin);
    locks->ex = 0;
    locks->interrupt = sim_interrupt_named(never_fired, locks, BENCH_DIRQL, BENCH_DIRQL, 0, "bench");
}

static void spin_pairs(PKSPIN_LOCK lock, long pairs) {
    for (long i = 0; i < pairs; i++) {
        KIRQL old;
        KeAcquireSpinLock(lock, &old);
        KeReleaseSpinLock(lock, old);
    }
}

static void raise_to_dpc_pairs(PKSPIN_LOCK lock, long pairs) {
    for (long i = 0; i < pairs; i++)
        KeReleaseSpinLock(lock, KeAcquireSpinLockRaiseToDpc(lock));
}

static void at_dpc_pairs(PKSPIN_LOCK lock, long pairs) {
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (long i = 0; i < pairs; i++) {
        KeAcquireSpinLockAtDpcLevel(lock);
        KeReleaseSpinLockFromDpcLevel(lock);
    }
    KeLowerIrql(old);
}

static void queued_pairs(PKSPIN_LOCK lock, long pairs) {
    for (long i = 0; i < pairs; i++) {
        KLOCK_QUEUE_HANDLE handle;
        KeAcquireInStackQueuedSpinLock(lock, &handle);
        KeReleaseInStackQueuedSpinLock(&handle);
    }
}

static void interrupt_pairs(PKINTERRUPT interrupt, long pairs) {
    for (long i = 0; i < pairs; i++)
        KeReleaseInterruptSpinLock(interrupt, KeAcquireInterruptSpinLock(interrupt));
}

static void ex_shared_pairs(PEX_SPIN_LOCK lock, long pairs) {
    for (long i = 0; i < pairs; i++)
        ExReleaseSpinLockShared(lock, ExAcquireSpinLockShared(lock));
}

static void ex_exclusive_pairs(PEX_SPIN_LOCK lock, long pairs) {
    for (long i = 0; i < pairs; i++)
        ExReleaseSpinLockExclusive(lock, ExAcquireSpinLockExclusive(lock));
}

void bench_lock_pairs(bench_locks *locks, bench_family family, long pairs) {
    switch (family) {
    case BENCH_SPIN:
        spin_pairs(&locks->spin, pairs);
        break;
    case BENCH_SPIN_RAISE_TO_DPC:
        raise_to_dpc_pairs(&locks->spin, pairs);
        break;
    case BENCH_SPIN_AT_DPC:
        at_dpc_pairs(&locks->spin, pairs);
        break;
    case BENCH_QUEUED:
        queued_pairs(&locks->spin, pairs);
        break;
    case BENCH_INTERRUPT:
        interrupt_pairs(locks->interrupt, pairs);
        break;
    case BENCH_EX_SHARED:
        ex_shared_pairs(&locks->ex, pairs);
        break;
    case BENCH_EX_EXCLUSIVE:
        ex_exclusive_pairs(&locks->ex, pairs);
        break;
    case BENCH_FAMILY_COUNT:
        break;
    }
}
