#!/usr/bin/env bash
# headers.sh: the driver-facing headers as a driver author's compiler sees
# them. Every public header compiles alone with -Wall -Wextra -Werror as C11
# and C17; without -fshort-wchar the build stops at one clear line; the WDK
# types have the WDK's sizes, types and members on LP64; a routine the
# headers lack can be added the documented way (locks/include/README.md);
# a KMDF driver source over the PnP, queue, request, DMA and WPP surface
# compiles as a WDK project builds it; a WFP callout written as the WDK's
# samples write one compiles with -Werror; and that README lists every
# routine name the headers define as a macro.
# Prints PASS/FAIL lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-clang}
includes=(-I "$root/locks/include" -I "$root/sim/include")
strict=(-Wall -Wextra -Werror -fshort-wchar)

headers=(wdm.h ntddk.h ntifs.h ntdef.h ntstatus.h sal.h guiddef.h initguid.h wdmsec.h dontuse.h wdf.h ndis.h sim.h sim_io.h
    sim_wdf.h wdmguid.h evntrace.h spinsim_wpp.h wdfdevice.h wdfio.h wdfdma.h sdkddkver.h fwpsk.h fwpmk.h fwptypes.h
    fwpmtypes.h ws2def.h ws2ipdef.h inaddr.h in6addr.h ifdef.h ip2string.h ntstrsafe.h sim_fwps.h wdf_control.h)

# ---- each header alone, C11 and C17 -------------------------------------------

for header in "${headers[@]}"; do
    printf '#include <%s>\nint main(void) { return 0; }\n' "$header" >"$work/alone.c"
    for std in c11 c17; do
        if "$cc" -std=$std "${strict[@]}" "${includes[@]}" -fsyntax-only "$work/alone.c" 2>"$work/err"; then
            echo "PASS $header compiles alone as -std=$std -Wall -Wextra -Werror"
        else
            echo "FAIL $header as -std=$std: $(grep -m1 'error' "$work/err")"
        fi
    done
done

# ---- without -fshort-wchar: one clear line --------------------------------------

printf '#include <wdm.h>\nint main(void) { return 0; }\n' >"$work/wide.c"
if "$cc" -std=c11 -Wall -Wextra -Werror "${includes[@]}" -fsyntax-only "$work/wide.c" 2>"$work/err"; then
    echo "FAIL wdm.h without -fshort-wchar: compiled, but L\"...\" would not fit WCHAR"
elif [[ $(grep -c 'error:' "$work/err") -eq 1 ]] && grep -q 'error: "spinsim: build driver code with -fshort-wchar' "$work/err"; then
    echo "PASS wdm.h without -fshort-wchar stops at one #error naming the flag"
else
    echo "FAIL wdm.h without -fshort-wchar: $(grep -c 'error:' "$work/err") errors, first: $(grep -m1 'error:' "$work/err")"
fi

# ---- WDK types: sizes, types, members -------------------------------------------

cat >"$work/types.c" <<'EOF'
#include <evntrace.h>
#include <fwpsk.h>
#include <ndis.h>
#include <stdio.h>
#include <wdf.h>
#include <wdm.h>
#include <ws2ipdef.h>

static int failures;

static void check(const char *name, int ok, const char *why) {
    printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
    failures += !ok;
}

#define SAME_TYPE(a, b) _Generic((a), b: 1, default: 0)
#define SIZE(type, bytes) check("sizeof(" #type ") == " #bytes, sizeof(type) == (bytes), "wrong size")
#define TYPE(expression, type) check(#expression " is " #type, SAME_TYPE(expression, type), "wrong type")
#define VALUE(expression, value) check(#expression " == " #value, (expression) == (value), "wrong value")

