/* wdm.h: the WDK surface a driver uses, for building it unchanged against
 * spinsim (`-I locks/include -I sim/include -fshort-wchar`). Types keep the
 * x64 WDK's widths and members (ntdef.h); status codes are in ntstatus.h,
 * SAL annotations (accepted, ignored) in sal.h. Semantics:
 * docs/windows-contract.md; what each routine models, and leaves out: the
 * opening comment of its file in locks/.
 *
 * Every routine is a function-like macro over a spinsim_ function that
 * also receives the call site (SPINSIM_SITE), so reports name the driver's
 * file, line and function; every routine call is a scheduling point. The
 * list of routine names defined this way, and how a driver author adds a
 * routine this header lacks (declare and define it in the harness; give it
 * a site and a scheduling point with spinsim_routine_enter; or put
 * declarations in a header named by -DSPINSIM_EXTRA_INCLUDE="my.h", which
 * is included at the end of this one), are in locks/include/README.md.
 * Inline list helpers, Io*StackLocation accessors and the Rtl*Memory
 * macros are plain code, as in the WDK, and are no scheduling points. */
#ifndef SPINSIM_WDM_H
#define SPINSIM_WDM_H

#include <stdarg.h>
#include <string.h>

#include "ntdef.h"
#include "ntstatus.h"
#include "sal.h"
#include "sim_site.h"

/* `#pragma alloc_text(PAGE, Fn)` and friends, and pool tags written as
 * multi-character constants ('Tag1'), are accepted: drivers use them. */
#pragma clang diagnostic ignored "-Wunknown-pragmas"
#pragma clang diagnostic ignored "-Wmultichar"

/* ---- IRQL ------------------------------------------------------------------ */

typedef UCHAR KIRQL, *PKIRQL;

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

typedef CCHAR KPROCESSOR_MODE;
typedef enum _MODE { KernelMode, UserMode, MaximumMode } MODE;

/* ---- lists: plain memory, as the WDK's inline routines ------------------ */

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
/* Splices the list that ListToAppend heads (its first entry included) in
 * before ListHead. */
FORCEINLINE VOID AppendTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListToAppend) {
    PLIST_ENTRY ListEnd = ListHead->Blink;
    ListHead->Blink->Flink = ListToAppend;
    ListHead->Blink = ListToAppend->Blink;
    ListToAppend->Blink->Flink = ListHead;
    ListToAppend->Blink = ListEnd;
}
FORCEINLINE VOID PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry) {
    Entry->Next = ListHead->Next;
    ListHead->Next = Entry;
}
FORCEINLINE PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead) {
    PSINGLE_LIST_ENTRY FirstEntry = ListHead->Next;
    if (FirstEntry != NULL)
        ListHead->Next = FirstEntry->Next;
    return FirstEntry;
}

/* ---- memory: the WDK's macros over the C library -------------------------- */

#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlEqualMemory(Source1, Source2, Length) (!memcmp((Source1), (Source2), (Length)))
#define RtlSecureZeroMemory(Destination, Length) spinsim_SecureZeroMemory((Destination), (Length))
#define RtlZeroBytes RtlZeroMemory
#define RtlFillBytes RtlFillMemory
#define RtlCopyBytes RtlCopyMemory
/* RtlSecureZeroMemory: a zeroing the compiler may not drop. */
FORCEINLINE PVOID spinsim_SecureZeroMemory(PVOID Destination, SIZE_T Length) {
    volatile UCHAR *Byte = (volatile UCHAR *)Destination;
    while (Length-- > 0)
        *Byte++ = 0;
    return Destination;
}

/* ---- kernel objects ------------------------------------------------------- */

typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;
typedef LONG volatile EX_SPIN_LOCK, *PEX_SPIN_LOCK;
typedef struct _KDPC *PKDPC, *PRKDPC;
typedef struct _KINTERRUPT *PKINTERRUPT;
typedef struct _KTHREAD *PKTHREAD, *PRKTHREAD;
typedef struct _ETHREAD *PETHREAD;
typedef struct _EPROCESS *PEPROCESS;
typedef struct _OBJECT_TYPE *POBJECT_TYPE;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;
typedef struct _DRIVER_OBJECT *PDRIVER_OBJECT;
typedef struct _IRP *PIRP;
typedef struct _FILE_OBJECT *PFILE_OBJECT;
typedef struct _MDL *PMDL;

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

/* Dispatcher objects (events, semaphores, timers, threads) begin with a
 * DISPATCHER_HEADER. Type is the object's kind (KOBJECTS), SignalState its
 * state (a semaphore's count), WaitListHead the wait blocks of the
 * KeWaitForMultipleObjects calls waiting on it. */
typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    QueueObject = 4,
    SemaphoreObject = 5,
    ThreadObject = 6,
    GateObject = 7,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
} KOBJECTS;

typedef struct _DISPATCHER_HEADER {
    UCHAR Type;
    volatile LONG SignalState;
    LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _TIMER_TYPE { NotificationTimer, SynchronizationTimer } TIMER_TYPE;
typedef enum _WAIT_TYPE { WaitAll, WaitAny, WaitNotification, WaitDequeue, WaitDpc } WAIT_TYPE;

typedef enum _KWAIT_REASON {
    Executive,
    FreePage,
    PageIn,
    PoolAllocation,
    DelayExecution,
    Suspended,
    UserRequest,
    WrExecutive,
    WrFreePage,
    WrPageIn,
    WrPoolAllocation,
    WrDelayExecution,
    WrSuspended,
    WrUserRequest,
    WrSpare0,
    WrQueue,
    WrLpcReceive,
    WrLpcReply,
    WrVirtualMemory,
    WrPageOut,
    WrRendezvous,
    WrKeyedEvent,
    WrTerminated,
    WrProcessInSwap,
    WrCpuRateControl,
    WrCalloutStack,
    WrKernel,
    WrResource,
    WrPushLock,
    WrMutex,
    WrQuantumEnd,
    WrDispatchInt,
    WrPreempted,
    WrYieldExecution,
    WrFastMutex,
    WrGuardedMutex,
    WrRundown,
    WrAlertByThreadId,
    WrDeferredPreempt,
    WrPhysicalFault,
    WrIoRing,
    WrMdlCache,
    MaximumWaitReason
} KWAIT_REASON;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header; /* SignalState: the count */
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE, *PRKSEMAPHORE;

/* Inserted is spinsim's: the timer's queued flag, set while its expiry
 * waits on a DPC queue (the machine clears it when it dequeues the DPC). */
typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;
    PKDPC Dpc;
    ULONG Period;
    volatile LONG Inserted;
} KTIMER, *PKTIMER, *PRKTIMER;

/* One per object of a KeWaitForMultipleObjects call (see THREAD_WAIT_OBJECTS). */
typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry;
    UCHAR WaitType;
    UCHAR BlockState;
    USHORT WaitKey;
    PVOID Object;
    volatile LONG *Wake; /* spinsim: the waiter's wake word */
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

#define THREAD_WAIT_OBJECTS 3
#define MAXIMUM_WAIT_OBJECTS 64
#define EVENT_INCREMENT 1
#define IO_NO_INCREMENT 0
#define SEMAPHORE_INCREMENT 1
#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define MAXIMUM_PRIORITY 32

typedef struct _PROCESSOR_NUMBER {
    USHORT Group;
    UCHAR Number;
    UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

typedef enum _KINTERRUPT_MODE { LevelSensitive, Latched } KINTERRUPT_MODE;

/* ---- pool ----------------------------------------------------------------- */

/* Bit 0 of a POOL_TYPE says paged. */
typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    NonPagedPoolExecute = 0,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = 6,
    MaxPoolType = 7,
    NonPagedPoolSession = 32,
    PagedPoolSession = 33,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = 516,
    NonPagedPoolSessionNx = 544,
} POOL_TYPE;

#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE 8
#define POOL_RAISE_IF_ALLOCATION_FAILURE 16

typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL

/* ---- the I/O model -------------------------------------------------------- */

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef _Function_class_(DRIVER_INITIALIZE) NTSTATUS
    DRIVER_INITIALIZE(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef _Function_class_(DRIVER_UNLOAD) VOID DRIVER_UNLOAD(PDRIVER_OBJECT DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef _Function_class_(DRIVER_DISPATCH) NTSTATUS DRIVER_DISPATCH(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef DRIVER_DISPATCH DRIVER_DISPATCH_PAGED, DRIVER_DISPATCH_RAISED;
typedef _Function_class_(DRIVER_CANCEL) VOID DRIVER_CANCEL(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_CANCEL *PDRIVER_CANCEL;
typedef _Function_class_(DRIVER_STARTIO) VOID DRIVER_STARTIO(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_STARTIO *PDRIVER_STARTIO;
typedef _Function_class_(DRIVER_ADD_DEVICE) NTSTATUS
    DRIVER_ADD_DEVICE(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject);
typedef DRIVER_ADD_DEVICE *PDRIVER_ADD_DEVICE;
typedef _Function_class_(IO_COMPLETION_ROUTINE) NTSTATUS
    IO_COMPLETION_ROUTINE(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
typedef IO_COMPLETION_ROUTINE *PIO_COMPLETION_ROUTINE;

#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CREATE_NAMED_PIPE 0x01
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_QUERY_INFORMATION 0x05
#define IRP_MJ_SET_INFORMATION 0x06
#define IRP_MJ_QUERY_EA 0x07
#define IRP_MJ_SET_EA 0x08
#define IRP_MJ_FLUSH_BUFFERS 0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0a
#define IRP_MJ_SET_VOLUME_INFORMATION 0x0b
#define IRP_MJ_DIRECTORY_CONTROL 0x0c
#define IRP_MJ_FILE_SYSTEM_CONTROL 0x0d
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_SHUTDOWN 0x10
#define IRP_MJ_LOCK_CONTROL 0x11
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_CREATE_MAILSLOT 0x13
#define IRP_MJ_QUERY_SECURITY 0x14
#define IRP_MJ_SET_SECURITY 0x15
#define IRP_MJ_POWER 0x16
#define IRP_MJ_SYSTEM_CONTROL 0x17
#define IRP_MJ_DEVICE_CHANGE 0x18
#define IRP_MJ_QUERY_QUOTA 0x19
#define IRP_MJ_SET_QUOTA 0x1a
#define IRP_MJ_PNP 0x1b
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b

/* IO_STACK_LOCATION.Control */
#define SL_PENDING_RETURNED 0x01
#define SL_ERROR_RETURNED 0x02
#define SL_INVOKE_ON_CANCEL 0x20
#define SL_INVOKE_ON_SUCCESS 0x40
#define SL_INVOKE_ON_ERROR 0x80

#define FILE_DEVICE_UNKNOWN 0x00000022
#define FILE_DEVICE_NETWORK 0x00000012
#define FILE_DEVICE_SECURE_OPEN 0x00000100
#define FILE_AUTOGENERATED_DEVICE_NAME 0x00000080
#define DO_BUFFERED_IO 0x00000004
#define DO_EXCLUSIVE 0x00000008
#define DO_DIRECT_IO 0x00000010
#define DO_DEVICE_INITIALIZING 0x00000080
#define DO_POWER_PAGABLE 0x00002000

#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#define CTL_CODE(DeviceType, Function, Method, Access)                                                                 \
    (((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))

#define DELETE 0x00010000L
#define SYNCHRONIZE 0x00100000L
#define STANDARD_RIGHTS_REQUIRED 0x000F0000L
#define STANDARD_RIGHTS_ALL 0x001F0000L
#define GENERIC_READ 0x80000000L
#define GENERIC_WRITE 0x40000000L
#define GENERIC_EXECUTE 0x20000000L
#define GENERIC_ALL 0x10000000L
#define THREAD_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF)

typedef struct _DRIVER_EXTENSION {
    PDRIVER_OBJECT DriverObject;
    PDRIVER_ADD_DEVICE AddDevice;
    ULONG Count;
    UNICODE_STRING ServiceKeyName;
} DRIVER_EXTENSION, *PDRIVER_EXTENSION;

typedef struct _DRIVER_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject; /* the driver's devices, linked by NextDevice */
    ULONG Flags;
    PVOID DriverStart;
    ULONG DriverSize;
    PVOID DriverSection;
    PDRIVER_EXTENSION DriverExtension;
    UNICODE_STRING DriverName;
    PUNICODE_STRING HardwareDatabase;
    PVOID FastIoDispatch;
    PDRIVER_INITIALIZE DriverInit;
    PDRIVER_STARTIO DriverStartIo;
    PDRIVER_UNLOAD DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT;

typedef struct _DEVICE_OBJECT {
    CSHORT Type;
    USHORT Size;
    LONG ReferenceCount;
    PDRIVER_OBJECT DriverObject;
    PDEVICE_OBJECT NextDevice;
    PDEVICE_OBJECT AttachedDevice;
    PIRP CurrentIrp;
    ULONG Flags;
    ULONG Characteristics;
    PVOID DeviceExtension;
    ULONG DeviceType;
    CCHAR StackSize;
    ULONG AlignmentRequirement;
    KDPC Dpc;
    KEVENT DeviceLock;
} DEVICE_OBJECT;

typedef struct _FILE_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PVOID FsContext;
    PVOID FsContext2;
    LARGE_INTEGER CurrentByteOffset;
    ULONG Flags;
} FILE_OBJECT;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;
    UCHAR Control;
    union {
        struct {
            ULONG Length;
            ULONG Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Read;
        struct {
            ULONG Length;
            ULONG Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Write;
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
        struct {
            PVOID Argument1;
            PVOID Argument2;
            PVOID Argument3;
            PVOID Argument4;
        } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;
    PFILE_OBJECT FileObject;
    PIO_COMPLETION_ROUTINE CompletionRoutine;
    PVOID Context;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

/* The IRP keeps the WDK's field names for what drivers touch. Its stack
 * locations follow it in memory; CurrentLocation counts down from
 * StackCount + 1 (the next driver's location is CurrentStackLocation - 1).
 * The spinsim_ fields are the I/O manager's own state. */
typedef struct _IRP {
    CSHORT Type;
    USHORT Size;
    PMDL MdlAddress;
    ULONG Flags;
    union {
        struct _IRP *MasterIrp;
        volatile LONG IrpCount;
        PVOID SystemBuffer;
    } AssociatedIrp;
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    CHAR StackCount;
    CHAR CurrentLocation;
    volatile BOOLEAN Cancel;
    KIRQL CancelIrql;
    PIO_STATUS_BLOCK UserIosb;
    PKEVENT UserEvent;
    PDRIVER_CANCEL volatile CancelRoutine;
    PVOID UserBuffer;
    union {
        struct {
            PVOID DriverContext[4];
            PETHREAD Thread;
            LIST_ENTRY ListEntry;
            struct _IO_STACK_LOCATION *CurrentStackLocation;
            PFILE_OBJECT OriginalFileObject;
        } Overlay;
    } Tail;
    const char *spinsim_CancelName;               /* the cancel routine, as IoSetCancelRoutine named it */
    const sim_site *spinsim_CancelSite;           /* where it was set */
    const sim_site *volatile spinsim_CompletedAt; /* the IoCompleteRequest that completed it, or NULL */
    const sim_site *volatile spinsim_FreedAt;     /* the IoFreeIrp that freed it, or NULL */
} IRP;

FORCEINLINE PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp) { return Irp->Tail.Overlay.CurrentStackLocation; }
FORCEINLINE PIO_STACK_LOCATION IoGetNextIrpStackLocation(PIRP Irp) {
    return Irp->Tail.Overlay.CurrentStackLocation - 1;
}
FORCEINLINE VOID IoSetNextIrpStackLocation(PIRP Irp) {
    Irp->CurrentLocation--;
    Irp->Tail.Overlay.CurrentStackLocation--;
}
FORCEINLINE VOID IoSkipCurrentIrpStackLocation(PIRP Irp) {
    Irp->CurrentLocation++;
    Irp->Tail.Overlay.CurrentStackLocation++;
}
FORCEINLINE VOID IoCopyCurrentIrpStackLocationToNext(PIRP Irp) {
    PIO_STACK_LOCATION Current = IoGetCurrentIrpStackLocation(Irp), Next = IoGetNextIrpStackLocation(Irp);
    memcpy(Next, Current, offsetof(IO_STACK_LOCATION, CompletionRoutine));
    Next->Control = 0;
}
FORCEINLINE VOID IoSetCompletionRoutine(PIRP Irp, PIO_COMPLETION_ROUTINE CompletionRoutine, PVOID Context,
                                        BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel) {
    PIO_STACK_LOCATION Next = IoGetNextIrpStackLocation(Irp);
    Next->CompletionRoutine = CompletionRoutine;
    Next->Context = Context;
    Next->Control = 0;
    if (InvokeOnSuccess)
        Next->Control |= SL_INVOKE_ON_SUCCESS;
    if (InvokeOnError)
        Next->Control |= SL_INVOKE_ON_ERROR;
    if (InvokeOnCancel)
        Next->Control |= SL_INVOKE_ON_CANCEL;
}

/* ---- cancel-safe IRP queues and remove locks --------------------------------- */

typedef struct _IO_CSQ IO_CSQ, *PIO_CSQ;

#define IO_TYPE_CSQ_IRP_CONTEXT 1
#define IO_TYPE_CSQ 2
#define IO_TYPE_CSQ_EX 3

/* Where IoCsqInsertIrp records an IRP, so IoCsqRemoveIrp finds it. */
typedef struct _IO_CSQ_IRP_CONTEXT {
    ULONG Type;
    PIRP Irp;
    PIO_CSQ Csq;
} IO_CSQ_IRP_CONTEXT, *PIO_CSQ_IRP_CONTEXT;

typedef _Function_class_(IO_CSQ_INSERT_IRP) VOID IO_CSQ_INSERT_IRP(PIO_CSQ Csq, PIRP Irp);
typedef IO_CSQ_INSERT_IRP *PIO_CSQ_INSERT_IRP;
typedef _Function_class_(IO_CSQ_INSERT_IRP_EX) NTSTATUS
    IO_CSQ_INSERT_IRP_EX(PIO_CSQ Csq, PIRP Irp, PVOID InsertContext);
typedef IO_CSQ_INSERT_IRP_EX *PIO_CSQ_INSERT_IRP_EX;
typedef _Function_class_(IO_CSQ_REMOVE_IRP) VOID IO_CSQ_REMOVE_IRP(PIO_CSQ Csq, PIRP Irp);
typedef IO_CSQ_REMOVE_IRP *PIO_CSQ_REMOVE_IRP;
typedef _Function_class_(IO_CSQ_PEEK_NEXT_IRP) PIRP IO_CSQ_PEEK_NEXT_IRP(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext);
typedef IO_CSQ_PEEK_NEXT_IRP *PIO_CSQ_PEEK_NEXT_IRP;
typedef _Function_class_(IO_CSQ_ACQUIRE_LOCK) VOID IO_CSQ_ACQUIRE_LOCK(PIO_CSQ Csq, PKIRQL Irql);
typedef IO_CSQ_ACQUIRE_LOCK *PIO_CSQ_ACQUIRE_LOCK;
typedef _Function_class_(IO_CSQ_RELEASE_LOCK) VOID IO_CSQ_RELEASE_LOCK(PIO_CSQ Csq, KIRQL Irql);
typedef IO_CSQ_RELEASE_LOCK *PIO_CSQ_RELEASE_LOCK;
typedef _Function_class_(IO_CSQ_COMPLETE_CANCELED_IRP) VOID IO_CSQ_COMPLETE_CANCELED_IRP(PIO_CSQ Csq, PIRP Irp);
typedef IO_CSQ_COMPLETE_CANCELED_IRP *PIO_CSQ_COMPLETE_CANCELED_IRP;

/* The driver's callbacks; CsqInsertIrp is an IO_CSQ_INSERT_IRP_EX when
 * Type is IO_TYPE_CSQ_EX. */
struct _IO_CSQ {
    ULONG Type;
    PIO_CSQ_INSERT_IRP CsqInsertIrp;
    PIO_CSQ_REMOVE_IRP CsqRemoveIrp;
    PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp;
    PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock;
    PIO_CSQ_RELEASE_LOCK CsqReleaseLock;
    PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp;
    PVOID ReservePointer;
};

typedef struct _IO_REMOVE_LOCK_COMMON_BLOCK {
    volatile BOOLEAN Removed;
    BOOLEAN Reserved[3];
    volatile LONG IoCount;
    KEVENT RemoveEvent;
} IO_REMOVE_LOCK_COMMON_BLOCK;

typedef struct _IO_REMOVE_LOCK {
    IO_REMOVE_LOCK_COMMON_BLOCK Common;
} IO_REMOVE_LOCK, *PIO_REMOVE_LOCK;

/* Work items run their routine on a system worker thread at PASSIVE_LEVEL. */
typedef struct _IO_WORKITEM IO_WORKITEM, *PIO_WORKITEM;
typedef _Function_class_(IO_WORKITEM_ROUTINE) VOID IO_WORKITEM_ROUTINE(PDEVICE_OBJECT DeviceObject, PVOID Context);
typedef IO_WORKITEM_ROUTINE *PIO_WORKITEM_ROUTINE;
typedef _Function_class_(IO_WORKITEM_ROUTINE_EX) VOID
    IO_WORKITEM_ROUTINE_EX(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem);
typedef IO_WORKITEM_ROUTINE_EX *PIO_WORKITEM_ROUTINE_EX;

typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue,
    CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

/* ExInitializeDriverRuntime's flag. */
#define DrvRtPoolNxOptIn 0x00000001

/* ---- bug check codes drivers pass ----------------------------------------- */

#define IRQL_NOT_LESS_OR_EQUAL 0x0000000A
#define MAXIMUM_WAIT_OBJECTS_EXCEEDED 0x0000000C
#define MULTIPLE_IRP_COMPLETE_REQUESTS 0x00000044
#define CANCEL_STATE_IN_COMPLETED_IRP 0x00000048
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL 0x000000D1
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0x000000C4
#define MANUALLY_INITIATED_CRASH 0x000000E2

/* DbgPrintEx component ids and levels. */
#define DPFLTR_IHVDRIVER_ID 77
#define DPFLTR_IHVNETWORK_ID 79
#define DPFLTR_DEFAULT_ID 101
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3

/* ---- the implementation behind the macros ------------------------------- */

#define SPINSIM_SITE SIM_SITE_HERE

/* For a routine a driver author adds (locks/include/README.md): records the
 * call site, checks the caller's IRQL against PASSIVE_LEVEL..IrqlMax
 * (HIGH_LEVEL: any) and takes one step, as every spinsim routine does. */
VOID spinsim_routine_enter(const char *Routine, KIRQL IrqlMax, const sim_site *site);

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
ULONG spinsim_KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors, const sim_site *site);
VOID spinsim_KeStallExecutionProcessor(ULONG MicroSeconds, const sim_site *site);
VOID spinsim_YieldProcessor(const sim_site *site);
VOID spinsim_KeMemoryBarrier(const sim_site *site);
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
LONG spinsim_KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait, const sim_site *site);
VOID spinsim_KeClearEvent(PRKEVENT Event, const sim_site *site);
LONG spinsim_KeResetEvent(PRKEVENT Event, const sim_site *site);
LONG spinsim_KeReadStateEvent(PRKEVENT Event, const sim_site *site);

VOID spinsim_KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit, const sim_site *site);
LONG spinsim_KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment, BOOLEAN Wait,
                                const sim_site *site);
LONG spinsim_KeReadStateSemaphore(PRKSEMAPHORE Semaphore, const sim_site *site);

NTSTATUS spinsim_KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                       BOOLEAN Alertable, PLARGE_INTEGER Timeout, const sim_site *site);
NTSTATUS spinsim_KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
                                          KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                          PKWAIT_BLOCK WaitBlockArray, const sim_site *site);

VOID spinsim_KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type, const sim_site *site);
BOOLEAN spinsim_KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc, const char *routine,
                             const sim_site *site);
