/*++
Module Name: isrdpc.c

Abstract: the engine's interrupt. The ISR claims a finished transfer
    (clearing the engine's Done bit itself, so a second CPU taking the same
    interrupt finds nothing) and queues its DpcForIsr; the DPC, serialized
    with EvtIoWrite by the device lock, tells the framework the transfer is
    done and completes the write when the transaction is.
--*/
#include "device.h"

BOOLEAN XferEvtInterruptIsr(_In_ WDFINTERRUPT Interrupt, _In_ ULONG MessageID) {
    PXFER_DEVICE_CONTEXT ctx = XferGetContext(WdfInterruptGetDevice(Interrupt));

    UNREFERENCED_PARAMETER(MessageID);

    if ((READ_REGISTER_ULONG(&ctx->Registers->Status) & XFER_STATUS_DONE) == 0)
        return FALSE;
    WRITE_REGISTER_ULONG(&ctx->Registers->Status, 0);
    ctx->TransferDone = TRUE;
    ctx->Transfers++;
    WdfInterruptQueueDpcForIsr(Interrupt);
    return TRUE;
}

VOID XferEvtInterruptDpc(_In_ WDFINTERRUPT Interrupt, _In_ WDFOBJECT AssociatedObject) {
    PXFER_DEVICE_CONTEXT ctx = XferGetContext(WdfInterruptGetDevice(Interrupt));
    WDFREQUEST request;
    NTSTATUS status;
    size_t transferred;
    BOOLEAN done;

    UNREFERENCED_PARAMETER(AssociatedObject);

    WdfInterruptAcquireLock(Interrupt);
    done = ctx->TransferDone;
    ctx->TransferDone = FALSE;
    WdfInterruptReleaseLock(Interrupt);
    if (!done)
        return;

    /* FALSE: the framework has programmed the next transfer. */
    if (!WdfDmaTransactionDmaCompleted(ctx->Transaction, &status))
        return;
    request = WdfDmaTransactionGetRequest(ctx->Transaction);
    transferred = WdfDmaTransactionGetBytesTransferred(ctx->Transaction);
    WdfDmaTransactionRelease(ctx->Transaction);
    WdfRequestCompleteWithInformation(request, status, transferred);
}
