/*++
Module Name: queue.c

Abstract: the queue of pending reads. Reads are queued with a cancel
    routine; the poll DPC completes the oldest one it can take with the
    next sample; cancellation and cleanup complete the others with
    STATUS_CANCELLED. An IRP is taken off the queue only under QueueLock
    and only by whoever clears its cancel routine; the cancel routine
    itself removes its IRP under QueueLock.
--*/
#include "queue.h"

/* Takes the oldest pending read whose cancel routine the caller could
 * clear; NULL when there is none. Called with QueueLock held. */
static PIRP QueueTakeNextLocked(PQUEUE_EXTENSION ext) {
    PLIST_ENTRY entry;

    for (entry = ext->PendingReads.Flink; entry != &ext->PendingReads; entry = entry->Flink) {
        PIRP irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
#ifdef EXAMPLE_BUG
        /* Seeded bug: the read is taken whatever IoSetCancelRoutine returns.
         * When IoCancelIrp has already taken the cancel routine, that routine
         * completes the IRP as well. */
        IoSetCancelRoutine(irp, NULL);
#else
        if (IoSetCancelRoutine(irp, NULL) == NULL)
            continue; /* its cancel routine is running: it completes the IRP */
#endif
        RemoveEntryList(entry);
        return irp;
    }
    return NULL;
}

NTSTATUS QueueDispatchRead(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp) {
    PQUEUE_EXTENSION ext = DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    IoMarkIrpPending(Irp);
    KeAcquireSpinLock(&ext->QueueLock, &oldIrql);
    InsertTailList(&ext->PendingReads, &Irp->Tail.Overlay.ListEntry);
    IoSetCancelRoutine(Irp, QueueCancelRead);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        /* Cancelled before the routine was set: ours to complete. */
        RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
        KeReleaseSpinLock(&ext->QueueLock, oldIrql);
        Irp->IoStatus.Status = STATUS_CANCELLED;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_PENDING;
    }
    KeReleaseSpinLock(&ext->QueueLock, oldIrql);
    return STATUS_PENDING;
}

VOID QueueCancelRead(_Inout_ PDEVICE_OBJECT DeviceObject, _Inout_ _IRQL_uses_cancel_ PIRP Irp) {
    PQUEUE_EXTENSION ext = DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KeAcquireSpinLock(&ext->QueueLock, &oldIrql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&ext->QueueLock, oldIrql);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID QueuePollDpc(_In_ PKDPC Dpc, _In_opt_ PVOID DeferredContext, _In_opt_ PVOID SystemArgument1,
                  _In_opt_ PVOID SystemArgument2) {
    PQUEUE_EXTENSION ext = DeferredContext;
    PIRP irp;
    ULONG sample;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    KeAcquireSpinLockAtDpcLevel(&ext->QueueLock);
    sample = ++ext->Sample;
    irp = QueueTakeNextLocked(ext);
    KeReleaseSpinLockFromDpcLevel(&ext->QueueLock);
    if (irp == NULL)
        return;
    if (irp->AssociatedIrp.SystemBuffer != NULL)
        *(PULONG)irp->AssociatedIrp.SystemBuffer = sample;
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = sizeof(ULONG);
    InterlockedIncrement(&ext->ReadsCompleted);
    IoCompleteRequest(irp, IO_NO_INCREMENT);
}

NTSTATUS QueueDispatchCleanup(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp) {
    PQUEUE_EXTENSION ext = DeviceObject->DeviceExtension;
    LIST_ENTRY flushed;
    KIRQL oldIrql;
    PIRP pending;

    InitializeListHead(&flushed);
    KeAcquireSpinLock(&ext->QueueLock, &oldIrql);
    while ((pending = QueueTakeNextLocked(ext)) != NULL)
        InsertTailList(&flushed, &pending->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&ext->QueueLock, oldIrql);

    while (!IsListEmpty(&flushed)) {
        pending = CONTAINING_RECORD(RemoveHeadList(&flushed), IRP, Tail.Overlay.ListEntry);
        pending->IoStatus.Status = STATUS_CANCELLED;
        pending->IoStatus.Information = 0;
        IoCompleteRequest(pending, IO_NO_INCREMENT);
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}
