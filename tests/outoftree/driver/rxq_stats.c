/* rxq_stats.c: the statistics of the rxq test driver (rxq.h). */
#include "rxq.h"

ULONG RxqReadPackets(PRXQ_DEVICE Device) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
    ULONG Packets = Device->Packets;
    KeReleaseSpinLock(&Device->StatsLock, OldIrql);
    return Packets;
}

VOID RxqResetStats(PRXQ_DEVICE Device) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->StatsLock, &OldIrql);
    Device->Packets = 0;
    Device->Bytes = 0;
    KeAcquireSpinLockAtDpcLevel(&Device->QueueLock); /* BUG: order StatsLock -> QueueLock */
    Device->Queued = 0;
    KeReleaseSpinLockFromDpcLevel(&Device->QueueLock);
    KeReleaseSpinLock(&Device->StatsLock, OldIrql);
}
