/*++
Module Name: driver.c

Abstract: the sampling driver's entry point and EvtDriverDeviceAdd: the
    device with its context, the ring's spin lock and the interrupt.
--*/
#include "device.h"

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath) {
    WDF_DRIVER_CONFIG config;
    NTSTATUS status;

    WDF_DRIVER_CONFIG_INIT(&config, AdcEvtDeviceAdd);
    status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
    if (!NT_SUCCESS(status))
        KdPrint(("Adc: WdfDriverCreate failed 0x%08X\n", status));
    return status;
}

NTSTATUS AdcEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit) {
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_INTERRUPT_CONFIG interruptConfig;
    PADC_DEVICE_CONTEXT ctx;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);

    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, ADC_DEVICE_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    ctx = AdcGetContext(device);

    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    status = WdfSpinLockCreate(&attributes, &ctx->RingLock);
    if (!NT_SUCCESS(status))
        return status;

    WDF_INTERRUPT_CONFIG_INIT(&interruptConfig, AdcEvtInterruptIsr, AdcEvtInterruptDpc);
    status = WdfInterruptCreate(device, &interruptConfig, WDF_NO_OBJECT_ATTRIBUTES, &ctx->Interrupt);
    if (!NT_SUCCESS(status))
        KdPrint(("Adc: WdfInterruptCreate failed 0x%08X\n", status));
    return status;
}
