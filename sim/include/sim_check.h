/* sim_check.h: what lock code tells the checkers. Lock routines in locks/
 * report each acquire, release and explicit IRQL routine here; the checkers
 * (sim/check_*.c, one per rule family) keep each context's held locks and the
 * lock owners the wait-for graph reads, and judge every event against
 * docs/windows-contract.md. Lock code holds no rule logic of its own. */
#ifndef SIM_CHECK_H
#define SIM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_site.h"

/* Acquire/release pairs that must match (docs/windows-contract.md R7). */
typedef enum sim_lock_family {
    SIM_LOCK_SPIN,                /* KeAcquireSpinLock, ...RaiseToDpc -> KeReleaseSpinLock */
    SIM_LOCK_SPIN_AT_DPC,         /* ...AtDpcLevel, KeTryToAcquire... -> KeReleaseSpinLockFromDpcLevel */
    SIM_LOCK_SPIN_FOR_DPC,        /* KeAcquireSpinLockForDpc -> KeReleaseSpinLockForDpc */
    SIM_LOCK_QUEUED,              /* KeAcquireInStackQueuedSpinLock -> KeReleaseInStackQueuedSpinLock */
    SIM_LOCK_QUEUED_AT_DPC,       /* ...AtDpcLevel -> ...FromDpcLevel */
    SIM_LOCK_QUEUED_FOR_DPC,      /* ...ForDpc -> ...ForDpc */
    SIM_LOCK_INTERRUPT,           /* KeAcquireInterruptSpinLock, KeSynchronizeExecution, ISR entry */
    SIM_LOCK_EX_SHARED,           /* ExAcquireSpinLockShared -> ExReleaseSpinLockShared */
    SIM_LOCK_EX_EXCLUSIVE,        /* ExAcquireSpinLockExclusive -> ExReleaseSpinLockExclusive */
    SIM_LOCK_EX_SHARED_AT_DPC,    /* ...SharedAtDpcLevel, ExTryAcquire...Shared... -> ...SharedFromDpcLevel */
    SIM_LOCK_EX_EXCLUSIVE_AT_DPC, /* ...ExclusiveAtDpcLevel, ExTryAcquire...Exclusive... -> ...FromDpcLevel */
    SIM_LOCK_EX_INTERLOCKED_LIST, /* ExInterlockedInsertHeadList, ...InsertTailList, ...RemoveHeadList: the
                                   * routine takes and frees the KSPIN_LOCK itself, at HIGH_LEVEL */
    SIM_LOCK_FAMILY_COUNT
} sim_lock_family;

enum { SIM_IRQL_NONE = 0xff }; /* no IRQL argument */

typedef struct sim_lock_op {
    const char *routine; /* the WDK routine, for reports */
    const void *lock;    /* the lock word: KSPIN_LOCK, EX_SPIN_LOCK, an interrupt's ActualLock */
    sim_lock_family family;
    const void *handle;       /* the KLOCK_QUEUE_HANDLE of queued locks, else NULL */
    uint8_t irql;             /* acquire: the IRQL it saves as Old; release: the NewIrql/OldIrql passed;
                               * SIM_IRQL_NONE for the AtDpcLevel forms, which have none */
    const void *old_irql_out; /* acquire: the KIRQL variable it writes Old into once it owns the lock
                               * (KeAcquireSpinLock's OldIrql, a queue handle's OldIrql); NULL when
                               * it returns Old or has none. Releases: NULL */
    const sim_site *site;
} sim_lock_op;

/* Before an acquire starts (caller IRQL, recursion on this CPU). */
void sim_check_acquire(const sim_lock_op *op);
/* After the acquire owns the lock, before it writes Old through
 * op->old_irql_out (records the holder). */
void sim_check_acquired(const sim_lock_op *op);
/* Before a release touches the lock (ownership, family, handle, NewIrql). */
void sim_check_release(const sim_lock_op *op);
/* After the release has freed the lock (forgets the holder). */
void sim_check_released(const sim_lock_op *op);

/* A routine's caller-IRQL precondition, min..max inclusive. */
void sim_check_caller_irql(const char *routine, uint8_t irql_min, uint8_t irql_max, const sim_site *site);
/* KeRaiseIrql / KeLowerIrql / KeRaiseIrqlToDpcLevel: direction and, for a
 * lowering, that no lock acquired above the new level is still held. A
 * routine with "Raise" in its name raises, any other lowers. Releases do not
 * call it: sim_check_release judges their lowering from op->irql. */
void sim_check_irql_change(const char *routine, uint8_t irql_from, uint8_t irql_to, const sim_site *site);
/* PAGED_CODE(): forbidden at DISPATCH_LEVEL and above. */
void sim_check_paged_code(const sim_site *site);
/* KeWaitForSingleObject and the other waits, before they block: a wait that
 * can block is forbidden at DISPATCH_LEVEL and above (R12). `timeout_zero`:
 * the caller passed a zero timeout (a poll), allowed at DISPATCH_LEVEL. */
void sim_check_wait(const char *routine, bool timeout_zero, const sim_site *site);

/* ExFreePool: [start, start + size) goes back to the pool at `site`. A
 * lock, queue handle or queued KDPC still in use there is a finding now,
 * and later touches of it are findings where they happen (R16). */
void sim_check_free(const void *start, size_t size, const sim_site *site);
/* Before ExFreePool touches the block at `start`: a block already freed is
 * a double free (`memory-error`, DV 0xC2 BAD_POOL_CALLER P1=7), naming the
 * first free. True when it was (the finding was allowed): leave it be. */
bool sim_check_free_again(const void *start, const sim_site *site);

/* A driver callback that lock code runs at a fixed level: the ISR inside
 * the interrupt's service wrapper, the SynchCritSection routine of
 * KeSynchronizeExecution. Call enter just before the callback and exit
 * right after it returns, before the wrapper releases anything: the
 * callback must come back at the IRQL it was entered at and holding what it
 * was entered with (R13). */
typedef enum sim_callback_kind { SIM_CALLBACK_ISR, SIM_CALLBACK_SYNCH } sim_callback_kind;
typedef struct sim_check_callback {
    sim_callback_kind kind;
    const char *routine;  /* the callback's name, for reports */
    const void *function; /* the driver's callback, whose return a leak names */
    uint8_t irql;         /* IRQL it was entered at */
    int held_count;       /* locks held when it was entered */
} sim_check_callback;
sim_check_callback sim_check_callback_enter(sim_callback_kind kind, const char *routine, const void *function);
void sim_check_callback_exit(const sim_check_callback *callback);

#endif
