/*++
Module Name: send.c

Abstract: the send path. A frame takes a buffer from the free list, is
    checked against the configured frame size under ConfigLock (read), and
    waits in the send queue under SendLock; the send-complete DPC takes
    every pending send and returns its buffer to the free list. Sends come
    at PASSIVE_LEVEL or DISPATCH_LEVEL, so the send path takes SendLock
    with the raising NdisAcquireSpinLock; the DPC, always at
    DISPATCH_LEVEL, with the Dpr form.
--*/
#include "miniport.h"

NDIS_STATUS MpSendFrame(_In_ PMP_ADAPTER Adapter, _In_ ULONG Length) {
    LOCK_STATE_EX lockState;
    PLIST_ENTRY entry;
    PMP_BUFFER buffer;
    BOOLEAN fits;

    NdisAcquireRWLockRead(Adapter->ConfigLock, &lockState, 0);
    fits = Length <= Adapter->MaxFrameSize;
    NdisReleaseRWLock(Adapter->ConfigLock, &lockState);
    if (!fits) {
        NdisInterlockedIncrement(&Adapter->FramesRejected);
        return NDIS_STATUS_INVALID_PARAMETER;
    }

    entry = NdisInterlockedRemoveHeadList(&Adapter->FreeBuffers, &Adapter->FreeLock);
    if (entry == NULL) {
        NdisInterlockedIncrement(&Adapter->FramesRejected);
        return NDIS_STATUS_RESOURCES;
    }
    buffer = CONTAINING_RECORD(entry, MP_BUFFER, Link);
    buffer->Length = Length;

#ifdef EXAMPLE_BUG
    /* Seeded bug: the Dpr form, as if sends came only at DISPATCH_LEVEL;
     * a protocol sending at PASSIVE_LEVEL then holds SendLock preemptibly. */
    NdisDprAcquireSpinLock(&Adapter->SendLock);
    InsertTailList(&Adapter->PendingSends, &buffer->Link);
    Adapter->SendsPending++;
    NdisDprReleaseSpinLock(&Adapter->SendLock);
#else
    NdisAcquireSpinLock(&Adapter->SendLock);
    InsertTailList(&Adapter->PendingSends, &buffer->Link);
    Adapter->SendsPending++;
    NdisReleaseSpinLock(&Adapter->SendLock);
#endif
    return NDIS_STATUS_PENDING;
}

VOID MpSendCompleteDpc(_In_ PKDPC Dpc, _In_opt_ PVOID DeferredContext, _In_opt_ PVOID SystemArgument1,
                       _In_opt_ PVOID SystemArgument2) {
    PMP_ADAPTER adapter = DeferredContext;
    LIST_ENTRY completed;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    InitializeListHead(&completed);
    NdisDprAcquireSpinLock(&adapter->SendLock);
    while (!IsListEmpty(&adapter->PendingSends)) {
        InsertTailList(&completed, RemoveHeadList(&adapter->PendingSends));
        adapter->SendsPending--;
    }
    NdisDprReleaseSpinLock(&adapter->SendLock);

    while (!IsListEmpty(&completed)) {
        PLIST_ENTRY entry = RemoveHeadList(&completed);
        NdisInterlockedIncrement(&adapter->FramesSent);
        NdisInterlockedInsertTailList(&adapter->FreeBuffers, entry, &adapter->FreeLock);
    }
}
