/* wdm.h: the WDK surface a driver's locking code uses, for building it
 * unchanged against spinsim (`-I locks/include -I sim/include`). Types keep
 * their Windows sizes on LP64 (LONG/ULONG 32-bit, WCHAR 16-bit). Every
 * routine is a macro over a spinsim_ function that also receives the call
 * site, so reports name the driver's file, line and function. SAL
 * annotations are accepted and ignored. Semantics: docs/windows-contract.md. */
#ifndef SPINSIM_WDM_H
#define SPINSIM_WDM_H

#include <stddef.h>
#include <stdint.h>

#include "sim_site.h"

/* `#pragma alloc_text(PAGE, Fn)` and friends are accepted: drivers use them. */
#pragma clang diagnostic ignored "-Wunknown-pragmas"

/* ---- basic types -------------------------------------------------------- */

#define VOID void
typedef void *PVOID;
typedef char CHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WCHAR, *PWCHAR;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONG64, *PLONG64, LONGLONG, *PLONGLONG;
typedef uint64_t ULONG64, *PULONG64, ULONGLONG, *PULONGLONG;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef LONG NTSTATUS;
typedef CHAR CCHAR;
typedef ULONG_PTR KAFFINITY;
typedef UCHAR KIRQL, *PKIRQL;
typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;
typedef LONG volatile EX_SPIN_LOCK, *PEX_SPIN_LOCK;

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define NTAPI
#define NTKERNELAPI
#define FORCEINLINE static inline __attribute__((always_inline))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define DECLSPEC_CACHEALIGN __attribute__((aligned(64)))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define CONTAINING_RECORD(address, type, field) ((type *)((PUCHAR)(address)-offsetof(type, field)))

/* ---- status codes ------------------------------------------------------- */

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000L)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

/* ---- IRQL ------------------------------------------------------------------ */

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define SYNCH_LEVEL 12
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

/* ---- SAL annotations (accepted, ignored) ---------------------------------- */

#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _Outptr_
#define _Outptr_result_maybenull_
#define _In_reads_bytes_(size)
#define _Out_writes_bytes_(size)
#define _Field_size_(size)
#define _Interlocked_operand_
#define _Notnull_
#define _Ret_maybenull_
#define _Must_inspect_result_
#define _Success_(expr)
#define _When_(expr, annotations)
#define _Pre_
#define _Post_
#define _Post_satisfies_(expr)
#define _Use_decl_annotations_
#define _Function_class_(name)
#define _Dispatch_type_(type)
#define _Analysis_assume_(expr)
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_requires_same_
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(kind, param)
#define _IRQL_restores_global_(kind, param)
#define _IRQL_always_function_min_(irql)
#define _IRQL_always_function_max_(irql)
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Requires_lock_held_(lock)
#define _Requires_lock_not_held_(lock)
#define _Acquires_exclusive_lock_(lock)
#define _Releases_exclusive_lock_(lock)
#define _Acquires_shared_lock_(lock)
#define _Releases_shared_lock_(lock)
#define _Guarded_by_(lock)
#define _Kernel_requires_resource_held_(resource)
#define _Kernel_requires_resource_not_held_(resource)
#define _Kernel_acquires_resource_(resource)
#define _Kernel_releases_resource_(resource)
#define _Frees_ptr_(ptr)
#define _Frees_ptr_opt_
#define __drv_maxIRQL(irql)
#define __drv_minIRQL(irql)
#define __drv_requiresIRQL(irql)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_setsIRQL(irql)
#define __drv_aliasesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)

/* ---- lists ---------------------------------------------------------------- */

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

FORCEINLINE VOID InitializeListHead(PLIST_ENTRY ListHead) { ListHead->Flink = ListHead->Blink = ListHead; }
FORCEINLINE BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead) { return (BOOLEAN)(ListHead->Flink == ListHead); }
FORCEINLINE BOOLEAN RemoveEntryList(PLIST_ENTRY Entry) {
    PLIST_ENTRY Flink = Entry->Flink, Blink = Entry->Blink;
    Blink->Flink = Flink;
    Flink->Blink = Blink;
    return (BOOLEAN)(Flink == Blink);
}
FORCEINLINE PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead) {
    PLIST_ENTRY Entry = ListHead->Flink;
    RemoveEntryList(Entry);
    return Entry;
}
FORCEINLINE PLIST_ENTRY RemoveTailList(PLIST_ENTRY ListHead) {
    PLIST_ENTRY Entry = ListHead->Blink;
    RemoveEntryList(Entry);
    return Entry;
}
FORCEINLINE VOID InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry) {
    PLIST_ENTRY Blink = ListHead->Blink;
    Entry->Flink = ListHead;
    Entry->Blink = Blink;
    Blink->Flink = Entry;
    ListHead->Blink = Entry;
}
FORCEINLINE VOID InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry) {
    PLIST_ENTRY Flink = ListHead->Flink;
    Entry->Flink = Flink;
    Entry->Blink = ListHead;
    Flink->Blink = Entry;
    ListHead->Flink = Entry;
}