int main(void) {
    SIZE(CHAR, 1);
    SIZE(UCHAR, 1);
    SIZE(BOOLEAN, 1);
    SIZE(KIRQL, 1);
    SIZE(SHORT, 2);
    SIZE(USHORT, 2);
    SIZE(WCHAR, 2);
    SIZE(LONG, 4);
    SIZE(ULONG, 4);
    SIZE(NTSTATUS, 4);
    SIZE(LONGLONG, 8);
    SIZE(ULONGLONG, 8);
    SIZE(LONG64, 8);
    SIZE(ULONG_PTR, 8);
    SIZE(SIZE_T, 8);
    SIZE(PVOID, 8);
    SIZE(HANDLE, 8);
    SIZE(KSPIN_LOCK, 8);
    SIZE(EX_SPIN_LOCK, 4);
    SIZE(LARGE_INTEGER, 8);
    SIZE(ULARGE_INTEGER, 8);
    SIZE(LIST_ENTRY, 16);
    SIZE(SINGLE_LIST_ENTRY, 8);
    SIZE(UNICODE_STRING, 16);
    SIZE(ANSI_STRING, 16);
    SIZE(IO_STATUS_BLOCK, 16);
    SIZE(KSPIN_LOCK_QUEUE, 16);
    SIZE(KLOCK_QUEUE_HANDLE, 24);
    SIZE(GUID, 16);
    TYPE((LONGLONG)0, long long);
    TYPE((ULONGLONG)0, unsigned long long);
    TYPE((LONG64)0, long long);
    TYPE((ULONG64)0, unsigned long long);
    TYPE((LONG)0, int);
    TYPE((ULONG)0, unsigned int);
    TYPE((SIZE_T)0, size_t);
    TYPE((WCHAR)0, wchar_t);
    TYPE(L"ab"[0], WCHAR);
    VALUE(sizeof(L"ab"), 6);
    UNICODE_STRING constant = RTL_CONSTANT_STRING(L"ab");
    VALUE(constant.Length, 4);
    VALUE(constant.MaximumLength, 6);
    VALUE(offsetof(KLOCK_QUEUE_HANDLE, OldIrql), 16);
    VALUE(offsetof(KSPIN_LOCK_QUEUE, Lock), 8);
    LARGE_INTEGER large = {.QuadPart = 0x0000000200000001LL};
    VALUE(large.LowPart, 1);
    VALUE(large.HighPart, 2);
    VALUE(large.u.LowPart, 1);
    VALUE(large.u.HighPart, 2);
    ULARGE_INTEGER ularge = {.QuadPart = 0xFFFFFFFF00000003ULL};
    VALUE(ularge.HighPart, 0xFFFFFFFFu);
    VALUE(ularge.u.LowPart, 3);
    KEVENT event = {.Header.SignalState = 1};
    KTIMER timer = {.Header.Type = TimerNotificationObject};
    KSEMAPHORE semaphore = {.Header.SignalState = 2, .Limit = 4};
    VALUE(event.Header.SignalState, 1);
    VALUE(timer.Header.Type, 8);
    VALUE(semaphore.Limit, 4);
    KDPC dpc = {.Type = DPC_NORMAL, .Importance = MediumImportance, .Number = 0};
    VALUE(dpc.DeferredRoutine == NULL && dpc.DeferredContext == NULL && dpc.SystemArgument1 == NULL, 1);
    VALUE(Executive, 0);
    VALUE(UserRequest, 6);
    VALUE(WrQueue, 15);
    VALUE(MaximumWaitReason, 42);
    VALUE(KernelMode, 0);
    VALUE(UserMode, 1);
    VALUE(NonPagedPool, 0);
    VALUE(PagedPool, 1);
    VALUE(NonPagedPoolNx, 512);
    VALUE(WaitAll, 0);
    VALUE(WaitAny, 1);
    VALUE(STATUS_PENDING, 0x103);
    VALUE(STATUS_CANCELLED, (NTSTATUS)0xC0000120);
    VALUE(STATUS_INSUFFICIENT_RESOURCES, (NTSTATUS)0xC000009A);
    VALUE(NT_SUCCESS(STATUS_TIMEOUT), 1);
    VALUE(NT_SUCCESS(STATUS_UNSUCCESSFUL), 0);
    VALUE(IRP_MJ_READ, 3);
    VALUE(IRP_MJ_DEVICE_CONTROL, 0xe);
    VALUE(DISPATCH_LEVEL, 2);
    VALUE(HIGH_LEVEL, 15);
    VALUE(FIELD_OFFSET(UNICODE_STRING, Buffer), 8);
    VALUE(ARRAYSIZE(L"abc"), 4);
    VALUE(Int32x32To64(-2, 0x7fffffff), -0xfffffffeLL);
    VALUE(sizeof(NDIS_SPIN_LOCK), 16);
    VALUE(sizeof(LOCK_STATE_EX), 3);
    VALUE(sizeof(WDF_OBJECT_ATTRIBUTES) > 0, 1);
    SIZE(MDL, 48);
    SIZE(CM_PARTIAL_RESOURCE_DESCRIPTOR, 20);
    SIZE(SCATTER_GATHER_ELEMENT, 24);
    VALUE(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Start), 4);
    VALUE(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length), 12);
    VALUE(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity), 12);
    VALUE(offsetof(SCATTER_GATHER_LIST, Elements), 16);
    VALUE(CmResourceTypeMemory, 3);
    VALUE(PowerDeviceD3, 4);
    VALUE(WdfPowerDeviceD3Final, 5);
    VALUE(WdfRequestTypeWrite, 4);
    VALUE(WdfRequestTypeDeviceControl, 0xe);
    VALUE(WdfDmaDirectionWriteToDevice, 1);
    VALUE(WdfDmaProfileScatterGather64Duplex, 6);
    VALUE(WdfDeviceIoDirect, 3);
    VALUE(WDF_REL_TIMEOUT_IN_MS(100), -1000000);
    VALUE(BYTES_TO_PAGES(4097), 2);
    VALUE(ROUND_TO_PAGES(1), 4096);
    VALUE(TRACE_LEVEL_INFORMATION, 4);
    VALUE(sizeof(IN_ADDR), 4);
    VALUE(sizeof(IN6_ADDR), 16);
    VALUE(sizeof(SOCKADDR_IN), 16);
    VALUE(sizeof(SOCKADDR_IN6), 28);
    VALUE(sizeof(SOCKADDR_STORAGE), 128);
    VALUE(sizeof(SCOPE_ID), 4);
    VALUE(sizeof(MDL), 48);
    VALUE(offsetof(NET_BUFFER, DataOffset), 40);
    VALUE(offsetof(NET_BUFFER_LIST, FirstNetBuffer), 8);
    VALUE(sizeof(FWP_VALUE0), 16);
    VALUE(sizeof(FWPS_CLASSIFY_OUT0), 40);
    VALUE(AF_INET6, 23);
    VALUE(IPPROTO_UDP, 17);
    VALUE(FWP_ACTION_BLOCK, 0x1001);
    VALUE(FWP_ACTION_CALLOUT_TERMINATING, 0x5003);
    VALUE(FWPS_LAYER_INBOUND_TRANSPORT_V4, 12);
    VALUE(FWPS_LAYER_ALE_AUTH_CONNECT_V4, 48);
    VALUE(FWPS_LAYER_ALE_FLOW_ESTABLISHED_V6, 54);
    VALUE(FWPS_FIELD_ALE_AUTH_CONNECT_V4_FLAGS, 12);
    VALUE(FWPS_FIELD_ALE_AUTH_CONNECT_V6_SUB_INTERFACE_INDEX, 16);
    VALUE(FWPS_FIELD_INBOUND_TRANSPORT_V4_FLAGS, 9);
    VALUE(FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_REMOTE_PORT, 5);
    VALUE(FWPS_METADATA_FIELD_COMPLETION_HANDLE, 0x4000);
    VALUE(NTDDI_VERSION >= NTDDI_WIN7, 1);
    return failures != 0;
}
EOF
if "$cc" -std=c11 "${strict[@]}" "${includes[@]}" "$work/types.c" -o "$work/types" 2>"$work/err"; then
    "$work/types"
