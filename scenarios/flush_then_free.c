/* flush_then_free (correct; docs/windows-contract.md sect. 2.8): a sensor
 * hub's stop path. Each CPU's sample DPC folds its readings into the hub's
 * statistics block, allocated from nonpaged pool, under the block's
 * spin lock. To stop, the control thread marks the hub stopped under that
 * lock, so that no new sample DPC is queued, then calls KeFlushQueuedDpcs,
 * which returns only once every DPC queued before the call has run to
 * completion, and only then frees the block. No DPC touches the block after
 * it goes back to the pool. */
#include <wdm.h>

#define HUB_TAG 'buHS'

typedef struct _HUB_STATS {
    KSPIN_LOCK Lock;
    ULONG Samples;   /* guarded by Lock */
    ULONG Total;     /* guarded by Lock */
    BOOLEAN Stopped; /* guarded by Lock */
} HUB_STATS, *PHUB_STATS;

typedef struct _HUB_EXTENSION {
    PHUB_STATS Stats;
    KDPC SampleDpc[2];
    ULONG Freed; /* the control thread's own */
} HUB_EXTENSION, *PHUB_EXTENSION;

KDEFERRED_ROUTINE HubSampleDpc;
KSTART_ROUTINE HubStopThread;

VOID HubSampleDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PHUB_STATS Stats = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Stats->Lock);
    if (!Stats->Stopped) {
        Stats->Samples++;
        Stats->Total += 7;
    }
    KeReleaseSpinLockFromDpcLevel(&Stats->Lock);
}

VOID HubStopThread(PVOID StartContext) {
    PHUB_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->Stats->Lock, &OldIrql);
    Ext->Stats->Stopped = TRUE;
    KeReleaseSpinLock(&Ext->Stats->Lock, OldIrql);
    KeFlushQueuedDpcs();
    ExFreePoolWithTag(Ext->Stats, HUB_TAG);
    Ext->Stats = NULL;
    Ext->Freed++;
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void flush_then_free_check(PVOID context) {
    PHUB_EXTENSION ext = context;
    SIM_CHECK(ext->Freed == 1 && ext->Stats == NULL);
}

SIM_SCENARIO(flush_then_free, "the stop path flushes the queued DPCs before it frees what they use; correct") {
    PHUB_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    ext->Stats = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *ext->Stats, HUB_TAG);
    SIM_CHECK(ext->Stats != NULL);
    KeInitializeSpinLock(&ext->Stats->Lock);
    sim_name(&ext->Stats->Lock, "stats->Lock");
    sim_dpc(0, HubSampleDpc, ext->Stats);
    sim_dpc(1, HubSampleDpc, ext->Stats);
    sim_thread(0, HubStopThread, ext);
    sim_at_end(flush_then_free_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
