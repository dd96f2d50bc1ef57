/* exlock_writer_waits (correct; docs/windows-contract.md sect. 2.6, R15): a
 * packet filter's flow table under an EX_SPIN_LOCK. Two lookup threads
 * read it shared in long loops, one per CPU, counting hits with
 * InterlockedIncrement inside, so that on a busy machine there is almost
 * always a reader inside. The update thread on a third CPU inserts one
 * flow exclusive, and the aging DPC on the first CPU bumps the table's
 * generation exclusive. The lock prefers writers: once a writer has claimed
 * it, new readers wait until the readers inside have left and the writer is
 * done, and a second writer waits its turn after the first, so no update
 * is starved however busy the readers are. The liveness phase, where the CPUs take turns and fairness is
 * judged, starts early (step 60) so the readers are still looping when it
 * does. */
#include <wdm.h>

#define FT_SLOTS 8

typedef struct _FT_EXTENSION {
    EX_SPIN_LOCK TableLock;
    ULONG Flows;          /* guarded by TableLock */
    ULONG Keys[FT_SLOTS]; /* guarded by TableLock */
    LONG Rounds;          /* lookups per thread */
    ULONG Generation;     /* guarded by TableLock */
    LONG Hits;            /* updated interlocked under TableLock shared */
    LONG Probes;          /* updated interlocked under TableLock shared */
    ULONG Found[2];       /* each lookup thread's own */
} FT_EXTENSION, *PFT_EXTENSION;

KSTART_ROUTINE FtLookupThread;
KSTART_ROUTINE FtUpdateThread;
KDEFERRED_ROUTINE FtAgingDpc;

VOID FtLookupThread(PVOID StartContext) {
    PFT_EXTENSION Ext = StartContext;
    ULONG Me = KeGetCurrentProcessorNumber() % 2;
    for (LONG Round = 0; Round < Ext->Rounds; Round++) {
        KIRQL OldIrql = ExAcquireSpinLockShared(&Ext->TableLock);
        InterlockedIncrement(&Ext->Probes);
        for (ULONG Slot = 0; Slot < Ext->Flows; Slot++)
            Ext->Found[Me] += Ext->Keys[Slot] == (ULONG)Round;
        InterlockedIncrement(&Ext->Hits);
        ExReleaseSpinLockShared(&Ext->TableLock, OldIrql);
    }
}

VOID FtUpdateThread(PVOID StartContext) {
    PFT_EXTENSION Ext = StartContext;
    KIRQL OldIrql = ExAcquireSpinLockExclusive(&Ext->TableLock);
    Ext->Keys[Ext->Flows++] = 7;
    ExReleaseSpinLockExclusive(&Ext->TableLock, OldIrql);
}

VOID FtAgingDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFT_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExAcquireSpinLockExclusiveAtDpcLevel(&Ext->TableLock);
    Ext->Generation++;
    ExReleaseSpinLockExclusiveFromDpcLevel(&Ext->TableLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void exlock_writer_waits_check(PVOID context) {
    PFT_EXTENSION ext = context;
    SIM_CHECK(ext->Flows == 2 && ext->Keys[1] == 7 && ext->Generation == 1 && ext->TableLock == 0);
    SIM_CHECK(ext->Hits == 2 * ext->Rounds && ext->Probes == ext->Hits);
}

SIM_SCENARIO(exlock_writer_waits,
             "a writer claims an EX_SPIN_LOCK between busy readers and is never starved; correct") {
    PFT_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(3);
    sim_name((const void *)&ext->TableLock, "ext->TableLock");
    sim_name(&ext->Hits, "ext->Hits");
    sim_name(&ext->Probes, "ext->Probes");
    ext->Flows = 1;
    ext->Keys[0] = 3;
    ext->Rounds = (LONG)sim_param("rounds", 100);
    sim_param("liveness_from_step", 60);
    sim_thread(0, FtLookupThread, ext);
    sim_thread(1, FtLookupThread, ext);
    sim_thread(2, FtUpdateThread, ext);
    sim_dpc(0, FtAgingDpc, ext);
    sim_at_end(exlock_writer_waits_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
