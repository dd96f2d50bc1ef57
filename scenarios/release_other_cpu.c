/* release_other_cpu (bug, docs/windows-contract.md R4): a DMA driver's
 * start path takes the channel lock, programs the transfer and polls for
 * its completion with the lock held, so that no other request can program
 * the channel meanwhile. The completion DPC, queued on whichever CPU the
 * device interrupted, releases the channel lock as its "transfer done"
 * signal, and the start path returns believing the lock free. A spin lock
 * is owned by the CPU that took it: the release comes from another CPU
 * (checked 0x10, DV C4/0x1004), and the start thread goes on at
 * DISPATCH_LEVEL with nothing to restore its IRQL. The fix is a "channel
 * busy" flag under a lock held only briefly, or a KEVENT. The default
 * schedule lets the poll time out (the start path then aborts and releases
 * the lock itself) before the DPC is inserted.
 * Expected: release-wrong-owner. */
#include <wdm.h>

#define DMA_POLL_LIMIT 200 /* polls of 10 us before the start path gives up */

typedef struct _DMA_EXTENSION {
    KSPIN_LOCK ChannelLock; /* BUG: held from the start path to the completion DPC */
    ULONG TransferLength;   /* guarded by ChannelLock */
    ULONG Transfers;        /* guarded by ChannelLock */
    LONG Started;           /* the "hardware": set when the transfer was programmed */
    LONG Done;              /* set by the completion DPC */
} DMA_EXTENSION, *PDMA_EXTENSION;

KSTART_ROUTINE DmaStartThread;
KDEFERRED_ROUTINE DmaCompleteDpc;

VOID DmaStartThread(PVOID StartContext) {
    PDMA_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ChannelLock, &OldIrql);
    Ext->TransferLength = 4096;
    InterlockedExchange(&Ext->Started, 1);
    for (ULONG Poll = 0; Poll < DMA_POLL_LIMIT; Poll++) {
        if (InterlockedCompareExchange(&Ext->Done, 0, 0) != 0)
            return; /* BUG: the completion DPC released ChannelLock for us */
        KeStallExecutionProcessor(10);
    }
    /* Timed out: abort the transfer; a late completion finds it not started. */
    InterlockedExchange(&Ext->Started, 0);
    KeReleaseSpinLock(&Ext->ChannelLock, OldIrql);
}

VOID DmaCompleteDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PDMA_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    if (InterlockedCompareExchange(&Ext->Started, 0, 1) != 1)
        return; /* a spurious completion */
    Ext->Transfers++;
    KeReleaseSpinLockFromDpcLevel(&Ext->ChannelLock); /* BUG: another CPU's lock */
    InterlockedExchange(&Ext->Done, 1);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(release_other_cpu, "a lock taken by the start thread is released by the completion DPC (bug)") {
    PDMA_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ChannelLock);
    sim_name(&ext->ChannelLock, "ext->ChannelLock");
    sim_name((const void *)&ext->Started, "ext->Started");
    sim_name((const void *)&ext->Done, "ext->Done");
    sim_thread(0, DmaStartThread, ext);
    sim_dpc_later(1, DmaCompleteDpc, ext, 1);
    sim_expect(SIM_FINDING_RELEASE_WRONG_OWNER);
}
