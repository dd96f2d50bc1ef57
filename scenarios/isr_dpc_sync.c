/* isr_dpc_sync (correct; docs/windows-contract.md R10): the ISR -> DPC
 * hand-off as the WDK describes it. A GPIO controller's ISR reads which
 * pins fired, ORs them into PendingPins in the device extension (shared
 * with the DPC, so guarded by the interrupt spin lock, which the ISR holds)
 * and queues the DPC. The DPC claims the pins with KeSynchronizeExecution:
 * the routine reads and clears PendingPins under the interrupt spin lock,
 * so a pin that fires meanwhile is either in this claim or left for the
 * next. The DPC then counts the edges under the DPC-level EdgeLock, which
 * the query thread reads with KeAcquireSpinLock. No edge is lost or
 * counted twice. Twin: isr_dpc_unsync. */
#include <wdm.h>

#define GPIO_PINS 4

typedef struct _GPIO_EXTENSION {
    PKINTERRUPT Interrupt;
    ULONG NextPin;     /* the device model: which pin fires next (ISR only) */
    ULONG PendingPins; /* guarded by the interrupt spin lock */
    ULONG Fired;       /* guarded by the interrupt spin lock */
    KSPIN_LOCK EdgeLock;
    ULONG Edges[GPIO_PINS]; /* guarded by EdgeLock */
    ULONG Snapshot;         /* guarded by EdgeLock */
    KDPC EdgeDpc;
} GPIO_EXTENSION, *PGPIO_EXTENSION;

typedef struct _GPIO_CLAIM {
    PGPIO_EXTENSION Ext;
    ULONG Pins;
} GPIO_CLAIM, *PGPIO_CLAIM;

KSERVICE_ROUTINE GpioIsr;
KDEFERRED_ROUTINE GpioEdgeDpc;
KSTART_ROUTINE GpioQueryThread;

BOOLEAN GpioIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PGPIO_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->PendingPins |= 1u << (Ext->NextPin++ % GPIO_PINS);
    Ext->Fired++;
    KeInsertQueueDpc(&Ext->EdgeDpc, NULL, NULL);
    return TRUE;
}

/* Runs under the interrupt spin lock: take the pending pins. */
static BOOLEAN GpioClaimPins(PVOID SynchronizeContext) {
    PGPIO_CLAIM Claim = SynchronizeContext;
    Claim->Pins = Claim->Ext->PendingPins;
    Claim->Ext->PendingPins = 0;
    return TRUE;
}

VOID GpioEdgeDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PGPIO_EXTENSION Ext = DeferredContext;
    GPIO_CLAIM Claim = {Ext, 0};
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeSynchronizeExecution(Ext->Interrupt, GpioClaimPins, &Claim);
    KeAcquireSpinLockAtDpcLevel(&Ext->EdgeLock);
    for (ULONG Pin = 0; Pin < GPIO_PINS; Pin++)
        Ext->Edges[Pin] += (Claim.Pins >> Pin) & 1;
    KeReleaseSpinLockFromDpcLevel(&Ext->EdgeLock);
}

VOID GpioQueryThread(PVOID StartContext) {
    PGPIO_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->EdgeLock, &OldIrql);
    Ext->Snapshot = Ext->Edges[0] + Ext->Edges[1] + Ext->Edges[2] + Ext->Edges[3];
    KeReleaseSpinLock(&Ext->EdgeLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

#define GPIO_FIRES 3

static void isr_dpc_sync_check(PVOID context) {
    PGPIO_EXTENSION ext = context;
    ULONG counted = ext->Edges[0] + ext->Edges[1] + ext->Edges[2] + ext->Edges[3];
    ULONG pending = 0;
    for (ULONG pin = 0; pin < GPIO_PINS; pin++)
        pending += (ext->PendingPins >> pin) & 1;
    SIM_CHECK(ext->Fired <= GPIO_FIRES && counted + pending == ext->Fired);
}

SIM_SCENARIO(isr_dpc_sync, "ISR latches pins, the DPC claims them through KeSynchronizeExecution; correct") {
    PGPIO_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->EdgeLock);
    sim_name(&ext->EdgeLock, "ext->EdgeLock");
    sim_name(&ext->PendingPins, "ext->PendingPins");
    KeInitializeDpc(&ext->EdgeDpc, GpioEdgeDpc, ext);
    ext->Interrupt = sim_interrupt(GpioIsr, ext, 7, 7, GPIO_FIRES);
    sim_thread(0, GpioQueryThread, ext);
    sim_thread(1, GpioQueryThread, ext);
    sim_at_end(isr_dpc_sync_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
