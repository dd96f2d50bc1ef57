/*++
Module Name: recv.c

Abstract: the receive path, in a DPC: a frame takes a buffer from the free
    list, is filtered against the configuration under ConfigLock (read, at
    DISPATCH_LEVEL), counted, and its buffer returned.
--*/
#include "miniport.h"

#define MP_RECEIVED_FRAME_LENGTH 1200

VOID MpReceiveDpc(_In_ PKDPC Dpc, _In_opt_ PVOID DeferredContext, _In_opt_ PVOID SystemArgument1,
                  _In_opt_ PVOID SystemArgument2) {
    PMP_ADAPTER adapter = DeferredContext;
    LOCK_STATE_EX lockState;
    PLIST_ENTRY entry;
    BOOLEAN accept;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    entry = NdisInterlockedRemoveHeadList(&adapter->FreeBuffers, &adapter->FreeLock);
    if (entry == NULL) {
        NdisInterlockedIncrement(&adapter->FramesDropped);
        return;
    }
    CONTAINING_RECORD(entry, MP_BUFFER, Link)->Length = MP_RECEIVED_FRAME_LENGTH;

    NdisAcquireRWLockRead(adapter->ConfigLock, &lockState, NDIS_RWL_AT_DISPATCH_LEVEL);
    accept = (adapter->PacketFilter & (MP_FILTER_DIRECTED | MP_FILTER_PROMISCUOUS)) != 0 &&
             MP_RECEIVED_FRAME_LENGTH <= adapter->MaxFrameSize;
    NdisReleaseRWLock(adapter->ConfigLock, &lockState);

    NdisInterlockedIncrement(accept ? &adapter->FramesReceived : &adapter->FramesDropped);
    NdisInterlockedInsertHeadList(&adapter->FreeBuffers, entry, &adapter->FreeLock);
}
