/* queued_lower_before_release (bug, docs/windows-contract.md R6): a
 * sensor driver's polling thread raises to DISPATCH_LEVEL with
 * KeRaiseIrqlToDpcLevel, takes the sample lock with the AtDpcLevel form of
 * the in-stack queued lock, and on the way out lowers the IRQL before it
 * releases the lock: the release then runs at PASSIVE_LEVEL for a lock
 * acquired at DISPATCH_LEVEL, and in between the holder is preemptible, so
 * the sample DPC on its CPU could spin on the lock forever (0xF's second
 * cause; C4/0x41 at the release). spinsim reports the lowering. The fix
 * is the release, then KeLowerIrql, or simply
 * KeAcquireInStackQueuedSpinLock / KeReleaseInStackQueuedSpinLock.
 * Expected: irql-violation. */
#include <wdm.h>

typedef struct _SNS_EXTENSION {
    KSPIN_LOCK SampleLock;
    LONG LastSample; /* guarded by SampleLock */
    ULONG Samples;   /* guarded by SampleLock */
    ULONG Polls;     /* guarded by SampleLock */
} SNS_EXTENSION, *PSNS_EXTENSION;

KSTART_ROUTINE SnsPollThread;
KDEFERRED_ROUTINE SnsSampleDpc;

VOID SnsPollThread(PVOID StartContext) {
    PSNS_EXTENSION Ext = StartContext;
    KLOCK_QUEUE_HANDLE Handle;
    KIRQL OldIrql = KeRaiseIrqlToDpcLevel();
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->SampleLock, &Handle);
    Ext->Polls++;
    KeLowerIrql(OldIrql); /* BUG: the lock is still held */
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
}

VOID SnsSampleDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSNS_EXTENSION Ext = DeferredContext;
    KLOCK_QUEUE_HANDLE Handle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->SampleLock, &Handle);
    Ext->LastSample = 21;
    Ext->Samples++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(queued_lower_before_release,
             "KeLowerIrql before the FromDpcLevel release of a queued lock (bug: irql-violation)") {
    PSNS_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->SampleLock);
    sim_name(&ext->SampleLock, "ext->SampleLock");
    sim_thread(0, SnsPollThread, ext);
    sim_dpc(1, SnsSampleDpc, ext);
    sim_expect(SIM_FINDING_IRQL_VIOLATION);
}
