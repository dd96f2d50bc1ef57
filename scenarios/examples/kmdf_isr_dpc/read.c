/*++
Module Name: read.c

Abstract: the read path, at PASSIVE_LEVEL: samples out of the ring under
    RingLock, the interrupt count through WdfInterruptSynchronize.
--*/
#include "device.h"

ULONG AdcReadSamples(_In_ WDFDEVICE Device, _Out_writes_(Count) PULONG Buffer, _In_ ULONG Count) {
    PADC_DEVICE_CONTEXT ctx = AdcGetContext(Device);
    ULONG taken = 0;

    WdfSpinLockAcquire(ctx->RingLock);
    while (taken < Count && ctx->Tail != ctx->Head) {
        Buffer[taken++] = ctx->Ring[ctx->Tail % ADC_RING_SIZE];
        ctx->Tail++;
    }
    ctx->Delivered += taken;
    WdfSpinLockRelease(ctx->RingLock);
    return taken;
}

ULONG AdcInterruptCount(_In_ WDFDEVICE Device) {
    ULONG count = 0;

    WdfInterruptSynchronize(AdcGetContext(Device)->Interrupt, AdcReadInterruptCount, &count);
    return count;
}