else
    echo "FAIL WDK types: the type checks do not compile: $(grep -m1 'error' "$work/err")"
fi

# ---- a routine the headers lack, added the documented way -------------------------

cat >"$work/extra.h" <<'EOF'
NTSTATUS harness_IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action, const sim_site *site);
#define IoWMIRegistrationControl(Device, Action) harness_IoWMIRegistrationControl((Device), (Action), SPINSIM_SITE)
EOF
cat >"$work/driver.c" <<'EOF'
#include <ntddk.h>
NTSTATUS DriverRegisterWmi(PDEVICE_OBJECT Device);
NTSTATUS DriverRegisterWmi(PDEVICE_OBJECT Device) { return IoWMIRegistrationControl(Device, 1); }
EOF
cat >"$work/harness.c" <<'EOF'
#include <ntddk.h>
NTSTATUS harness_IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action, const sim_site *site) {
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Action);
    spinsim_routine_enter("IoWMIRegistrationControl", PASSIVE_LEVEL, site);
    return STATUS_SUCCESS;
}
EOF
if "$cc" -std=c11 "${strict[@]}" -Wmissing-prototypes "${includes[@]}" -I "$work" -DSPINSIM_EXTRA_INCLUDE='"extra.h"' \
    -c "$work/driver.c" -o "$work/driver.o" 2>"$work/err" &&
    "$cc" -std=c11 "${strict[@]}" -Wmissing-prototypes "${includes[@]}" -I "$work" \
        -DSPINSIM_EXTRA_INCLUDE='"extra.h"' -c "$work/harness.c" -o "$work/harness.o" 2>>"$work/err"; then
    echo "PASS a routine the headers lack is added through SPINSIM_EXTRA_INCLUDE and spinsim_routine_enter"
