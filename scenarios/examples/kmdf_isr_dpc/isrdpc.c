/*++
Module Name: isrdpc.c

Abstract: the interrupt path. The ISR runs at DIRQL holding the interrupt
    lock: it latches a sample and queues the DpcForIsr. The DPC takes the
    latched samples under the interrupt lock and files them into the ring,
    both under RingLock, at DISPATCH_LEVEL: the DpcForIsr may run on two
    processors at once, and samples must reach the ring in order.
--*/
#include "device.h"

BOOLEAN AdcEvtInterruptIsr(_In_ WDFINTERRUPT Interrupt, _In_ ULONG MessageID) {
    PADC_DEVICE_CONTEXT ctx = AdcGetContext(WdfInterruptGetDevice(Interrupt));

    UNREFERENCED_PARAMETER(MessageID);

    ctx->HwSequence++;
    ctx->Latched++;
#ifdef EXAMPLE_BUG
    /* Seeded bug: the interrupt is counted under RingLock, a spin lock the
     * read path holds at DISPATCH_LEVEL; at DIRQL the ISR may not take it. */
    WdfSpinLockAcquire(ctx->RingLock);
    ctx->Interrupts++;
    WdfSpinLockRelease(ctx->RingLock);
#else
    ctx->Interrupts++;
#endif
    WdfInterruptQueueDpcForIsr(Interrupt);
    return TRUE;
}

VOID AdcEvtInterruptDpc(_In_ WDFINTERRUPT Interrupt, _In_ WDFOBJECT AssociatedObject) {
    PADC_DEVICE_CONTEXT ctx = AdcGetContext(AssociatedObject);
    ULONG latched, first, i;

    WdfSpinLockAcquire(ctx->RingLock);
    WdfInterruptAcquireLock(Interrupt);
    latched = ctx->Latched;
    first = ctx->HwSequence - latched + 1;
    ctx->Latched = 0;
    WdfInterruptReleaseLock(Interrupt);
    for (i = 0; i < latched; i++) {
        if (ctx->Head - ctx->Tail == ADC_RING_SIZE) {
            ctx->Dropped++;
            continue;
        }
        ctx->Ring[ctx->Head % ADC_RING_SIZE] = first + i;
        ctx->Head++;
    }
    WdfSpinLockRelease(ctx->RingLock);
}

BOOLEAN AdcReadInterruptCount(_In_ WDFINTERRUPT Interrupt, _In_ WDFCONTEXT Context) {
    *(PULONG)Context = AdcGetContext(WdfInterruptGetDevice(Interrupt))->Interrupts;
    return TRUE;
}
