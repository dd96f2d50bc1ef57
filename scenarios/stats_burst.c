/* stats_burst (bug with the plain lock; docs/windows-contract.md R15): a
 * NIC's statistics thread folds a burst of per-queue counters into the
 * device totals, taking the totals' spin lock for each counter, back to
 * back, while the receive thread on the other CPU needs the same lock for
 * every packet. With a plain KSPIN_LOCK the burst keeps the lock: the
 * releasing CPU takes it again before the spinner on the other CPU sees it
 * free (test-and-set is unfair), so the receive path waits out the whole
 * burst: starvation (on Windows a DPC or clock watchdog once bursts grow
 * long). `--param queued=1` builds the fix, an in-stack queued lock, which
 * serves waiters in arrival order: silent, however long the burst
 * (`rounds`, default 150; try 20000). The liveness phase, where the CPUs
 * take turns and fairness is judged, starts early (step 200) so the burst
 * is still going when it does. */
#include <wdm.h>

#define BURST_QUEUES 8
#define BURST_PACKETS 8

typedef struct _BURST_EXTENSION {
    KSPIN_LOCK TotalsLock;
    BOOLEAN Queued; /* the fixed driver: an in-stack queued lock */
    LONG Rounds;
    ULONG64 TotalBytes;             /* guarded by TotalsLock */
    ULONG RxPackets;                /* guarded by TotalsLock */
    ULONG QueueBytes[BURST_QUEUES]; /* guarded by TotalsLock */
} BURST_EXTENSION, *PBURST_EXTENSION;

KSTART_ROUTINE BurstStatsThread;
KSTART_ROUTINE BurstReceiveThread;

/* Takes the totals' lock, the plain or the queued way. */
static VOID BurstLock(PBURST_EXTENSION Ext, PKLOCK_QUEUE_HANDLE Handle, PKIRQL OldIrql) {
    if (Ext->Queued)
        KeAcquireInStackQueuedSpinLock(&Ext->TotalsLock, Handle);
    else
        KeAcquireSpinLock(&Ext->TotalsLock, OldIrql);
}

static VOID BurstUnlock(PBURST_EXTENSION Ext, PKLOCK_QUEUE_HANDLE Handle, KIRQL OldIrql) {
    if (Ext->Queued)
        KeReleaseInStackQueuedSpinLock(Handle);
    else
        KeReleaseSpinLock(&Ext->TotalsLock, OldIrql);
}

VOID BurstStatsThread(PVOID StartContext) {
    PBURST_EXTENSION Ext = StartContext;
    for (LONG round = 0; round < Ext->Rounds; round++) {
        KLOCK_QUEUE_HANDLE handle;
        KIRQL oldIrql = PASSIVE_LEVEL;
        BurstLock(Ext, &handle, &oldIrql);
        Ext->TotalBytes += Ext->QueueBytes[round % BURST_QUEUES];
        BurstUnlock(Ext, &handle, oldIrql);
    }
}

VOID BurstReceiveThread(PVOID StartContext) {
    PBURST_EXTENSION Ext = StartContext;
    for (int packet = 0; packet < BURST_PACKETS; packet++) {
        KLOCK_QUEUE_HANDLE handle;
        KIRQL oldIrql = PASSIVE_LEVEL;
        BurstLock(Ext, &handle, &oldIrql);
        Ext->RxPackets++;
        Ext->QueueBytes[packet % BURST_QUEUES] += 64;
        BurstUnlock(Ext, &handle, oldIrql);
        YieldProcessor();
    }
}

/* ---- the scenarios --------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(stats_burst, "a statistics burst re-takes a plain spin lock back to back (bug: starvation)") {
    PBURST_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->TotalsLock);
    sim_name(&ext->TotalsLock, "ext->TotalsLock");
    ext->Queued = sim_param("queued", 0) != 0;
    ext->Rounds = (LONG)sim_param("rounds", 150);
    sim_param("liveness_from_step", 200);
    sim_thread(0, BurstStatsThread, ext);
    sim_thread(1, BurstReceiveThread, ext);
    sim_expect(ext->Queued ? SIM_FINDING_NONE : SIM_FINDING_STARVATION);
}
