/* isr_shares_dpc_lock (bug, docs/windows-contract.md sect. 6 item 4): the ISR
 * records the device status in the extension under an ordinary executive
 * KSPIN_LOCK (KeAcquireSpinLockAtDpcLevel at DIRQL) instead of relying on
 * its interrupt spin lock, and the status thread and DPC read it under the
 * same lock at DISPATCH_LEVEL. When the interrupt arrives on the CPU whose
 * thread or DPC holds StatusLock, the ISR spins on it forever (C4/0x42 for
 * the KeAcquireSpinLock form); the fix is KeSynchronizeExecution. The
 * irq-safety checker reports it from the lock's IRQL history even when
 * the interrupt lands on the other CPU. (The ISR's AtDpcLevel call at DIRQL
 * is also noted as a `rule`-severity irql-violation, DDI IrqlDispatch; the
 * error verdict is the irq-safety one.) Expected: irq-unsafe-lock. */
#include <wdm.h>

typedef struct _ISRL_EXTENSION {
    KSPIN_LOCK StatusLock; /* BUG: taken at DIRQL and at DISPATCH_LEVEL */
    ULONG LastStatus;
    ULONG Interrupts;
    ULONG StatusReads;
    KDPC StatusDpc;
} ISRL_EXTENSION, *PISRL_EXTENSION;

KSERVICE_ROUTINE IsrlIsr;
KDEFERRED_ROUTINE IsrlStatusDpc;
KSTART_ROUTINE IsrlStatusThread;

BOOLEAN IsrlIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PISRL_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatusLock);
    Ext->LastStatus = 0x80;
    Ext->Interrupts++;
    KeReleaseSpinLockFromDpcLevel(&Ext->StatusLock);
    KeInsertQueueDpc(&Ext->StatusDpc, NULL, NULL);
    return TRUE;
}

VOID IsrlStatusDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PISRL_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->StatusLock);
    Ext->StatusReads++;
    Ext->LastStatus = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->StatusLock);
}

VOID IsrlStatusThread(PVOID StartContext) {
    PISRL_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->StatusLock, &OldIrql);
    Ext->StatusReads++;
    KeReleaseSpinLock(&Ext->StatusLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(isr_shares_dpc_lock, "executive spin lock shared by the ISR and DISPATCH code (bug: irq-unsafe-lock)") {
    PISRL_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->StatusLock);
    sim_name(&ext->StatusLock, "ext->StatusLock");
    KeInitializeDpc(&ext->StatusDpc, IsrlStatusDpc, ext);
    sim_interrupt(IsrlIsr, ext, 5, 5, 1);
    sim_thread(0, IsrlStatusThread, ext);
    sim_thread(1, IsrlStatusThread, ext);
    sim_expect(SIM_FINDING_IRQ_UNSAFE_LOCK);
}
