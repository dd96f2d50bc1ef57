/* cancel_queue (correct; docs/windows-contract.md sect. 2.8): a WDM
 * serial-style driver queues read IRPs until data arrives, and lets the
 * I/O manager cancel them, all under the system cancel spin lock. The
 * read dispatch routine takes the cancel spin lock, completes the IRP at
 * once if it is already cancelled, and otherwise marks it pending, sets
 * its cancel routine and queues it. The cancel routine, called with the
 * cancel spin lock held, unlinks the IRP, releases the lock at
 * Irp->CancelIrql and completes it as cancelled. The data DPC takes the
 * cancel spin lock, dequeues the oldest read and clears its cancel routine
 * before releasing the lock, then completes it outside the lock. Whichever
 * of the cancel and the data DPC takes the lock first owns the IRP: every
 * read is completed once, never with its cancel routine set. */
#include <wdm.h>

typedef struct _CQ_EXTENSION {
    LIST_ENTRY PendingReads; /* guarded by the cancel spin lock */
    LONG Completed;          /* interlocked */
    LONG Cancelled;          /* interlocked */
    LONG DataWithoutReader;  /* interlocked */
} CQ_EXTENSION, *PCQ_EXTENSION;

DRIVER_DISPATCH CqDispatchRead;
DRIVER_CANCEL CqCancelRead;
KDEFERRED_ROUTINE CqDataDpc;
NTSTATUS CqDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

static VOID CqComplete(PIRP Irp, NTSTATUS Status) {
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID CqCancelRead(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    PCQ_EXTENSION Ext = DeviceObject->DeviceExtension;
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    InterlockedIncrement(&Ext->Cancelled);
    CqComplete(Irp, STATUS_CANCELLED);
}

NTSTATUS CqDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    PCQ_EXTENSION Ext = DeviceObject->DeviceExtension;
    KIRQL OldIrql;
    IoAcquireCancelSpinLock(&OldIrql);
    if (Irp->Cancel) {
        IoReleaseCancelSpinLock(OldIrql);
        InterlockedIncrement(&Ext->Cancelled);
        CqComplete(Irp, STATUS_CANCELLED);
        return STATUS_CANCELLED;
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, CqCancelRead);
    InsertTailList(&Ext->PendingReads, &Irp->Tail.Overlay.ListEntry);
    IoReleaseCancelSpinLock(OldIrql);
    return STATUS_PENDING;
}

VOID CqDataDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PCQ_EXTENSION Ext = DeferredContext;
    PIRP Irp = NULL;
    KIRQL OldIrql;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    IoAcquireCancelSpinLock(&OldIrql);
    if (!IsListEmpty(&Ext->PendingReads)) {
        Irp = CONTAINING_RECORD(RemoveHeadList(&Ext->PendingReads), IRP, Tail.Overlay.ListEntry);
        IoSetCancelRoutine(Irp, NULL); /* ours now: a cancel finds no routine */
    }
    IoReleaseCancelSpinLock(OldIrql);
    if (Irp == NULL) {
        InterlockedIncrement(&Ext->DataWithoutReader);
        return;
    }
    InterlockedIncrement(&Ext->Completed);
    CqComplete(Irp, STATUS_SUCCESS);
}

NTSTATUS CqDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    PDEVICE_OBJECT DeviceObject;
    PCQ_EXTENSION Ext;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    Status = IoCreateDevice(DriverObject, sizeof(CQ_EXTENSION), NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &DeviceObject);
    if (!NT_SUCCESS(Status))
        return Status;
    Ext = DeviceObject->DeviceExtension;
    InitializeListHead(&Ext->PendingReads);
    DriverObject->MajorFunction[IRP_MJ_READ] = CqDispatchRead;
    DeviceObject->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim_io.h"

#define CQ_READS 2

typedef struct _CQ_READER {
    PDEVICE_OBJECT Device;
    PIRP Read;
} CQ_READER;

static VOID CqReader(PVOID Context) {
    CQ_READER *reader = Context;
    IoCallDriver(reader->Device, reader->Read);
}

static void cancel_queue_check(PVOID context) {
    PCQ_EXTENSION ext = context;
    LONG pending = 0;
    for (PLIST_ENTRY entry = ext->PendingReads.Flink; entry != &ext->PendingReads; entry = entry->Flink)
        pending++;
    SIM_CHECK(ext->Completed + ext->Cancelled + pending == CQ_READS);
    SIM_CHECK(ext->Completed + ext->DataWithoutReader <= 2); /* an insert while queued is lost */
}

SIM_SCENARIO(cancel_queue, "read IRPs queued and cancelled under the cancel spin lock, completed by a DPC; correct") {
    CQ_READER *readers = sim_alloc(CQ_READS * sizeof *readers);
    PDRIVER_OBJECT driver = sim_driver_object();
    sim_cpus(2);
    SIM_CHECK(NT_SUCCESS(CqDriverEntry(driver, NULL)));
    for (int i = 0; i < CQ_READS; i++) {
        readers[i].Device = driver->DeviceObject;
        readers[i].Read = sim_irp(driver->DeviceObject, IRP_MJ_READ);
        sim_thread(i, CqReader, &readers[i]);
    }
    sim_cancel_irp_later(readers[0].Read);
    sim_dpc_later(1, CqDataDpc, driver->DeviceObject->DeviceExtension, 2);
    sim_at_end(cancel_queue_check, driver->DeviceObject->DeviceExtension);
    sim_expect(SIM_FINDING_NONE);
}
