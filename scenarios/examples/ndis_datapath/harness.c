/* harness.c: the NDIS-style datapath (miniport.h) as NDIS and a protocol
 * drive it. The adapter is initialised in setup. A protocol thread sends
 * three frames at PASSIVE_LEVEL, one of them too large; a configuration
 * thread switches the packet filter (a write of ConfigLock); the
 * send-complete DPC and the receive DPC run when the scheduler delivers
 * them, on either CPU. At the end every buffer is free or pending and
 * every frame is accounted for.
 *
 * Built with -DEXAMPLE_BUG, the send path takes SendLock with the Dpr form
 * at PASSIVE_LEVEL (send.c), and the scenario expects that
 * `irql-violation`. */
#include "miniport.h"
#include "sim.h"

static VOID Protocol(PVOID Context) {
    PMP_ADAPTER adapter = Context;
    SIM_CHECK(MpSendFrame(adapter, 60) == NDIS_STATUS_PENDING);
    SIM_CHECK(MpSendFrame(adapter, 1514) == NDIS_STATUS_PENDING);
    const NDIS_STATUS jumbo = MpSendFrame(adapter, 4000);
    SIM_CHECK(jumbo == NDIS_STATUS_PENDING || jumbo == NDIS_STATUS_INVALID_PARAMETER);
}

static VOID Configuration(PVOID Context) {
    SIM_CHECK(MpSetPacketFilter(Context, MP_FILTER_DIRECTED | MP_FILTER_PROMISCUOUS) == NDIS_STATUS_SUCCESS);
}

static VOID EveryFrameAccountedFor(PVOID Context) {
    PMP_ADAPTER adapter = Context;
    ULONG free = 0;
    for (PLIST_ENTRY entry = adapter->FreeBuffers.Flink; entry != &adapter->FreeBuffers; entry = entry->Flink)
        free++;
    SIM_CHECK(free + adapter->SendsPending == MP_BUFFERS);
    SIM_CHECK(adapter->FramesSent + (LONG)adapter->SendsPending + adapter->FramesRejected == 3);
    SIM_CHECK(adapter->FramesReceived + adapter->FramesDropped == 1);
}

SIM_SCENARIO(ndis_datapath_send_receive, "example ndis_datapath: sends, a receive and a filter change race") {
    PMP_ADAPTER adapter = NULL;
    SIM_CHECK(MpInitializeAdapter(NULL, &adapter) == NDIS_STATUS_SUCCESS);
    if (adapter == NULL)
        return;
    sim_name(&adapter->SendLock.SpinLock, "SendLock");
    sim_name(&adapter->FreeLock.SpinLock, "FreeLock");
    sim_thread(0, Protocol, adapter);
    sim_thread(1, Configuration, adapter);
    sim_dpc(1, MpSendCompleteDpc, adapter);
    sim_dpc(0, MpReceiveDpc, adapter);
    sim_at_end(EveryFrameAccountedFor, adapter);
#ifdef EXAMPLE_BUG
    sim_expect(SIM_FINDING_IRQL_VIOLATION);
#else
    sim_expect(SIM_FINDING_NONE);
#endif
}
