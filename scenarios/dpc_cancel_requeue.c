/* dpc_cancel_requeue (correct; docs/windows-contract.md sect. 2.8): a
 * display controller applies a new mode from a DPC, passing the mode in
 * the insert's SystemArgument1. The configuration thread replaces a mode
 * change still pending: KeRemoveQueueDpc takes the queued DPC back (TRUE
 * only if it was still queued, so the old mode never applies), then
 * KeInsertQueueDpc queues it again with the new mode, which succeeds
 * whether or not the removal found it queued: a DPC off its queue can be
 * queued again at once. The thread then waits on the event the DPC signals.
 * The new mode is the last one applied. */
#include <wdm.h>

#define DC_MODE_OLD 1
#define DC_MODE_NEW 2

typedef struct _DC_EXTENSION {
    KDPC ApplyDpc;
    KEVENT Applied;
    ULONG Mode;      /* the DPC's: the mode last applied */
    ULONG Applies;   /* the DPC's: how many modes applied */
    ULONG Withdrawn; /* the thread's own: pending changes taken back */
    ULONG Requeued;  /* the thread's own */
} DC_EXTENSION, *PDC_EXTENSION;

KDEFERRED_ROUTINE DcApplyModeDpc;
KSTART_ROUTINE DcConfigThread;

VOID DcApplyModeDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PDC_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Ext->Mode = (ULONG)(ULONG_PTR)SystemArgument1;
    Ext->Applies++;
    KeSetEvent(&Ext->Applied, IO_NO_INCREMENT, FALSE);
}

VOID DcConfigThread(PVOID StartContext) {
    PDC_EXTENSION Ext = StartContext;
    if (KeRemoveQueueDpc(&Ext->ApplyDpc))
        Ext->Withdrawn++;
    if (KeInsertQueueDpc(&Ext->ApplyDpc, (PVOID)(ULONG_PTR)DC_MODE_NEW, NULL))
        Ext->Requeued++;
    KeWaitForSingleObject(&Ext->Applied, Executive, KernelMode, FALSE, NULL);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void dpc_cancel_requeue_check(PVOID context) {
    PDC_EXTENSION ext = context;
    SIM_CHECK(ext->Requeued == 1 && ext->Mode == DC_MODE_NEW && ext->Applies + ext->Withdrawn == 2);
}

SIM_SCENARIO(dpc_cancel_requeue, "a pending DPC taken back with KeRemoveQueueDpc and queued again; correct") {
    PDC_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeEvent(&ext->Applied, SynchronizationEvent, FALSE);
    KeInitializeDpc(&ext->ApplyDpc, DcApplyModeDpc, ext);
    KeSetTargetProcessorDpc(&ext->ApplyDpc, 1);
    KeInsertQueueDpc(&ext->ApplyDpc, (PVOID)(ULONG_PTR)DC_MODE_OLD, NULL);
    sim_thread(0, DcConfigThread, ext);
    sim_at_end(dpc_cancel_requeue_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
