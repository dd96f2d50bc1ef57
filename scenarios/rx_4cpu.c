/* rx_4cpu (correct; the exec/s benchmark scenario): a NIC receive path on a
 * four-CPU machine. The ISR, which may land on any CPU, writes frames into a
 * small hardware ring guarded by the interrupt spin lock (it is entered
 * holding it) and queues the receive DPC on its own CPU. Two harvesters move
 * frames from the hardware ring to the protocol-side receive queue: the DPC,
 * through KeSynchronizeExecution, and a polling thread, through
 * KeAcquireInterruptSpinLock; each then appends what it took under
 * RxQueueLock, an in-stack queued spin lock (the DPC with the AtDpcLevel
 * forms). A consumer thread drains the receive queue under RxQueueLock a few
 * times. The interrupt spin lock is never held while RxQueueLock is taken,
 * so there is no lock order at all. At the end every frame the device
 * produced is delivered, still queued, still in the ring, or counted as
 * dropped because the ring was full. An execution is a few hundred steps. */
#include <wdm.h>

#define RX4_RING_SIZE 4
#define RX4_QUEUE_SIZE 16
#define RX4_CONSUMER_PASSES 8
#define RX4_POLL_PASSES 6

typedef struct _RX4_EXTENSION {
    PKINTERRUPT Interrupt;
    /* guarded by the interrupt spin lock */
    ULONG HwRing[RX4_RING_SIZE];
    ULONG HwHead, HwTail; /* producer (ISR), consumer (harvesters) */
    ULONG Produced;
    ULONG Dropped;
    ULONG DroppedSum;
    /* guarded by RxQueueLock (in-stack queued) */
    KSPIN_LOCK RxQueueLock;
    ULONG Queue[RX4_QUEUE_SIZE];
    ULONG QueueHead, QueueTail;
    ULONG Consumed;
    ULONG ConsumedSum;
    KDPC RxDpc;
    /* statistics, interlocked */
    LONG volatile Polls;
    LONG volatile FramesIndicated;
} RX4_EXTENSION, *PRX4_EXTENSION;

typedef struct _RX4_BATCH {
    PRX4_EXTENSION Ext;
    ULONG Count;
    ULONG Frames[RX4_RING_SIZE];
} RX4_BATCH, *PRX4_BATCH;

KSERVICE_ROUTINE Rx4Isr;
KDEFERRED_ROUTINE Rx4Dpc;
KSTART_ROUTINE Rx4PollThread;
KSTART_ROUTINE Rx4ConsumerThread;

BOOLEAN Rx4Isr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PRX4_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    /* Entered at SynchronizeIrql holding the interrupt spin lock. */
    ULONG Frame = ++Ext->Produced;
    if (Ext->HwHead - Ext->HwTail < RX4_RING_SIZE) {
        Ext->HwRing[Ext->HwHead % RX4_RING_SIZE] = Frame;
        Ext->HwHead++;
    } else {
        Ext->Dropped++;
        Ext->DroppedSum += Frame;
    }
    KeInsertQueueDpc(&Ext->RxDpc, NULL, NULL);
    return TRUE;
}

/* Runs holding the interrupt spin lock: takes every frame out of the ring. */
static BOOLEAN Rx4Harvest(PVOID SynchronizeContext) {
    PRX4_BATCH Batch = SynchronizeContext;
    PRX4_EXTENSION Ext = Batch->Ext;
    while (Ext->HwTail != Ext->HwHead) {
        Batch->Frames[Batch->Count++] = Ext->HwRing[Ext->HwTail % RX4_RING_SIZE];
        Ext->HwTail++;
    }
    return TRUE;
}

/* Caller holds RxQueueLock. The queue holds every frame ever produced. */
static VOID Rx4EnqueueLocked(PRX4_EXTENSION Ext, const RX4_BATCH *Batch) {
    for (ULONG i = 0; i < Batch->Count; i++) {
        Ext->Queue[Ext->QueueTail % RX4_QUEUE_SIZE] = Batch->Frames[i];
        Ext->QueueTail++;
    }
}

