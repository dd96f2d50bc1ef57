/* worker.c: the worker thread, at PASSIVE_LEVEL: it waits for pended
 * packets, takes them off the queue under the queue lock, and
 * receive-injects each clone; the injection's completion, which the engine
 * calls later at DISPATCH_LEVEL, frees the clone and the packet. The
 * thread ends once the driver unloads and the queue is empty.
 *
 * Built with -DEXAMPLE_BUG, the worker frees the packet as soon as the
 * injection is queued, as if injection were synchronous: the completion
 * then reads a freed packet. */
#include "callout.h"

VOID NTAPI CalloutInjectComplete(VOID *context, NET_BUFFER_LIST *netBufferList, BOOLEAN dispatchLevel) {
    PPENDED_PACKET packet = context;

    UNREFERENCED_PARAMETER(dispatchLevel);
    NT_ASSERT(packet->Clone == netBufferList);
    FwpsFreeCloneNetBufferList(netBufferList, 0);
#ifndef EXAMPLE_BUG
    ExFreePoolWithTag(packet, CALLOUT_POOL_TAG);
#endif
    InterlockedIncrement(&CalloutDevice->InjectionsCompleted);
}

static VOID CalloutInject(PCALLOUT_DEVICE device, PPENDED_PACKET packet) {
    NTSTATUS status = FwpsInjectTransportReceiveAsync(
        device->InjectionHandle, NULL, NULL, 0, AF_INET, packet->CompartmentId, packet->InterfaceIndex,
        packet->SubInterfaceIndex, packet->Clone, CalloutInjectComplete, packet);
    if (!NT_SUCCESS(status)) {
        FwpsFreeCloneNetBufferList(packet->Clone, 0);
        ExFreePoolWithTag(packet, CALLOUT_POOL_TAG);
        return;
    }
    InterlockedIncrement(&device->PacketsInjected);
#ifdef EXAMPLE_BUG
    ExFreePoolWithTag(packet, CALLOUT_POOL_TAG);
#endif
}

VOID CalloutWorker(PVOID StartContext) {
    PCALLOUT_DEVICE device = StartContext;
    KLOCK_QUEUE_HANDLE lockHandle;

    for (;;) {
        PPENDED_PACKET packet = NULL;
        BOOLEAN unloading;

        KeWaitForSingleObject(&device->WorkerEvent, Executive, KernelMode, FALSE, NULL);

        KeAcquireInStackQueuedSpinLock(&device->QueueLock, &lockHandle);
        if (!IsListEmpty(&device->PendedPackets))
            packet = CONTAINING_RECORD(RemoveHeadList(&device->PendedPackets), PENDED_PACKET, Link);
        else
            KeClearEvent(&device->WorkerEvent);
        unloading = device->Unloading;
        KeReleaseInStackQueuedSpinLock(&lockHandle);

        if (packet != NULL)
            CalloutInject(device, packet);
        else if (unloading)
            break;
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}
