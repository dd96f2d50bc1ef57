/* exlock_convert_release (bug, docs/windows-contract.md sect. 2.6 and R7):
 * a routing table's aging thread holds the table's EX_SPIN_LOCK shared
 * while it scans, and upgrades with ExTryConvertSharedSpinLockExclusive to
 * remove an expired route. After a successful conversion it holds the lock
 * exclusive, but its single exit still releases with
 * ExReleaseSpinLockShared: the shared release decrements a reader count
 * that is not there and leaves the writer bit set, so every later acquire
 * spins forever. The lookup DPC on the other CPU reads shared. The fix:
 * ExReleaseSpinLockExclusive when the conversion succeeded.
 * Expected: release-wrong-family. */
#include <wdm.h>

#define ROUTES 4

typedef struct _RT_EXTENSION {
    EX_SPIN_LOCK TableLock;
    ULONG Expiry[ROUTES]; /* written exclusive, read shared */
    ULONG Valid;          /* bit per route; written exclusive */
    LONG Lookups;         /* interlocked */
} RT_EXTENSION, *PRT_EXTENSION;

KSTART_ROUTINE RtAgingThread;
KDEFERRED_ROUTINE RtLookupDpc;

VOID RtAgingThread(PVOID StartContext) {
    PRT_EXTENSION Ext = StartContext;
    KIRQL OldIrql = ExAcquireSpinLockShared(&Ext->TableLock);
    for (ULONG Route = 0; Route < ROUTES; Route++) {
        if ((Ext->Valid & (1u << Route)) == 0 || Ext->Expiry[Route] != 0)
            continue;
        if (ExTryConvertSharedSpinLockExclusive(&Ext->TableLock)) {
            Ext->Valid &= ~(1u << Route);
            break; /* now held exclusive */
        }
    }
    ExReleaseSpinLockShared(&Ext->TableLock, OldIrql); /* BUG: exclusive after the conversion */
}

VOID RtLookupDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRT_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExAcquireSpinLockSharedAtDpcLevel(&Ext->TableLock);
    if (Ext->Valid & 1u)
        InterlockedIncrement(&Ext->Lookups);
    ExReleaseSpinLockSharedFromDpcLevel(&Ext->TableLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(exlock_convert_release,
             "an EX_SPIN_LOCK converted to exclusive is released shared (bug: release-wrong-family)") {
    PRT_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    sim_name((const void *)&ext->TableLock, "ext->TableLock");
    ext->Valid = 0xF;
    ext->Expiry[0] = 30;
    ext->Expiry[2] = 10; /* routes 1 and 3 have expired */
    sim_thread(0, RtAgingThread, ext);
    sim_dpc(1, RtLookupDpc, ext);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}