else
    echo "FAIL adding a routine through SPINSIM_EXTRA_INCLUDE: $(grep -m1 'error' "$work/err")"
fi

# ---- a KMDF driver source over the PnP, queue, request and DMA surface ------------

# As a WDK project builds it: PnP GUIDs through initguid.h, WPP tracing
# through a generated .tmh (here spinsim's stand-in, as `spinsim build`
# writes it), and the KMDF *_INIT functions, callbacks and routines.
mkdir -p "$work/tmh"
echo '#include <spinsim_wpp.h>' >"$work/tmh/kmdf.tmh"
cat >"$work/kmdf.c" <<'EOF'
#include <ntddk.h>
#include <wdf.h>
#include <initguid.h>
#include <wdmguid.h>
#include <evntrace.h>
#include "kmdf.tmh"

typedef struct {
    WDFDMATRANSACTION Transaction;
    WDFCOMMONBUFFER Buffer;
    PUCHAR Registers;
} CONTEXT_AREA;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(CONTEXT_AREA, GetContext)

EVT_WDF_DEVICE_PREPARE_HARDWARE EvtPrepareHardware;
EVT_WDF_DEVICE_D0_ENTRY EvtD0Entry;
EVT_WDF_IO_QUEUE_IO_READ EvtIoRead;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL EvtIoDeviceControl;
EVT_WDF_PROGRAM_DMA EvtProgramDma;
NTSTATUS AddDevice(PWDFDEVICE_INIT DeviceInit);

NTSTATUS EvtPrepareHardware(WDFDEVICE Device, WDFCMRESLIST Raw, WDFCMRESLIST Translated) {
    UNREFERENCED_PARAMETER(Raw);
    for (ULONG i = 0; i < WdfCmResourceListGetCount(Translated); i++) {
        PCM_PARTIAL_RESOURCE_DESCRIPTOR d = WdfCmResourceListGetDescriptor(Translated, i);
        if (d->Type == CmResourceTypeMemory)
            GetContext(Device)->Registers = MmMapIoSpaceEx(d->u.Memory.Start, d->u.Memory.Length, PAGE_READWRITE);
    }
    TraceEvents(TRACE_LEVEL_INFORMATION, DBG_PNP, "prepared %!STATUS!", STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

NTSTATUS EvtD0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState) {
    LARGE_INTEGER delay;
    UNREFERENCED_PARAMETER(Device);
    delay.QuadPart = WDF_REL_TIMEOUT_IN_MS(PreviousState == WdfPowerDeviceD3Final ? 10 : 1);
    return KeDelayExecutionThread(KernelMode, FALSE, &delay);
}

BOOLEAN EvtProgramDma(WDFDMATRANSACTION Transaction, WDFDEVICE Device, WDFCONTEXT Context, WDF_DMA_DIRECTION Direction,
                      PSCATTER_GATHER_LIST SgList) {
    UNREFERENCED_PARAMETER(Transaction);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Direction);
    WRITE_REGISTER_ULONG((PULONG)GetContext(Device)->Registers, SgList->Elements[0].Length);
    return TRUE;
}

