/* rx_queued_ring (correct; docs/windows-contract.md sect. 2.2): a NIC
 * with receive-side scaling delivers frames on two CPUs. Each CPU's
 * receive DPC, inserted by that queue's interrupt, moves its frames into
 * the adapter's indication ring, and the indication thread on a third CPU
 * drains the ring to the protocol. The ring is guarded by an in-stack
 * queued spin lock, so the three CPUs are served in arrival order: the DPCs
 * use the AtDpcLevel / FromDpcLevel pair, the thread the raising pair, each
 * with a KLOCK_QUEUE_HANDLE on its own stack. A full ring drops the frame
 * and counts it. Every frame is indicated, still in the ring, or counted
 * dropped, exactly once. */
#include <wdm.h>

#define RXQ_RING_SIZE 4
#define RXQ_QUEUES 2
#define RXQ_FRAMES_PER_DPC 2

typedef struct _RXQ_ADAPTER RXQ_ADAPTER, *PRXQ_ADAPTER;

typedef struct _RXQ_QUEUE {
    PRXQ_ADAPTER Adapter;
    ULONG NextFrame; /* this queue's device model: its DPC's own */
} RXQ_QUEUE, *PRXQ_QUEUE;

struct _RXQ_ADAPTER {
    KSPIN_LOCK RingLock; /* in-stack queued */
    ULONG Ring[RXQ_RING_SIZE];
    ULONG Head, Tail; /* guarded by RingLock */
    ULONG Queued;     /* guarded by RingLock: frames put in the ring */
    ULONG Dropped;    /* guarded by RingLock */
    ULONG Indicated;  /* the indication thread's own */
    RXQ_QUEUE Queue[RXQ_QUEUES];
};

KDEFERRED_ROUTINE RxqReceiveDpc;
KSTART_ROUTINE RxqIndicateThread;

VOID RxqReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRXQ_QUEUE Queue = DeferredContext;
    PRXQ_ADAPTER Adapter = Queue->Adapter;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    for (ULONG i = 0; i < RXQ_FRAMES_PER_DPC; i++) {
        KLOCK_QUEUE_HANDLE Handle;
        ULONG Frame = ++Queue->NextFrame;
        KeAcquireInStackQueuedSpinLockAtDpcLevel(&Adapter->RingLock, &Handle);
        if (Adapter->Head - Adapter->Tail < RXQ_RING_SIZE) {
            Adapter->Ring[Adapter->Head++ % RXQ_RING_SIZE] = Frame;
            Adapter->Queued++;
        } else {
            Adapter->Dropped++;
        }
        KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
    }
}

VOID RxqIndicateThread(PVOID StartContext) {
    PRXQ_ADAPTER Adapter = StartContext;
    for (ULONG Pass = 0; Pass < 2; Pass++) {
        KLOCK_QUEUE_HANDLE Handle;
        ULONG Batch = 0;
        KeAcquireInStackQueuedSpinLock(&Adapter->RingLock, &Handle);
        while (Adapter->Tail != Adapter->Head) {
            Batch += Adapter->Ring[Adapter->Tail++ % RXQ_RING_SIZE] != 0;
        }
        KeReleaseInStackQueuedSpinLock(&Handle);
        Adapter->Indicated += Batch; /* to the protocol, unlocked */
    }
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void rx_queued_ring_check(PVOID context) {
    PRXQ_ADAPTER adapter = context;
    ULONG produced = adapter->Queue[0].NextFrame + adapter->Queue[1].NextFrame;
    ULONG in_ring = adapter->Head - adapter->Tail;
    SIM_CHECK(in_ring <= RXQ_RING_SIZE && adapter->Queued == adapter->Head);
    SIM_CHECK(adapter->Indicated + in_ring + adapter->Dropped == produced);
}

SIM_SCENARIO(rx_queued_ring,
             "two RSS receive DPCs and an indication thread share a ring under a queued lock; correct") {
    static const char *const dpc_names[RXQ_QUEUES] = {"RxQueue0Dpc", "RxQueue1Dpc"};
    PRXQ_ADAPTER adapter = sim_alloc(sizeof *adapter);
    sim_cpus(3);
    KeInitializeSpinLock(&adapter->RingLock);
    sim_name(&adapter->RingLock, "adapter->RingLock");
    for (int i = 0; i < RXQ_QUEUES; i++) {
        adapter->Queue[i].Adapter = adapter;
        sim_dpc_later_named(i, RxqReceiveDpc, &adapter->Queue[i], 2, dpc_names[i]);
    }
    sim_thread(2, RxqIndicateThread, adapter);
    sim_at_end(rx_queued_ring_check, adapter);
    sim_expect(SIM_FINDING_NONE);
}
