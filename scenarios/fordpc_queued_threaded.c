/* fordpc_queued_threaded (correct, docs/windows-contract.md R9): the
 * in-stack queued form of the ForDpc pair. A storage miniport completes
 * requests in a threaded DPC, which runs at PASSIVE_LEVEL when threaded
 * DPCs are enabled, and handles link-state changes in an ordinary DPC on
 * the same CPU. Both take the completion-queue lock through one helper with
 * KeAcquireInStackQueuedSpinLockForDpc and KeReleaseInStackQueuedSpinLockForDpc:
 * in the threaded DPC the acquire raises to DISPATCH_LEVEL and the release
 * lowers back to PASSIVE_LEVEL, so the ordinary DPC cannot run on that CPU
 * while the threaded one holds the lock; in the ordinary DPC both leave the
 * IRQL alone. A control thread on the other CPU takes the lock with
 * KeAcquireInStackQueuedSpinLock. Every update is counted once. */
#include <wdm.h>

typedef struct _QTD_EXTENSION {
    KSPIN_LOCK CompletionLock;
    ULONG Completed;   /* guarded by CompletionLock */
    ULONG LinkChanges; /* guarded by CompletionLock */
    ULONG Resets;      /* guarded by CompletionLock */
} QTD_EXTENSION, *PQTD_EXTENSION;

KDEFERRED_ROUTINE QtdCompletionDpc;
KDEFERRED_ROUTINE QtdLinkDpc;
KSTART_ROUTINE QtdControlThread;

/* Safe in a threaded DPC (PASSIVE_LEVEL) and in an ordinary one. */
static VOID QtdCount(PQTD_EXTENSION Ext, PULONG Counter) {
    KLOCK_QUEUE_HANDLE LockHandle;
    KeAcquireInStackQueuedSpinLockForDpc(&Ext->CompletionLock, &LockHandle);
    (*Counter)++;
    KeReleaseInStackQueuedSpinLockForDpc(&LockHandle);
}

VOID QtdCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PQTD_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    QtdCount(Ext, &Ext->Completed);
    QtdCount(Ext, &Ext->Completed);
}

VOID QtdLinkDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PQTD_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    QtdCount(Ext, &Ext->LinkChanges);
}

VOID QtdControlThread(PVOID StartContext) {
    PQTD_EXTENSION Ext = StartContext;
    KLOCK_QUEUE_HANDLE LockHandle;
    KeAcquireInStackQueuedSpinLock(&Ext->CompletionLock, &LockHandle);
    Ext->Resets++;
    KeReleaseInStackQueuedSpinLock(&LockHandle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void fordpc_queued_threaded_check(PVOID context) {
    PQTD_EXTENSION ext = context;
    SIM_CHECK(ext->Completed == 2 && ext->LinkChanges == 1 && ext->Resets == 1);
}

SIM_SCENARIO(fordpc_queued_threaded,
             "a threaded and an ordinary DPC on one CPU share a lock through the queued ForDpc pair; correct") {
    PQTD_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->CompletionLock);
    sim_name(&ext->CompletionLock, "ext->CompletionLock");
    sim_threaded_dpc(0, QtdCompletionDpc, ext);
    sim_dpc(0, QtdLinkDpc, ext);
    sim_thread(1, QtdControlThread, ext);
    sim_at_end(fordpc_queued_threaded_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