VOID EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    CONTEXT_AREA *ctx = GetContext(WdfIoQueueGetDevice(Queue));
    UNREFERENCED_PARAMETER(Length);
    NTSTATUS status = WdfDmaTransactionInitializeUsingRequest(ctx->Transaction, Request, EvtProgramDma,
                                                              WdfDmaDirectionReadFromDevice);
    if (NT_SUCCESS(status))
        status = WdfDmaTransactionExecute(ctx->Transaction, WDF_NO_CONTEXT);
    if (!NT_SUCCESS(status))
        WdfRequestComplete(Request, status);
}

VOID EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength,
                        ULONG IoControlCode) {
    PVOID buffer;
    PMDL mdl;
    size_t length = 0;
    UNREFERENCED_PARAMETER(Queue);
    UNREFERENCED_PARAMETER(InputBufferLength);
    NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, OutputBufferLength, &buffer, &length);
    if (NT_SUCCESS(status))
        status = WdfRequestRetrieveOutputWdmMdl(Request, &mdl);
    if (NT_SUCCESS(status) && MmGetMdlByteCount(mdl) != length)
        status = STATUS_INVALID_DEVICE_REQUEST;
    WdfRequestCompleteWithInformation(Request, status, IoControlCode == 0 ? 0 : length);
}

NTSTATUS AddDevice(PWDFDEVICE_INIT DeviceInit) {
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queue;
    WDF_DMA_ENABLER_CONFIG dma;
    WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS idle;
    WDF_DEVICE_POWER_POLICY_WAKE_SETTINGS wake;
    WDFDEVICE device;
    WDFDMAENABLER enabler;
    WDFQUEUE q;
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDevicePrepareHardware = EvtPrepareHardware;
    pnp.EvtDeviceD0Entry = EvtD0Entry;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, CONTEXT_AREA);
    attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
    NTSTATUS status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queue, WdfIoQueueDispatchParallel);
    queue.EvtIoRead = EvtIoRead;
    queue.EvtIoDeviceControl = EvtIoDeviceControl;
    status = WdfIoQueueCreate(device, &queue, WDF_NO_OBJECT_ATTRIBUTES, &q);
    if (NT_SUCCESS(status))
        status = WdfDeviceConfigureRequestDispatching(device, q, WdfRequestTypeRead);
    WDF_DMA_ENABLER_CONFIG_INIT(&dma, WdfDmaProfileScatterGather64Duplex, PAGE_SIZE);
    if (NT_SUCCESS(status))
        status = WdfDmaEnablerCreate(device, &dma, WDF_NO_OBJECT_ATTRIBUTES, &enabler);
    if (NT_SUCCESS(status))
        status = WdfCommonBufferCreate(enabler, ROUND_TO_PAGES(100), WDF_NO_OBJECT_ATTRIBUTES,
                                       &GetContext(device)->Buffer);
    if (NT_SUCCESS(status))
        status = WdfDmaTransactionCreate(enabler, WDF_NO_OBJECT_ATTRIBUTES, &GetContext(device)->Transaction);
    WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS_INIT(&idle, IdleCanWakeFromS0);
    WDF_DEVICE_POWER_POLICY_WAKE_SETTINGS_INIT(&wake);
    if (NT_SUCCESS(status))
        status = WdfDeviceAssignS0IdleSettings(device, &idle);
    if (NT_SUCCESS(status))
        status = WdfDeviceAssignSxWakeSettings(device, &wake);
    if (NT_SUCCESS(status))
        status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVICE_INTERFACE_ARRIVAL, NULL);
    WdfObjectAcquireLock(device);
    WdfObjectReleaseLock(device);
    return status;
}
EOF
if "$cc" -std=c11 "${strict[@]}" -Wmissing-prototypes "${includes[@]}" -I "$work/tmh" -c "$work/kmdf.c" \
    -o "$work/kmdf.o" 2>"$work/err"; then
    echo "PASS a KMDF driver source over PnP callbacks, power policy, queues, requests, DMA and WPP compiles cleanly"
