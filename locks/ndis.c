/* ndis.c owns the NDIS subset of ndis.h: NDIS_SPIN_LOCK, NDIS_RW_LOCK_EX,
 * the NdisInterlocked list routines and NDIS pool memory.
 *
 * Every lock goes through the code the WDM routines use, under the NDIS
 * routine's name: an NDIS_SPIN_LOCK is a KSPIN_LOCK taken by spinlock.c
 * (NdisAcquireSpinLock raises and keeps the Old IRQL in the lock;
 * NdisDprAcquireSpinLock is the AtDpcLevel form, for callers at
 * DISPATCH_LEVEL); the list routines are exlist.c's on the lock's word;
 * an NDIS_RW_LOCK_EX is an EX_SPIN_LOCK of exlock.c, whose LOCK_STATE_EX
 * keeps the Old IRQL and how it was taken.
 *
 * NDIS lets a processor that holds an NDIS_RW_LOCK_EX for read take it for
 * read again (the lock is per-processor for readers); an EX_SPIN_LOCK
 * would deadlock behind a waiting writer there. So the lock counts each
 * CPU's read holds: a nested read acquire on a CPU that already reads
 * (at DISPATCH_LEVEL, so by the same context) only counts, and its
 * release only uncounts; the first and last go to the EX_SPIN_LOCK. The
 * counts are bookkeeping of the CPU that owns them. */
#include "ndis.h"
#include "lock_internal.h"
#include "sim.h"

enum { LOCK_STATE_READ = 1, LOCK_STATE_WRITE = 2, LOCK_STATE_READ_NESTED = 3 };

struct _NDIS_RW_LOCK_EX {
    EX_SPIN_LOCK Lock;
    ULONG Readers[SIM_CPUS_MAX]; /* read holds per CPU */
};

VOID spinsim_NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    SpinLock->OldIrql = PASSIVE_LEVEL;
    spinsim_KeInitializeSpinLock(&SpinLock->SpinLock, site);
}

VOID spinsim_NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    spinsim_routine_enter("NdisFreeSpinLock", DISPATCH_LEVEL, site);
}

VOID spinsim_NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    locks_spin_acquire_raising(&SpinLock->SpinLock, "NdisAcquireSpinLock", SIM_LOCK_SPIN, &SpinLock->OldIrql, site);
}

VOID spinsim_NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = SpinLock->OldIrql;
    locks_spin_release_as(&SpinLock->SpinLock, "NdisReleaseSpinLock", SIM_LOCK_SPIN, old, old, site);
}

VOID spinsim_NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    locks_spin_acquire_at_dpc(&SpinLock->SpinLock, "NdisDprAcquireSpinLock", SIM_LOCK_SPIN_AT_DPC, SIM_IRQL_NONE, site);
}

VOID spinsim_NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    locks_spin_release_as(&SpinLock->SpinLock, "NdisDprReleaseSpinLock", SIM_LOCK_SPIN_AT_DPC, SIM_IRQL_NONE,
                          SIM_IRQL_NONE, site);
}

/* ---- NDIS_RW_LOCK_EX ------------------------------------------------------ */

PNDIS_RW_LOCK_EX spinsim_NdisAllocateRWLock(NDIS_HANDLE NdisHandle, const sim_site *site) {
    spinsim_routine_enter("NdisAllocateRWLock", DISPATCH_LEVEL, site);
    return sim_alloc(sizeof(NDIS_RW_LOCK_EX));
}

VOID spinsim_NdisFreeRWLock(PNDIS_RW_LOCK_EX Lock, const sim_site *site) {
    spinsim_routine_enter("NdisFreeRWLock", DISPATCH_LEVEL, site);
}

/* This CPU's read holds; meaningful at DISPATCH_LEVEL, where the caller
 * cannot move. */
LOCKS_BOOKKEEPING static bool reading_here(PNDIS_RW_LOCK_EX Lock) {
    return sim_irql_get() >= DISPATCH_LEVEL && Lock->Readers[sim_cpu_current()] > 0;
}

LOCKS_BOOKKEEPING static void count_read_here(PNDIS_RW_LOCK_EX Lock, LONG change) {
    Lock->Readers[sim_cpu_current()] += (ULONG)change;
}

VOID spinsim_NdisAcquireRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags, BOOLEAN Write,
                               const sim_site *site) {
    sim_site_set(site);
    const char *routine = Write ? "NdisAcquireRWLockWrite" : "NdisAcquireRWLockRead";
    const bool at_dpc = (Flags & NDIS_RWL_AT_DISPATCH_LEVEL) != 0;
    LockState->Flags = Flags;
    if (!Write && reading_here(Lock)) {
        sim_yield_step(routine);
        count_read_here(Lock, 1);
        LockState->LockState = LOCK_STATE_READ_NESTED;
        return;
    }
    const KIRQL old = locks_ex_acquire(&Lock->Lock, Write, at_dpc, routine, site);
    LockState->OldIrql = at_dpc ? DISPATCH_LEVEL : old;
    LockState->LockState = Write ? LOCK_STATE_WRITE : LOCK_STATE_READ;
    if (!Write)
        count_read_here(Lock, 1);
}

VOID spinsim_NdisReleaseRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, const sim_site *site) {
    sim_site_set(site);
    const bool write = LockState->LockState == LOCK_STATE_WRITE;
    if (!write)
        count_read_here(Lock, -1);
    if (LockState->LockState == LOCK_STATE_READ_NESTED) {
        sim_yield_step("NdisReleaseRWLock");
        return;
    }
    locks_ex_release(&Lock->Lock, write, (LockState->Flags & NDIS_RWL_AT_DISPATCH_LEVEL) != 0, LockState->OldIrql,
                     "NdisReleaseRWLock", site);
}

/* ---- interlocked lists ------------------------------------------------------ */

PLIST_ENTRY spinsim_NdisInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site) {
    return locks_list_locked("NdisInterlockedInsertHeadList", LOCKS_LIST_INSERT_HEAD, ListHead, ListEntry,
                             &SpinLock->SpinLock, site);
}

PLIST_ENTRY spinsim_NdisInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site) {
    return locks_list_locked("NdisInterlockedInsertTailList", LOCKS_LIST_INSERT_TAIL, ListHead, ListEntry,
                             &SpinLock->SpinLock, site);
}

PLIST_ENTRY spinsim_NdisInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site) {
    return locks_list_locked("NdisInterlockedRemoveHeadList", LOCKS_LIST_REMOVE_HEAD, ListHead, NULL,
                             &SpinLock->SpinLock, site);
}

PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY ListEntry,
                                                        PNDIS_SPIN_LOCK SpinLock, const sim_site *site) {
    return locks_list_locked("NdisInterlockedPushEntryList", LOCKS_LIST_PUSH, ListHead, ListEntry, &SpinLock->SpinLock,
                             site);
}

PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock,
                                                       const sim_site *site) {
    return locks_list_locked("NdisInterlockedPopEntryList", LOCKS_LIST_POP, ListHead, NULL, &SpinLock->SpinLock, site);
}

/* ---- memory ------------------------------------------------------------- */

/* Nonpaged pool; Priority only matters when memory is short, which it is not. */
PVOID spinsim_NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                                EX_POOL_PRIORITY Priority, const sim_site *site) {
    return spinsim_ExAllocatePoolType("NdisAllocateMemoryWithTagPriority", NonPagedPoolNx, FALSE, Length, Tag, site);
}

VOID spinsim_NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags, const sim_site *site) {
    spinsim_ExFreePoolWithTag(VirtualAddress, 0, site);
}
