/* shared_queue_handle (bug, docs/windows-contract.md sect. 6 item 6; R8a): the
 * driver keeps one KLOCK_QUEUE_HANDLE in its device extension next to the
 * lock (as in github.com/MeeSong/MBox/issues/2) instead of one per
 * acquisition on the caller's stack. Two threads submitting at once enqueue
 * the same handle twice: the MCS queue is corrupted, the OldIrql of one
 * acquisition overwrites the other's, and a release can hand off to itself
 * and hang. Expected: handle-misuse. */
#include <wdm.h>

typedef struct _SQH_EXTENSION {
    KSPIN_LOCK QueueLock;
    KLOCK_QUEUE_HANDLE QueueLockHandle; /* BUG: shared by every caller */
    ULONG Pending;
} SQH_EXTENSION, *PSQH_EXTENSION;

KSTART_ROUTINE SqhSubmitThread;

VOID SqhSubmitThread(PVOID StartContext) {
    PSQH_EXTENSION Ext = StartContext;
    KeAcquireInStackQueuedSpinLock(&Ext->QueueLock, &Ext->QueueLockHandle);
    Ext->Pending++;
    KeReleaseInStackQueuedSpinLock(&Ext->QueueLockHandle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(shared_queue_handle, "KLOCK_QUEUE_HANDLE kept in the device extension, shared by two threads (bug)") {
    PSQH_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->QueueLock);
    sim_name(&ext->QueueLock, "ext->QueueLock");
    sim_name(&ext->QueueLockHandle, "ext->QueueLockHandle");
    sim_thread(0, SqhSubmitThread, ext);
    sim_thread(1, SqhSubmitThread, ext);
    sim_expect(SIM_FINDING_HANDLE_MISUSE);
}
