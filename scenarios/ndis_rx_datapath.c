/* ndis_rx_datapath (correct; NDIS's locks over docs/windows-contract.md
 * sect. 2.1): an NDIS miniport's receive path. Receive buffers sit on a
 * free list under FreeLock, an NDIS_SPIN_LOCK. The receive DPC, at
 * DISPATCH_LEVEL, takes a buffer with the Dpr forms
 * (NdisDprAcquireSpinLock), fills it and indicates it; the protocol
 * returns it from a thread at PASSIVE_LEVEL (MiniportReturnNetBufferLists)
 * with the raising forms (NdisAcquireSpinLock), which keep the Old IRQL in
 * the NDIS_SPIN_LOCK itself: correct, since only its holder writes it. The
 * statistics OID thread reads the counters under the same lock. Every
 * buffer is free, or indicated and not yet returned; every frame is
 * indicated or counted dropped. */
#include <ndis.h>

#define NRX_BUFFERS 2
#define NRX_FRAMES 3

typedef struct _NRX_ADAPTER {
    NDIS_SPIN_LOCK FreeLock;
    ULONG FreeBuffers;   /* FreeLock */
    ULONG Indicated;     /* FreeLock */
    ULONG Returned;      /* FreeLock */
    ULONG Dropped;       /* FreeLock */
    ULONG64 StatsFrames; /* FreeLock: the OID's snapshot */
    LONG ReturnsPending; /* interlocked: indicated buffers the protocol still has */
} NRX_ADAPTER, *PNRX_ADAPTER;

KDEFERRED_ROUTINE NrxReceiveDpc;
KSTART_ROUTINE NrxProtocolReturnThread;
KSTART_ROUTINE NrxStatsOidThread;

VOID NrxReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PNRX_ADAPTER Adapter = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    for (ULONG Frame = 0; Frame < NRX_FRAMES; Frame++) {
        BOOLEAN HaveBuffer;
        NdisDprAcquireSpinLock(&Adapter->FreeLock);
        HaveBuffer = Adapter->FreeBuffers > 0;
        if (HaveBuffer) {
            Adapter->FreeBuffers--;
            Adapter->Indicated++;
        } else {
            Adapter->Dropped++;
        }
        NdisDprReleaseSpinLock(&Adapter->FreeLock);
        if (HaveBuffer)
            InterlockedIncrement(&Adapter->ReturnsPending); /* NdisMIndicateReceiveNetBufferLists */
    }
}

/* The protocol hands indicated buffers back (MiniportReturnNetBufferLists). */
VOID NrxProtocolReturnThread(PVOID StartContext) {
    PNRX_ADAPTER Adapter = StartContext;
    for (ULONG Try = 0; Try < NRX_FRAMES; Try++) {
        if (InterlockedCompareExchange(&Adapter->ReturnsPending, 0, 0) == 0)
            continue;
        InterlockedDecrement(&Adapter->ReturnsPending);
        NdisAcquireSpinLock(&Adapter->FreeLock);
        Adapter->FreeBuffers++;
        Adapter->Returned++;
        NdisReleaseSpinLock(&Adapter->FreeLock);
    }
}

VOID NrxStatsOidThread(PVOID StartContext) {
    PNRX_ADAPTER Adapter = StartContext;
    NdisAcquireSpinLock(&Adapter->FreeLock);
    Adapter->StatsFrames = (ULONG64)Adapter->Indicated + Adapter->Dropped;
    NdisReleaseSpinLock(&Adapter->FreeLock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void ndis_rx_datapath_check(PVOID context) {
    PNRX_ADAPTER adapter = context;
    SIM_CHECK(adapter->Indicated + adapter->Dropped == NRX_FRAMES);
    SIM_CHECK(adapter->FreeBuffers + adapter->Indicated - adapter->Returned == NRX_BUFFERS);
    SIM_CHECK((ULONG)adapter->ReturnsPending == adapter->Indicated - adapter->Returned);
}

SIM_SCENARIO(ndis_rx_datapath, "NDIS receive path: Dpr forms in the DPC, raising forms in the return path; correct") {
    PNRX_ADAPTER adapter = sim_alloc(sizeof *adapter);
    sim_cpus(2);
    NdisAllocateSpinLock(&adapter->FreeLock);
    sim_name(&adapter->FreeLock.SpinLock, "adapter->FreeLock");
    adapter->FreeBuffers = NRX_BUFFERS;
    sim_dpc_later(0, NrxReceiveDpc, adapter, 1);
    sim_thread_later(1, NrxProtocolReturnThread, adapter); /* once frames may be indicated */
    sim_thread(0, NrxStatsOidThread, adapter);
    sim_at_end(ndis_rx_datapath_check, adapter);
    sim_expect(SIM_FINDING_NONE);
}
