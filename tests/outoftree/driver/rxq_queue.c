/* rxq_queue.c: the receive queue of the rxq test driver (rxq.h). */
#include "rxq.h"

VOID RxqInitialize(PRXQ_DEVICE Device) {
    KeInitializeSpinLock(&Device->QueueLock);
    KeInitializeSpinLock(&Device->StatsLock);
    InitializeListHead(&Device->Pending);
    KeInitializeDpc(&Device->DrainDpc, RxqDrainDpc, Device);
}

VOID RxqPush(PRXQ_DEVICE Device, PRXQ_PACKET Packet) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->QueueLock, &OldIrql);
    InsertTailList(&Device->Pending, &Packet->Link);
    Device->Queued++;
    KeAcquireSpinLockAtDpcLevel(&Device->StatsLock); /* order: QueueLock -> StatsLock */
    Device->Stats.Packets++;
    Device->Stats.Bytes += Packet->Length;
    KeReleaseSpinLockFromDpcLevel(&Device->StatsLock);
    KeReleaseSpinLock(&Device->QueueLock, OldIrql);
    KeInsertQueueDpc(&Device->DrainDpc, NULL, NULL);
}

VOID RxqDrainDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRXQ_DEVICE Device = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Device->QueueLock);
    while (!IsListEmpty(&Device->Pending)) {
        RemoveHeadList(&Device->Pending);
        Device->Queued--;
    }
    KeReleaseSpinLockFromDpcLevel(&Device->QueueLock);
}