else
    echo "FAIL a KMDF driver source over the new surface: $(grep -m1 'error' "$work/err")"
fi

# ---- a WFP callout driver, as the WDK's samples write one --------------------------

cat >"$work/callout.c" <<'EOF'
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>
#include <ws2ipdef.h>
#include <in6addr.h>
#include <ip2string.h>
#include <ntstrsafe.h>
#define INITGUID
#include <guiddef.h>

DEFINE_GUID(CALLOUT_KEY, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb);

typedef struct PENDED_PACKET {
    LIST_ENTRY entry;
    NET_BUFFER_LIST *nbl;
    ADDRESS_FAMILY family;
    COMPARTMENT_ID compartment;
    IF_INDEX interfaceIndex;
} PENDED_PACKET;

static LIST_ENTRY queue;
static KSPIN_LOCK queueLock;
static HANDLE injection, engine;
static UINT32 calloutId;

static void NTAPI InjectComplete(void *context, NET_BUFFER_LIST *nbl, BOOLEAN dispatchLevel) {
    UNREFERENCED_PARAMETER(context);
    UNREFERENCED_PARAMETER(dispatchLevel);
    FwpsFreeCloneNetBufferList(nbl, 0);
}

static void NTAPI Classify(const FWPS_INCOMING_VALUES *inFixedValues,
                           const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
                           const void *classifyContext, const FWPS_FILTER *filter, UINT64 flowContext,
                           FWPS_CLASSIFY_OUT *classifyOut) {
    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);
    KLOCK_QUEUE_HANDLE handle;
    NET_BUFFER_LIST *clone = NULL;
    if (!(classifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
        return;
    if (FwpsQueryPacketInjectionState(injection, layerData, NULL) == FWPS_PACKET_INJECTED_BY_SELF) {
        classifyOut->actionType = FWP_ACTION_PERMIT;
        return;
    }
    UINT32 remote = inFixedValues->incomingValue[FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_ADDRESS].value.uint32;
    NET_BUFFER *nb = NET_BUFFER_LIST_FIRST_NB((NET_BUFFER_LIST *)layerData);
    if (NdisRetreatNetBufferDataStart(nb, inMetaValues->transportHeaderSize, 0, NULL) != NDIS_STATUS_SUCCESS)
        return;
    UCHAR header[8];
    (void)NdisGetDataBuffer(nb, sizeof header, header, 1, 0);
    NTSTATUS status = FwpsAllocateCloneNetBufferList(layerData, NULL, NULL, 0, &clone);
    NdisAdvanceNetBufferDataStart(nb, inMetaValues->transportHeaderSize, FALSE, NULL);
    if (!NT_SUCCESS(status) || remote == 0)
        return;
    PENDED_PACKET *packet = ExAllocatePoolZero(NonPagedPoolNx, sizeof *packet, 'kppW');
    if (packet == NULL) {
        FwpsFreeCloneNetBufferList(clone, 0);
        return;
    }
    packet->nbl = clone;
    packet->family = AF_INET;
    KeAcquireInStackQueuedSpinLock(&queueLock, &handle);
    InsertTailList(&queue, &packet->entry);
    KeReleaseInStackQueuedSpinLock(&handle);
    classifyOut->actionType = FWP_ACTION_BLOCK;
    classifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
    classifyOut->flags |= FWPS_CLASSIFY_OUT_FLAG_ABSORB;
    if (filter->flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT)
        classifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

static NTSTATUS NTAPI Notify(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *filterKey, const FWPS_FILTER *filter) {
    UNREFERENCED_PARAMETER(type);
    UNREFERENCED_PARAMETER(filterKey);
    UNREFERENCED_PARAMETER(filter);
    return STATUS_SUCCESS;
}

NTSTATUS InjectOne(void);
NTSTATUS InjectOne(void) {
    KLOCK_QUEUE_HANDLE handle;
    PENDED_PACKET *packet = NULL;
    KeAcquireInStackQueuedSpinLock(&queueLock, &handle);
    if (!IsListEmpty(&queue))
        packet = CONTAINING_RECORD(RemoveHeadList(&queue), PENDED_PACKET, entry);
    KeReleaseInStackQueuedSpinLock(&handle);
    if (packet == NULL)
        return STATUS_SUCCESS;
    NTSTATUS status = FwpsInjectTransportReceiveAsync(injection, NULL, NULL, 0, packet->family, packet->compartment,
                                                      packet->interfaceIndex, 0, packet->nbl, InjectComplete, NULL);
    ExFreePoolWithTag(packet, 'kppW');
    return status;
}

NTSTATUS Register(PDEVICE_OBJECT device);
NTSTATUS Register(PDEVICE_OBJECT device) {
    FWPS_CALLOUT sCallout = {.calloutKey = CALLOUT_KEY, .classifyFn = Classify, .notifyFn = Notify};
    FWPM_CALLOUT mCallout = {.calloutKey = CALLOUT_KEY, .applicableLayer = FWPM_LAYER_INBOUND_TRANSPORT_V4};
    FWPM_FILTER filter = {.layerKey = FWPM_LAYER_INBOUND_TRANSPORT_V4, .action.type = FWP_ACTION_CALLOUT_TERMINATING};
    FWPM_SESSION session = {.flags = FWPM_SESSION_FLAG_DYNAMIC};
    CHAR name[16];
    size_t length;
    InitializeListHead(&queue);
    KeInitializeSpinLock(&queueLock);
    RtlStringCchCopyA(name, ARRAYSIZE(name), "inspect");
    RtlStringCchLengthA(name, ARRAYSIZE(name), &length);
    NTSTATUS status = FwpsInjectionHandleCreate(AF_UNSPEC, FWPS_INJECTION_TYPE_TRANSPORT, &injection);
    if (NT_SUCCESS(status))
        status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &engine);
    if (NT_SUCCESS(status))
        status = FwpsCalloutRegister(device, &sCallout, &calloutId);
    if (NT_SUCCESS(status))
        status = FwpmCalloutAdd(engine, &mCallout, NULL, NULL);
    if (NT_SUCCESS(status))
        status = FwpmFilterAdd(engine, &filter, NULL, NULL);
    return status;
}
EOF
if "$cc" -std=c11 "${strict[@]}" -Wmissing-prototypes "${includes[@]}" -c "$work/callout.c" -o "$work/callout.o" \
    2>"$work/err"; then
    echo "PASS a WFP callout (classify, pend under an in-stack queued lock, clone, inject, register) compiles with -Werror"
else
    echo "FAIL a WFP callout: $(grep -m1 'error' "$work/err")"
fi

# ---- the README lists every routine macro ----------------------------------------

readme="$root/locks/include/README.md"
defined=$(cat "$root"/locks/include/{wdm,wdmsec,wdf,wdfdevice,wdfio,wdfdma,ndis,spinsim_wpp,fwpmk,fwpsk}.h | grep -oE '^#define [A-Z][A-Za-z0-9_]*\(' |
    sed 's/#define //; s/($//' | grep -v '^SPINSIM_' | sort -u)
missing=$(comm -23 <(echo "$defined") <(grep -oE '`[A-Za-z0-9_]+`' "$readme" | tr -d '`' | sort -u) | tr '\n' ' ')
if [[ -z "$missing" ]]; then
    echo "PASS locks/include/README.md lists every routine name the headers define as a macro"
else
    echo "FAIL locks/include/README.md does not list: $missing"
fi