/* ---- objects -------------------------------------------------------------- */

typedef struct _KDPC *PKDPC, *PRKDPC;
typedef struct _KINTERRUPT *PKINTERRUPT;

typedef _Function_class_(KDEFERRED_ROUTINE) VOID
    KDEFERRED_ROUTINE(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;
typedef _Function_class_(KSERVICE_ROUTINE) BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, PVOID ServiceContext);
typedef KSERVICE_ROUTINE *PKSERVICE_ROUTINE;
typedef _Function_class_(KSYNCHRONIZE_ROUTINE) BOOLEAN KSYNCHRONIZE_ROUTINE(PVOID SynchronizeContext);
typedef KSYNCHRONIZE_ROUTINE *PKSYNCHRONIZE_ROUTINE;
typedef _Function_class_(KSTART_ROUTINE) VOID KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;

typedef enum _KDPC_IMPORTANCE { LowImportance, MediumImportance, HighImportance, MediumHighImportance } KDPC_IMPORTANCE;

/* The KDPC keeps Windows' public field names. `Inserted` is the queued flag
 * the machine clears when it dequeues the DPC, before the routine runs;
 * `Number` is the target CPU + 1, or 0 for "the inserting CPU". */
typedef struct _KDPC {
    UCHAR Type; /* DPC_NORMAL or DPC_THREADED */
    UCHAR Importance;
    volatile USHORT Number;
    volatile LONG Inserted;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    const char *Name; /* for reports: the routine's name */
} KDPC, *PKDPC_OBJECT;

#define DPC_NORMAL 0
#define DPC_THREADED 1

/* In-stack queued spin locks (MCS). Low bits of LockQueue.Lock are flags. */
typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE *volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

#define LOCK_QUEUE_WAIT 1
#define LOCK_QUEUE_OWNER 2

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _KWAIT_REASON { Executive = 0, UserRequest = 6 } KWAIT_REASON;
typedef CCHAR KPROCESSOR_MODE;
typedef enum _MODE { KernelMode, UserMode } MODE;

typedef struct _KEVENT {
    volatile LONG SignalState;
    UCHAR Type; /* EVENT_TYPE */
} KEVENT, *PKEVENT, *PRKEVENT;

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _KTIMER {
    volatile LONG Inserted;
    LONGLONG DueTime;
    PKDPC Dpc;
    volatile LONG SignalState;
} KTIMER, *PKTIMER;

typedef struct _PROCESSOR_NUMBER {
    USHORT Group;
    UCHAR Number;
    UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

typedef enum _KINTERRUPT_MODE { LevelSensitive, Latched } KINTERRUPT_MODE;

typedef enum _POOL_TYPE { NonPagedPool = 0, NonPagedPoolExecute = 0, PagedPool = 1, NonPagedPoolNx = 512 } POOL_TYPE;
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL

/* ---- the implementation behind the macros ------------------------------- */

#define SPINSIM_ROUTINE(name) spinsim_##name
#define SPINSIM_SITE SIM_SITE_HERE

VOID spinsim_KeInitializeSpinLock(PKSPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql, const sim_site *site);
KIRQL spinsim_KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql, const sim_site *site);
VOID spinsim_KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site);
BOOLEAN spinsim_KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, const sim_site *site);
BOOLEAN spinsim_KeTestSpinLock(PKSPIN_LOCK SpinLock, const sim_site *site);
KIRQL spinsim_KeAcquireSpinLockForDpc(PKSPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_KeReleaseSpinLockForDpc(PKSPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site);

VOID spinsim_KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site);
VOID spinsim_KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle,
                                                      const sim_site *site);
VOID spinsim_KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle,
                                                  const sim_site *site);
