/* harness.c: the scenarios of the rxq test driver (rxq.h): two pushing
 * threads, the drain DPC and a statistics reader lock correctly; a reset
 * thread beside a pushing one nests the two locks in both orders. */
#include "rxq.h"
#include "sim.h"

#define RXQ_PUSHES 2

static VOID PushThread(PVOID Context) {
    PRXQ_DEVICE Device = Context;
    for (int i = 0; i < RXQ_PUSHES; i++) {
        PRXQ_PACKET Packet = sim_alloc(sizeof *Packet);
        Packet->Length = 64;
        RxqPush(Device, Packet);
    }
}

static VOID ReadThread(PVOID Context) {
    RXQ_STATS Snapshot;
    RxqSnapshotStats(Context, &Snapshot);
    (void)RxqReadPackets(Context);
}

static VOID ResetThread(PVOID Context) { RxqResetStats(Context); }

static PRXQ_DEVICE NewDevice(void) {
    PRXQ_DEVICE Device = sim_alloc(sizeof *Device);
    RxqInitialize(Device);
    sim_name(&Device->QueueLock, "Device->QueueLock");
    sim_name(&Device->StatsLock, "Device->StatsLock");
    return Device;
}

SIM_SCENARIO(rxq_push_drain, "two threads push, a DPC drains, a thread reads the counts; correct") {
    PRXQ_DEVICE Device = NewDevice();
    sim_thread(0, PushThread, Device);
    sim_thread(1, PushThread, Device);
    sim_thread(1, ReadThread, Device);
    sim_expect(SIM_FINDING_NONE);
}

SIM_SCENARIO(rxq_reset_races_push, "a reset nests the locks against a push (bug: lock-order-cycle)") {
    PRXQ_DEVICE Device = NewDevice();
    sim_thread(0, PushThread, Device);
    sim_thread(1, ResetThread, Device);
    sim_expect(SIM_FINDING_LOCK_ORDER_CYCLE);
}