BOOLEAN spinsim_KeCancelTimer(PKTIMER Timer, const sim_site *site);
BOOLEAN spinsim_KeReadStateTimer(PKTIMER Timer, const sim_site *site);

VOID spinsim_KeQuerySystemTime(PLARGE_INTEGER CurrentTime, const sim_site *site);
ULONGLONG spinsim_KeQueryInterruptTime(const sim_site *site);
LARGE_INTEGER spinsim_KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency, const sim_site *site);
VOID spinsim_KeQueryTickCount(PLARGE_INTEGER TickCount, const sim_site *site);
ULONG spinsim_KeQueryTimeIncrement(const sim_site *site);
NTSTATUS spinsim_KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval,
                                        const sim_site *site);

NTSTATUS spinsim_PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                      HANDLE ProcessHandle, PVOID ClientId, PKSTART_ROUTINE StartRoutine,
                                      PVOID StartContext, const char *routine_name, const sim_site *site);
NTSTATUS spinsim_PsTerminateSystemThread(NTSTATUS ExitStatus, const sim_site *site);
PETHREAD spinsim_PsGetCurrentThread(const sim_site *site);
KPRIORITY spinsim_KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority, const sim_site *site);
VOID spinsim_KeCriticalRegion(const char *routine, const sim_site *site);
NTSTATUS spinsim_ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                           KPROCESSOR_MODE AccessMode, PVOID *Object, PVOID HandleInformation,
                                           const sim_site *site);