VOID spinsim_KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site);
VOID spinsim_KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site);
VOID spinsim_KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle, const sim_site *site);

KIRQL spinsim_KeAcquireInterruptSpinLock(PKINTERRUPT Interrupt, const sim_site *site);
VOID spinsim_KeReleaseInterruptSpinLock(PKINTERRUPT Interrupt, KIRQL OldIrql, const sim_site *site);
BOOLEAN spinsim_KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
                                       PVOID SynchronizeContext, const sim_site *site);
NTSTATUS spinsim_IoConnectInterrupt(PKINTERRUPT *InterruptObject, PKSERVICE_ROUTINE ServiceRoutine,
                                    PVOID ServiceContext, PKSPIN_LOCK SpinLock, ULONG Vector, KIRQL Irql,
                                    KIRQL SynchronizeIrql, KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector,
                                    KAFFINITY ProcessorEnableMask, BOOLEAN FloatingSave, const sim_site *site);

KIRQL spinsim_ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock, const sim_site *site);
KIRQL spinsim_ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site);
VOID spinsim_ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql, const sim_site *site);
VOID spinsim_ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);
ULONG spinsim_ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock, const sim_site *site);
BOOLEAN spinsim_ExTryAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);
BOOLEAN spinsim_ExTryAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock, const sim_site *site);

KIRQL spinsim_KeGetCurrentIrql(const sim_site *site);
VOID spinsim_KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql, const sim_site *site);
VOID spinsim_KeLowerIrql(KIRQL NewIrql, const sim_site *site);
KIRQL spinsim_KeRaiseIrqlToDpcLevel(const sim_site *site);
ULONG spinsim_KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber, const sim_site *site);
ULONG spinsim_KeQueryActiveProcessorCount(PVOID ActiveProcessors, const sim_site *site);
VOID spinsim_KeStallExecutionProcessor(ULONG MicroSeconds, const sim_site *site);
VOID spinsim_YieldProcessor(const sim_site *site);
VOID spinsim_PagedCode(const sim_site *site);

VOID spinsim_KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext,
                             const char *routine_name, const sim_site *site);
VOID spinsim_KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext,
                                     const char *routine_name, const sim_site *site);
BOOLEAN spinsim_KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2, const sim_site *site);
BOOLEAN spinsim_KeRemoveQueueDpc(PRKDPC Dpc, const sim_site *site);
VOID spinsim_KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number, const sim_site *site);
VOID spinsim_KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance, const sim_site *site);
VOID spinsim_KeFlushQueuedDpcs(const sim_site *site);

VOID spinsim_KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State, const sim_site *site);
LONG spinsim_KeSetEvent(PRKEVENT Event, LONG Increment, BOOLEAN Wait, const sim_site *site);
VOID spinsim_KeClearEvent(PRKEVENT Event, const sim_site *site);
NTSTATUS spinsim_KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                       BOOLEAN Alertable, PLARGE_INTEGER Timeout, const sim_site *site);

VOID spinsim_KeInitializeTimer(PKTIMER Timer, const sim_site *site);
BOOLEAN spinsim_KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc, const sim_site *site);
BOOLEAN spinsim_KeCancelTimer(PKTIMER Timer, const sim_site *site);

PVOID spinsim_ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, const sim_site *site);
PVOID spinsim_ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag, const sim_site *site);
VOID spinsim_ExFreePoolWithTag(PVOID P, ULONG Tag, const sim_site *site);

PLIST_ENTRY spinsim_ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site);
PLIST_ENTRY spinsim_ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site);
PLIST_ENTRY spinsim_ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock, const sim_site *site);

LONG spinsim_InterlockedIncrement(LONG volatile *Addend, const sim_site *site);
LONG spinsim_InterlockedDecrement(LONG volatile *Addend, const sim_site *site);
LONG spinsim_InterlockedExchange(LONG volatile *Target, LONG Value, const sim_site *site);
LONG spinsim_InterlockedExchangeAdd(LONG volatile *Addend, LONG Value, const sim_site *site);
LONG spinsim_InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand,
                                        const sim_site *site);
