/* intlock_wrong_irql (bug, docs/windows-contract.md R3 and R10): a
 * storage controller's doorbell helper was written for the DPC: it takes
 * the interrupt spin lock to ring the doorbell and releases it with
 * KeReleaseInterruptSpinLock(Interrupt, DISPATCH_LEVEL), the level a DPC
 * runs at, instead of the Old the acquire returned. The submit thread calls
 * it at PASSIVE_LEVEL: the release lowers only to DISPATCH_LEVEL and the
 * thread returns there (DDI IrqlKeReleaseSpinLock, C4/0x20015).
 * Expected: wrong-new-irql. */
#include <wdm.h>

typedef struct _SQ_EXTENSION {
    PKINTERRUPT Interrupt;
    ULONG SubmissionTail; /* guarded by the interrupt spin lock */
    ULONG Completions;    /* guarded by the interrupt spin lock */
    KDPC CompletionDpc;
} SQ_EXTENSION, *PSQ_EXTENSION;

KSERVICE_ROUTINE SqIsr;
KDEFERRED_ROUTINE SqCompletionDpc;
KSTART_ROUTINE SqSubmitThread;

static VOID SqRingDoorbell(PSQ_EXTENSION Ext) {
    KIRQL OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt);
    UNREFERENCED_PARAMETER(OldIrql);
    Ext->SubmissionTail++;
    KeReleaseInterruptSpinLock(Ext->Interrupt, DISPATCH_LEVEL); /* BUG: OldIrql */
}

BOOLEAN SqIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PSQ_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->Completions++;
    KeInsertQueueDpc(&Ext->CompletionDpc, NULL, NULL);
    return TRUE;
}

VOID SqCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    SqRingDoorbell(DeferredContext); /* the next command */
}

VOID SqSubmitThread(PVOID StartContext) { SqRingDoorbell(StartContext); }

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(intlock_wrong_irql,
             "KeReleaseInterruptSpinLock(I, DISPATCH_LEVEL) from a PASSIVE_LEVEL thread (bug: wrong-new-irql)") {
    PSQ_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeDpc(&ext->CompletionDpc, SqCompletionDpc, ext);
    ext->Interrupt = sim_interrupt(SqIsr, ext, 5, 5, 1);
    sim_thread(0, SqSubmitThread, ext);
    sim_expect(SIM_FINDING_WRONG_NEW_IRQL);
}
