/* dpc_release_to_passive (bug, docs/windows-contract.md R7 and R2): a serial
 * driver's transmit-complete DPC takes the port lock with
 * KeAcquireSpinLockAtDpcLevel, as a DPC should, but releases it through a
 * helper shared with the write path, PortUnlock, which calls
 * KeReleaseSpinLock(&Lock, PASSIVE_LEVEL): the write path always runs at
 * PASSIVE_LEVEL, so its author hard-coded the level instead of passing the
 * acquire's Old. In the DPC the release lowers the IRQL below
 * DISPATCH_LEVEL in the middle of DPC processing (C4/0x31 with P4 = 1): the
 * NewIrql is lower than the IRQL the AtDpcLevel caller had, so it is an
 * error, not the harmless KeReleaseSpinLock(L, DISPATCH_LEVEL) of
 * stats_try_release. The fix: the DPC releases with
 * KeReleaseSpinLockFromDpcLevel. Expected: release-wrong-family. */
#include <wdm.h>

typedef struct _SER_EXTENSION {
    KSPIN_LOCK PortLock;
    ULONG TxQueued;    /* guarded by PortLock */
    ULONG TxCompleted; /* guarded by PortLock */
} SER_EXTENSION, *PSER_EXTENSION;

KSTART_ROUTINE SerWriteThread;
KDEFERRED_ROUTINE SerTxCompleteDpc;

/* Written for the write path, which runs at PASSIVE_LEVEL. */
static VOID PortUnlock(PSER_EXTENSION Ext) {
    KeReleaseSpinLock(&Ext->PortLock, PASSIVE_LEVEL); /* BUG in a DPC: lowers below DISPATCH_LEVEL */
}

VOID SerWriteThread(PVOID StartContext) {
    PSER_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->PortLock, &OldIrql);
    Ext->TxQueued++;
    PortUnlock(Ext);
}

VOID SerTxCompleteDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSER_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->PortLock);
    Ext->TxCompleted++;
    PortUnlock(Ext);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(dpc_release_to_passive,
             "DPC releases an AtDpcLevel lock with KeReleaseSpinLock(L, PASSIVE_LEVEL) (bug: release-wrong-family)") {
    PSER_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->PortLock);
    sim_name(&ext->PortLock, "ext->PortLock");
    sim_thread(0, SerWriteThread, ext);
    sim_dpc(1, SerTxCompleteDpc, ext);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}
