/* ndis.h: the NDIS surface of a miniport's or filter's locking code, a
 * subset of the WDK's ndis.h over the same checked lock code as wdm.h
 * (locks/ndis.c): NDIS_SPIN_LOCK with its raising and Dpr forms, the
 * NDIS_RW_LOCK_EX reader/writer lock, the NdisInterlocked list and counter
 * routines, and NDIS pool memory. Reports name the NDIS routine (e.g.
 * NdisDprAcquireSpinLock) and the driver's line.
 *
 * NET_BUFFER_LIST and the miniport and filter registration are not part
 * of the subset: a harness calls the driver's handlers itself. */
#ifndef SPINSIM_NDIS_H
#define SPINSIM_NDIS_H

#include "wdm.h"

typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;

#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)STATUS_INVALID_PARAMETER)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)STATUS_NOT_SUPPORTED)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)STATUS_BUFFER_TOO_SMALL)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)STATUS_REQUEST_ABORTED)

/* The raising forms keep the Old IRQL in the lock, as NDIS does. */
typedef struct _NDIS_SPIN_LOCK {
    KSPIN_LOCK SpinLock;
    KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

typedef struct _NDIS_RW_LOCK_EX NDIS_RW_LOCK_EX, *PNDIS_RW_LOCK_EX;

/* One per acquisition of an NDIS_RW_LOCK_EX, private to its caller. */
typedef struct _LOCK_STATE_EX {
    KIRQL OldIrql;
    UCHAR LockState;
    UCHAR Flags;
} LOCK_STATE_EX, *PLOCK_STATE_EX;

#define NDIS_RWL_AT_DISPATCH_LEVEL 0x01

typedef enum _EX_POOL_PRIORITY {
    LowPoolPriority,
    NormalPoolPriority = 16,
    HighPoolPriority = 32,
} EX_POOL_PRIORITY;

#define NdisZeroMemory(Destination, Length) RtlZeroMemory((Destination), (Length))
#define NdisMoveMemory(Destination, Source, Length) RtlCopyMemory((Destination), (Source), (Length))
#define NdisEqualMemory(Source1, Source2, Length) RtlEqualMemory((Source1), (Source2), (Length))
#define NdisFillMemory(Destination, Length, Fill) RtlFillMemory((Destination), (Length), (Fill))

/* ---- the implementation behind the macros ------------------------------- */

VOID spinsim_NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PNDIS_RW_LOCK_EX spinsim_NdisAllocateRWLock(NDIS_HANDLE NdisHandle, const sim_site *site);
VOID spinsim_NdisFreeRWLock(PNDIS_RW_LOCK_EX Lock, const sim_site *site);
VOID spinsim_NdisAcquireRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags, BOOLEAN Write,
                               const sim_site *site);
VOID spinsim_NdisReleaseRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY ListEntry,
                                                        PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock,
                                                       const sim_site *site);
PVOID spinsim_NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                                EX_POOL_PRIORITY Priority, const sim_site *site);
VOID spinsim_NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags, const sim_site *site);

/* ---- the NDIS names ----------------------------------------------------------- */

#define NdisAllocateSpinLock(L) spinsim_NdisAllocateSpinLock((L), SPINSIM_SITE)
#define NdisFreeSpinLock(L) spinsim_NdisFreeSpinLock((L), SPINSIM_SITE)
#define NdisAcquireSpinLock(L) spinsim_NdisAcquireSpinLock((L), SPINSIM_SITE)
#define NdisReleaseSpinLock(L) spinsim_NdisReleaseSpinLock((L), SPINSIM_SITE)
#define NdisDprAcquireSpinLock(L) spinsim_NdisDprAcquireSpinLock((L), SPINSIM_SITE)
#define NdisDprReleaseSpinLock(L) spinsim_NdisDprReleaseSpinLock((L), SPINSIM_SITE)
#define NdisAllocateRWLock(Handle) spinsim_NdisAllocateRWLock((Handle), SPINSIM_SITE)
#define NdisFreeRWLock(Lock) spinsim_NdisFreeRWLock((Lock), SPINSIM_SITE)
#define NdisAcquireRWLockRead(Lock, State, Flags)                                                                      \
    spinsim_NdisAcquireRWLock((Lock), (State), (Flags), FALSE, SPINSIM_SITE)
#define NdisAcquireRWLockWrite(Lock, State, Flags)                                                                     \
    spinsim_NdisAcquireRWLock((Lock), (State), (Flags), TRUE, SPINSIM_SITE)
#define NdisReleaseRWLock(Lock, State) spinsim_NdisReleaseRWLock((Lock), (State), SPINSIM_SITE)
#define NdisInterlockedInsertHeadList(Head, Entry, Lock)                                                               \
    spinsim_NdisInterlockedInsertHeadList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedInsertTailList(Head, Entry, Lock)                                                               \
    spinsim_NdisInterlockedInsertTailList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedRemoveHeadList(Head, Lock) spinsim_NdisInterlockedRemoveHeadList((Head), (Lock), SPINSIM_SITE)
#define NdisInterlockedPushEntryList(Head, Entry, Lock)                                                                \
    spinsim_NdisInterlockedPushEntryList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedPopEntryList(Head, Lock) spinsim_NdisInterlockedPopEntryList((Head), (Lock), SPINSIM_SITE)
#define NdisInterlockedIncrement(Addend) spinsim_InterlockedIncrement((Addend), SPINSIM_SITE)
#define NdisInterlockedDecrement(Addend) spinsim_InterlockedDecrement((Addend), SPINSIM_SITE)
#define NdisAllocateMemoryWithTagPriority(Handle, Length, Tag, Priority)                                               \
    spinsim_NdisAllocateMemoryWithTagPriority((Handle), (Length), (Tag), (Priority), SPINSIM_SITE)
#define NdisFreeMemory(Address, Length, Flags) spinsim_NdisFreeMemory((Address), (Length), (Flags), SPINSIM_SITE)

#endif
