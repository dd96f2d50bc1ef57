/* abc_cycle (bug, lockdep's ABC cycle; docs/windows-contract.md R14): a
 * storage port driver documents its lock order as adapter, then port,
 * then LUN, and the I/O start thread nests all three that way (A -> B ->
 * C). The LUN-reset DPC, added later, holds the LUN lock while it counts
 * the reset in the adapter's statistics and takes the adapter lock inside
 * it (C -> A). No two paths take the same pair in opposite orders, but
 * the edges close the cycle A -> B -> C -> A: with the thread holding the
 * adapter lock and the DPC the LUN lock, each spins on the other (DV
 * C4/0x1001 before it ever hangs). The fix: the DPC drops the LUN lock
 * before taking the adapter lock. Expected: lock-order-cycle. */
#include <wdm.h>

typedef struct _SP_EXTENSION {
    KSPIN_LOCK AdapterLock; /* order: 1 */
    ULONG Resets;           /* guarded by AdapterLock */
    ULONG Starts;           /* guarded by AdapterLock */
    KSPIN_LOCK PortLock;    /* order: 2 */
    ULONG PortQueueDepth;   /* guarded by PortLock */
    KSPIN_LOCK LunLock;     /* order: 3 */
    ULONG LunOutstanding;   /* guarded by LunLock */
    BOOLEAN LunResetting;   /* guarded by LunLock */
} SP_EXTENSION, *PSP_EXTENSION;

KSTART_ROUTINE SpStartIoThread;
KDEFERRED_ROUTINE SpLunResetDpc;

VOID SpStartIoThread(PVOID StartContext) {
    PSP_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->AdapterLock, &OldIrql);
    Ext->Starts++;
    KeAcquireSpinLockAtDpcLevel(&Ext->PortLock);
    Ext->PortQueueDepth++;
    KeAcquireSpinLockAtDpcLevel(&Ext->LunLock);
    Ext->LunOutstanding++;
    KeReleaseSpinLockFromDpcLevel(&Ext->LunLock);
    KeReleaseSpinLockFromDpcLevel(&Ext->PortLock);
    KeReleaseSpinLock(&Ext->AdapterLock, OldIrql);
}

VOID SpLunResetDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSP_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->LunLock);
    Ext->LunResetting = TRUE;
    Ext->LunOutstanding = 0;
    KeAcquireSpinLockAtDpcLevel(&Ext->AdapterLock); /* BUG: LUN -> adapter closes the cycle */
    Ext->Resets++;
    KeReleaseSpinLockFromDpcLevel(&Ext->AdapterLock);
    Ext->LunResetting = FALSE;
    KeReleaseSpinLockFromDpcLevel(&Ext->LunLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(abc_cycle, "adapter -> port -> LUN in one path, LUN -> adapter in a DPC (bug: lock-order-cycle)") {
    PSP_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->AdapterLock);
    KeInitializeSpinLock(&ext->PortLock);
    KeInitializeSpinLock(&ext->LunLock);
    sim_name(&ext->AdapterLock, "ext->AdapterLock");
    sim_name(&ext->PortLock, "ext->PortLock");
    sim_name(&ext->LunLock, "ext->LunLock");
    sim_thread(0, SpStartIoThread, ext);
    sim_dpc(1, SpLunResetDpc, ext);
    sim_expect(SIM_FINDING_LOCK_ORDER_CYCLE);
}
