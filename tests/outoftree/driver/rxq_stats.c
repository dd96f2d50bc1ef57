/* rxq_stats.c: the statistics of the rxq test driver (rxq.h). */
#include "rxq.h"

#ifdef RXQ_UNLOCKED_SNAPSHOT
#define RXQ_SNAPSHOT_LOCKED FALSE /* the seeded race */
#else
#define RXQ_SNAPSHOT_LOCKED TRUE
#endif

ULONG RxqReadPackets(PRXQ_DEVICE Device) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
    ULONG Packets = Device->Stats.Packets;
    KeReleaseSpinLock(&Device->StatsLock, OldIrql);
    return Packets;
}

VOID RxqSnapshotStats(PRXQ_DEVICE Device, PRXQ_STATS Snapshot) {
    KIRQL OldIrql = PASSIVE_LEVEL;
    if (RXQ_SNAPSHOT_LOCKED)
        KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
    RtlCopyMemory(Snapshot, &Device->Stats, sizeof *Snapshot);
    if (RXQ_SNAPSHOT_LOCKED)
        KeReleaseSpinLock(&Device->StatsLock, OldIrql);
}

VOID RxqResetStats(PRXQ_DEVICE Device) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
    RtlZeroMemory(&Device->Stats, sizeof Device->Stats);
    KeAcquireSpinLockAtDpcLevel(&Device->QueueLock); /* BUG: order StatsLock -> QueueLock */
    Device->Queued = 0;
    KeReleaseSpinLockFromDpcLevel(&Device->QueueLock);
    KeReleaseSpinLock(&Device->StatsLock, OldIrql);
}
