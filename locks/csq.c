/* csq.c owns cancel-safe IRP queues: IoCsqInitialize(Ex), IoCsqInsertIrp(Ex),
 * IoCsqRemoveNextIrp and IoCsqRemoveIrp, as the I/O manager runs them over
 * the driver's queue and lock callbacks (docs/design.md, "The wdm.h surface
 * beyond locks").
 *
 * The rule that makes the queue safe is the one a hand-written queue must
 * keep (irp.c): every queued IRP has the queue's cancel routine set, and it
 * leaves the queue only for whoever clears that routine, under the driver's
 * lock. An insert sets the routine after the IRP is queued and, if the IRP
 * was cancelled meanwhile and it takes the routine back, removes and
 * completes it itself; a removal skips an IRP whose routine is gone, which
 * its cancel routine removes and completes. The queue's cancel routine
 * releases the cancel spin lock first, then takes the driver's lock.
 *
 * An IRP in the queue keeps its CSQ, or its IO_CSQ_IRP_CONTEXT, in
 * Tail.Overlay.DriverContext[3], as on Windows. The driver's callbacks run
 * on the caller's context; the queue's own lock operations report this
 * file's cancel routine as their site. */
#include "lock_internal.h"

enum { CSQ_SLOT = 3 };

static const sim_site cancel_site = {__FILE__, __LINE__, "IopCsqCancelRoutine"};

/* The queue an IRP is in, and its context or NULL. */
static PIO_CSQ csq_of(PIRP irp, PIO_CSQ_IRP_CONTEXT *context) {
    PVOID owner = irp->Tail.Overlay.DriverContext[CSQ_SLOT];
    *context = *(const ULONG *)owner == IO_TYPE_CSQ_IRP_CONTEXT ? owner : NULL;
    return *context != NULL ? (*context)->Csq : owner;
}

/* Takes the IRP out of the driver's queue and forgets it; with the
 * driver's lock held. */
static void dequeue(PIO_CSQ csq, PIRP irp) {
    csq->CsqRemoveIrp(csq, irp);
    PIO_CSQ_IRP_CONTEXT context;
    csq_of(irp, &context);
    if (context != NULL)
        context->Irp = NULL;
    irp->Tail.Overlay.DriverContext[CSQ_SLOT] = NULL;
}

/* Clears the IRP's cancel routine: true when it was still set, so the IRP
 * is ours, false when the cancel routine runs (and removes it). */
static bool claim(PIRP irp, const sim_site *site) {
    return spinsim_IoSetCancelRoutine(irp, NULL, "NULL", site) != NULL;
}

static VOID csq_cancel(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    PIO_CSQ_IRP_CONTEXT context;
    PIO_CSQ csq = csq_of(Irp, &context);
    KIRQL irql;
    spinsim_IoReleaseCancelSpinLock(Irp->CancelIrql, &cancel_site);
    csq->CsqAcquireLock(csq, &irql);
    dequeue(csq, Irp);
    csq->CsqReleaseLock(csq, irql);
    csq->CsqCompleteCanceledIrp(csq, Irp);
}

NTSTATUS spinsim_IoCsqInitialize(PIO_CSQ Csq, ULONG Type, PIO_CSQ_INSERT_IRP CsqInsertIrp,
                                 PIO_CSQ_REMOVE_IRP CsqRemoveIrp, PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                 PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock, PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                 PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp, const sim_site *site) {
    spinsim_routine_enter(Type == IO_TYPE_CSQ_EX ? "IoCsqInitializeEx" : "IoCsqInitialize", DISPATCH_LEVEL, site);
    *Csq = (IO_CSQ){.Type = Type,
                    .CsqInsertIrp = CsqInsertIrp,
                    .CsqRemoveIrp = CsqRemoveIrp,
                    .CsqPeekNextIrp = CsqPeekNextIrp,
                    .CsqAcquireLock = CsqAcquireLock,
                    .CsqReleaseLock = CsqReleaseLock,
                    .CsqCompleteCanceledIrp = CsqCompleteCanceledIrp};
    return STATUS_SUCCESS;
}

/* IoCsqInsertIrp is this with no InsertContext; a failing
 * IO_CSQ_INSERT_IRP_EX leaves the IRP unqueued and its status returned. */
NTSTATUS spinsim_IoCsqInsertIrpEx(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context, PVOID InsertContext,
                                  const sim_site *site) {
    spinsim_routine_enter("IoCsqInsertIrp", DISPATCH_LEVEL, site);
    KIRQL irql;
    Csq->CsqAcquireLock(Csq, &irql);
    if (Csq->Type == IO_TYPE_CSQ_EX) {
        const NTSTATUS status = ((PIO_CSQ_INSERT_IRP_EX)Csq->CsqInsertIrp)(Csq, Irp, InsertContext);
        if (!NT_SUCCESS(status)) {
            Csq->CsqReleaseLock(Csq, irql);
            return status;
        }
    } else {
        Csq->CsqInsertIrp(Csq, Irp);
    }
    if (Context != NULL)
        *Context = (IO_CSQ_IRP_CONTEXT){.Type = IO_TYPE_CSQ_IRP_CONTEXT, .Irp = Irp, .Csq = Csq};
    Irp->Tail.Overlay.DriverContext[CSQ_SLOT] = Context != NULL ? (PVOID)Context : (PVOID)Csq;
    spinsim_IoMarkIrpPending(Irp, site);
    spinsim_IoSetCancelRoutine(Irp, csq_cancel, "IopCsqCancelRoutine", site);
    /* Cancelled before the routine was set, and it is ours again. */
    const bool cancelled = Irp->Cancel && claim(Irp, site);
    if (cancelled)
        dequeue(Csq, Irp);
    Csq->CsqReleaseLock(Csq, irql);
    if (cancelled)
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
    return STATUS_SUCCESS;
}

PIRP spinsim_IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext, const sim_site *site) {
    spinsim_routine_enter("IoCsqRemoveNextIrp", DISPATCH_LEVEL, site);
    KIRQL irql;
    Csq->CsqAcquireLock(Csq, &irql);
    PIRP irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext);
    /* Skip IRPs whose cancel routine is running: it removes them. */
    while (irp != NULL && !claim(irp, site))
        irp = Csq->CsqPeekNextIrp(Csq, irp, PeekContext);
    if (irp != NULL)
        dequeue(Csq, irp);
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}

PIRP spinsim_IoCsqRemoveIrp(PIO_CSQ Csq, PIO_CSQ_IRP_CONTEXT Context, const sim_site *site) {
    spinsim_routine_enter("IoCsqRemoveIrp", DISPATCH_LEVEL, site);
    KIRQL irql;
    Csq->CsqAcquireLock(Csq, &irql);
    PIRP irp = Context->Irp;
    if (irp != NULL && claim(irp, site))
        dequeue(Csq, irp);
    else
        irp = NULL;
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}