VOID spinsim_ObReferenceObject(PVOID Object, const char *routine, const sim_site *site);
NTSTATUS spinsim_ZwClose(HANDLE Handle, const sim_site *site);
extern POBJECT_TYPE *PsThreadType;

PVOID spinsim_ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, const sim_site *site);
PVOID spinsim_ExAllocatePoolType(const char *routine, POOL_TYPE PoolType, BOOLEAN zeroed, SIZE_T NumberOfBytes,
                                 ULONG Tag, const sim_site *site);
VOID spinsim_ExFreePoolWithTag(PVOID P, ULONG Tag, const sim_site *site);

PLIST_ENTRY spinsim_ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site);
PLIST_ENTRY spinsim_ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site);
PLIST_ENTRY spinsim_ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY ListEntry,
                                                      PKSPIN_LOCK Lock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PKSPIN_LOCK Lock,
                                                     const sim_site *site);

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
SHORT spinsim_InterlockedIncrement16(SHORT volatile *Addend, const sim_site *site);
SHORT spinsim_InterlockedDecrement16(SHORT volatile *Addend, const sim_site *site);
SHORT spinsim_InterlockedCompareExchange16(SHORT volatile *Destination, SHORT Exchange, SHORT Comparand,
                                           const sim_site *site);
CHAR spinsim_InterlockedExchange8(CHAR volatile *Target, CHAR Value, const sim_site *site);
CHAR spinsim_InterlockedOr8(CHAR volatile *Destination, CHAR Value, const sim_site *site);
CHAR spinsim_InterlockedAnd8(CHAR volatile *Destination, CHAR Value, const sim_site *site);
PVOID spinsim_InterlockedExchangePointer(PVOID volatile *Target, PVOID Value, const sim_site *site);
PVOID spinsim_InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange, PVOID Comparand,
                                                const sim_site *site);
LONG spinsim_ReadAcquire(LONG const volatile *Source, const sim_site *site);
VOID spinsim_WriteRelease(LONG volatile *Destination, LONG Value, const sim_site *site);
LONG64 spinsim_ReadAcquire64(LONG64 const volatile *Source, const sim_site *site);
VOID spinsim_WriteRelease64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site);
PVOID spinsim_ReadPointerAcquire(PVOID const volatile *Source, const sim_site *site);
VOID spinsim_WritePointerRelease(PVOID volatile *Destination, PVOID Value, const sim_site *site);

ULONG spinsim_DbgPrint(const sim_site *site, PCSTR Format, ...);
ULONG spinsim_vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list arglist, const sim_site *site);
VOID spinsim_AssertFailed(PCSTR Expression, PCSTR Message, const sim_site *site);
DECLSPEC_NORETURN VOID spinsim_KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
                                            ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
                                            ULONG_PTR BugCheckParameter4, const sim_site *site);
/* DbgPrintEx's variadic form: the site goes first. */
ULONG spinsim_DbgPrintEx(const sim_site *site, ULONG ComponentId, ULONG Level, PCSTR Format, ...);

VOID spinsim_RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString, const sim_site *site);
VOID spinsim_RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString, const char *routine,
                               const sim_site *site);
VOID spinsim_RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                  const sim_site *site);
LONG spinsim_RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                     const sim_site *site);
BOOLEAN spinsim_RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                      const sim_site *site);
NTSTATUS spinsim_RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source,
                                                const sim_site *site);
NTSTATUS spinsim_RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source, const sim_site *site);
SIZE_T spinsim_RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length, const sim_site *site);

VOID spinsim_IoAcquireCancelSpinLock(PKIRQL Irql, const sim_site *site);
VOID spinsim_IoReleaseCancelSpinLock(KIRQL Irql, const sim_site *site);
PDRIVER_CANCEL spinsim_IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine, const char *routine_name,
                                          const sim_site *site);
VOID spinsim_IoMarkIrpPending(PIRP Irp, const sim_site *site);
VOID spinsim_IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost, const sim_site *site);
BOOLEAN spinsim_IoCancelIrp(PIRP Irp, const sim_site *site);
NTSTATUS spinsim_IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp, const sim_site *site);
PIRP spinsim_IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota, const sim_site *site);
VOID spinsim_IoFreeIrp(PIRP Irp, const sim_site *site);
NTSTATUS spinsim_IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                                ULONG DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                                PDEVICE_OBJECT *DeviceObject, const sim_site *site);
VOID spinsim_IoDeleteDevice(PDEVICE_OBJECT DeviceObject, const sim_site *site);

NTSTATUS spinsim_IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName, const char *routine,
                                      const sim_site *site);
VOID spinsim_ExInitializeDriverRuntime(ULONG RuntimeFlags, const sim_site *site);

NTSTATUS spinsim_IoCsqInitialize(PIO_CSQ Csq, ULONG Type, PIO_CSQ_INSERT_IRP CsqInsertIrp,
                                 PIO_CSQ_REMOVE_IRP CsqRemoveIrp, PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                 PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock, PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                 PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp, const sim_site *site);
NTSTATUS spinsim_IoCsqInsertIrpEx(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context, PVOID InsertContext,
                                  const sim_site *site);
PIRP spinsim_IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext, const sim_site *site);
PIRP spinsim_IoCsqRemoveIrp(PIO_CSQ Csq, PIO_CSQ_IRP_CONTEXT Context, const sim_site *site);

VOID spinsim_IoInitializeRemoveLock(PIO_REMOVE_LOCK Lock, const sim_site *site);
NTSTATUS spinsim_IoAcquireRemoveLock(PIO_REMOVE_LOCK RemoveLock, const sim_site *site);
VOID spinsim_IoReleaseRemoveLock(PIO_REMOVE_LOCK RemoveLock, const sim_site *site);
VOID spinsim_IoReleaseRemoveLockAndWait(PIO_REMOVE_LOCK RemoveLock, const sim_site *site);

PIO_WORKITEM spinsim_IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject, const sim_site *site);
VOID spinsim_IoFreeWorkItem(PIO_WORKITEM IoWorkItem, const char *routine, const sim_site *site);
VOID spinsim_IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem, const sim_site *site);
ULONG spinsim_IoSizeofWorkItem(const sim_site *site);
VOID spinsim_IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                             PIO_WORKITEM_ROUTINE_EX WorkerRoutineEx, WORK_QUEUE_TYPE QueueType, PVOID Context,
                             const char *routine_name, const sim_site *site);

ULONG64 spinsim_ReadRegister(const volatile VOID *Register, int Size, const sim_site *site);
VOID spinsim_WriteRegister(volatile VOID *Register, ULONG64 Value, int Size, const sim_site *site);

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
#define KeMemoryBarrier() spinsim_KeMemoryBarrier(SPINSIM_SITE)
#define MemoryBarrier() spinsim_KeMemoryBarrier(SPINSIM_SITE)
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
#define KeResetEvent(E) spinsim_KeResetEvent((E), SPINSIM_SITE)
#define KeReadStateEvent(E) spinsim_KeReadStateEvent((E), SPINSIM_SITE)
#define KeInitializeSemaphore(S, Count, Limit) spinsim_KeInitializeSemaphore((S), (Count), (Limit), SPINSIM_SITE)
#define KeReleaseSemaphore(S, Increment, Adjustment, Wait)                                                             \
    spinsim_KeReleaseSemaphore((S), (Increment), (Adjustment), (Wait), SPINSIM_SITE)
#define KeReadStateSemaphore(S) spinsim_KeReadStateSemaphore((S), SPINSIM_SITE)
#define KeWaitForSingleObject(O, Reason, Mode, Alertable, Timeout)                                                     \
    spinsim_KeWaitForSingleObject((O), (Reason), (Mode), (Alertable), (Timeout), SPINSIM_SITE)
#define KeWaitForMultipleObjects(Count, Objects, WaitType, Reason, Mode, Alertable, Timeout, WaitBlocks)               \
    spinsim_KeWaitForMultipleObjects((Count), (Objects), (WaitType), (Reason), (Mode), (Alertable), (Timeout),         \
                                     (WaitBlocks), SPINSIM_SITE)

