/* lock_pairs.h: the uncontended acquire+release loop of each lock family,
 * one source compiled twice: into the simulated bench (a scenario thread
 * runs it, bench_scenarios.c) and against the native backend
 * (bench/native/native_pairs.c), so both sides time the very same lock
 * code. */
#ifndef BENCH_LOCK_PAIRS_H
#define BENCH_LOCK_PAIRS_H

#include <wdm.h>

typedef enum bench_family {
    BENCH_SPIN,              /* KeAcquireSpinLock / KeReleaseSpinLock */
    BENCH_SPIN_RAISE_TO_DPC, /* KeAcquireSpinLockRaiseToDpc / KeReleaseSpinLock */
    BENCH_SPIN_AT_DPC,       /* KeAcquireSpinLockAtDpcLevel / KeReleaseSpinLockFromDpcLevel, at DISPATCH_LEVEL */
    BENCH_QUEUED,            /* KeAcquireInStackQueuedSpinLock / KeReleaseInStackQueuedSpinLock */
    BENCH_INTERRUPT,         /* KeAcquireInterruptSpinLock / KeReleaseInterruptSpinLock */
    BENCH_EX_SHARED,         /* ExAcquireSpinLockShared / ExReleaseSpinLockShared */
    BENCH_EX_EXCLUSIVE,      /* ExAcquireSpinLockExclusive / ExReleaseSpinLockExclusive */
    BENCH_FAMILY_COUNT
} bench_family;

/* The acquire routine that names each family in the table. */
extern const char *const bench_family_names[BENCH_FAMILY_COUNT];

typedef struct bench_locks {
    KSPIN_LOCK spin;
    EX_SPIN_LOCK ex;
    PKINTERRUPT interrupt; /* connected, never fired */
} bench_locks;

/* Initializes every lock and connects the interrupt (in a scenario's setup). */
void bench_locks_init(bench_locks *locks);

/* `pairs` uncontended acquire+release pairs of `family`, from PASSIVE_LEVEL. */
void bench_lock_pairs(bench_locks *locks, bench_family family, long pairs);

#endif