LONG spinsim_InterlockedOr(LONG volatile *Destination, LONG Value, const sim_site *site);
LONG spinsim_InterlockedAnd(LONG volatile *Destination, LONG Value, const sim_site *site);
LONG spinsim_InterlockedXor(LONG volatile *Destination, LONG Value, const sim_site *site);
LONG64 spinsim_InterlockedIncrement64(LONG64 volatile *Addend, const sim_site *site);
LONG64 spinsim_InterlockedDecrement64(LONG64 volatile *Addend, const sim_site *site);
LONG64 spinsim_InterlockedExchange64(LONG64 volatile *Target, LONG64 Value, const sim_site *site);
LONG64 spinsim_InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value, const sim_site *site);
LONG64 spinsim_InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange, LONG64 Comparand,
                                            const sim_site *site);
LONG64 spinsim_InterlockedOr64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site);
LONG64 spinsim_InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site);
LONG64 spinsim_InterlockedXor64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site);
PVOID spinsim_InterlockedExchangePointer(PVOID volatile *Target, PVOID Value, const sim_site *site);
PVOID spinsim_InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange, PVOID Comparand,
                                                const sim_site *site);

/* ---- the WDK names ---------------------------------------------------------- */

#define KeInitializeSpinLock(L) spinsim_KeInitializeSpinLock((L), SPINSIM_SITE)
#define KeAcquireSpinLock(L, OldIrql) spinsim_KeAcquireSpinLock((L), (OldIrql), SPINSIM_SITE)
#define KeAcquireSpinLockRaiseToDpc(L) spinsim_KeAcquireSpinLockRaiseToDpc((L), SPINSIM_SITE)
#define KeReleaseSpinLock(L, NewIrql) spinsim_KeReleaseSpinLock((L), (NewIrql), SPINSIM_SITE)
#define KeAcquireSpinLockAtDpcLevel(L) spinsim_KeAcquireSpinLockAtDpcLevel((L), SPINSIM_SITE)
#define KeReleaseSpinLockFromDpcLevel(L) spinsim_KeReleaseSpinLockFromDpcLevel((L), SPINSIM_SITE)
#define KeTryToAcquireSpinLockAtDpcLevel(L) spinsim_KeTryToAcquireSpinLockAtDpcLevel((L), SPINSIM_SITE)
#define KeTestSpinLock(L) spinsim_KeTestSpinLock((L), SPINSIM_SITE)
#define KeAcquireSpinLockForDpc(L) spinsim_KeAcquireSpinLockForDpc((L), SPINSIM_SITE)
#define KeReleaseSpinLockForDpc(L, OldIrql) spinsim_KeReleaseSpinLockForDpc((L), (OldIrql), SPINSIM_SITE)

#define KeAcquireInStackQueuedSpinLock(L, H) spinsim_KeAcquireInStackQueuedSpinLock((L), (H), SPINSIM_SITE)
#define KeAcquireInStackQueuedSpinLockAtDpcLevel(L, H)                                                                 \
    spinsim_KeAcquireInStackQueuedSpinLockAtDpcLevel((L), (H), SPINSIM_SITE)
#define KeAcquireInStackQueuedSpinLockForDpc(L, H) spinsim_KeAcquireInStackQueuedSpinLockForDpc((L), (H), SPINSIM_SITE)
#define KeReleaseInStackQueuedSpinLock(H) spinsim_KeReleaseInStackQueuedSpinLock((H), SPINSIM_SITE)
#define KeReleaseInStackQueuedSpinLockFromDpcLevel(H)                                                                  \
    spinsim_KeReleaseInStackQueuedSpinLockFromDpcLevel((H), SPINSIM_SITE)
#define KeReleaseInStackQueuedSpinLockForDpc(H) spinsim_KeReleaseInStackQueuedSpinLockForDpc((H), SPINSIM_SITE)

#define KeAcquireInterruptSpinLock(I) spinsim_KeAcquireInterruptSpinLock((I), SPINSIM_SITE)
#define KeReleaseInterruptSpinLock(I, OldIrql) spinsim_KeReleaseInterruptSpinLock((I), (OldIrql), SPINSIM_SITE)
#define KeSynchronizeExecution(I, Routine, Context)                                                                    \
    spinsim_KeSynchronizeExecution((I), (Routine), (Context), SPINSIM_SITE)
#define IoConnectInterrupt(Object, Isr, Context, Lock, Vector, Irql, SyncIrql, Mode, Share, Mask, Fp)                  \
    spinsim_IoConnectInterrupt((Object), (Isr), (Context), (Lock), (Vector), (Irql), (SyncIrql), (Mode), (Share),      \
                               (Mask), (Fp), SPINSIM_SITE)