#define KeInitializeTimer(T) spinsim_KeInitializeTimerEx((T), NotificationTimer, SPINSIM_SITE)
#define KeInitializeTimerEx(T, Type) spinsim_KeInitializeTimerEx((T), (Type), SPINSIM_SITE)
#define KeSetTimer(T, DueTime, Dpc) spinsim_KeSetTimerEx((T), (DueTime), 0, (Dpc), "KeSetTimer", SPINSIM_SITE)
#define KeSetTimerEx(T, DueTime, Period, Dpc)                                                                          \
    spinsim_KeSetTimerEx((T), (DueTime), (Period), (Dpc), "KeSetTimerEx", SPINSIM_SITE)
#define KeCancelTimer(T) spinsim_KeCancelTimer((T), SPINSIM_SITE)
#define KeReadStateTimer(T) spinsim_KeReadStateTimer((T), SPINSIM_SITE)

#define KeQuerySystemTime(T) spinsim_KeQuerySystemTime((T), SPINSIM_SITE)
#define KeQuerySystemTimePrecise(T) spinsim_KeQuerySystemTime((T), SPINSIM_SITE)
#define KeQueryInterruptTime() spinsim_KeQueryInterruptTime(SPINSIM_SITE)
#define KeQueryUnbiasedInterruptTime() spinsim_KeQueryInterruptTime(SPINSIM_SITE)
#define KeQueryPerformanceCounter(F) spinsim_KeQueryPerformanceCounter((F), SPINSIM_SITE)
#define KeQueryTickCount(T) spinsim_KeQueryTickCount((T), SPINSIM_SITE)
#define KeQueryTimeIncrement() spinsim_KeQueryTimeIncrement(SPINSIM_SITE)
#define KeDelayExecutionThread(Mode, Alertable, Interval)                                                              \
    spinsim_KeDelayExecutionThread((Mode), (Alertable), (Interval), SPINSIM_SITE)

