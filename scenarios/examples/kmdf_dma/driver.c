/*++
Module Name: driver.c

Abstract: the transfer engine's entry point, EvtDriverDeviceAdd (the device
    under SynchronizationScopeDevice, its write queue, interrupt and DMA
    objects) and EvtDevicePrepareHardware (the register BAR).
--*/
#include "device.h"

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath) {
    WDF_DRIVER_CONFIG config;
    NTSTATUS status;

    WDF_DRIVER_CONFIG_INIT(&config, XferEvtDeviceAdd);
    status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
    if (!NT_SUCCESS(status))
        KdPrint(("Xfer: WdfDriverCreate failed 0x%08X\n", status));
    return status;
}

static NTSTATUS XferCreateDmaObjects(_In_ WDFDEVICE Device, _Inout_ PXFER_DEVICE_CONTEXT Ctx) {
    WDF_DMA_ENABLER_CONFIG dmaConfig;
    NTSTATUS status;

    WdfDeviceSetAlignmentRequirement(Device, FILE_OCTA_ALIGNMENT);
    WDF_DMA_ENABLER_CONFIG_INIT(&dmaConfig, WdfDmaProfileScatterGather64, XFER_MAXIMUM_TRANSFER);
    status = WdfDmaEnablerCreate(Device, &dmaConfig, WDF_NO_OBJECT_ATTRIBUTES, &Ctx->DmaEnabler);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfCommonBufferCreate(Ctx->DmaEnabler, sizeof(XFER_DESCRIPTOR), WDF_NO_OBJECT_ATTRIBUTES,
                                   &Ctx->DescriptorBuffer);
    if (!NT_SUCCESS(status))
        return status;
    Ctx->Descriptor = WdfCommonBufferGetAlignedVirtualAddress(Ctx->DescriptorBuffer);
    Ctx->DescriptorLogical = WdfCommonBufferGetAlignedLogicalAddress(Ctx->DescriptorBuffer);
    return WdfDmaTransactionCreate(Ctx->DmaEnabler, WDF_NO_OBJECT_ATTRIBUTES, &Ctx->Transaction);
}

NTSTATUS XferEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit) {
    WDF_PNPPOWER_EVENT_CALLBACKS pnpCallbacks;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queueConfig;
    WDF_INTERRUPT_CONFIG interruptConfig;
    PXFER_DEVICE_CONTEXT ctx;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);

    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnpCallbacks);
    pnpCallbacks.EvtDevicePrepareHardware = XferEvtDevicePrepareHardware;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnpCallbacks);

    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, XFER_DEVICE_CONTEXT);
    attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    ctx = XferGetContext(device);

    WDF_IO_QUEUE_CONFIG_INIT(&queueConfig, WdfIoQueueDispatchSequential);
    queueConfig.EvtIoWrite = XferEvtIoWrite;
    status = WdfIoQueueCreate(device, &queueConfig, WDF_NO_OBJECT_ATTRIBUTES, &ctx->WriteQueue);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfDeviceConfigureRequestDispatching(device, ctx->WriteQueue, WdfRequestTypeWrite);
    if (!NT_SUCCESS(status))
        return status;

    WDF_INTERRUPT_CONFIG_INIT(&interruptConfig, XferEvtInterruptIsr, XferEvtInterruptDpc);
    interruptConfig.AutomaticSerialization = TRUE;
    status = WdfInterruptCreate(device, &interruptConfig, WDF_NO_OBJECT_ATTRIBUTES, &ctx->Interrupt);
    if (!NT_SUCCESS(status))
        return status;

    status = XferCreateDmaObjects(device, ctx);
    if (!NT_SUCCESS(status))
        KdPrint(("Xfer: DMA objects failed 0x%08X\n", status));
    return status;
}

NTSTATUS XferEvtDevicePrepareHardware(_In_ WDFDEVICE Device, _In_ WDFCMRESLIST ResourcesRaw,
                                      _In_ WDFCMRESLIST ResourcesTranslated) {
    PXFER_DEVICE_CONTEXT ctx = XferGetContext(Device);
    PCM_PARTIAL_RESOURCE_DESCRIPTOR descriptor;
    ULONG i;

    UNREFERENCED_PARAMETER(ResourcesRaw);
    PAGED_CODE();

    for (i = 0; i < WdfCmResourceListGetCount(ResourcesTranslated); i++) {
        descriptor = WdfCmResourceListGetDescriptor(ResourcesTranslated, i);
        if (descriptor == NULL || descriptor->Type != CmResourceTypeMemory ||
            descriptor->u.Memory.Length < XFER_REGISTERS_LENGTH)
            continue;
        ctx->Registers =
            MmMapIoSpaceEx(descriptor->u.Memory.Start, descriptor->u.Memory.Length, PAGE_READWRITE | PAGE_NOCACHE);
        return ctx->Registers != NULL ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_DEVICE_CONFIGURATION_ERROR;
}
