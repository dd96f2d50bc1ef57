/* ring_rx (correct): a NIC receive path. The ISR fills a small hardware
 * receive ring (shared with the device, so guarded by the interrupt spin
 * lock: the ISR is entered holding it) and queues the receive DPC. The DPC
 * and two reader threads harvest the hardware ring, each under the interrupt
 * lock (the DPC and one thread through KeSynchronizeExecution, the other
 * thread through KeAcquireInterruptSpinLock), and then hand the harvested
 * frames to the protocol-side queue under an executive KSPIN_LOCK (the DPC
 * with the AtDpcLevel forms, the threads with KeAcquireSpinLock). At the end
 * every frame the ISR produced is either delivered or still in the ring. */
#include <wdm.h>

#define RX_RING_SIZE 4

typedef struct _RX_EXTENSION {
    PKINTERRUPT Interrupt;
    /* guarded by the interrupt spin lock */
    ULONG HwRing[RX_RING_SIZE];
    ULONG HwHead, HwTail; /* producer (ISR), consumer (harvesters) */
    ULONG Produced;
    /* guarded by RxLock */
    KSPIN_LOCK RxLock;
    ULONG Delivered;
    ULONG LastSequenceSum;
    KDPC RxDpc;
} RX_EXTENSION, *PRX_EXTENSION;

typedef struct _RX_HARVEST {
    PRX_EXTENSION Ext;
    ULONG Count;
    ULONG SequenceSum;
} RX_HARVEST, *PRX_HARVEST;

KSERVICE_ROUTINE RxIsr;
KDEFERRED_ROUTINE RxDpcRoutine;
KSTART_ROUTINE RxReaderSync;
KSTART_ROUTINE RxReaderIntLock;
VOID RxInitialize(PRX_EXTENSION Ext);

BOOLEAN RxIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PRX_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    /* Entered at SynchronizeIrql holding the interrupt spin lock. */
    if (Ext->HwHead - Ext->HwTail < RX_RING_SIZE) {
        Ext->HwRing[Ext->HwHead % RX_RING_SIZE] = ++Ext->Produced;
        Ext->HwHead++;
    }
    KeInsertQueueDpc(&Ext->RxDpc, NULL, NULL);
    return TRUE;
}

/* Runs under the interrupt spin lock: take everything out of the ring. */
static BOOLEAN RxHarvestSynchronized(PVOID SynchronizeContext) {
    PRX_HARVEST Harvest = SynchronizeContext;
    PRX_EXTENSION Ext = Harvest->Ext;
    while (Ext->HwTail != Ext->HwHead) {
        Harvest->SequenceSum += Ext->HwRing[Ext->HwTail % RX_RING_SIZE];
        Ext->HwTail++;
        Harvest->Count++;
    }
    return TRUE;
}

static VOID RxDeliverLocked(PRX_EXTENSION Ext, const RX_HARVEST *Harvest) {
    Ext->Delivered += Harvest->Count;
    Ext->LastSequenceSum += Harvest->SequenceSum;
}

VOID RxDpcRoutine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRX_EXTENSION Ext = DeferredContext;
    RX_HARVEST Harvest = {Ext, 0, 0};
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeSynchronizeExecution(Ext->Interrupt, RxHarvestSynchronized, &Harvest);
    KeAcquireSpinLockAtDpcLevel(&Ext->RxLock);
    RxDeliverLocked(Ext, &Harvest);
    KeReleaseSpinLockFromDpcLevel(&Ext->RxLock);
}

VOID RxReaderSync(PVOID StartContext) {
    PRX_EXTENSION Ext = StartContext;
    RX_HARVEST Harvest = {Ext, 0, 0};
    KIRQL OldIrql;
    KeSynchronizeExecution(Ext->Interrupt, RxHarvestSynchronized, &Harvest);
    KeAcquireSpinLock(&Ext->RxLock, &OldIrql);
    RxDeliverLocked(Ext, &Harvest);
    KeReleaseSpinLock(&Ext->RxLock, OldIrql);
}

VOID RxReaderIntLock(PVOID StartContext) {
    PRX_EXTENSION Ext = StartContext;
    RX_HARVEST Harvest = {Ext, 0, 0};
    KIRQL OldIrql;
    OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt);
    RxHarvestSynchronized(&Harvest);
    KeReleaseInterruptSpinLock(Ext->Interrupt, OldIrql);
    KeAcquireSpinLock(&Ext->RxLock, &OldIrql);
    RxDeliverLocked(Ext, &Harvest);
    KeReleaseSpinLock(&Ext->RxLock, OldIrql);
}

VOID RxInitialize(PRX_EXTENSION Ext) {
    KeInitializeSpinLock(&Ext->RxLock);
    KeInitializeDpc(&Ext->RxDpc, RxDpcRoutine, Ext);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void ring_rx_check(PVOID context) {
    PRX_EXTENSION ext = context;
    ULONG in_ring = ext->HwHead - ext->HwTail;
    SIM_CHECK(ext->Delivered + in_ring == ext->Produced);
    SIM_CHECK(in_ring <= RX_RING_SIZE);
}

SIM_SCENARIO(ring_rx, "receive ring shared by an ISR, a DPC and two threads; correct locking") {
    PRX_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    RxInitialize(ext);
    sim_name(&ext->RxLock, "ext->RxLock");
    ext->Interrupt = sim_interrupt(RxIsr, ext, 5, 5, 2);
    sim_thread(0, RxReaderSync, ext);
    sim_thread(1, RxReaderIntLock, ext);
    sim_at_end(ring_rx_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
