/* wdm_only_driver.c: a small driver written against <wdm.h> alone, as a
 * driver author would: no simulator name appears here. Two submit threads
 * queue packets under an in-stack queued lock and count them under a plain
 * spin lock; the device's ISR counts interrupts under its interrupt lock
 * and queues the completion DPC; the DPC drains the queue at DISPATCH_LEVEL
 * with the AtDpcLevel forms; a configuration thread writes under a
 * reader/writer lock that the submitters read, and reads the ISR's count
 * through KeSynchronizeExecution. wdm_only_scenario.c runs it. */
#include <wdm.h>

#define WDM_POOL_TAG 0x6d647753 /* 'Swdm' */
#define WDM_PACKETS_PER_THREAD 2

typedef struct _WDM_PACKET {
    LIST_ENTRY Link;
    ULONG Sequence;
} WDM_PACKET, *PWDM_PACKET;

typedef struct _WDM_DEVICE {
    KSPIN_LOCK QueueLock; /* in-stack queued: Pending */
    LIST_ENTRY Pending;
    KSPIN_LOCK StatsLock; /* Submitted, Completed */
    ULONG Submitted;
    ULONG Completed;
    EX_SPIN_LOCK ConfigLock; /* Config */
    ULONG Config;
    PKINTERRUPT Interrupt;
    ULONG InterruptsSeen; /* the interrupt lock */
    KDPC CompletionDpc;
    LONG Outstanding;
} WDM_DEVICE, *PWDM_DEVICE;

NTSTATUS WdmAddDevice(PVOID *Device);
KSTART_ROUTINE WdmSubmitThread;
KSTART_ROUTINE WdmConfigThread;
VOID WdmQueryCounts(PVOID Device, PULONG Submitted, PULONG Completed, PULONG Pending, PLONG Outstanding);
static KSERVICE_ROUTINE WdmIsr;
static KDEFERRED_ROUTINE WdmCompletionDpc;
static KSYNCHRONIZE_ROUTINE WdmReadInterruptCount;

static BOOLEAN WdmIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PWDM_DEVICE Device = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Device->InterruptsSeen++;
    KeInsertQueueDpc(&Device->CompletionDpc, NULL, NULL);
    return TRUE;
}

static VOID WdmCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PWDM_DEVICE Device = DeferredContext;
    KLOCK_QUEUE_HANDLE Handle;
    LIST_ENTRY Done;
    ULONG Count = 0;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    InitializeListHead(&Done);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Device->QueueLock, &Handle);
    while (!IsListEmpty(&Device->Pending))
        InsertTailList(&Done, RemoveHeadList(&Device->Pending));
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
    while (!IsListEmpty(&Done)) {
        PWDM_PACKET Packet = CONTAINING_RECORD(RemoveHeadList(&Done), WDM_PACKET, Link);
        ExFreePoolWithTag(Packet, WDM_POOL_TAG);
        InterlockedDecrement(&Device->Outstanding);
        Count++;
    }
    KeAcquireSpinLockAtDpcLevel(&Device->StatsLock);
    Device->Completed += Count;
    KeReleaseSpinLockFromDpcLevel(&Device->StatsLock);
}

NTSTATUS WdmAddDevice(PVOID *DeviceOut) {
    PWDM_DEVICE Device = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *Device, WDM_POOL_TAG);
    NTSTATUS Status;
    if (Device == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    KeInitializeSpinLock(&Device->QueueLock);
    InitializeListHead(&Device->Pending);
    KeInitializeSpinLock(&Device->StatsLock);
    KeInitializeDpc(&Device->CompletionDpc, WdmCompletionDpc, Device);
    Status = IoConnectInterrupt(&Device->Interrupt, WdmIsr, Device, NULL, 0x51, 5, 5, Latched, FALSE, 3, FALSE);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Device, WDM_POOL_TAG);
        return Status;
    }
    *DeviceOut = Device;
    return STATUS_SUCCESS;
}

static ULONG WdmReadConfig(PWDM_DEVICE Device) {
    KIRQL OldIrql = ExAcquireSpinLockShared(&Device->ConfigLock);
    ULONG Config = Device->Config;
    ExReleaseSpinLockShared(&Device->ConfigLock, OldIrql);
    return Config;
}

VOID WdmSubmitThread(PVOID StartContext) {
    PWDM_DEVICE Device = StartContext;
    for (ULONG i = 0; i < WDM_PACKETS_PER_THREAD; i++) {
        PWDM_PACKET Packet = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *Packet, WDM_POOL_TAG);
        KLOCK_QUEUE_HANDLE Handle;
        KIRQL OldIrql;
        if (Packet == NULL)
            return;
        Packet->Sequence = WdmReadConfig(Device);
        InterlockedIncrement(&Device->Outstanding);
        KeAcquireInStackQueuedSpinLock(&Device->QueueLock, &Handle);
        InsertTailList(&Device->Pending, &Packet->Link);
        KeReleaseInStackQueuedSpinLock(&Handle);
        KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
        Device->Submitted++;
        KeReleaseSpinLock(&Device->StatsLock, OldIrql);
    }
}

static BOOLEAN WdmReadInterruptCount(PVOID SynchronizeContext) {
    PWDM_DEVICE Device = SynchronizeContext;
    return Device->InterruptsSeen > 0;
}

VOID WdmConfigThread(PVOID StartContext) {
    PWDM_DEVICE Device = StartContext;
    KIRQL OldIrql;
    PAGED_CODE();
    OldIrql = ExAcquireSpinLockExclusive(&Device->ConfigLock);
    Device->Config++;
    ExReleaseSpinLockExclusive(&Device->ConfigLock, OldIrql);
    KeSynchronizeExecution(Device->Interrupt, WdmReadInterruptCount, Device);
}

/* Counts for the scenario's end-of-run check. */
VOID WdmQueryCounts(PVOID DeviceIn, PULONG Submitted, PULONG Completed, PULONG Pending, PLONG Outstanding) {
    PWDM_DEVICE Device = DeviceIn;
    ULONG Count = 0;
    for (PLIST_ENTRY Entry = Device->Pending.Flink; Entry != &Device->Pending; Entry = Entry->Flink)
        Count++;
    *Submitted = Device->Submitted;
    *Completed = Device->Completed;
    *Pending = Count;
    *Outstanding = Device->Outstanding;
}