#define ExAcquireSpinLockShared(L) spinsim_ExAcquireSpinLockShared((L), SPINSIM_SITE)
#define ExAcquireSpinLockExclusive(L) spinsim_ExAcquireSpinLockExclusive((L), SPINSIM_SITE)
#define ExAcquireSpinLockSharedAtDpcLevel(L) spinsim_ExAcquireSpinLockSharedAtDpcLevel((L), SPINSIM_SITE)
#define ExAcquireSpinLockExclusiveAtDpcLevel(L) spinsim_ExAcquireSpinLockExclusiveAtDpcLevel((L), SPINSIM_SITE)
#define ExReleaseSpinLockShared(L, OldIrql) spinsim_ExReleaseSpinLockShared((L), (OldIrql), SPINSIM_SITE)
#define ExReleaseSpinLockExclusive(L, OldIrql) spinsim_ExReleaseSpinLockExclusive((L), (OldIrql), SPINSIM_SITE)
#define ExReleaseSpinLockSharedFromDpcLevel(L) spinsim_ExReleaseSpinLockSharedFromDpcLevel((L), SPINSIM_SITE)
#define ExReleaseSpinLockExclusiveFromDpcLevel(L) spinsim_ExReleaseSpinLockExclusiveFromDpcLevel((L), SPINSIM_SITE)
#define ExTryConvertSharedSpinLockExclusive(L) spinsim_ExTryConvertSharedSpinLockExclusive((L), SPINSIM_SITE)
#define ExTryAcquireSpinLockSharedAtDpcLevel(L) spinsim_ExTryAcquireSpinLockSharedAtDpcLevel((L), SPINSIM_SITE)
#define ExTryAcquireSpinLockExclusiveAtDpcLevel(L) spinsim_ExTryAcquireSpinLockExclusiveAtDpcLevel((L), SPINSIM_SITE)

#define KeGetCurrentIrql() spinsim_KeGetCurrentIrql(SPINSIM_SITE)
#define KeRaiseIrql(NewIrql, OldIrql) spinsim_KeRaiseIrql((NewIrql), (OldIrql), SPINSIM_SITE)
#define KeLowerIrql(NewIrql) spinsim_KeLowerIrql((NewIrql), SPINSIM_SITE)
#define KeRaiseIrqlToDpcLevel() spinsim_KeRaiseIrqlToDpcLevel(SPINSIM_SITE)
#define KeGetCurrentProcessorNumber() spinsim_KeGetCurrentProcessorNumberEx(NULL, SPINSIM_SITE)
#define KeGetCurrentProcessorNumberEx(P) spinsim_KeGetCurrentProcessorNumberEx((P), SPINSIM_SITE)
#define KeQueryActiveProcessorCount(A) spinsim_KeQueryActiveProcessorCount((A), SPINSIM_SITE)
#define KeStallExecutionProcessor(Us) spinsim_KeStallExecutionProcessor((Us), SPINSIM_SITE)
#define YieldProcessor() spinsim_YieldProcessor(SPINSIM_SITE)
#define PAGED_CODE() spinsim_PagedCode(SPINSIM_SITE)

