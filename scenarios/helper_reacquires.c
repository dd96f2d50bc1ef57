/* helper_reacquires (bug, docs/windows-contract.md sect. 6 item 2): the cancel
 * path holds the device lock while it walks the request list and calls a
 * helper, RqCompleteOne, that was written for unlocked callers and takes the
 * same lock again. On Windows the second KeAcquireSpinLock spins forever on
 * a lock its own CPU holds (checked 0xF SPIN_LOCK_ALREADY_OWNED, DV
 * C4/0x1000). A second thread uses the helper correctly, unlocked.
 * Expected: recursive-acquire. */
#include <wdm.h>

typedef struct _RQ_EXTENSION {
    KSPIN_LOCK DeviceLock;
    ULONG Outstanding; /* guarded by DeviceLock */
    ULONG Completed;
} RQ_EXTENSION, *PRQ_EXTENSION;

VOID RqCompleteOne(PRQ_EXTENSION Ext);
KSTART_ROUTINE RqCancelAllThread;
KSTART_ROUTINE RqCompletionThread;

VOID RqCompleteOne(PRQ_EXTENSION Ext) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->DeviceLock, &OldIrql);
    if (Ext->Outstanding > 0) {
        Ext->Outstanding--;
        Ext->Completed++;
    }
    KeReleaseSpinLock(&Ext->DeviceLock, OldIrql);
}

VOID RqCancelAllThread(PVOID StartContext) {
    PRQ_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->DeviceLock, &OldIrql);
    while (Ext->Outstanding > 0)
        RqCompleteOne(Ext); /* BUG: DeviceLock is already held here */
    KeReleaseSpinLock(&Ext->DeviceLock, OldIrql);
}

VOID RqCompletionThread(PVOID StartContext) { RqCompleteOne(StartContext); }

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(helper_reacquires, "helper re-acquires the lock its caller holds (bug: recursive-acquire)") {
    PRQ_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->DeviceLock);
    sim_name(&ext->DeviceLock, "ext->DeviceLock");
    ext->Outstanding = 2;
    sim_thread(0, RqCancelAllThread, ext);
    sim_thread(1, RqCompletionThread, ext);
    sim_expect(SIM_FINDING_RECURSIVE_ACQUIRE);
}