#define PsCreateSystemThread(Handle, Access, Attributes, Process, ClientId, Routine, Context)                          \
    spinsim_PsCreateSystemThread((Handle), (Access), (Attributes), (Process), (ClientId), (Routine), (Context),        \
                                 #Routine, SPINSIM_SITE)
#define PsTerminateSystemThread(Status) spinsim_PsTerminateSystemThread((Status), SPINSIM_SITE)
#define PsGetCurrentThread() spinsim_PsGetCurrentThread(SPINSIM_SITE)
#define KeGetCurrentThread() ((PKTHREAD)spinsim_PsGetCurrentThread(SPINSIM_SITE))
#define KeSetPriorityThread(Thread, Priority) spinsim_KeSetPriorityThread((Thread), (Priority), SPINSIM_SITE)
#define KeEnterCriticalRegion() spinsim_KeCriticalRegion("KeEnterCriticalRegion", SPINSIM_SITE)
#define KeLeaveCriticalRegion() spinsim_KeCriticalRegion("KeLeaveCriticalRegion", SPINSIM_SITE)
#define ObReferenceObjectByHandle(Handle, Access, Type, Mode, Object, Information)                                     \
    spinsim_ObReferenceObjectByHandle((Handle), (Access), (Type), (Mode), (PVOID *)(Object), (Information),            \
                                      SPINSIM_SITE)
#define ObReferenceObject(O) spinsim_ObReferenceObject((O), "ObReferenceObject", SPINSIM_SITE)
#define ObDereferenceObject(O) spinsim_ObReferenceObject((O), "ObDereferenceObject", SPINSIM_SITE)
#define ZwClose(Handle) spinsim_ZwClose((Handle), SPINSIM_SITE)

#define ExAllocatePool2(Flags, Size, Tag) spinsim_ExAllocatePool2((Flags), (Size), (Tag), SPINSIM_SITE)
#define ExAllocatePoolWithTag(Type, Size, Tag)                                                                         \
    spinsim_ExAllocatePoolType("ExAllocatePoolWithTag", (Type), FALSE, (Size), (Tag), SPINSIM_SITE)
#define ExAllocatePool(Type, Size) spinsim_ExAllocatePoolType("ExAllocatePool", (Type), FALSE, (Size), 0, SPINSIM_SITE)
#define ExAllocatePoolZero(Type, Size, Tag)                                                                            \
    spinsim_ExAllocatePoolType("ExAllocatePoolZero", (Type), TRUE, (Size), (Tag), SPINSIM_SITE)
#define ExAllocatePoolUninitialized(Type, Size, Tag)                                                                   \
    spinsim_ExAllocatePoolType("ExAllocatePoolUninitialized", (Type), FALSE, (Size), (Tag), SPINSIM_SITE)
#define ExAllocatePoolQuotaZero(Type, Size, Tag)                                                                       \
    spinsim_ExAllocatePoolType("ExAllocatePoolQuotaZero", (Type), TRUE, (Size), (Tag), SPINSIM_SITE)
#define ExFreePoolWithTag(P, Tag) spinsim_ExFreePoolWithTag((P), (Tag), SPINSIM_SITE)
#define ExFreePool(P) spinsim_ExFreePoolWithTag((P), 0, SPINSIM_SITE)

#define ExInterlockedInsertHeadList(Head, Entry, Lock)                                                                 \
    spinsim_ExInterlockedInsertHeadList((Head), (Entry), (Lock), SPINSIM_SITE)
#define ExInterlockedInsertTailList(Head, Entry, Lock)                                                                 \
    spinsim_ExInterlockedInsertTailList((Head), (Entry), (Lock), SPINSIM_SITE)
#define ExInterlockedRemoveHeadList(Head, Lock) spinsim_ExInterlockedRemoveHeadList((Head), (Lock), SPINSIM_SITE)
#define ExInterlockedPushEntryList(Head, Entry, Lock)                                                                  \
    spinsim_ExInterlockedPushEntryList((Head), (Entry), (Lock), SPINSIM_SITE)
#define ExInterlockedPopEntryList(Head, Lock) spinsim_ExInterlockedPopEntryList((Head), (Lock), SPINSIM_SITE)

#define InterlockedIncrement(A) spinsim_InterlockedIncrement((A), SPINSIM_SITE)
#define InterlockedDecrement(A) spinsim_InterlockedDecrement((A), SPINSIM_SITE)
#define InterlockedExchange(T, V) spinsim_InterlockedExchange((T), (V), SPINSIM_SITE)
#define InterlockedExchangeAdd(A, V) spinsim_InterlockedExchangeAdd((A), (V), SPINSIM_SITE)
#define InterlockedAdd(A, V) (spinsim_InterlockedExchangeAdd((A), (V), SPINSIM_SITE) + (V))
#define InterlockedCompareExchange(D, E, C) spinsim_InterlockedCompareExchange((D), (E), (C), SPINSIM_SITE)
#define InterlockedOr(D, V) spinsim_InterlockedOr((D), (V), SPINSIM_SITE)
#define InterlockedAnd(D, V) spinsim_InterlockedAnd((D), (V), SPINSIM_SITE)
#define InterlockedXor(D, V) spinsim_InterlockedXor((D), (V), SPINSIM_SITE)
#define InterlockedIncrement64(A) spinsim_InterlockedIncrement64((A), SPINSIM_SITE)
#define InterlockedDecrement64(A) spinsim_InterlockedDecrement64((A), SPINSIM_SITE)
#define InterlockedExchange64(T, V) spinsim_InterlockedExchange64((T), (V), SPINSIM_SITE)
#define InterlockedExchangeAdd64(A, V) spinsim_InterlockedExchangeAdd64((A), (V), SPINSIM_SITE)
#define InterlockedAdd64(A, V) (spinsim_InterlockedExchangeAdd64((A), (V), SPINSIM_SITE) + (V))
#define InterlockedCompareExchange64(D, E, C) spinsim_InterlockedCompareExchange64((D), (E), (C), SPINSIM_SITE)
#define InterlockedOr64(D, V) spinsim_InterlockedOr64((D), (V), SPINSIM_SITE)
#define InterlockedAnd64(D, V) spinsim_InterlockedAnd64((D), (V), SPINSIM_SITE)
#define InterlockedXor64(D, V) spinsim_InterlockedXor64((D), (V), SPINSIM_SITE)
#define InterlockedIncrement16(A) spinsim_InterlockedIncrement16((A), SPINSIM_SITE)
#define InterlockedDecrement16(A) spinsim_InterlockedDecrement16((A), SPINSIM_SITE)
#define InterlockedCompareExchange16(D, E, C) spinsim_InterlockedCompareExchange16((D), (E), (C), SPINSIM_SITE)
#define InterlockedExchange8(T, V) spinsim_InterlockedExchange8((T), (V), SPINSIM_SITE)
#define InterlockedOr8(D, V) spinsim_InterlockedOr8((D), (V), SPINSIM_SITE)
#define InterlockedAnd8(D, V) spinsim_InterlockedAnd8((D), (V), SPINSIM_SITE)
#define InterlockedExchangePointer(T, V) spinsim_InterlockedExchangePointer((T), (V), SPINSIM_SITE)
#define InterlockedCompareExchangePointer(D, E, C)                                                                     \
    spinsim_InterlockedCompareExchangePointer((D), (E), (C), SPINSIM_SITE)
#define ReadAcquire(S) spinsim_ReadAcquire((S), SPINSIM_SITE)
#define ReadNoFence(S) spinsim_ReadAcquire((S), SPINSIM_SITE)
#define WriteRelease(D, V) spinsim_WriteRelease((D), (V), SPINSIM_SITE)
#define WriteNoFence(D, V) spinsim_WriteRelease((D), (V), SPINSIM_SITE)
#define ReadAcquire64(S) spinsim_ReadAcquire64((S), SPINSIM_SITE)
#define WriteRelease64(D, V) spinsim_WriteRelease64((D), (V), SPINSIM_SITE)
#define ReadPointerAcquire(S) spinsim_ReadPointerAcquire((S), SPINSIM_SITE)
#define WritePointerRelease(D, V) spinsim_WritePointerRelease((D), (V), SPINSIM_SITE)

#define DbgPrint(...) spinsim_DbgPrint(SPINSIM_SITE, __VA_ARGS__)
#define DbgPrintEx(...) spinsim_DbgPrintEx(SPINSIM_SITE, __VA_ARGS__)
#define vDbgPrintEx(Component, Level, Format, Args)                                                                    \
    spinsim_vDbgPrintEx((Component), (Level), (Format), (Args), SPINSIM_SITE)
#define KeBugCheckEx(Code, P1, P2, P3, P4)                                                                             \
    spinsim_KeBugCheckEx((Code), (ULONG_PTR)(P1), (ULONG_PTR)(P2), (ULONG_PTR)(P3), (ULONG_PTR)(P4), SPINSIM_SITE)
#define KeBugCheck(Code) spinsim_KeBugCheckEx((Code), 0, 0, 0, 0, SPINSIM_SITE)
#define RtlAssert(Assertion, FileName, LineNumber, Message)                                                            \
    spinsim_AssertFailed((PCSTR)(Assertion), (PCSTR)(Message), SPINSIM_SITE)

/* A failed assertion is an `assertion-failure` at its line, naming the
 * expression as written; a true one costs nothing (no step), as in a
 * checked build. NT_VERIFY evaluates its expression in every build. */
#define SPINSIM_ASSERT(Expression, Text, Message)                                                                      \
    ((!(Expression)) ? (spinsim_AssertFailed((Text), (Message), SPINSIM_SITE), FALSE) : TRUE)
#if DBG
#define ASSERT(Expression) ((void)SPINSIM_ASSERT(Expression, #Expression, NULL))
#define ASSERTMSG(Message, Expression) ((void)SPINSIM_ASSERT(Expression, #Expression, (Message)))
#define NT_ASSERT(Expression) ((void)SPINSIM_ASSERT(Expression, #Expression, NULL))
#define NT_ASSERTMSG(Message, Expression) ((void)SPINSIM_ASSERT(Expression, #Expression, (Message)))
#define NT_ASSERT_ASSUME(Expression) ((void)SPINSIM_ASSERT(Expression, #Expression, NULL))
#define NT_VERIFY(Expression) SPINSIM_ASSERT(Expression, #Expression, NULL)
#define NT_VERIFYMSG(Message, Expression) SPINSIM_ASSERT(Expression, #Expression, (Message))
#define KdPrint(Arguments) DbgPrint Arguments
#define KdPrintEx(Arguments) DbgPrintEx Arguments
#else
#define ASSERT(Expression) ((void)0)
#define ASSERTMSG(Message, Expression) ((void)0)
#define NT_ASSERT(Expression) ((void)0)
#define NT_ASSERTMSG(Message, Expression) ((void)0)
#define NT_ASSERT_ASSUME(Expression) ((void)0)
#define NT_VERIFY(Expression) ((Expression) ? TRUE : FALSE)
#define NT_VERIFYMSG(Message, Expression) ((Expression) ? TRUE : FALSE)
#define KdPrint(Arguments) ((void)0)
#define KdPrintEx(Arguments) ((void)0)
#endif

#define RtlInitUnicodeString(D, S) spinsim_RtlInitUnicodeString((D), (S), SPINSIM_SITE)
#define RtlInitAnsiString(D, S) spinsim_RtlInitAnsiString((D), (S), "RtlInitAnsiString", SPINSIM_SITE)
#define RtlInitString(D, S) spinsim_RtlInitAnsiString((D), (S), "RtlInitString", SPINSIM_SITE)
#define RtlCopyUnicodeString(D, S) spinsim_RtlCopyUnicodeString((D), (S), SPINSIM_SITE)
#define RtlCompareUnicodeString(A, B, CaseInSensitive)                                                                 \
    spinsim_RtlCompareUnicodeString((A), (B), (CaseInSensitive), SPINSIM_SITE)
#define RtlEqualUnicodeString(A, B, CaseInSensitive)                                                                   \
    spinsim_RtlEqualUnicodeString((A), (B), (CaseInSensitive), SPINSIM_SITE)
#define RtlAppendUnicodeStringToString(D, S) spinsim_RtlAppendUnicodeStringToString((D), (S), SPINSIM_SITE)
#define RtlAppendUnicodeToString(D, S) spinsim_RtlAppendUnicodeToString((D), (S), SPINSIM_SITE)
#define RtlCompareMemory(A, B, Length) spinsim_RtlCompareMemory((A), (B), (Length), SPINSIM_SITE)

#define IoAcquireCancelSpinLock(Irql) spinsim_IoAcquireCancelSpinLock((Irql), SPINSIM_SITE)
#define IoReleaseCancelSpinLock(Irql) spinsim_IoReleaseCancelSpinLock((Irql), SPINSIM_SITE)
#define IoSetCancelRoutine(Irp, Routine) spinsim_IoSetCancelRoutine((Irp), (Routine), #Routine, SPINSIM_SITE)
#define IoMarkIrpPending(Irp) spinsim_IoMarkIrpPending((Irp), SPINSIM_SITE)
#define IoCompleteRequest(Irp, Boost) spinsim_IoCompleteRequest((Irp), (Boost), SPINSIM_SITE)
#define IoCancelIrp(Irp) spinsim_IoCancelIrp((Irp), SPINSIM_SITE)
#define IoCallDriver(Device, Irp) spinsim_IoCallDriver((Device), (Irp), SPINSIM_SITE)
#define IoAllocateIrp(StackSize, ChargeQuota) spinsim_IoAllocateIrp((StackSize), (ChargeQuota), SPINSIM_SITE)
#define IoFreeIrp(Irp) spinsim_IoFreeIrp((Irp), SPINSIM_SITE)
#define IoCreateDevice(Driver, ExtensionSize, Name, Type, Characteristics, Exclusive, Device)                          \
    spinsim_IoCreateDevice((Driver), (ExtensionSize), (Name), (Type), (Characteristics), (Exclusive), (Device),        \
                           SPINSIM_SITE)
#define IoDeleteDevice(Device) spinsim_IoDeleteDevice((Device), SPINSIM_SITE)

#define IoCreateSymbolicLink(Link, Device)                                                                             \
    spinsim_IoCreateSymbolicLink((Link), (Device), "IoCreateSymbolicLink", SPINSIM_SITE)
#define IoDeleteSymbolicLink(Link) spinsim_IoCreateSymbolicLink((Link), NULL, "IoDeleteSymbolicLink", SPINSIM_SITE)
#define ExInitializeDriverRuntime(Flags) spinsim_ExInitializeDriverRuntime((Flags), SPINSIM_SITE)

#define IoCsqInitialize(Csq, Insert, Remove, Peek, Acquire, Release, Complete)                                         \
    spinsim_IoCsqInitialize((Csq), IO_TYPE_CSQ, (Insert), (Remove), (Peek), (Acquire), (Release), (Complete),          \
                            SPINSIM_SITE)
#define IoCsqInitializeEx(Csq, InsertEx, Remove, Peek, Acquire, Release, Complete)                                     \
    spinsim_IoCsqInitialize((Csq), IO_TYPE_CSQ_EX, (PIO_CSQ_INSERT_IRP)(InsertEx), (Remove), (Peek), (Acquire),        \
                            (Release), (Complete), SPINSIM_SITE)
#define IoCsqInsertIrp(Csq, Irp, Context) ((void)spinsim_IoCsqInsertIrpEx((Csq), (Irp), (Context), NULL, SPINSIM_SITE))
#define IoCsqInsertIrpEx(Csq, Irp, Context, InsertContext)                                                             \
    spinsim_IoCsqInsertIrpEx((Csq), (Irp), (Context), (InsertContext), SPINSIM_SITE)
#define IoCsqRemoveNextIrp(Csq, PeekContext) spinsim_IoCsqRemoveNextIrp((Csq), (PeekContext), SPINSIM_SITE)
#define IoCsqRemoveIrp(Csq, Context) spinsim_IoCsqRemoveIrp((Csq), (Context), SPINSIM_SITE)

/* Device registers: each access is one step, as the device sees it. */
#define READ_REGISTER_UCHAR(R) ((UCHAR)spinsim_ReadRegister((R), sizeof(UCHAR), SPINSIM_SITE))
#define READ_REGISTER_USHORT(R) ((USHORT)spinsim_ReadRegister((R), sizeof(USHORT), SPINSIM_SITE))
#define READ_REGISTER_ULONG(R) ((ULONG)spinsim_ReadRegister((R), sizeof(ULONG), SPINSIM_SITE))
#define READ_REGISTER_ULONG64(R) ((ULONG64)spinsim_ReadRegister((R), sizeof(ULONG64), SPINSIM_SITE))
#define WRITE_REGISTER_UCHAR(R, V) spinsim_WriteRegister((R), (UCHAR)(V), sizeof(UCHAR), SPINSIM_SITE)
#define WRITE_REGISTER_USHORT(R, V) spinsim_WriteRegister((R), (USHORT)(V), sizeof(USHORT), SPINSIM_SITE)
#define WRITE_REGISTER_ULONG(R, V) spinsim_WriteRegister((R), (ULONG)(V), sizeof(ULONG), SPINSIM_SITE)
#define WRITE_REGISTER_ULONG64(R, V) spinsim_WriteRegister((R), (ULONG64)(V), sizeof(ULONG64), SPINSIM_SITE)

#define IoAllocateWorkItem(Device) spinsim_IoAllocateWorkItem((Device), SPINSIM_SITE)
#define IoFreeWorkItem(Item) spinsim_IoFreeWorkItem((Item), "IoFreeWorkItem", SPINSIM_SITE)
#define IoInitializeWorkItem(Object, Item) spinsim_IoInitializeWorkItem((Object), (Item), SPINSIM_SITE)
#define IoUninitializeWorkItem(Item) spinsim_IoFreeWorkItem((Item), "IoUninitializeWorkItem", SPINSIM_SITE)
#define IoSizeofWorkItem() spinsim_IoSizeofWorkItem(SPINSIM_SITE)
#define IoQueueWorkItem(Item, Routine, QueueType, Context)                                                             \
    spinsim_IoQueueWorkItem((Item), (Routine), NULL, (QueueType), (Context), #Routine, SPINSIM_SITE)
#define IoQueueWorkItemEx(Item, Routine, QueueType, Context)                                                           \
    spinsim_IoQueueWorkItem((Item), NULL, (Routine), (QueueType), (Context), #Routine, SPINSIM_SITE)

/* The tag, bounds and size arguments of the remove-lock routines are
 * accepted and ignored, as in a free build. */
#define IoInitializeRemoveLock(Lock, Tag, Maxmin, HighWater) spinsim_IoInitializeRemoveLock((Lock), SPINSIM_SITE)
#define IoAcquireRemoveLock(Lock, Tag) spinsim_IoAcquireRemoveLock((Lock), SPINSIM_SITE)
#define IoReleaseRemoveLock(Lock, Tag) spinsim_IoReleaseRemoveLock((Lock), SPINSIM_SITE)
#define IoReleaseRemoveLockAndWait(Lock, Tag) spinsim_IoReleaseRemoveLockAndWait((Lock), SPINSIM_SITE)

/* ---- PnP resources, MDLs, device memory, DMA lists (for KMDF drivers) ------ */

/* Plain data, as in the WDK: what a PnP driver reads its hardware
 * through. spinsim models none of it; the memory-manager routines at the
 * end of this block are unmodelled (see the heading below). */
#define PAGE_SIZE 0x1000
#define PAGE_SHIFT 12
#define ROUND_TO_PAGES(Size) (((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~(ULONG_PTR)(PAGE_SIZE - 1))
#define BYTES_TO_PAGES(Size) ((ULONG)((ULONG_PTR)(Size) >> PAGE_SHIFT) + (((ULONG)(Size) & (PAGE_SIZE - 1)) != 0))
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400

#define FILE_BYTE_ALIGNMENT 0x00000000
#define FILE_WORD_ALIGNMENT 0x00000001
#define FILE_LONG_ALIGNMENT 0x00000003
#define FILE_QUAD_ALIGNMENT 0x00000007
#define FILE_OCTA_ALIGNMENT 0x0000000f
#define FILE_32_BYTE_ALIGNMENT 0x0000001f
#define FILE_64_BYTE_ALIGNMENT 0x0000003f
#define FILE_128_BYTE_ALIGNMENT 0x0000007f
#define FILE_256_BYTE_ALIGNMENT 0x000000ff
#define FILE_512_BYTE_ALIGNMENT 0x000001ff

typedef struct _MDL {
    struct _MDL *Next;
    CSHORT Size;
    CSHORT MdlFlags;
    PEPROCESS Process;
    PVOID MappedSystemVa;
    PVOID StartVa;
    ULONG ByteCount;
    ULONG ByteOffset;
} MDL;
#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl) ((Mdl)->ByteOffset)

typedef enum _MEMORY_CACHING_TYPE {
    MmNonCached = FALSE,
    MmCached = TRUE,
    MmWriteCombined = 2,
    MmHardwareCoherentCached,
    MmNonCachedUnordered,
    MmUSWCCached,
    MmMaximumCacheType,
    MmNotMapped = -1
} MEMORY_CACHING_TYPE;

typedef enum _DEVICE_POWER_STATE {
    PowerDeviceUnspecified = 0,
    PowerDeviceD0,
    PowerDeviceD1,
    PowerDeviceD2,
    PowerDeviceD3,
    PowerDeviceMaximum
} DEVICE_POWER_STATE,
    *PDEVICE_POWER_STATE;

typedef enum _SYSTEM_POWER_STATE {
    PowerSystemUnspecified = 0,
    PowerSystemWorking,
    PowerSystemSleeping1,
    PowerSystemSleeping2,
    PowerSystemSleeping3,
    PowerSystemHibernate,
    PowerSystemShutdown,
    PowerSystemMaximum
} SYSTEM_POWER_STATE,
    *PSYSTEM_POWER_STATE;

typedef enum _DEVICE_RELATION_TYPE {
    BusRelations,
    EjectionRelations,
    PowerRelations,
    RemovalRelations,
    TargetDeviceRelation,
    SingleBusRelations,
    TransportRelations
} DEVICE_RELATION_TYPE,
    *PDEVICE_RELATION_TYPE;

typedef int CM_RESOURCE_TYPE;
#define CmResourceTypeNull 0
#define CmResourceTypePort 1
#define CmResourceTypeInterrupt 2
#define CmResourceTypeMemory 3
#define CmResourceTypeDma 4
#define CmResourceTypeDeviceSpecific 5
#define CmResourceTypeBusNumber 6
#define CmResourceTypeMemoryLarge 7
#define CmResourceTypeNonArbitrated 128
#define CmResourceTypeConfigData 128
#define CmResourceTypeDevicePrivate 129
#define CmResourceTypePcCardConfig 130
#define CmResourceTypeMfCardConfig 131
#define CmResourceTypeConnection 132

typedef enum _CM_SHARE_DISPOSITION {
    CmResourceShareUndetermined = 0,
    CmResourceShareDeviceExclusive,
    CmResourceShareDriverExclusive,
    CmResourceShareShared
} CM_SHARE_DISPOSITION;

#define CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE 0x0000
#define CM_RESOURCE_INTERRUPT_LATCHED 0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE 0x0002
#define CM_RESOURCE_MEMORY_READ_WRITE 0x0000
#define CM_RESOURCE_MEMORY_READ_ONLY 0x0001
#define CM_RESOURCE_MEMORY_WRITE_ONLY 0x0002
#define CM_RESOURCE_PORT_MEMORY 0x0000
#define CM_RESOURCE_PORT_IO 0x0001

/* Packed to 4 bytes as in the WDK: 20 bytes on x64. The interrupt members
 * are the processor-group form (Level and Group). */
#pragma pack(push, 4)
typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
    UCHAR Type;
    UCHAR ShareDisposition;
    USHORT Flags;
    union {
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length;
        } Generic, Port, Memory;
        struct {
            USHORT Level;
            USHORT Group;
            ULONG Vector;
            KAFFINITY Affinity;
        } Interrupt;
        struct {
            union {
                struct {
                    USHORT Group;
                    USHORT MessageCount;
                    ULONG Vector;
                    KAFFINITY Affinity;
                } Raw;
                struct {
                    USHORT Level;
                    USHORT Group;
                    ULONG Vector;
                    KAFFINITY Affinity;
                } Translated;
            };
        } MessageInterrupt;
        struct {
            ULONG Channel;
            ULONG Port;
            ULONG Reserved1;
        } Dma;
        struct {
            ULONG Data[3];
        } DevicePrivate;
        struct {
            ULONG Start;
            ULONG Length;
            ULONG Reserved;
        } BusNumber;
        struct {
            ULONG DataSize;
            ULONG Reserved1;
            ULONG Reserved2;
        } DeviceSpecificData;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length40;
        } Memory40;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length48;
        } Memory48;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length64;
        } Memory64;
    } u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;
