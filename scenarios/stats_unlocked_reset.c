/* stats_unlocked_reset (bug, docs/windows-contract.md sect. 6 item 13;
 * data touched outside its lock): a NIC's receive DPC counts frames and
 * bytes under the statistics lock, and the query thread reads them under
 * it too. The reset-statistics IOCTL zeroes the counters without the lock,
 * its author reasoning that storing a zero is atomic. It is, but the DPC's
 * read-modify-write is not: a reset that lands between the DPC's load and
 * its store is lost, and the byte count and frame count disagree. The
 * race detector reports the unordered accesses. The fix: reset under the
 * lock. Expected: data-race. */
#include <wdm.h>

typedef struct _RXS_EXTENSION {
    KSPIN_LOCK StatsLock;
    ULONG64 RxFrames; /* guarded by StatsLock */
    ULONG RxDrops;    /* guarded by StatsLock */
    ULONG64 RxBytes;  /* guarded by StatsLock */
    ULONG64 Reported; /* guarded by StatsLock */
} RXS_EXTENSION, *PRXS_EXTENSION;

KDEFERRED_ROUTINE RxsReceiveDpc;
KSTART_ROUTINE RxsQueryThread;
KSTART_ROUTINE RxsResetThread;

VOID RxsReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRXS_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatsLock);
    Ext->RxFrames++;
    Ext->RxBytes += 1514;
    KeReleaseSpinLockFromDpcLevel(&Ext->StatsLock);
}

VOID RxsQueryThread(PVOID StartContext) {
    PRXS_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->StatsLock, &OldIrql);
    Ext->Reported = Ext->RxFrames + Ext->RxDrops;
    KeReleaseSpinLock(&Ext->StatsLock, OldIrql);
}

VOID RxsResetThread(PVOID StartContext) {
    PRXS_EXTENSION Ext = StartContext;
    Ext->RxFrames = 0; /* BUG: outside StatsLock */
    Ext->RxDrops = 0;
    Ext->RxBytes = 0;
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(stats_unlocked_reset, "a reset IOCTL zeroes counters without their lock (bug: data-race)") {
    PRXS_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->StatsLock);
    sim_name(&ext->StatsLock, "ext->StatsLock");
    sim_name(&ext->RxFrames, "ext->RxFrames");
    sim_name(&ext->RxBytes, "ext->RxBytes");
    sim_dpc(0, RxsReceiveDpc, ext);
    sim_thread(0, RxsQueryThread, ext);
    sim_thread(1, RxsResetThread, ext);
    sim_expect(SIM_FINDING_DATA_RACE);
}
