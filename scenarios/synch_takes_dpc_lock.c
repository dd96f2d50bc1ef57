/* synch_takes_dpc_lock (bug, irq-safe/irq-unsafe inversion through a DPC;
 * docs/windows-contract.md R11): a capture card's buffer-swap routine runs
 * under the interrupt spin lock through KeSynchronizeExecution, and inside
 * it takes the DPC's buffer-list lock, an executive KSPIN_LOCK, to move a
 * filled buffer to the list. The interrupt lock is taken by the ISR (it is
 * irq-safe); the list lock is taken by the completion DPC at
 * DISPATCH_LEVEL (it is irq-unsafe); the swap routine makes the first
 * depend on the second. When the DPC holds the list lock on one CPU, the
 * swap routine on the other CPU holds the interrupt lock at DIRQL and
 * spins on the list lock, and the device interrupts the DPC's CPU, its ISR
 * spins on the interrupt lock above the DPC: no CPU can move (0x101).
 * spinsim reports the dependency from the locks' IRQL history. (The
 * AtDpcLevel acquire at DIRQL is also noted as a `rule`.) The fix: the
 * swap routine only flags the buffer; the DPC moves it under its own lock.
 * Expected: irq-unsafe-lock. */
#include <wdm.h>

typedef struct _CAP_EXTENSION {
    PKINTERRUPT Interrupt;
    ULONG FilledByDevice; /* guarded by the interrupt spin lock */
    KSPIN_LOCK ListLock;  /* BUG: taken at DIRQL inside the interrupt lock, and in the DPC */
    ULONG ListCount;      /* guarded by ListLock */
    ULONG Delivered;      /* guarded by ListLock */
    KDPC CompletionDpc;
} CAP_EXTENSION, *PCAP_EXTENSION;

KSERVICE_ROUTINE CapIsr;
KDEFERRED_ROUTINE CapCompletionDpc;
KSTART_ROUTINE CapSwapThread;

BOOLEAN CapIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PCAP_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->FilledByDevice++;
    KeInsertQueueDpc(&Ext->CompletionDpc, NULL, NULL);
    return TRUE;
}

/* Runs under the interrupt spin lock. */
static BOOLEAN CapSwapSynchronized(PVOID SynchronizeContext) {
    PCAP_EXTENSION Ext = SynchronizeContext;
    KeAcquireSpinLockAtDpcLevel(&Ext->ListLock); /* BUG: interrupt lock -> ListLock */
    Ext->ListCount += Ext->FilledByDevice;
    Ext->FilledByDevice = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->ListLock);
    return TRUE;
}

VOID CapCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PCAP_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->ListLock);
    Ext->Delivered += Ext->ListCount;
    Ext->ListCount = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->ListLock);
}

VOID CapSwapThread(PVOID StartContext) {
    PCAP_EXTENSION Ext = StartContext;
    KeSynchronizeExecution(Ext->Interrupt, CapSwapSynchronized, Ext);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(synch_takes_dpc_lock,
             "a KeSynchronizeExecution routine takes the DPC's spin lock (bug: irq-unsafe-lock by lock order)") {
    PCAP_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ListLock);
    sim_name(&ext->ListLock, "ext->ListLock");
    KeInitializeDpc(&ext->CompletionDpc, CapCompletionDpc, ext);
    ext->Interrupt = sim_interrupt(CapIsr, ext, 5, 5, 1);
    sim_thread(0, CapSwapThread, ext);
    sim_expect(SIM_FINDING_IRQ_UNSAFE_LOCK);
}
