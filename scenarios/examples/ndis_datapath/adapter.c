/*++
Module Name: adapter.c

Abstract: the adapter's configuration: initialisation (locks, the free
    list of buffers) and the packet-filter OID, which
    writes the configuration under ConfigLock at PASSIVE_LEVEL.
--*/
#include "miniport.h"

NDIS_STATUS MpInitializeAdapter(_In_ NDIS_HANDLE MiniportHandle, _Out_ PMP_ADAPTER *Adapter) {
    PMP_ADAPTER adapter;
    ULONG i;

    adapter = NdisAllocateMemoryWithTagPriority(MiniportHandle, sizeof(MP_ADAPTER), MP_TAG, NormalPoolPriority);
    if (adapter == NULL)
        return NDIS_STATUS_RESOURCES;
    NdisZeroMemory(adapter, sizeof(MP_ADAPTER));
    adapter->ConfigLock = NdisAllocateRWLock(MiniportHandle);
    if (adapter->ConfigLock == NULL) {
        NdisFreeMemory(adapter, sizeof(MP_ADAPTER), 0);
        return NDIS_STATUS_RESOURCES;
    }
    NdisAllocateSpinLock(&adapter->SendLock);
    NdisAllocateSpinLock(&adapter->FreeLock);
    InitializeListHead(&adapter->PendingSends);
    InitializeListHead(&adapter->FreeBuffers);
    for (i = 0; i < MP_BUFFERS; i++)
        NdisInterlockedInsertTailList(&adapter->FreeBuffers, &adapter->Buffers[i].Link, &adapter->FreeLock);
    adapter->PacketFilter = MP_FILTER_DIRECTED;
    adapter->MaxFrameSize = 1514;
    *Adapter = adapter;
    return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS MpSetPacketFilter(_In_ PMP_ADAPTER Adapter, _In_ ULONG PacketFilter) {
    LOCK_STATE_EX lockState;

    NdisAcquireRWLockWrite(Adapter->ConfigLock, &lockState, 0);
    Adapter->PacketFilter = PacketFilter;
    Adapter->MaxFrameSize = (PacketFilter & MP_FILTER_PROMISCUOUS) ? 9014 : 1514;
    NdisReleaseRWLock(Adapter->ConfigLock, &lockState);
    return NDIS_STATUS_SUCCESS;
}
