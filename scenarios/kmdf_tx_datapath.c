/* kmdf_tx_datapath (correct; KMDF's locks over docs/windows-contract.md
 * sect. 2.1 and 2.3): a KMDF NIC driver's transmit path. The write path,
 * as EvtIoWrite runs it at PASSIVE_LEVEL, posts a descriptor to the
 * transmit ring under TxLock, a WDFSPINLOCK, and rings the doorbell inside
 * WdfInterruptSynchronize, since the ISR reads the doorbell. The ISR, at
 * DIRQL holding the interrupt lock, moves the doorbell's count to
 * HwCompleted and queues its DpcForIsr, which takes the completions under
 * the interrupt lock (WdfInterruptAcquireLock) and retires that many
 * descriptors under TxLock. Lock order: TxLock, then the interrupt lock;
 * nothing at DIRQL takes TxLock. Every descriptor posted is retired or
 * still in the ring. */
#include <ntddk.h>
#include <wdf.h>

#define KTX_RING_SIZE 4

typedef struct _KTX_CONTEXT {
    WDFINTERRUPT Interrupt;
    ULONG Doorbell;    /* interrupt lock */
    ULONG HwCompleted; /* interrupt lock */
    WDFSPINLOCK TxLock;
    ULONG Posted;   /* TxLock */
    ULONG Retired;  /* TxLock */
    ULONG Rejected; /* TxLock: ring full */
} KTX_CONTEXT, *PKTX_CONTEXT;

WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(KTX_CONTEXT, KtxGetContext)

EVT_WDF_DRIVER_DEVICE_ADD KtxEvtDeviceAdd;
EVT_WDF_INTERRUPT_ISR KtxEvtInterruptIsr;
EVT_WDF_INTERRUPT_DPC KtxEvtInterruptDpc;
EVT_WDF_INTERRUPT_SYNCHRONIZE KtxRingDoorbell;
NTSTATUS KtxDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
VOID KtxWrite(WDFDEVICE Device);

BOOLEAN KtxEvtInterruptIsr(WDFINTERRUPT Interrupt, ULONG MessageID) {
    PKTX_CONTEXT Ctx = KtxGetContext(WdfInterruptGetDevice(Interrupt));
    UNREFERENCED_PARAMETER(MessageID);
    if (Ctx->Doorbell == 0)
        return FALSE; /* not ours */
    Ctx->HwCompleted += Ctx->Doorbell;
    Ctx->Doorbell = 0;
    WdfInterruptQueueDpcForIsr(Interrupt);
    return TRUE;
}

VOID KtxEvtInterruptDpc(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject) {
    PKTX_CONTEXT Ctx = KtxGetContext(AssociatedObject);
    ULONG Completed;
    WdfSpinLockAcquire(Ctx->TxLock);
    WdfInterruptAcquireLock(Interrupt);
    Completed = Ctx->HwCompleted;
    Ctx->HwCompleted = 0;
    WdfInterruptReleaseLock(Interrupt);
    Ctx->Retired += Completed;
    WdfSpinLockRelease(Ctx->TxLock);
}

BOOLEAN KtxRingDoorbell(WDFINTERRUPT Interrupt, WDFCONTEXT Context) {
    UNREFERENCED_PARAMETER(Context);
    KtxGetContext(WdfInterruptGetDevice(Interrupt))->Doorbell++;
    return TRUE;
}

/* The write path, as EvtIoWrite runs it: post one descriptor. */
VOID KtxWrite(WDFDEVICE Device) {
    PKTX_CONTEXT Ctx = KtxGetContext(Device);
    BOOLEAN Posted = FALSE;
    WdfSpinLockAcquire(Ctx->TxLock);
    if (Ctx->Posted - Ctx->Retired < KTX_RING_SIZE) {
        Ctx->Posted++;
        Posted = TRUE;
    } else {
        Ctx->Rejected++;
    }
    WdfSpinLockRelease(Ctx->TxLock);
    if (Posted)
        WdfInterruptSynchronize(Ctx->Interrupt, KtxRingDoorbell, NULL);
}

NTSTATUS KtxEvtDeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit) {
    WDF_OBJECT_ATTRIBUTES Attributes;
    WDF_INTERRUPT_CONFIG InterruptConfig;
    PKTX_CONTEXT Ctx;
    WDFDEVICE Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(Driver);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&Attributes, KTX_CONTEXT);
    Status = WdfDeviceCreate(&DeviceInit, &Attributes, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Ctx = KtxGetContext(Device);
    WDF_OBJECT_ATTRIBUTES_INIT(&Attributes);
    Attributes.ParentObject = Device;
    Status = WdfSpinLockCreate(&Attributes, &Ctx->TxLock);
    if (!NT_SUCCESS(Status))
        return Status;
    WDF_INTERRUPT_CONFIG_INIT(&InterruptConfig, KtxEvtInterruptIsr, KtxEvtInterruptDpc);
    return WdfInterruptCreate(Device, &InterruptConfig, WDF_NO_OBJECT_ATTRIBUTES, &Ctx->Interrupt);
}

NTSTATUS KtxDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    WDF_DRIVER_CONFIG Config;
    WDF_DRIVER_CONFIG_INIT(&Config, KtxEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &Config, WDF_NO_HANDLE);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim_wdf.h"

static VOID KtxWriter(PVOID Context) {
    KtxWrite(Context);
    KtxWrite(Context);
}

static void kmdf_tx_datapath_check(PVOID context) {
    PKTX_CONTEXT ctx = context;
    SIM_CHECK(ctx->Posted + ctx->Rejected == 4);
    SIM_CHECK(ctx->Retired + ctx->HwCompleted + ctx->Doorbell == ctx->Posted);
}

SIM_SCENARIO(kmdf_tx_datapath,
             "KMDF transmit path: WDFSPINLOCK ring, doorbell through WdfInterruptSynchronize; correct") {
    WDFDEVICE device;
    sim_cpus(2);
    SIM_CHECK(NT_SUCCESS(KtxDriverEntry(sim_driver_object(), NULL)));
    device = sim_wdf_device_add(WdfGetDriver());
    SIM_CHECK(device != NULL);
    if (device == NULL)
        return;
    sim_thread(0, KtxWriter, device);
    sim_thread(1, KtxWriter, device);
    sim_at_end(kmdf_tx_datapath_check, KtxGetContext(device));
    sim_expect(SIM_FINDING_NONE);
}
