/* queued_handle_reuse (bug, docs/windows-contract.md R8a): a filter
 * driver's flush routine walks its two per-direction queues. To save stack
 * it declares one KLOCK_QUEUE_HANDLE and, for the transfer of the pending
 * count from the inbound queue to the outbound one, acquires the outbound
 * lock with the handle that still queues it on the inbound lock. The
 * second acquire overwrites a handle the first lock's MCS queue still
 * links through, and its OldIrql with it (C4/0x40006): the release then
 * unlinks the wrong queue. The fix is one handle per acquisition. The
 * inbound DPC on the other CPU uses the inbound lock correctly.
 * Expected: handle-misuse. */
#include <wdm.h>

typedef struct _FLQ_EXTENSION {
    KSPIN_LOCK InboundLock;
    ULONG InboundPending; /* guarded by InboundLock */
    KSPIN_LOCK OutboundLock;
    ULONG OutboundPending; /* guarded by OutboundLock */
} FLQ_EXTENSION, *PFLQ_EXTENSION;

KSTART_ROUTINE FlqFlushThread;
KDEFERRED_ROUTINE FlqInboundDpc;

VOID FlqFlushThread(PVOID StartContext) {
    PFLQ_EXTENSION Ext = StartContext;
    KLOCK_QUEUE_HANDLE Handle; /* BUG: one handle for two locks held at once */
    KeAcquireInStackQueuedSpinLock(&Ext->InboundLock, &Handle);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->OutboundLock, &Handle);
    Ext->OutboundPending += Ext->InboundPending;
    Ext->InboundPending = 0;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
    KeReleaseInStackQueuedSpinLock(&Handle);
}

VOID FlqInboundDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFLQ_EXTENSION Ext = DeferredContext;
    KLOCK_QUEUE_HANDLE Handle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->InboundLock, &Handle);
    Ext->InboundPending++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(queued_handle_reuse,
             "one KLOCK_QUEUE_HANDLE used for two queued locks held at once (bug: handle-misuse)") {
    PFLQ_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->InboundLock);
    KeInitializeSpinLock(&ext->OutboundLock);
    sim_name(&ext->InboundLock, "ext->InboundLock");
    sim_name(&ext->OutboundLock, "ext->OutboundLock");
    sim_thread(0, FlqFlushThread, ext);
    sim_dpc(1, FlqInboundDpc, ext);
    sim_expect(SIM_FINDING_HANDLE_MISUSE);
}
