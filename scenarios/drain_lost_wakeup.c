/* drain_lost_wakeup (bug, timing-dependent): the stop path of a device.
 * It first cancels, one at a time under IoLock, the requests still queued in
 * the driver, then waits for the one the hardware is working on: under
 * IoLock it marks the device stopping and samples the in-flight count, and
 * if a request is still in flight it re-arms DrainedEvent (still signalled
 * from the previous stop) with KeClearEvent and waits on it. The completion
 * DPC counts the request down under IoLock and, when it was the last one of
 * a stopping device, signals DrainedEvent after dropping the lock. The clear
 * sits outside the locked check: when the completion runs between the stop
 * thread's release of IoLock and its KeClearEvent, the clear erases the only
 * KeSetEvent that will ever come and the stop thread waits forever (on
 * Windows a hung PnP stop). The fix is to clear the event under IoLock
 * before sampling the count. The default schedule runs the stop thread into
 * its wait before the DPC is delivered, and the DPC's KeSetEvent wakes it.
 * Expected: deadlock (every remaining context waits). */
#include <wdm.h>

#define DRAIN_IN_FLIGHT 1 /* sent to the hardware: completed by the DPC */
#define DRAIN_QUEUED 4    /* not yet sent: cancelled by the stop path */

typedef struct _DRAIN_EXTENSION {
    KSPIN_LOCK IoLock;
    ULONG QueuedIo;      /* guarded by IoLock */
    ULONG OutstandingIo; /* guarded by IoLock: in flight at the hardware */
    BOOLEAN Stopping;    /* guarded by IoLock */
    ULONG Completed;     /* guarded by IoLock */
    ULONG Cancelled;     /* guarded by IoLock */
    KEVENT DrainedEvent; /* signalled when a stopping device has no I/O left */
} DRAIN_EXTENSION, *PDRAIN_EXTENSION;

KSTART_ROUTINE DrainStopThread;
KDEFERRED_ROUTINE DrainCompletionDpc;

/* Cancels one request that was queued but never sent; FALSE when none is left. */
static BOOLEAN DrainCancelOneQueued(PDRAIN_EXTENSION Ext) {
    KIRQL OldIrql;
    BOOLEAN Cancelled = FALSE;
    KeAcquireSpinLock(&Ext->IoLock, &OldIrql);
    if (Ext->QueuedIo > 0) {
        Ext->QueuedIo--;
        Ext->Cancelled++;
        Cancelled = TRUE;
    }
    KeReleaseSpinLock(&Ext->IoLock, OldIrql);
    return Cancelled;
}

VOID DrainStopThread(PVOID StartContext) {
    PDRAIN_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    BOOLEAN Busy;
    while (DrainCancelOneQueued(Ext))
        ;
    KeAcquireSpinLock(&Ext->IoLock, &OldIrql);
    Ext->Stopping = TRUE;
    Busy = Ext->OutstandingIo != 0;
    KeReleaseSpinLock(&Ext->IoLock, OldIrql);
    if (Busy) {
        /* BUG: re-armed after the locked check; a completion in between is lost. */
        KeClearEvent(&Ext->DrainedEvent);
        KeWaitForSingleObject(&Ext->DrainedEvent, Executive, KernelMode, FALSE, NULL);
    }
}

VOID DrainCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PDRAIN_EXTENSION Ext = DeferredContext;
    BOOLEAN Drained;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->IoLock);
    Ext->OutstandingIo--;
    Ext->Completed++;
    Drained = Ext->Stopping && Ext->OutstandingIo == 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->IoLock);
    if (Drained)
        KeSetEvent(&Ext->DrainedEvent, 0, FALSE);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void drain_lost_wakeup_check(PVOID context) {
    PDRAIN_EXTENSION ext = context;
    SIM_CHECK(ext->QueuedIo == 0 && ext->OutstandingIo == 0);
    SIM_CHECK(ext->Completed == DRAIN_IN_FLIGHT && ext->Cancelled == DRAIN_QUEUED);
}

SIM_SCENARIO(drain_lost_wakeup, "stop path re-arms its drain event after the locked check (bug: deadlock)") {
    PDRAIN_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->IoLock);
    sim_name(&ext->IoLock, "ext->IoLock");
    /* Signalled: left over from the previous stop of the device. */
    KeInitializeEvent(&ext->DrainedEvent, NotificationEvent, TRUE);
    sim_name(&ext->DrainedEvent, "ext->DrainedEvent");
    ext->QueuedIo = DRAIN_QUEUED;
    ext->OutstandingIo = DRAIN_IN_FLIGHT;
    sim_thread(0, DrainStopThread, ext);
    sim_dpc(1, DrainCompletionDpc, ext);
    sim_at_end(drain_lost_wakeup_check, ext);
    sim_expect(SIM_FINDING_DEADLOCK);
}
