/* double_release (bug, docs/windows-contract.md R4): a network filter's
 * receive DPC takes the flow lock and calls FlowDropLocked when a packet
 * fails its checks. The helper was changed to release the lock itself
 * (so that it can indicate the drop to the stack unlocked), but the DPC
 * still releases it after the call: the second
 * KeReleaseSpinLockFromDpcLevel releases a lock that is already free
 * (checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007); had the other CPU
 * taken it in between, it would free that CPU's lock under it. The
 * statistics thread takes the lock correctly. Expected: release-not-owned. */
#include <wdm.h>

typedef struct _FLT_EXTENSION {
    KSPIN_LOCK FlowLock;
    ULONG Accepted; /* guarded by FlowLock */
    ULONG Dropped;  /* guarded by FlowLock */
    ULONG Snapshot; /* guarded by FlowLock */
    LONG Indicated; /* interlocked */
} FLT_EXTENSION, *PFLT_EXTENSION;

KDEFERRED_ROUTINE FltReceiveDpc;
KSTART_ROUTINE FltStatsThread;

/* Called with FlowLock held at DISPATCH_LEVEL; returns with it released. */
static VOID FlowDropLocked(PFLT_EXTENSION Ext) {
    Ext->Dropped++;
    KeReleaseSpinLockFromDpcLevel(&Ext->FlowLock);
    InterlockedIncrement(&Ext->Indicated); /* the drop, indicated unlocked */
}

VOID FltReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFLT_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    for (ULONG Packet = 0; Packet < 2; Packet++) {
        KeAcquireSpinLockAtDpcLevel(&Ext->FlowLock);
        if (Packet == 1)
            FlowDropLocked(Ext); /* a malformed packet */
        else
            Ext->Accepted++;
        KeReleaseSpinLockFromDpcLevel(&Ext->FlowLock); /* BUG: the drop path released it already */
    }
}

VOID FltStatsThread(PVOID StartContext) {
    PFLT_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->FlowLock, &OldIrql);
    Ext->Snapshot = Ext->Accepted + Ext->Dropped;
    KeReleaseSpinLock(&Ext->FlowLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(double_release, "a DPC releases a lock its helper already released (bug: release-not-owned)") {
    PFLT_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->FlowLock);
    sim_name(&ext->FlowLock, "ext->FlowLock");
    sim_dpc(0, FltReceiveDpc, ext);
    sim_thread(1, FltStatsThread, ext);
    sim_expect(SIM_FINDING_RELEASE_NOT_OWNED);
}
