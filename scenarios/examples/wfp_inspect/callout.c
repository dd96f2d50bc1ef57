/* callout.c: loading and unloading the inspection callout: the injection
 * handle, the filter engine session, the callout's registration and its
 * filter at the inbound transport layer, the worker thread; and the reverse,
 * after the worker has drained the queue. */
#include "callout.h"

#include <initguid.h> /* the callout key is defined here */

DEFINE_GUID(INSPECT_CALLOUT_KEY, 0x5c3bb2c1, 0x8e0a, 0x4a51, 0x9d, 0x07, 0x2b, 0x61, 0x3e, 0x44, 0x90, 0x1f);

PCALLOUT_DEVICE CalloutDevice;

static NTSTATUS CalloutRegister(PCALLOUT_DEVICE Device) {
    FWPS_CALLOUT sCallout = {0};
    FWPM_CALLOUT mCallout = {0};
    FWPM_FILTER filter = {0};
    FWPM_SESSION session = {0};
    NTSTATUS status;

    session.flags = FWPM_SESSION_FLAG_DYNAMIC;
    status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &Device->EngineHandle);
    if (!NT_SUCCESS(status))
        return status;

    sCallout.calloutKey = INSPECT_CALLOUT_KEY;
    sCallout.classifyFn = CalloutClassify;
    sCallout.notifyFn = CalloutNotify;
    status = FwpsCalloutRegister(NULL, &sCallout, &Device->CalloutId);
    if (!NT_SUCCESS(status))
        return status;

    mCallout.calloutKey = INSPECT_CALLOUT_KEY;
    mCallout.displayData.name = L"Inspect inbound transport";
    mCallout.applicableLayer = FWPM_LAYER_INBOUND_TRANSPORT_V4;
    status = FwpmCalloutAdd(Device->EngineHandle, &mCallout, NULL, NULL);
    if (!NT_SUCCESS(status))
        return status;

    filter.layerKey = FWPM_LAYER_INBOUND_TRANSPORT_V4;
    filter.displayData.name = L"Inspect inbound transport";
    filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
    filter.action.calloutKey = INSPECT_CALLOUT_KEY;
    filter.weight.type = FWP_EMPTY;
    return FwpmFilterAdd(Device->EngineHandle, &filter, NULL, NULL);
}

NTSTATUS CalloutLoad(PCALLOUT_DEVICE Device) {
    HANDLE thread;
    NTSTATUS status;

    PAGED_CODE();
    InitializeListHead(&Device->PendedPackets);
    KeInitializeSpinLock(&Device->QueueLock);
    KeInitializeEvent(&Device->WorkerEvent, NotificationEvent, FALSE);
    CalloutDevice = Device;

    status = FwpsInjectionHandleCreate(AF_INET, FWPS_INJECTION_TYPE_TRANSPORT, &Device->InjectionHandle);
    if (!NT_SUCCESS(status))
        return status;
    status = CalloutRegister(Device);
    if (!NT_SUCCESS(status))
        return status;
    status = PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, CalloutWorker, Device);
    if (!NT_SUCCESS(status))
        return status;
    status = ObReferenceObjectByHandle(thread, 0, NULL, KernelMode, &Device->WorkerThread, NULL);
    ZwClose(thread);
    return status;
}

VOID CalloutUnload(PCALLOUT_DEVICE Device) {
    KLOCK_QUEUE_HANDLE lockHandle;

    PAGED_CODE();
    KeAcquireInStackQueuedSpinLock(&Device->QueueLock, &lockHandle);
    Device->Unloading = TRUE;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    KeSetEvent(&Device->WorkerEvent, IO_NO_INCREMENT, FALSE);

    KeWaitForSingleObject(Device->WorkerThread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(Device->WorkerThread);

    FwpmEngineClose(Device->EngineHandle);
    FwpsCalloutUnregisterById(Device->CalloutId);
    FwpsInjectionHandleDestroy(Device->InjectionHandle);
}
