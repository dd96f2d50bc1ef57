/* classify.c: the classify function, called by the filter engine at
 * DISPATCH_LEVEL for every inbound IPv4 transport packet. A packet this
 * driver injected comes back and is permitted; any other is cloned, its
 * clone pended for the worker, and the original absorbed. */
#include "callout.h"

VOID NTAPI CalloutClassify(const FWPS_INCOMING_VALUES *inFixedValues, const FWPS_INCOMING_METADATA_VALUES *inMetaValues,
                           VOID *layerData, const VOID *classifyContext, const FWPS_FILTER *filter, UINT64 flowContext,
                           FWPS_CLASSIFY_OUT *classifyOut) {
    PCALLOUT_DEVICE device = CalloutDevice;
    NET_BUFFER_LIST *netBufferList = layerData;
    PPENDED_PACKET packet;
    KLOCK_QUEUE_HANDLE lockHandle;
    BOOLEAN queued = FALSE;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0)
        return;
    if (FwpsQueryPacketInjectionState(device->InjectionHandle, netBufferList, NULL) == FWPS_PACKET_INJECTED_BY_SELF) {
        classifyOut->actionType = FWP_ACTION_PERMIT;
        if (filter->flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT)
            classifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
        return;
    }

    packet = ExAllocatePoolZero(NonPagedPoolNx, sizeof(PENDED_PACKET), CALLOUT_POOL_TAG);
    if (packet == NULL)
        goto Block;
    /* The clone starts at the IP header, as receive injection wants it. */
    NdisRetreatNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(netBufferList),
                                  inMetaValues->ipHeaderSize + inMetaValues->transportHeaderSize, 0, NULL);
    NTSTATUS status = FwpsAllocateCloneNetBufferList(netBufferList, NULL, NULL, 0, &packet->Clone);
    NdisAdvanceNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(netBufferList),
                                  inMetaValues->ipHeaderSize + inMetaValues->transportHeaderSize, FALSE, NULL);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(packet, CALLOUT_POOL_TAG);
        goto Block;
    }
    packet->CompartmentId = (COMPARTMENT_ID)inMetaValues->compartmentId;
    packet->InterfaceIndex = inFixedValues->incomingValue[FWPS_FIELD_INBOUND_TRANSPORT_V4_INTERFACE_INDEX].value.uint32;
    packet->SubInterfaceIndex =
        inFixedValues->incomingValue[FWPS_FIELD_INBOUND_TRANSPORT_V4_SUB_INTERFACE_INDEX].value.uint32;

    KeAcquireInStackQueuedSpinLock(&device->QueueLock, &lockHandle);
    if (!device->Unloading) {
        InsertTailList(&device->PendedPackets, &packet->Link);
        queued = TRUE;
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    if (!queued) {
        FwpsFreeCloneNetBufferList(packet->Clone, 0);
        ExFreePoolWithTag(packet, CALLOUT_POOL_TAG);
        classifyOut->actionType = FWP_ACTION_PERMIT;
        return;
    }
    InterlockedIncrement(&device->PacketsPended);
    KeSetEvent(&device->WorkerEvent, IO_NO_INCREMENT, FALSE);

Block:
    classifyOut->actionType = FWP_ACTION_BLOCK;
    classifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
    classifyOut->flags |= FWPS_CLASSIFY_OUT_FLAG_ABSORB;
}

NTSTATUS NTAPI CalloutNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey, const FWPS_FILTER *filter) {
    UNREFERENCED_PARAMETER(notifyType);
    UNREFERENCED_PARAMETER(filterKey);
    UNREFERENCED_PARAMETER(filter);
    return STATUS_SUCCESS;
}
