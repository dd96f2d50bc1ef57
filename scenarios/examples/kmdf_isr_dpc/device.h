/*++
Module Name: device.h

Abstract: a KMDF sampling device. Each interrupt latches one sample of the
    hardware's sequence counter; the DpcForIsr moves the latched samples
    into a ring under a framework spin lock; the read path takes them out
    of the ring. Who guards what:
      interrupt lock (the ISR holds it; others take it with
      WdfInterruptAcquireLock or WdfInterruptSynchronize):
          HwSequence, Latched, Interrupts
      RingLock (a WDFSPINLOCK, DISPATCH_LEVEL only; taken before the
      interrupt lock when both are needed):
          Ring, Head, Tail, Dropped, Delivered
--*/
#ifndef DEVICE_H
#define DEVICE_H

#include <ntddk.h>
#include <wdf.h>

#define ADC_RING_SIZE 4

typedef struct _ADC_DEVICE_CONTEXT {
    WDFINTERRUPT Interrupt;
    ULONG HwSequence;
    ULONG Latched;
    ULONG Interrupts;
    WDFSPINLOCK RingLock;
    ULONG Ring[ADC_RING_SIZE];
    ULONG Head;
    ULONG Tail;
    ULONG Dropped;
    ULONG Delivered;
} ADC_DEVICE_CONTEXT, *PADC_DEVICE_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(ADC_DEVICE_CONTEXT, AdcGetContext)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD AdcEvtDeviceAdd;
EVT_WDF_INTERRUPT_ISR AdcEvtInterruptIsr;
EVT_WDF_INTERRUPT_DPC AdcEvtInterruptDpc;
EVT_WDF_INTERRUPT_SYNCHRONIZE AdcReadInterruptCount;

/* The read path, as an EvtIoRead would run it: up to Count samples out of
 * the ring into Buffer; returns how many. */
ULONG AdcReadSamples(_In_ WDFDEVICE Device, _Out_writes_(Count) PULONG Buffer, _In_ ULONG Count);
/* The interrupts taken so far, read under the interrupt lock. */
ULONG AdcInterruptCount(_In_ WDFDEVICE Device);

#endif
