/* harness.c: the transfer engine (device.h) as the PnP manager, an
 * application and the hardware drive it. Setup runs DriverEntry, the
 * framework's device-add call and EvtDevicePrepareHardware with one memory
 * BAR, whose registers are memory of the run. A write of WRITE_LENGTH
 * bytes (two transfers of at most XFER_MAXIMUM_TRANSFER) arrives at a step
 * the scheduler chooses; the engine thread runs each started transfer at
 * once and sets Done; the interrupt fires up to irq_fires times (default
 * 2), on either CPU, at any step, so in some runs the write is still
 * pending at the end; at the end it has succeeded or is pending, and the
 * engine ran at most two transfers. spinsim checks that it was completed
 * at most once, and the IRQL and locking of every callback.
 *
 * The driver calls routines spinsim declares but does not model (device
 * init settings, the resource list, MmMapIoSpaceEx): they are defined
 * here, as locks/include/README.md says.
 *
 * Built with -DEXAMPLE_BUG, EvtIoWrite completes the write the DMA
 * transaction still owns (io.c), and the scenario expects the DPC's second
 * completion to be an `irp-misuse`. */
#include "device.h"
#include "sim_wdf.h"

enum { WRITE_LENGTH = 100, ENGINE_POLLS = 30 };

/* Set up afresh by every run's setup. */
static struct {
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    CM_PARTIAL_RESOURCE_DESCRIPTOR bar;
    PXFER_REGISTERS registers; /* memory of the run */
    WDFDEVICE device;
    WDFREQUEST write;
} hw;

/* ---- the routines the driver calls that spinsim does not model ---------- */

VOID WdfDeviceInitSetIoType(PWDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType) {
    UNREFERENCED_PARAMETER(DeviceInit);
    UNREFERENCED_PARAMETER(IoType);
}

VOID WdfDeviceInitSetPnpPowerEventCallbacks(PWDFDEVICE_INIT DeviceInit, PWDF_PNPPOWER_EVENT_CALLBACKS Callbacks) {
    UNREFERENCED_PARAMETER(DeviceInit);
    hw.pnp = *Callbacks;
}

VOID WdfDeviceSetAlignmentRequirement(WDFDEVICE Device, ULONG AlignmentRequirement) {
    UNREFERENCED_PARAMETER(Device);
    UNREFERENCED_PARAMETER(AlignmentRequirement);
}

ULONG WdfCmResourceListGetCount(WDFCMRESLIST List) {
    UNREFERENCED_PARAMETER(List);
    return 1;
}

PCM_PARTIAL_RESOURCE_DESCRIPTOR WdfCmResourceListGetDescriptor(WDFCMRESLIST List, ULONG Index) {
    UNREFERENCED_PARAMETER(List);
    return Index == 0 ? &hw.bar : NULL;
}

PVOID MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, ULONG Protect) {
    UNREFERENCED_PARAMETER(PhysicalAddress);
    UNREFERENCED_PARAMETER(Protect);
    return NumberOfBytes >= sizeof *hw.registers ? hw.registers : NULL;
}

/* ---- the engine ------------------------------------------------------------- */

/* Runs a started transfer at once: reads its descriptor, clears Start,
 * sets Done. Polls ENGINE_POLLS times. */
static VOID Engine(PVOID Context) {
    PXFER_DEVICE_CONTEXT ctx = Context;
    for (int i = 0; i < ENGINE_POLLS; i++) {
        if (READ_REGISTER_ULONG(&hw.registers->Control) & XFER_CONTROL_START) {
            SIM_CHECK(ctx->Descriptor->Length > 0 && ctx->Descriptor->Length <= XFER_MAXIMUM_TRANSFER);
            WRITE_REGISTER_ULONG(&hw.registers->Control, 0);
            WRITE_REGISTER_ULONG(&hw.registers->Status, XFER_STATUS_DONE);
        }
        YieldProcessor();
    }
}

static VOID WriteSucceedsInAtMostTwoTransfers(PVOID Context) {
    const XFER_DEVICE_CONTEXT *ctx = Context;
    const NTSTATUS status = sim_wdf_request_status(hw.write);
    SIM_CHECK(status == STATUS_PENDING || status == STATUS_SUCCESS);
    SIM_CHECK(ctx->Transfers <= 2);
}

SIM_SCENARIO(kmdf_dma_write, "example kmdf_dma: a write as a DMA transaction of two transfers") {
    hw.registers = sim_alloc(sizeof *hw.registers);
    SIM_CHECK(NT_SUCCESS(DriverEntry(sim_driver_object(), NULL)));
    hw.device = sim_wdf_device_add(WdfGetDriver());
    SIM_CHECK(hw.device != NULL);
    if (hw.device == NULL)
        return;
    hw.bar.Type = CmResourceTypeMemory;
    hw.bar.u.Memory.Start.QuadPart = 0xfe000000;
    hw.bar.u.Memory.Length = XFER_REGISTERS_LENGTH;
    WDFCMRESLIST resources = (WDFCMRESLIST)&hw.bar;
    SIM_CHECK(NT_SUCCESS(hw.pnp.EvtDevicePrepareHardware(hw.device, resources, resources)));
    PXFER_DEVICE_CONTEXT ctx = XferGetContext(hw.device);
    hw.write = sim_wdf_request_later(hw.device, WdfRequestTypeWrite, WRITE_LENGTH, 0);
    sim_thread(1, Engine, ctx);
    sim_at_end(WriteSucceedsInAtMostTwoTransfers, ctx);
#ifdef EXAMPLE_BUG
    sim_expect(SIM_FINDING_IRP_MISUSE);
#else
    sim_expect(SIM_FINDING_NONE);
#endif
}