#pragma pack(pop)

typedef struct _SCATTER_GATHER_ELEMENT {
    PHYSICAL_ADDRESS Address;
    ULONG Length;
    ULONG_PTR Reserved;
} SCATTER_GATHER_ELEMENT, *PSCATTER_GATHER_ELEMENT;

typedef struct _SCATTER_GATHER_LIST {
    ULONG NumberOfElements;
    ULONG_PTR Reserved;
    SCATTER_GATHER_ELEMENT Elements[];
} SCATTER_GATHER_LIST, *PSCATTER_GATHER_LIST;

/* routines spinsim declares but does not model (as below): device memory
 * and routine lookup. */
PVOID MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, MEMORY_CACHING_TYPE CacheType);
PVOID MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, ULONG Protect);
VOID MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);
PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName);

/* ---- network drivers: MDL routines, byte order, declared strings, registry rights */

/* An MDL (above) describes a buffer; in spinsim every buffer is mapped, so
 * the system address is MappedSystemVa once MmBuildMdlForNonPagedPool has
 * set it (locks/mdl.c). */

#define MDL_MAPPED_TO_SYSTEM_VA 0x0001
#define MDL_PAGES_LOCKED 0x0002
#define MDL_SOURCE_IS_NONPAGED_POOL 0x0004
#define MDL_ALLOCATED_FIXED_SIZE 0x0008