VOID Rx4Dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRX4_EXTENSION Ext = DeferredContext;
    RX4_BATCH Batch = {Ext, 0, {0}};
    KLOCK_QUEUE_HANDLE LockHandle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeSynchronizeExecution(Ext->Interrupt, Rx4Harvest, &Batch);
    if (Batch.Count == 0)
        return; /* the poller got there first */
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->RxQueueLock, &LockHandle);
    Rx4EnqueueLocked(Ext, &Batch);
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&LockHandle);
}

/* Polling mode: harvest the ring from PASSIVE_LEVEL a few times. */
VOID Rx4PollThread(PVOID StartContext) {
    PRX4_EXTENSION Ext = StartContext;
    for (ULONG pass = 0; pass < RX4_POLL_PASSES; pass++) {
        RX4_BATCH Batch = {Ext, 0, {0}};
        KLOCK_QUEUE_HANDLE LockHandle;
        KIRQL OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt);
        Rx4Harvest(&Batch);
        KeReleaseInterruptSpinLock(Ext->Interrupt, OldIrql);
        InterlockedIncrement(&Ext->Polls);
        if (Batch.Count == 0)
            continue;
        KeAcquireInStackQueuedSpinLock(&Ext->RxQueueLock, &LockHandle);
        Rx4EnqueueLocked(Ext, &Batch);
        KeReleaseInStackQueuedSpinLock(&LockHandle);
    }
}

VOID Rx4ConsumerThread(PVOID StartContext) {
    PRX4_EXTENSION Ext = StartContext;
    for (ULONG pass = 0; pass < RX4_CONSUMER_PASSES; pass++) {
        KLOCK_QUEUE_HANDLE LockHandle;
        KeAcquireInStackQueuedSpinLock(&Ext->RxQueueLock, &LockHandle);
        ULONG Taken = 0;
        while (Ext->QueueHead != Ext->QueueTail) {
            Ext->ConsumedSum += Ext->Queue[Ext->QueueHead % RX4_QUEUE_SIZE];
            Ext->QueueHead++;
            Ext->Consumed++;
            Taken++;
        }
        KeReleaseInStackQueuedSpinLock(&LockHandle);
        /* Statistics outside the lock, one interlocked add per frame indicated. */
        for (ULONG i = 0; i < Taken; i++)
            InterlockedIncrement(&Ext->FramesIndicated);
    }
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

enum { RX4_FIRES = 2 };

static void rx_4cpu_check(PVOID context) {
    PRX4_EXTENSION ext = context;
    ULONG in_ring = ext->HwHead - ext->HwTail;
    ULONG queued = ext->QueueTail - ext->QueueHead;
    SIM_CHECK(ext->Produced == RX4_FIRES);
    SIM_CHECK(in_ring <= RX4_RING_SIZE && queued <= RX4_QUEUE_SIZE);
    SIM_CHECK(ext->Consumed + queued + in_ring + ext->Dropped == ext->Produced);
    SIM_CHECK(ext->QueueTail == ext->HwTail);
    SIM_CHECK((ULONG)ext->FramesIndicated == ext->Consumed && ext->Polls == RX4_POLL_PASSES);
    /* Frames are numbered 1..Produced: each one is accounted for exactly once. */
    ULONG sum = ext->ConsumedSum + ext->DroppedSum;
    for (ULONG i = ext->QueueHead; i != ext->QueueTail; i++)
        sum += ext->Queue[i % RX4_QUEUE_SIZE];
    for (ULONG i = ext->HwTail; i != ext->HwHead; i++)
        sum += ext->HwRing[i % RX4_RING_SIZE];
    SIM_CHECK(sum == ext->Produced * (ext->Produced + 1) / 2);
}

SIM_SCENARIO(rx_4cpu, "four CPUs: ISR, DPC, poller and consumer over an interrupt lock and a queued lock; correct") {
    PRX4_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(4);
    KeInitializeSpinLock(&ext->RxQueueLock);
    sim_name(&ext->RxQueueLock, "ext->RxQueueLock");
    sim_name((const void *)&ext->Polls, "ext->Polls");
    sim_name((const void *)&ext->FramesIndicated, "ext->FramesIndicated");
    KeInitializeDpc(&ext->RxDpc, Rx4Dpc, ext);
    ext->Interrupt = sim_interrupt(Rx4Isr, ext, 5, 5, RX4_FIRES);
    sim_thread(0, Rx4PollThread, ext);
    sim_thread(1, Rx4ConsumerThread, ext);
    sim_at_end(rx_4cpu_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
