/* timers_abba (bug, docs/windows-contract.md sect. 6 item 3): a driver keeps two
 * timer objects, the watchdog timer and the retry timer, each guarded by its
 * own KSPIN_LOCK. The reset thread re-arms both and takes WatchdogLock then
 * RetryLock; the retry timer's DPC pushes the watchdog deadline and takes
 * RetryLock then WatchdogLock. The two nesting orders form a cycle in the
 * acquisition-order graph (DV C4/0x1001); when the thread and the DPC run
 * at the same time on the two CPUs each spins on the lock the other holds
 * (0x133/0x101). Under the default `run` (random, seed 1) the order checker
 * reports the cycle in run 1, the moment the DPC takes the second lock in
 * the reverse order, before any schedule actually hangs; with
 * `--allow lock-order-cycle` the same run 1 ends in deadlock instead.
 * Expected: lock-order-cycle. */
#include <wdm.h>

typedef struct _TMR_EXTENSION {
    KSPIN_LOCK WatchdogLock;
    LONGLONG WatchdogDeadline; /* guarded by WatchdogLock */
    KSPIN_LOCK RetryLock;
    LONGLONG RetryDeadline; /* guarded by RetryLock */
    ULONG Retries;
} TMR_EXTENSION, *PTMR_EXTENSION;

KSTART_ROUTINE TmrResetThread;
KDEFERRED_ROUTINE TmrRetryDpc;

VOID TmrResetThread(PVOID StartContext) {
    PTMR_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->WatchdogLock, &OldIrql);
    Ext->WatchdogDeadline = 1000;
    KeAcquireSpinLockAtDpcLevel(&Ext->RetryLock); /* order: Watchdog -> Retry */
    Ext->RetryDeadline = Ext->WatchdogDeadline / 2;
    Ext->Retries = 0;
    KeReleaseSpinLockFromDpcLevel(&Ext->RetryLock);
    KeReleaseSpinLock(&Ext->WatchdogLock, OldIrql);
}

VOID TmrRetryDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTMR_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->RetryLock);
    Ext->Retries++;
    Ext->RetryDeadline += 100;
    KeAcquireSpinLockAtDpcLevel(&Ext->WatchdogLock); /* BUG: order Retry -> Watchdog */
    Ext->WatchdogDeadline = Ext->RetryDeadline + 500;
    KeReleaseSpinLockFromDpcLevel(&Ext->WatchdogLock);
    KeReleaseSpinLockFromDpcLevel(&Ext->RetryLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(timers_abba, "two timer locks nested in opposite orders (bug: lock-order-cycle)") {
    PTMR_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->WatchdogLock);
    KeInitializeSpinLock(&ext->RetryLock);
    sim_name(&ext->WatchdogLock, "ext->WatchdogLock");
    sim_name(&ext->RetryLock, "ext->RetryLock");
    sim_thread(0, TmrResetThread, ext);
    sim_dpc(1, TmrRetryDpc, ext);
    sim_expect(SIM_FINDING_LOCK_ORDER_CYCLE);
}
