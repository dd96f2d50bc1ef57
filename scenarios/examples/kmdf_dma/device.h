/*++
Module Name: device.h

Abstract: a KMDF bus-master transfer engine. Writes arrive on a sequential
    queue; each becomes a DMA transaction whose transfers the engine runs
    one at a time from a descriptor in a common buffer; the engine's
    interrupt says a transfer is done, and the DpcForIsr tells the
    framework, which programs the next transfer or ends the transaction,
    and then the DPC completes the write. The device uses
    SynchronizationScopeDevice: EvtIoWrite and the DpcForIsr never run at
    once. Who guards what:
      the device lock (the framework's, SynchronizationScopeDevice):
          Transaction's state, Descriptor (written by EvtProgramDma, which
          runs inside EvtIoWrite or the DPC)
      interrupt lock (the ISR holds it; others take WdfInterruptAcquireLock):
          TransferDone, Transfers, the engine's registers
--*/
#ifndef DEVICE_H
#define DEVICE_H

#include <ntddk.h>
#include <wdf.h>

#define XFER_MAXIMUM_TRANSFER 64
#define XFER_REGISTERS_LENGTH 0x10
#define XFER_CONTROL_START 0x1
#define XFER_STATUS_DONE 0x1

/* The engine's registers (memory BAR 0). */
typedef struct _XFER_REGISTERS {
    ULONG Control;       /* XFER_CONTROL_START: run the descriptor at Descriptor* */
    ULONG Status;        /* XFER_STATUS_DONE: set by the engine, cleared by the ISR */
    ULONG DescriptorLow; /* the descriptor's logical address */
    ULONG DescriptorHigh;
} XFER_REGISTERS, *PXFER_REGISTERS;

/* One transfer, as the engine reads it from the common buffer. */
typedef struct _XFER_DESCRIPTOR {
    ULONG64 Address;
    ULONG Length;
    ULONG ToDevice;
} XFER_DESCRIPTOR, *PXFER_DESCRIPTOR;

typedef struct _XFER_DEVICE_CONTEXT {
    PXFER_REGISTERS Registers;
    WDFINTERRUPT Interrupt;
    WDFQUEUE WriteQueue;
    WDFDMAENABLER DmaEnabler;
    WDFDMATRANSACTION Transaction;
    WDFCOMMONBUFFER DescriptorBuffer;
    PXFER_DESCRIPTOR Descriptor;
    PHYSICAL_ADDRESS DescriptorLogical;
    BOOLEAN TransferDone;
    ULONG Transfers;
} XFER_DEVICE_CONTEXT, *PXFER_DEVICE_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(XFER_DEVICE_CONTEXT, XferGetContext)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD XferEvtDeviceAdd;
EVT_WDF_DEVICE_PREPARE_HARDWARE XferEvtDevicePrepareHardware;
EVT_WDF_IO_QUEUE_IO_WRITE XferEvtIoWrite;
EVT_WDF_PROGRAM_DMA XferEvtProgramDma;
EVT_WDF_INTERRUPT_ISR XferEvtInterruptIsr;
EVT_WDF_INTERRUPT_DPC XferEvtInterruptDpc;

#endif
