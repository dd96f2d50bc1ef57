/*++
Module Name: io.c

Abstract: the write path. EvtIoWrite (under the device lock) turns the
    write into the device's DMA transaction; the framework calls
    EvtProgramDma at DISPATCH_LEVEL for each transfer, which writes the
    transfer's descriptor and starts the engine.
--*/
#include "device.h"

VOID XferEvtIoWrite(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length) {
    PXFER_DEVICE_CONTEXT ctx = XferGetContext(WdfIoQueueGetDevice(Queue));
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Length);

    status = WdfDmaTransactionInitializeUsingRequest(ctx->Transaction, Request, XferEvtProgramDma,
                                                     WdfDmaDirectionWriteToDevice);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    status = WdfDmaTransactionExecute(ctx->Transaction, ctx);
    if (!NT_SUCCESS(status)) {
        WdfDmaTransactionRelease(ctx->Transaction);
        WdfRequestComplete(Request, status);
        return;
    }
#ifdef EXAMPLE_BUG
    /* The bug: the write is reported done once the engine has it, but the
     * transaction still owns it, and the DpcForIsr completes it again. */
    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
#endif
}

BOOLEAN XferEvtProgramDma(_In_ WDFDMATRANSACTION Transaction, _In_ WDFDEVICE Device, _In_ WDFCONTEXT Context,
                          _In_ WDF_DMA_DIRECTION Direction, _In_ PSCATTER_GATHER_LIST SgList) {
    PXFER_DEVICE_CONTEXT ctx = Context;

    UNREFERENCED_PARAMETER(Transaction);
    UNREFERENCED_PARAMETER(Device);

    NT_ASSERT(SgList->NumberOfElements == 1);
    ctx->Descriptor->Address = (ULONG64)SgList->Elements[0].Address.QuadPart;
    ctx->Descriptor->Length = SgList->Elements[0].Length;
    ctx->Descriptor->ToDevice = Direction == WdfDmaDirectionWriteToDevice;

    WdfInterruptAcquireLock(ctx->Interrupt);
    WRITE_REGISTER_ULONG(&ctx->Registers->DescriptorLow, ctx->DescriptorLogical.LowPart);
    WRITE_REGISTER_ULONG(&ctx->Registers->DescriptorHigh, (ULONG)ctx->DescriptorLogical.HighPart);
    WRITE_REGISTER_ULONG(&ctx->Registers->Control, XFER_CONTROL_START);
    WdfInterruptReleaseLock(ctx->Interrupt);
    return TRUE;
}
