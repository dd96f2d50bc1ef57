/* fordpc_hardcoded_irql (bug, docs/windows-contract.md R9 and R3): a
 * storage driver moved its completion processing into a threaded DPC. Its
 * helper takes the completion lock with KeAcquireSpinLockForDpc but, still
 * written for an ordinary DPC, releases it with
 * KeReleaseSpinLockForDpc(&Lock, DISPATCH_LEVEL) instead of the Old the
 * acquire returned. In an ordinary DPC the two agree; in a threaded DPC,
 * which runs at PASSIVE_LEVEL, the release leaves the DPC at
 * DISPATCH_LEVEL, and it returns there (DDI IrqlKeReleaseSpinLock
 * C4/0x20015). The thread on the other CPU queues completions correctly.
 * Expected: wrong-new-irql. */
#include <wdm.h>

typedef struct _CPL_EXTENSION {
    KSPIN_LOCK CompletionLock;
    ULONG Pending;   /* guarded by CompletionLock */
    ULONG Completed; /* guarded by CompletionLock */
} CPL_EXTENSION, *PCPL_EXTENSION;

KDEFERRED_ROUTINE CplThreadedDpc;
KSTART_ROUTINE CplQueueThread;

VOID CplThreadedDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PCPL_EXTENSION Ext = DeferredContext;
    KIRQL OldIrql;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    OldIrql = KeAcquireSpinLockForDpc(&Ext->CompletionLock);
    UNREFERENCED_PARAMETER(OldIrql);
    Ext->Completed += Ext->Pending;
    Ext->Pending = 0;
    KeReleaseSpinLockForDpc(&Ext->CompletionLock, DISPATCH_LEVEL); /* BUG: OldIrql */
}

VOID CplQueueThread(PVOID StartContext) {
    PCPL_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->CompletionLock, &OldIrql);
    Ext->Pending++;
    KeReleaseSpinLock(&Ext->CompletionLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(fordpc_hardcoded_irql,
             "a threaded DPC releases with KeReleaseSpinLockForDpc(L, DISPATCH_LEVEL) (bug: wrong-new-irql)") {
    PCPL_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->CompletionLock);
    sim_name(&ext->CompletionLock, "ext->CompletionLock");
    sim_threaded_dpc(0, CplThreadedDpc, ext);
    sim_thread(1, CplQueueThread, ext);
    sim_expect(SIM_FINDING_WRONG_NEW_IRQL);
}
