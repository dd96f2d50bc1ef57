/* mtu_wrong_lock (bug, timing-dependent; docs/windows-contract.md sect. 6 item 4):
 * a NIC's receive descriptor is two fields, the buffer the device DMAs into
 * and the frame length it may write there, and the ISR programs the next
 * receive from both. The configuration thread brings the adapter up (packet
 * filter, multicast list, then jumbo frames), each request under ConfigLock,
 * an executive KSPIN_LOCK the ISR never takes. Switching to jumbo frames
 * stores the new frame length, then swaps the buffer pointer with
 * InterlockedExchangePointer (to get the previous buffer back): two steps,
 * and the interlocked swap does not make the pair atomic. Only when the
 * interrupt lands between them, on either CPU, does the ISR see the jumbo
 * length with the standard buffer, and the device overruns it. The fix is to
 * update both fields inside KeSynchronizeExecution (the interrupt spin lock).
 * The ISR reads the length the thread writes under ConfigLock, a lock the
 * ISR never takes: a data race, found as soon as the ISR runs before the
 * thread's last request (one decision), with no need for the interrupt to
 * land between the two stores. With race detection off
 * (`--param race_detection=0`) it takes that exact timing, and the device
 * overrun shows as the SIM_CHECK invariant. The default schedule delivers
 * the interrupt after the thread is done: the ISR then reads the jumbo
 * buffer pointer the InterlockedExchangePointer published, which orders
 * the length before it, and finds nothing. Expected: data-race. */
#include <wdm.h>

#define MTU_STANDARD_FRAME 1514
#define MTU_JUMBO_FRAME 9014

typedef struct _MTU_BUFFER {
    ULONG Capacity; /* bytes the device may write */
    ULONG FramesFilled;
} MTU_BUFFER, *PMTU_BUFFER;

typedef struct _MTU_EXTENSION {
    PKINTERRUPT Interrupt;
    KSPIN_LOCK ConfigLock; /* BUG: serializes configuration changes, but the ISR never takes it */
    /* The receive descriptor: read by the ISR, written under ConfigLock. */
    PMTU_BUFFER RxBuffer;
    ULONG RxFrameLength;
    MTU_BUFFER StandardBuffer;
    MTU_BUFFER JumboBuffer;
    PMTU_BUFFER RetiredBuffer; /* guarded by ConfigLock */
    ULONG PacketFilter;        /* guarded by ConfigLock */
    ULONG MulticastCount;      /* guarded by ConfigLock */
    ULONG FramesReceived;      /* ISR only */
    ULONG StatsReads;          /* guarded by ConfigLock */
} MTU_EXTENSION, *PMTU_EXTENSION;

KSERVICE_ROUTINE MtuIsr;
KSTART_ROUTINE MtuChangeThread;
KSTART_ROUTINE MtuStatsThread;
VOID MtuDeviceReceive(PMTU_BUFFER Buffer, ULONG FrameLength); /* the device model, below */

BOOLEAN MtuIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PMTU_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    /* Entered holding the interrupt spin lock, which is not ConfigLock. */
    MtuDeviceReceive(Ext->RxBuffer, Ext->RxFrameLength);
    Ext->FramesReceived++;
    return TRUE;
}

static VOID MtuSetPacketFilter(PMTU_EXTENSION Ext, ULONG Filter) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    Ext->PacketFilter = Filter;
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
}

static VOID MtuAddMulticast(PMTU_EXTENSION Ext) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    Ext->MulticastCount++;
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
}

static VOID MtuSetJumboFrames(PMTU_EXTENSION Ext) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    /* BUG: two steps the ISR can fall between: the length first, then the
     * buffer (swapped atomically, which does not make the pair atomic). */
    Ext->RxFrameLength = MTU_JUMBO_FRAME;
    Ext->RetiredBuffer = InterlockedExchangePointer((PVOID volatile *)&Ext->RxBuffer, &Ext->JumboBuffer);
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
}

/* The configuration requests of bringing the adapter up, one after another. */
VOID MtuChangeThread(PVOID StartContext) {
    PMTU_EXTENSION Ext = StartContext;
    MtuSetPacketFilter(Ext, 0x0b);
    MtuAddMulticast(Ext);
    MtuAddMulticast(Ext);
    MtuSetJumboFrames(Ext);
}

VOID MtuStatsThread(PVOID StartContext) {
    PMTU_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    Ext->StatsReads++;
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

/* The device writes one frame of up to FrameLength bytes into Buffer. */
VOID MtuDeviceReceive(PMTU_BUFFER Buffer, ULONG FrameLength) {
    SIM_CHECK(FrameLength <= Buffer->Capacity);
    Buffer->FramesFilled++;
}

SIM_SCENARIO(mtu_wrong_lock, "ISR reads a two-field receive descriptor updated under the wrong lock (bug: data-race)") {
    PMTU_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ConfigLock);
    sim_name(&ext->ConfigLock, "ext->ConfigLock");
    sim_name(&ext->RxBuffer, "ext->RxBuffer");
    ext->StandardBuffer.Capacity = MTU_STANDARD_FRAME;
    ext->JumboBuffer.Capacity = MTU_JUMBO_FRAME;
    ext->RxBuffer = &ext->StandardBuffer;
    ext->RxFrameLength = MTU_STANDARD_FRAME;
    ext->Interrupt = sim_interrupt(MtuIsr, ext, 5, 5, 1);
    sim_thread(0, MtuChangeThread, ext);
    sim_thread(1, MtuStatsThread, ext);
    sim_expect(SIM_FINDING_DATA_RACE);
}
