/* abcdbdda (bug, lockdep's ABCDBDDA; docs/windows-contract.md R14): a NIC
 * driver with four locks: the adapter (A), the receive queue (B), the
 * transmit queue (C) and the statistics (D). The configuration thread
 * takes the adapter lock, then the receive queue's to resize it (A -> B);
 * the transmit-complete DPC folds its counts into the statistics under the
 * transmit lock (C -> D); the receive DPC does the same under the receive
 * lock (B -> D); and the statistics timer DPC, holding the statistics
 * lock, reads the link speed under the adapter lock (D -> A). The C -> D
 * edge is harmless; A -> B -> D -> A is a cycle (DV C4/0x1001). The fix:
 * the timer DPC samples the link speed before it takes the statistics
 * lock. Expected: lock-order-cycle. */
#include <wdm.h>

typedef struct _NIC4_EXTENSION {
    KSPIN_LOCK AdapterLock; /* A */
    ULONG LinkSpeed;        /* guarded by AdapterLock */
    KSPIN_LOCK RxLock;      /* B */
    ULONG RxRingSize;       /* guarded by RxLock */
    ULONG RxPending;        /* guarded by RxLock */
    KSPIN_LOCK TxLock;      /* C */
    ULONG TxPending;        /* guarded by TxLock */
    KSPIN_LOCK StatsLock;   /* D */
    ULONG64 RxFrames;       /* guarded by StatsLock */
    ULONG64 TxFrames;       /* guarded by StatsLock */
    ULONG ReportedSpeed;    /* guarded by StatsLock */
} NIC4_EXTENSION, *PNIC4_EXTENSION;

KSTART_ROUTINE Nic4ConfigThread;
KDEFERRED_ROUTINE Nic4TxCompleteDpc;
KDEFERRED_ROUTINE Nic4RxDpc;
KDEFERRED_ROUTINE Nic4StatsTimerDpc;

VOID Nic4ConfigThread(PVOID StartContext) {
    PNIC4_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->AdapterLock, &OldIrql);
    Ext->LinkSpeed = 10000;
    KeAcquireSpinLockAtDpcLevel(&Ext->RxLock); /* A -> B */
    Ext->RxRingSize = 512;
    KeReleaseSpinLockFromDpcLevel(&Ext->RxLock);
    KeReleaseSpinLock(&Ext->AdapterLock, OldIrql);
}

VOID Nic4TxCompleteDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PNIC4_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->TxLock);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatsLock); /* C -> D */
    Ext->TxFrames += Ext->TxPending;
    KeReleaseSpinLockFromDpcLevel(&Ext->StatsLock);
    Ext->TxPending = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->TxLock);
}

VOID Nic4RxDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PNIC4_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->RxLock);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatsLock); /* B -> D */
    Ext->RxFrames += Ext->RxPending;
    KeReleaseSpinLockFromDpcLevel(&Ext->StatsLock);
    Ext->RxPending = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->RxLock);
}

VOID Nic4StatsTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PNIC4_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatsLock);
    KeAcquireSpinLockAtDpcLevel(&Ext->AdapterLock); /* BUG: D -> A closes A -> B -> D -> A */
    Ext->ReportedSpeed = Ext->LinkSpeed;
    KeReleaseSpinLockFromDpcLevel(&Ext->AdapterLock);
    KeReleaseSpinLockFromDpcLevel(&Ext->StatsLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(abcdbdda, "four NIC locks: A->B, C->D, B->D, D->A (bug: lock-order-cycle)") {
    PNIC4_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->AdapterLock);
    KeInitializeSpinLock(&ext->RxLock);
    KeInitializeSpinLock(&ext->TxLock);
    KeInitializeSpinLock(&ext->StatsLock);
    sim_name(&ext->AdapterLock, "ext->AdapterLock");
    sim_name(&ext->RxLock, "ext->RxLock");
    sim_name(&ext->TxLock, "ext->TxLock");
    sim_name(&ext->StatsLock, "ext->StatsLock");
    ext->RxPending = 3;
    ext->TxPending = 2;
    sim_thread(0, Nic4ConfigThread, ext);
    sim_dpc(0, Nic4TxCompleteDpc, ext);
    sim_dpc(1, Nic4RxDpc, ext);
    sim_dpc(1, Nic4StatsTimerDpc, ext);
    sim_expect(SIM_FINDING_LOCK_ORDER_CYCLE);
}