typedef enum _MM_PAGE_PRIORITY {
    LowPagePriority,
    NormalPagePriority = 16,
    HighPagePriority = 32,
} MM_PAGE_PRIORITY;

#define MdlMappingNoWrite 0x80000000
#define MdlMappingNoExecute 0x40000000

PMDL spinsim_IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota, PIRP Irp,
                           const sim_site *site);
VOID spinsim_IoFreeMdl(PMDL Mdl, const sim_site *site);
VOID spinsim_MmBuildMdlForNonPagedPool(PMDL Mdl, const sim_site *site);
PVOID spinsim_MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority, const sim_site *site);

#define IoAllocateMdl(Va, Length, Secondary, ChargeQuota, Irp)                                                         \
    spinsim_IoAllocateMdl((Va), (Length), (Secondary), (ChargeQuota), (Irp), SPINSIM_SITE)
#define IoFreeMdl(Mdl) spinsim_IoFreeMdl((Mdl), SPINSIM_SITE)
#define MmBuildMdlForNonPagedPool(Mdl) spinsim_MmBuildMdlForNonPagedPool((Mdl), SPINSIM_SITE)
#define MmGetSystemAddressForMdlSafe(Mdl, Priority)                                                                    \
    spinsim_MmGetSystemAddressForMdlSafe((Mdl), (ULONG)(Priority), SPINSIM_SITE)
#define KeGetCurrentProcessorIndex() spinsim_KeGetCurrentProcessorNumberEx(NULL, SPINSIM_SITE)

#define RtlUshortByteSwap(Source) ((USHORT)__builtin_bswap16((USHORT)(Source)))
#define RtlUlongByteSwap(Source) ((ULONG)__builtin_bswap32((ULONG)(Source)))
#define RtlUlonglongByteSwap(Source) ((ULONGLONG)__builtin_bswap64((ULONGLONG)(Source)))

#define DECLARE_CONST_UNICODE_STRING(_var, _string)                                                                    \
    const WCHAR _var##_buffer[] = _string;                                                                             \
    const UNICODE_STRING _var = {sizeof(_string) - sizeof(WCHAR), sizeof(_string), (PWCH)_var##_buffer}
#define DECLARE_UNICODE_STRING_SIZE(_var, _size)                                                                       \
    WCHAR _var##_buffer[_size];                                                                                        \
    UNICODE_STRING _var = {0, (_size) * sizeof(WCHAR), _var##_buffer}

#define READ_CONTROL 0x00020000L
#define STANDARD_RIGHTS_READ READ_CONTROL
#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_READ ((STANDARD_RIGHTS_READ | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY) & (~SYNCHRONIZE))

/* ---- lookaside lists (locks/lookaside.c) ------------------------------------ */

typedef struct _LOOKASIDE_LIST_EX LOOKASIDE_LIST_EX, *PLOOKASIDE_LIST_EX;
typedef PVOID(ALLOCATE_FUNCTION_EX)(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag, PLOOKASIDE_LIST_EX Lookaside);
typedef ALLOCATE_FUNCTION_EX *PALLOCATE_FUNCTION_EX;
typedef VOID(FREE_FUNCTION_EX)(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside);
typedef FREE_FUNCTION_EX *PFREE_FUNCTION_EX;

/* Every allocation is a fresh pool block and every free returns it: a
 * freed entry touched again is reported, as a special-pool run would. */
struct _LOOKASIDE_LIST_EX {
    POOL_TYPE Type;
    ULONG Tag;
    ULONG Size;
    PALLOCATE_FUNCTION_EX AllocateEx;
    PFREE_FUNCTION_EX FreeEx;
};

#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL 0x00000001
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE 0x00000002

NTSTATUS spinsim_ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
                                             PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags, SIZE_T Size,
                                             ULONG Tag, USHORT Depth, const sim_site *site);
VOID spinsim_ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, const sim_site *site);
PVOID spinsim_ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, const sim_site *site);
VOID spinsim_ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry, const sim_site *site);

#define ExInitializeLookasideListEx(Lookaside, Allocate, Free, PoolType, Flags, Size, Tag, Depth)                      \
    spinsim_ExInitializeLookasideListEx((Lookaside), (Allocate), (Free), (PoolType), (Flags), (Size), (Tag), (Depth),  \
                                        SPINSIM_SITE)
#define ExDeleteLookasideListEx(Lookaside) spinsim_ExDeleteLookasideListEx((Lookaside), SPINSIM_SITE)
#define ExAllocateFromLookasideListEx(Lookaside) spinsim_ExAllocateFromLookasideListEx((Lookaside), SPINSIM_SITE)
#define ExFreeToLookasideListEx(Lookaside, Entry) spinsim_ExFreeToLookasideListEx((Lookaside), (Entry), SPINSIM_SITE)

/* ---- routines spinsim declares but does not model ------------------------- */

/* They hold no lock and change no IRQL, so spinsim has no model of them; a
 * call stops the run with a message naming the routine, unless the harness
 * defines the routine itself (locks/include/README.md). Plain prototypes,
 * as in the WDK. */
NTSTATUS IoRegisterDeviceInterface(PDEVICE_OBJECT PhysicalDeviceObject, CONST GUID *InterfaceClassGuid,
                                   PUNICODE_STRING ReferenceString, PUNICODE_STRING SymbolicLinkName);
NTSTATUS IoSetDeviceInterfaceState(PUNICODE_STRING SymbolicLinkName, BOOLEAN Enable);
NTSTATUS IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action);
NTSTATUS RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString, PULONG BytesInMultiByteString,
                                PCWCH UnicodeString, ULONG BytesInUnicodeString);

#ifdef SPINSIM_EXTRA_INCLUDE
#include SPINSIM_EXTRA_INCLUDE
#endif

#endif
