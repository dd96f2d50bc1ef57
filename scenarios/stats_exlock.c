/* stats_exlock (correct; docs/windows-contract.md sect. 2.6): a firewall
 * callout keeps per-rule hit statistics under an EX_SPIN_LOCK, a
 * reader/writer spin lock. The classify path, a DPC on each CPU, looks up
 * its rule shared (ExAcquireSpinLockSharedAtDpcLevel) and bumps the hit
 * count with InterlockedIncrement, since other readers hold the lock
 * shared at the same time. The query thread reads shared
 * (ExAcquireSpinLockShared). The maintenance thread reads shared too and,
 * when a rule's counter has to be rebased, upgrades in place with
 * ExTryConvertSharedSpinLockExclusive; when the conversion fails (another
 * reader holds the lock) it drops the shared hold and takes the lock
 * exclusive, then re-checks, since the table may have changed in between.
 * Each release matches its acquire's mode and level. */
#include <wdm.h>

#define FW_RULES 2
#define FW_REBASE_AT 1

typedef struct _FW_EXTENSION {
    EX_SPIN_LOCK RulesLock;
    LONG Hits[FW_RULES];     /* readers update them interlocked */
    ULONG Rebased[FW_RULES]; /* written exclusive only */
    ULONG Snapshot;          /* the query thread's own */
} FW_EXTENSION, *PFW_EXTENSION;

KDEFERRED_ROUTINE FwClassifyDpc;
KSTART_ROUTINE FwQueryThread;
KSTART_ROUTINE FwMaintenanceThread;

VOID FwClassifyDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFW_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExAcquireSpinLockSharedAtDpcLevel(&Ext->RulesLock);
    InterlockedIncrement(&Ext->Hits[KeGetCurrentProcessorNumber() % FW_RULES]);
    ExReleaseSpinLockSharedFromDpcLevel(&Ext->RulesLock);
}

VOID FwQueryThread(PVOID StartContext) {
    PFW_EXTENSION Ext = StartContext;
    KIRQL OldIrql = ExAcquireSpinLockShared(&Ext->RulesLock);
    Ext->Snapshot = Ext->Rebased[0] + Ext->Rebased[1];
    ExReleaseSpinLockShared(&Ext->RulesLock, OldIrql);
}

/* Under the lock held exclusive: rebase the counters that need it. */
static VOID FwRebaseExclusive(PFW_EXTENSION Ext) {
    for (ULONG Rule = 0; Rule < FW_RULES; Rule++) {
        LONG Hits = InterlockedExchange(&Ext->Hits[Rule], 0);
        Ext->Rebased[Rule] += (ULONG)Hits;
    }
}

VOID FwMaintenanceThread(PVOID StartContext) {
    PFW_EXTENSION Ext = StartContext;
    KIRQL OldIrql = ExAcquireSpinLockShared(&Ext->RulesLock);
    if (InterlockedCompareExchange(&Ext->Hits[0], 0, 0) < FW_REBASE_AT) {
        ExReleaseSpinLockShared(&Ext->RulesLock, OldIrql);
        return;
    }
    if (ExTryConvertSharedSpinLockExclusive(&Ext->RulesLock)) {
        FwRebaseExclusive(Ext);
        ExReleaseSpinLockExclusive(&Ext->RulesLock, OldIrql);
        return;
    }
    /* Other readers: start over exclusive; the table may have changed meanwhile. */
    ExReleaseSpinLockShared(&Ext->RulesLock, OldIrql);
    OldIrql = ExAcquireSpinLockExclusive(&Ext->RulesLock);
    FwRebaseExclusive(Ext);
    ExReleaseSpinLockExclusive(&Ext->RulesLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void stats_exlock_check(PVOID context) {
    PFW_EXTENSION ext = context;
    ULONG total = ext->Rebased[0] + ext->Rebased[1] + (ULONG)ext->Hits[0] + (ULONG)ext->Hits[1];
    SIM_CHECK(total == FW_REBASE_AT + 2 && ext->RulesLock == 0);
}

SIM_SCENARIO(stats_exlock, "rule statistics under an EX_SPIN_LOCK: shared readers and a try-convert upgrade; correct") {
    PFW_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    sim_name((const void *)&ext->RulesLock, "ext->RulesLock");
    ext->Hits[0] = FW_REBASE_AT;
    ext->Hits[1] = 0;
    ext->Rebased[0] = ext->Rebased[1] = 0;
    sim_dpc(0, FwClassifyDpc, ext);
    sim_dpc(1, FwClassifyDpc, ext);
    sim_thread(0, FwMaintenanceThread, ext);
    sim_thread(1, FwQueryThread, ext);
    sim_at_end(stats_exlock_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