#define KeInitializeDpc(Dpc, Routine, Context)                                                                         \
    spinsim_KeInitializeDpc((Dpc), (Routine), (Context), #Routine, SPINSIM_SITE)
#define KeInitializeThreadedDpc(Dpc, Routine, Context)                                                                 \
    spinsim_KeInitializeThreadedDpc((Dpc), (Routine), (Context), #Routine, SPINSIM_SITE)
#define KeInsertQueueDpc(Dpc, A1, A2) spinsim_KeInsertQueueDpc((Dpc), (A1), (A2), SPINSIM_SITE)
#define KeRemoveQueueDpc(Dpc) spinsim_KeRemoveQueueDpc((Dpc), SPINSIM_SITE)
#define KeSetTargetProcessorDpc(Dpc, Number) spinsim_KeSetTargetProcessorDpc((Dpc), (Number), SPINSIM_SITE)
#define KeSetImportanceDpc(Dpc, Importance) spinsim_KeSetImportanceDpc((Dpc), (Importance), SPINSIM_SITE)
#define KeFlushQueuedDpcs() spinsim_KeFlushQueuedDpcs(SPINSIM_SITE)

#define KeInitializeEvent(E, Type, State) spinsim_KeInitializeEvent((E), (Type), (State), SPINSIM_SITE)
#define KeSetEvent(E, Increment, Wait) spinsim_KeSetEvent((E), (Increment), (Wait), SPINSIM_SITE)
#define KeClearEvent(E) spinsim_KeClearEvent((E), SPINSIM_SITE)
#define KeWaitForSingleObject(O, Reason, Mode, Alertable, Timeout)                                                     \
    spinsim_KeWaitForSingleObject((O), (Reason), (Mode), (Alertable), (Timeout), SPINSIM_SITE)

#define KeInitializeTimer(T) spinsim_KeInitializeTimer((T), SPINSIM_SITE)
#define KeSetTimer(T, DueTime, Dpc) spinsim_KeSetTimer((T), (DueTime), (Dpc), SPINSIM_SITE)
#define KeCancelTimer(T) spinsim_KeCancelTimer((T), SPINSIM_SITE)

#define ExAllocatePool2(Flags, Size, Tag) spinsim_ExAllocatePool2((Flags), (Size), (Tag), SPINSIM_SITE)
#define ExAllocatePoolWithTag(Type, Size, Tag) spinsim_ExAllocatePoolWithTag((Type), (Size), (Tag), SPINSIM_SITE)
#define ExFreePoolWithTag(P, Tag) spinsim_ExFreePoolWithTag((P), (Tag), SPINSIM_SITE)
#define ExFreePool(P) spinsim_ExFreePoolWithTag((P), 0, SPINSIM_SITE)

#define ExInterlockedInsertHeadList(Head, Entry, Lock)                                                                 \
    spinsim_ExInterlockedInsertHeadList((Head), (Entry), (Lock), SPINSIM_SITE)
#define ExInterlockedInsertTailList(Head, Entry, Lock)                                                                 \
    spinsim_ExInterlockedInsertTailList((Head), (Entry), (Lock), SPINSIM_SITE)
#define ExInterlockedRemoveHeadList(Head, Lock) spinsim_ExInterlockedRemoveHeadList((Head), (Lock), SPINSIM_SITE)

#define InterlockedIncrement(A) spinsim_InterlockedIncrement((A), SPINSIM_SITE)
#define InterlockedDecrement(A) spinsim_InterlockedDecrement((A), SPINSIM_SITE)
#define InterlockedExchange(T, V) spinsim_InterlockedExchange((T), (V), SPINSIM_SITE)
#define InterlockedExchangeAdd(A, V) spinsim_InterlockedExchangeAdd((A), (V), SPINSIM_SITE)
#define InterlockedCompareExchange(D, E, C) spinsim_InterlockedCompareExchange((D), (E), (C), SPINSIM_SITE)
#define InterlockedOr(D, V) spinsim_InterlockedOr((D), (V), SPINSIM_SITE)
#define InterlockedAnd(D, V) spinsim_InterlockedAnd((D), (V), SPINSIM_SITE)
#define InterlockedXor(D, V) spinsim_InterlockedXor((D), (V), SPINSIM_SITE)
#define InterlockedIncrement64(A) spinsim_InterlockedIncrement64((A), SPINSIM_SITE)
#define InterlockedDecrement64(A) spinsim_InterlockedDecrement64((A), SPINSIM_SITE)
#define InterlockedExchange64(T, V) spinsim_InterlockedExchange64((T), (V), SPINSIM_SITE)
#define InterlockedExchangeAdd64(A, V) spinsim_InterlockedExchangeAdd64((A), (V), SPINSIM_SITE)
#define InterlockedCompareExchange64(D, E, C) spinsim_InterlockedCompareExchange64((D), (E), (C), SPINSIM_SITE)
#define InterlockedOr64(D, V) spinsim_InterlockedOr64((D), (V), SPINSIM_SITE)
#define InterlockedAnd64(D, V) spinsim_InterlockedAnd64((D), (V), SPINSIM_SITE)
#define InterlockedXor64(D, V) spinsim_InterlockedXor64((D), (V), SPINSIM_SITE)
#define InterlockedExchangePointer(T, V) spinsim_InterlockedExchangePointer((T), (V), SPINSIM_SITE)
#define InterlockedCompareExchangePointer(D, E, C)                                                                     \
    spinsim_InterlockedCompareExchangePointer((D), (E), (C), SPINSIM_SITE)

#endif
