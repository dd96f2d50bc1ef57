/* rss_receive_queues (correct): a NIC with receive-side scaling on three
 * CPUs. Each receive queue has its own receive DPC, targeted at its own CPU,
 * and its own in-stack queued spin lock guarding the queue's ring and its
 * statistics. Statistics are kept per queue, as high-rate miniports do, so
 * that the receive paths of different CPUs never share a lock or a counter;
 * the statistics query thread (an OID request at PASSIVE_LEVEL) visits each
 * queue under its lock and adds the counters up. Each snapshot of a queue is
 * consistent (bytes are frames times the queue's frame size), and every
 * frame is counted once. The CPUs' receive work is independent except where
 * the query visits a queue, and only there do the orders of their steps
 * differ (docs/design.md, "Partial-order reduction"). */
#include <wdm.h>

#define RSS_QUEUES 3
#define RSS_FRAMES_PER_QUEUE 2

typedef struct _RSS_QUEUE {
    KSPIN_LOCK Lock;                  /* in-stack queued: guards everything below */
    ULONG Ring[RSS_FRAMES_PER_QUEUE]; /* the received frames' lengths */
    ULONG Head;
    ULONG Frames;
    ULONG Bytes;
    ULONG FrameSize; /* every frame of this queue's flow; set before the queue starts */
} RSS_QUEUE, *PRSS_QUEUE;

typedef struct _RSS_ADAPTER {
    RSS_QUEUE Queue[RSS_QUEUES];
    ULONG QueryFrames; /* the query thread's own */
    ULONG QueryBytes;
    BOOLEAN QueryConsistent;
} RSS_ADAPTER, *PRSS_ADAPTER;

KDEFERRED_ROUTINE RssqReceiveDpc;
KSTART_ROUTINE RssqQueryStatisticsThread;

/* Takes the next frame off the queue's ring and counts it; FALSE when the
 * ring is empty. The caller holds the queue's lock. */
static BOOLEAN RssqReceiveOneLocked(PRSS_QUEUE Queue) {
    if (Queue->Head == RSS_FRAMES_PER_QUEUE)
        return FALSE;
    Queue->Frames++;
    Queue->Bytes += Queue->Ring[Queue->Head++];
    return TRUE;
}

VOID RssqReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRSS_QUEUE Queue = DeferredContext;
    BOOLEAN More = TRUE;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    while (More) {
        KLOCK_QUEUE_HANDLE LockHandle;
        KeAcquireInStackQueuedSpinLockAtDpcLevel(&Queue->Lock, &LockHandle);
        More = RssqReceiveOneLocked(Queue);
        KeReleaseInStackQueuedSpinLockFromDpcLevel(&LockHandle);
    }
}

VOID RssqQueryStatisticsThread(PVOID StartContext) {
    PRSS_ADAPTER Adapter = StartContext;
    Adapter->QueryConsistent = TRUE;
    for (ULONG i = 0; i < RSS_QUEUES; i++) {
        PRSS_QUEUE Queue = &Adapter->Queue[i];
        KLOCK_QUEUE_HANDLE LockHandle;
        ULONG Frames, Bytes;
        KeAcquireInStackQueuedSpinLock(&Queue->Lock, &LockHandle);
        Frames = Queue->Frames;
        Bytes = Queue->Bytes;
        KeReleaseInStackQueuedSpinLock(&LockHandle);
        if (Bytes != Frames * Queue->FrameSize)
            Adapter->QueryConsistent = FALSE;
        Adapter->QueryFrames += Frames;
        Adapter->QueryBytes += Bytes;
    }
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void rss_receive_queues_check(PVOID context) {
    PRSS_ADAPTER adapter = context;
    SIM_CHECK(adapter->QueryConsistent);
    SIM_CHECK(adapter->QueryFrames <= RSS_QUEUES * RSS_FRAMES_PER_QUEUE);
    for (int i = 0; i < RSS_QUEUES; i++)
        SIM_CHECK(adapter->Queue[i].Frames == RSS_FRAMES_PER_QUEUE);
}

SIM_SCENARIO(rss_receive_queues,
             "three RSS receive DPCs, each with its own queued lock, and a statistics query; correct") {
    static const char *const names[RSS_QUEUES] = {"adapter->Queue[0].Lock", "adapter->Queue[1].Lock",
                                                  "adapter->Queue[2].Lock"};
    static const char *const dpc_names[RSS_QUEUES] = {"RssqReceiveDpc0", "RssqReceiveDpc1", "RssqReceiveDpc2"};
    PRSS_ADAPTER adapter = sim_alloc(sizeof *adapter);
    sim_cpus(RSS_QUEUES);
    for (int i = 0; i < RSS_QUEUES; i++) {
        KeInitializeSpinLock(&adapter->Queue[i].Lock);
        sim_name(&adapter->Queue[i].Lock, names[i]);
        adapter->Queue[i].FrameSize = 64u << i;
        for (int f = 0; f < RSS_FRAMES_PER_QUEUE; f++)
            adapter->Queue[i].Ring[f] = adapter->Queue[i].FrameSize;
        sim_dpc_named(i, RssqReceiveDpc, &adapter->Queue[i], dpc_names[i]);
    }
    sim_thread(0, RssqQueryStatisticsThread, adapter);
    sim_at_end(rss_receive_queues_check, adapter);
    sim_expect(SIM_FINDING_NONE);
}
