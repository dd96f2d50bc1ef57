/* sim_io.c owns the harness side of the I/O model (sim_io.h): the driver
 * object the I/O manager hands to DriverEntry, the IRPs a requester
 * builds, and the I/O manager's cancel of an IRP at a step the scheduler
 * chooses. */
#include "sim_io.h"
#include "lock_internal.h"

enum { IO_TYPE_DRIVER = 4 };

/* The I/O manager's dispatch routine for a function the driver does not
 * handle. */
static NTSTATUS invalid_device_request(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

PDRIVER_OBJECT sim_driver_object(void) {
    PDRIVER_OBJECT driver = sim_alloc(sizeof *driver + sizeof(DRIVER_EXTENSION));
    driver->Type = IO_TYPE_DRIVER;
    driver->Size = (CSHORT)sizeof *driver;
    driver->DriverExtension = (PDRIVER_EXTENSION)(driver + 1);
    driver->DriverExtension->DriverObject = driver;
    for (int major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++)
        driver->MajorFunction[major] = invalid_device_request;
    return driver;
}

PIRP sim_irp(PDEVICE_OBJECT DeviceObject, UCHAR MajorFunction) {
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    IoGetNextIrpStackLocation(irp)->MajorFunction = MajorFunction;
    return irp;
}

static VOID cancel_irp(PVOID Irp) { IoCancelIrp(Irp); }

void sim_cancel_irp_later(PIRP Irp) { sim_thread_later_named(SIM_ANY_CPU, cancel_irp, Irp, "IoCancelIrp"); }
