/* fordpc_threaded (correct, docs/windows-contract.md R9): a NIC's receive
 * processing runs as a threaded DPC, which Windows runs at PASSIVE_LEVEL
 * when threaded DPCs are enabled and at DISPATCH_LEVEL when they are not,
 * and the transmit-complete processing as an ordinary DPC. Both call the
 * same indication helper, which takes the queue lock with
 * KeAcquireSpinLockForDpc and gives the Old it returned back to
 * KeReleaseSpinLockForDpc: PASSIVE_LEVEL in the threaded DPC, which the
 * release restores, DISPATCH_LEVEL in the ordinary one, where the release
 * changes nothing. The configuration thread takes the same lock with
 * KeAcquireSpinLock. Every update is counted once. */
#include <wdm.h>

typedef struct _TDPC_EXTENSION {
    KSPIN_LOCK QueueLock;
    ULONG Indicated; /* guarded by QueueLock */
    ULONG TxDone;    /* guarded by QueueLock */
    ULONG Filter;    /* guarded by QueueLock */
} TDPC_EXTENSION, *PTDPC_EXTENSION;

KDEFERRED_ROUTINE TdpcReceiveDpc;
KDEFERRED_ROUTINE TdpcTxCompleteDpc;
KSTART_ROUTINE TdpcConfigThread;

/* Safe in a threaded DPC (PASSIVE_LEVEL) and in an ordinary one. */
static VOID TdpcCount(PTDPC_EXTENSION Ext, PULONG Counter) {
    KIRQL OldIrql = KeAcquireSpinLockForDpc(&Ext->QueueLock);
    (*Counter)++;
    KeReleaseSpinLockForDpc(&Ext->QueueLock, OldIrql);
}

VOID TdpcReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTDPC_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    TdpcCount(Ext, &Ext->Indicated);
    TdpcCount(Ext, &Ext->Indicated);
}

VOID TdpcTxCompleteDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTDPC_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    TdpcCount(Ext, &Ext->TxDone);
}

VOID TdpcConfigThread(PVOID StartContext) {
    PTDPC_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->QueueLock, &OldIrql);
    Ext->Filter = 0x0b;
    KeReleaseSpinLock(&Ext->QueueLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void fordpc_threaded_check(PVOID context) {
    PTDPC_EXTENSION ext = context;
    SIM_CHECK(ext->Indicated == 2 && ext->TxDone == 1 && ext->Filter == 0x0b);
}

SIM_SCENARIO(fordpc_threaded, "a threaded and an ordinary DPC share a lock through the ForDpc pair; correct") {
    PTDPC_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->QueueLock);
    sim_name(&ext->QueueLock, "ext->QueueLock");
    sim_threaded_dpc(0, TdpcReceiveDpc, ext);
    sim_dpc(1, TdpcTxCompleteDpc, ext);
    sim_thread(1, TdpcConfigThread, ext);
    sim_at_end(fordpc_threaded_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
