/* stats_try_release (DDI rule only, docs/windows-contract.md R7): each
 * receive queue's DPC folds its packet count into the adapter's statistics,
 * but must not spin behind the statistics query thread, so it only tries
 * the lock with KeTryToAcquireSpinLockAtDpcLevel and keeps the count for
 * its next run when the lock is busy. Its release, copied from the query
 * path, is KeReleaseSpinLock(&Lock, DISPATCH_LEVEL) instead of
 * KeReleaseSpinLockFromDpcLevel. In a DPC both leave DISPATCH_LEVEL, so
 * nothing goes wrong on Windows; the DDI rule SpinLockDpc (Driver
 * Verifier's C4/0x1009 for other pairs) is broken all the same. It is a
 * `rule` finding: `sim run` explores every run, notes the rule once with the
 * number of runs it appeared in, and exits 0 (1 with --strict).
 * Expected: release-wrong-family, as a rule. */
#include <wdm.h>

typedef struct _STR_ADAPTER {
    KSPIN_LOCK StatsLock;
    ULONG64 RxPackets; /* under StatsLock */
    ULONG64 Reported;  /* the query thread's last snapshot, under StatsLock */
} STR_ADAPTER, *PSTR_ADAPTER;

typedef struct _STR_QUEUE {
    PSTR_ADAPTER Adapter;
    ULONG Pending; /* this queue's packets not yet in RxPackets: only its own DPC touches it */
} STR_QUEUE, *PSTR_QUEUE;

KDEFERRED_ROUTINE StrRxDpc;
KSTART_ROUTINE StrQueryThread;

VOID StrRxDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSTR_QUEUE Queue = DeferredContext;
    PSTR_ADAPTER Adapter = Queue->Adapter;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Queue->Pending += 4; /* this batch */
    if (!KeTryToAcquireSpinLockAtDpcLevel(&Adapter->StatsLock))
        return; /* the next batch folds it in */
    Adapter->RxPackets += Queue->Pending;
    Queue->Pending = 0;
    KeReleaseSpinLock(&Adapter->StatsLock, DISPATCH_LEVEL); /* RULE: KeReleaseSpinLockFromDpcLevel */
}

VOID StrQueryThread(PVOID StartContext) {
    PSTR_ADAPTER Adapter = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Adapter->StatsLock, &OldIrql);
    Adapter->Reported = Adapter->RxPackets;
    KeReleaseSpinLock(&Adapter->StatsLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(stats_try_release,
             "DPC releases a KeTryToAcquireSpinLockAtDpcLevel lock with KeReleaseSpinLock (rule: SpinLockDpc)") {
    PSTR_ADAPTER adapter = sim_alloc(sizeof *adapter);
    PSTR_QUEUE queues = sim_alloc(2 * sizeof *queues);
    sim_cpus(2);
    KeInitializeSpinLock(&adapter->StatsLock);
    sim_name(&adapter->StatsLock, "adapter->StatsLock");
    for (int i = 0; i < 2; i++) {
        queues[i].Adapter = adapter;
        sim_dpc(i, StrRxDpc, &queues[i]); /* each queue's DPC on its own CPU */
    }
    sim_thread(0, StrQueryThread, adapter);
    sim_thread(1, StrQueryThread, adapter);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}
