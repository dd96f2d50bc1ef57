/* exlock_try_compact (correct; docs/windows-contract.md sect. 2.6): a
 * route cache under an EX_SPIN_LOCK. Lookup threads read it shared
 * (ExAcquireSpinLockShared). A maintenance DPC compacts the cache only when
 * that costs nobody a wait: it tries the lock exclusive with
 * ExTryAcquireSpinLockExclusiveAtDpcLevel, which succeeds only on a free
 * lock, never while a reader is inside; when the try fails it counts the
 * deferral and leaves the compaction to its next run. The compaction
 * writes the entries and the count plainly, which is safe because no
 * reader can be inside while it runs. */
#include <wdm.h>

#define RC_SLOTS 4

typedef struct _RC_EXTENSION {
    EX_SPIN_LOCK CacheLock;
    ULONG Count;            /* guarded by CacheLock */
    ULONG Routes[RC_SLOTS]; /* guarded by CacheLock */
    ULONG Compactions;      /* the DPC's own */
    ULONG Deferred;         /* the DPC's own */
    ULONG Looked[2];        /* each lookup thread's own result */
} RC_EXTENSION, *PRC_EXTENSION;

KDEFERRED_ROUTINE RcCompactDpc;
KSTART_ROUTINE RcLookupThread;

VOID RcCompactDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRC_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    if (!ExTryAcquireSpinLockExclusiveAtDpcLevel(&Ext->CacheLock)) {
        Ext->Deferred++;
        return;
    }
    /* Keep the newer half of the routes, at the front. */
    ULONG Keep = Ext->Count / 2;
    for (ULONG Slot = 0; Slot < Keep; Slot++)
        Ext->Routes[Slot] = Ext->Routes[Ext->Count - Keep + Slot];
    Ext->Count = Keep;
    Ext->Compactions++;
    ExReleaseSpinLockExclusiveFromDpcLevel(&Ext->CacheLock);
}

VOID RcLookupThread(PVOID StartContext) {
    PRC_EXTENSION Ext = StartContext;
    ULONG Me = KeGetCurrentProcessorNumber() % 2;
    KIRQL OldIrql = ExAcquireSpinLockShared(&Ext->CacheLock);
    Ext->Looked[Me] = Ext->Count > 0 ? Ext->Routes[Ext->Count - 1] : 0;
    ExReleaseSpinLockShared(&Ext->CacheLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void exlock_try_compact_check(PVOID context) {
    PRC_EXTENSION ext = context;
    SIM_CHECK(ext->Compactions + ext->Deferred == 1 && ext->CacheLock == 0);
    SIM_CHECK(ext->Count == (ext->Compactions ? RC_SLOTS / 2 : RC_SLOTS) && ext->Routes[ext->Count - 1] == 40);
}

SIM_SCENARIO(exlock_try_compact, "a DPC compacts a cache only when its exclusive try finds no reader inside; correct") {
    PRC_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    sim_name((const void *)&ext->CacheLock, "ext->CacheLock");
    sim_name(&ext->Count, "ext->Count");
    ext->Count = RC_SLOTS;
    for (ULONG slot = 0; slot < RC_SLOTS; slot++)
        ext->Routes[slot] = 10 * (slot + 1);
    sim_thread(0, RcLookupThread, ext);
    sim_thread(1, RcLookupThread, ext);
    sim_dpc(0, RcCompactDpc, ext);
    sim_at_end(exlock_try_compact_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
