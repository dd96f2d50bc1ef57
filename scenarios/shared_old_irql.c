/* shared_old_irql (bug, docs/windows-contract.md sect. 6 item 15; R3): a
 * storage miniport's error-recovery thread resets a port. It takes the
 * adapter lock and then the port lock, and keeps the IRQL each acquire
 * hands out in one variable, OldIrql, declared once at the top of the
 * function. The nested KeAcquireSpinLock overwrites the PASSIVE_LEVEL the
 * outer acquire saved with DISPATCH_LEVEL, so the outer KeReleaseSpinLock
 * "restores" DISPATCH_LEVEL and the thread returns to its caller at
 * DISPATCH_LEVEL (DDI IrqlKeReleaseSpinLock, C4/0x20015). The I/O thread on
 * the other CPU takes the port lock alone, correctly. The fix is one KIRQL
 * per acquire (or AtDpcLevel for the inner lock). spinsim reports the
 * second acquire, which overwrites an Old still needed.
 * Expected: wrong-new-irql. */
#include <wdm.h>

typedef struct _PORT_EXTENSION {
    KSPIN_LOCK AdapterLock;
    ULONG Resets; /* guarded by AdapterLock */
    KSPIN_LOCK PortLock;
    ULONG PortState;   /* guarded by PortLock */
    ULONG Outstanding; /* guarded by PortLock */
} PORT_EXTENSION, *PPORT_EXTENSION;

KSTART_ROUTINE PortResetThread;
KSTART_ROUTINE PortIoThread;

VOID PortResetThread(PVOID StartContext) {
    PPORT_EXTENSION Ext = StartContext;
    KIRQL OldIrql; /* BUG: one Old for two nested acquires */
    KeAcquireSpinLock(&Ext->AdapterLock, &OldIrql);
    Ext->Resets++;
    KeAcquireSpinLock(&Ext->PortLock, &OldIrql);
    Ext->PortState = 0;
    Ext->Outstanding = 0;
    KeReleaseSpinLock(&Ext->PortLock, OldIrql);
    KeReleaseSpinLock(&Ext->AdapterLock, OldIrql);
}

VOID PortIoThread(PVOID StartContext) {
    PPORT_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->PortLock, &OldIrql);
    Ext->Outstanding++;
    KeReleaseSpinLock(&Ext->PortLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(shared_old_irql, "one OldIrql variable for two nested KeAcquireSpinLock calls (bug: wrong-new-irql)") {
    PPORT_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->AdapterLock);
    KeInitializeSpinLock(&ext->PortLock);
    sim_name(&ext->AdapterLock, "ext->AdapterLock");
    sim_name(&ext->PortLock, "ext->PortLock");
    sim_thread(0, PortResetThread, ext);
    sim_thread(1, PortIoThread, ext);
    sim_expect(SIM_FINDING_WRONG_NEW_IRQL);
}
