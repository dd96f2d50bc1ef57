/* leaked_on_error (bug, docs/windows-contract.md sect. 6 item 1): a submit path
 * takes the queue lock, and when the driver's pending queue is full it
 * returns STATUS_INSUFFICIENT_RESOURCES from inside the locked region
 * without KeReleaseSpinLock. The queue holds one request; each of two
 * threads submits two, so some submit always hits the error path and its
 * thread ends owning the lock at DISPATCH_LEVEL (SpinLock rule C4/0x40009,
 * DV C4/0x100A). Expected: lock-leak. */
#include <wdm.h>

#define LEAK_QUEUE_DEPTH 1

typedef struct _LEAK_EXTENSION {
    KSPIN_LOCK QueueLock;
    ULONG Queued; /* guarded by QueueLock */
    ULONG Rejected;
} LEAK_EXTENSION, *PLEAK_EXTENSION;

NTSTATUS LeakSubmit(PLEAK_EXTENSION Ext);
KSTART_ROUTINE LeakSubmitThread;

NTSTATUS LeakSubmit(PLEAK_EXTENSION Ext) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->QueueLock, &OldIrql);
    if (Ext->Queued >= LEAK_QUEUE_DEPTH) {
        Ext->Rejected++;
        return STATUS_INSUFFICIENT_RESOURCES; /* BUG: QueueLock still held */
    }
    Ext->Queued++;
    KeReleaseSpinLock(&Ext->QueueLock, OldIrql);
    return STATUS_SUCCESS;
}

VOID LeakSubmitThread(PVOID StartContext) {
    PLEAK_EXTENSION Ext = StartContext;
    for (int i = 0; i < 2; i++) {
        if (!NT_SUCCESS(LeakSubmit(Ext)))
            break;
    }
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(leaked_on_error, "error path returns with the queue lock held (bug: lock-leak)") {
    PLEAK_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->QueueLock);
    sim_name(&ext->QueueLock, "ext->QueueLock");
    sim_thread(0, LeakSubmitThread, ext);
    sim_thread(1, LeakSubmitThread, ext);
    sim_expect(SIM_FINDING_LOCK_LEAK);
}
