/* queued_atdpc_from_passive (bug, docs/windows-contract.md sect. 6 item 5;
 * R1): a hypervisor driver's vCPU-state routine is called from its DPC and,
 * since a later change, from an IOCTL thread at PASSIVE_LEVEL too. It takes
 * the state lock with KeAcquireInStackQueuedSpinLockAtDpcLevel, which does
 * not raise the IRQL: in the thread the holder stays preemptible, and a
 * DPC landing on its CPU spins on the lock forever (C4/0x40, checked 0x9,
 * DDI IrqlDispatch). The fix: KeAcquireInStackQueuedSpinLock, which raises
 * (or the ForDpc form). Expected: irql-violation. */
#include <wdm.h>

typedef struct _VCPU_EXTENSION {
    KSPIN_LOCK StateLock;
    ULONG State;    /* guarded by StateLock */
    ULONG Requests; /* guarded by StateLock */
} VCPU_EXTENSION, *PVCPU_EXTENSION;

KDEFERRED_ROUTINE VcpuKickDpc;
KSTART_ROUTINE VcpuIoctlThread;

/* Written for the DPC, at DISPATCH_LEVEL. */
static VOID VcpuSetState(PVCPU_EXTENSION Ext, ULONG State) {
    KLOCK_QUEUE_HANDLE Handle;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->StateLock, &Handle); /* BUG from the IOCTL thread */
    Ext->State = State;
    Ext->Requests++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
}

VOID VcpuKickDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    VcpuSetState(DeferredContext, 2);
}

VOID VcpuIoctlThread(PVOID StartContext) { VcpuSetState(StartContext, 1); }

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(queued_atdpc_from_passive,
             "KeAcquireInStackQueuedSpinLockAtDpcLevel called from a PASSIVE_LEVEL thread (bug: irql-violation)") {
    PVCPU_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->StateLock);
    sim_name(&ext->StateLock, "ext->StateLock");
    sim_dpc(0, VcpuKickDpc, ext);
    sim_thread(1, VcpuIoctlThread, ext);
    sim_expect(SIM_FINDING_IRQL_VIOLATION);
}
