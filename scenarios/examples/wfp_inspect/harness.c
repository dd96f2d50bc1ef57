/* harness.c: the inspection callout (callout.h) as the filter engine and
 * the system drive it. The driver loads in setup. The engine classifies
 * two inbound UDP datagrams, one on each CPU, at steps the scheduler
 * chooses (sim_fwps_classify_later); the driver unloads from a thread at
 * another such step. At the end every pended packet was injected and every
 * injection completed.
 *
 * Built with -DEXAMPLE_BUG, the worker frees a packet while its injection
 * is still pending (worker.c), and the scenario expects that
 * `use-after-free`. */
#include "callout.h"
#include "sim.h"
#include "sim_fwps.h"

enum { IP_HEADER = 20, UDP_HEADER = 8, PAYLOAD = 32 };

/* A datagram as the inbound transport layer hands it to a callout: the
 * data starts after the UDP header, the headers lie before it. */
typedef struct DATAGRAM {
    UCHAR Bytes[IP_HEADER + UDP_HEADER + PAYLOAD];
    FWPS_INCOMING_VALUE Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_MAX];
    FWPS_INCOMING_VALUES FixedValues;
    FWPS_INCOMING_METADATA_VALUES MetaValues;
    FWPS_CLASSIFY_OUT ClassifyOut;
    NET_BUFFER_LIST *NetBufferList;
} DATAGRAM;

static DATAGRAM *InboundDatagram(NDIS_HANDLE pool, UINT16 remotePort) {
    DATAGRAM *datagram = sim_alloc(sizeof *datagram);
    PMDL mdl = IoAllocateMdl(datagram->Bytes, sizeof datagram->Bytes, FALSE, FALSE, NULL);
    MmBuildMdlForNonPagedPool(mdl);
    datagram->NetBufferList = NdisAllocateNetBufferAndNetBufferList(pool, 0, 0, mdl, IP_HEADER + UDP_HEADER, PAYLOAD);
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_PROTOCOL].value.type = FWP_UINT8;
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_PROTOCOL].value.uint8 = IPPROTO_UDP;
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_PORT].value.type = FWP_UINT16;
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_PORT].value.uint16 = remotePort;
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_INTERFACE_INDEX].value.type = FWP_UINT32;
    datagram->Values[FWPS_FIELD_INBOUND_TRANSPORT_V4_INTERFACE_INDEX].value.uint32 = 7;
    datagram->FixedValues.layerId = FWPS_LAYER_INBOUND_TRANSPORT_V4;
    datagram->FixedValues.valueCount = FWPS_FIELD_INBOUND_TRANSPORT_V4_MAX;
    datagram->FixedValues.incomingValue = datagram->Values;
    datagram->MetaValues.currentMetadataValues = FWPS_METADATA_FIELD_IP_HEADER_SIZE |
                                                 FWPS_METADATA_FIELD_TRANSPORT_HEADER_SIZE |
                                                 FWPS_METADATA_FIELD_COMPARTMENT_ID;
    datagram->MetaValues.ipHeaderSize = IP_HEADER;
    datagram->MetaValues.transportHeaderSize = UDP_HEADER;
    datagram->MetaValues.compartmentId = DEFAULT_COMPARTMENT_ID;
    return datagram;
}

static VOID Unload(PVOID Context) { CalloutUnload(Context); }

static VOID EveryPacketInjected(PVOID Context) {
    PCALLOUT_DEVICE device = Context;
    SIM_CHECK(device->PacketsInjected == device->PacketsPended);
    SIM_CHECK(device->InjectionsCompleted == device->PacketsInjected);
}

SIM_SCENARIO(wfp_inspect_pend_inject_unload, "example wfp_inspect: classifications, the worker and unload race") {
    PCALLOUT_DEVICE device = sim_alloc(sizeof *device);
    NET_BUFFER_LIST_POOL_PARAMETERS parameters = {0};

    parameters.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    parameters.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    parameters.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    parameters.fAllocateNetBuffer = TRUE;
    parameters.PoolTag = CALLOUT_POOL_TAG;
    NDIS_HANDLE pool = NdisAllocateNetBufferListPool(NULL, &parameters);

    SIM_CHECK(NT_SUCCESS(CalloutLoad(device)));
    sim_name(&device->QueueLock, "QueueLock");
    for (int cpu = 0; cpu < 2; cpu++) {
        DATAGRAM *datagram = InboundDatagram(pool, (UINT16)(53 + cpu));
        sim_fwps_classify_later(cpu, &device->CalloutId, &datagram->FixedValues, &datagram->MetaValues,
                                datagram->NetBufferList, 0, &datagram->ClassifyOut);
    }
    sim_thread_later(0, Unload, device);
    sim_at_end(EveryPacketInjected, device);
#ifdef EXAMPLE_BUG
    sim_expect(SIM_FINDING_USE_AFTER_FREE);
#else
    sim_expect(SIM_FINDING_NONE);
#endif
}
