/* multi_vector_intlock (correct; docs/windows-contract.md R10): a device
 * with two interrupt vectors, as the WDK describes connecting them: the
 * receive vector at DIRQL 5 and the transmit-complete vector at DIRQL 7 are
 * connected with IoConnectInterrupt giving both the driver's own
 * KSPIN_LOCK, ChannelLock, and the same SynchronizeIrql, 7, the higher of
 * the two DIRQLs. Each ISR updates the channel's shared counters; a status
 * thread reads and clears them with KeSynchronizeExecution on the receive
 * vector. Holding ChannelLock at IRQL 7 keeps out both ISRs on every CPU:
 * the transmit ISR cannot interrupt the receive ISR on its own CPU while it
 * holds the lock, and the two ISRs on two CPUs take the lock in turn. No
 * event is lost or counted twice. */
#include <wdm.h>

#define MV_RX_VECTOR 0x51
#define MV_TX_VECTOR 0x52
#define MV_RX_DIRQL 5
#define MV_TX_DIRQL 7

typedef struct _MV_EXTENSION {
    PKINTERRUPT RxInterrupt;
    PKINTERRUPT TxInterrupt;
    KSPIN_LOCK ChannelLock; /* both vectors' interrupt spin lock */
    ULONG Events;           /* guarded by ChannelLock: every event of either vector */
    ULONG RxFrames;         /* guarded by ChannelLock */
    ULONG TxDone;           /* guarded by ChannelLock */
    ULONG Reported;         /* the status thread's running total (its own) */
} MV_EXTENSION, *PMV_EXTENSION;

KSERVICE_ROUTINE MvRxIsr;
KSERVICE_ROUTINE MvTxIsr;
KSTART_ROUTINE MvStatusThread;

BOOLEAN MvRxIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PMV_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->RxFrames++;
    Ext->Events++;
    return TRUE;
}

BOOLEAN MvTxIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PMV_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->TxDone++;
    Ext->Events++;
    return TRUE;
}

/* Runs under ChannelLock at SynchronizeIrql: take the events so far. */
static BOOLEAN MvTakeEvents(PVOID SynchronizeContext) {
    PMV_EXTENSION Ext = SynchronizeContext;
    Ext->Reported += Ext->Events;
    Ext->Events = 0;
    return TRUE;
}

VOID MvStatusThread(PVOID StartContext) {
    PMV_EXTENSION Ext = StartContext;
    KeSynchronizeExecution(Ext->RxInterrupt, MvTakeEvents, Ext);
}

static NTSTATUS MvConnect(PMV_EXTENSION Ext) {
    NTSTATUS Status = IoConnectInterrupt(&Ext->RxInterrupt, MvRxIsr, Ext, &Ext->ChannelLock, MV_RX_VECTOR, MV_RX_DIRQL,
                                         MV_TX_DIRQL, LevelSensitive, FALSE, 0, FALSE);
    if (!NT_SUCCESS(Status))
        return Status;
    return IoConnectInterrupt(&Ext->TxInterrupt, MvTxIsr, Ext, &Ext->ChannelLock, MV_TX_VECTOR, MV_TX_DIRQL,
                              MV_TX_DIRQL, LevelSensitive, FALSE, 0, FALSE);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

/* Each vector fires irq_fires times (2 unless given). */
static void multi_vector_intlock_check(PVOID context) {
    PMV_EXTENSION ext = context;
    SIM_CHECK(ext->RxFrames + ext->TxDone == ext->Reported + ext->Events);
}

SIM_SCENARIO(multi_vector_intlock,
             "two vectors share the driver's interrupt spin lock at one SynchronizeIrql; correct") {
    PMV_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ChannelLock);
    sim_name(&ext->ChannelLock, "ext->ChannelLock");
    sim_name(&ext->Events, "ext->Events");
    SIM_CHECK(NT_SUCCESS(MvConnect(ext)));
    sim_thread(0, MvStatusThread, ext);
    sim_thread(1, MvStatusThread, ext);
    sim_at_end(multi_vector_intlock_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
