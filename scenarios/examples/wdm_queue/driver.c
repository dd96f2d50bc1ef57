/*++
Module Name: driver.c

Abstract: the sensor driver's entry and unload: one device, its queue
    and the periodic poll timer.
--*/
#include "queue.h"

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, QueueUnload)
#endif

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath) {
    UNICODE_STRING deviceName;
    PDEVICE_OBJECT deviceObject;
    PQUEUE_EXTENSION ext;
    LARGE_INTEGER dueTime;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    RtlInitUnicodeString(&deviceName, L"\\Device\\PolledSensor");
    status = IoCreateDevice(DriverObject, sizeof(QUEUE_EXTENSION), &deviceName, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &deviceObject);
    if (!NT_SUCCESS(status)) {
        KdPrint(("PolledSensor: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = deviceObject->DeviceExtension;
    RtlZeroMemory(ext, sizeof(QUEUE_EXTENSION));
    KeInitializeSpinLock(&ext->QueueLock);
    InitializeListHead(&ext->PendingReads);
    KeInitializeTimer(&ext->PollTimer);
    KeInitializeDpc(&ext->PollDpc, QueuePollDpc, ext);

    DriverObject->MajorFunction[IRP_MJ_READ] = QueueDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = QueueDispatchCleanup;
    DriverObject->DriverUnload = QueueUnload;
    deviceObject->Flags |= DO_BUFFERED_IO;
    deviceObject->Flags &= ~DO_DEVICE_INITIALIZING;

    dueTime.QuadPart = -10000LL * QUEUE_POLL_PERIOD_MS;
    KeSetTimerEx(&ext->PollTimer, dueTime, QUEUE_POLL_PERIOD_MS, &ext->PollDpc);
    KdPrint(("PolledSensor: %wZ ready\n", &deviceName));
    return STATUS_SUCCESS;
}

VOID QueueUnload(_In_ PDRIVER_OBJECT DriverObject) {
    PDEVICE_OBJECT deviceObject = DriverObject->DeviceObject;
    PQUEUE_EXTENSION ext = deviceObject->DeviceExtension;

    PAGED_CODE();

    /* No poll may run once the device is gone. */
    KeCancelTimer(&ext->PollTimer);
    KeFlushQueuedDpcs();
    NT_ASSERT(IsListEmpty(&ext->PendingReads));
    IoDeleteDevice(deviceObject);
}
