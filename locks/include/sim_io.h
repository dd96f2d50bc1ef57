/* sim_io.h: what a harness needs to drive a WDM driver through the I/O
 * model, beyond the WDK names (which a harness may call as well:
 * IoCallDriver, IoCancelIrp, KeWaitForSingleObject on Irp->UserEvent...).
 * The I/O manager's own work is done here: the driver object handed to
 * DriverEntry, and IRPs as a requester builds them.
 *
 *     PDRIVER_OBJECT driver = sim_driver_object();
 *     DriverEntry(driver, NULL);                     // creates its devices
 *     PIRP irp = sim_irp(driver->DeviceObject, IRP_MJ_READ);
 *     IoCallDriver(driver->DeviceObject, irp);       // from a harness thread
 */
#ifndef SIM_IO_H
#define SIM_IO_H

#include "sim.h"

/* A driver object as the I/O manager passes it to DriverEntry: every
 * MajorFunction entry completes the IRP with STATUS_INVALID_DEVICE_REQUEST
 * until the driver sets its own. Memory of the run. */
PDRIVER_OBJECT sim_driver_object(void);

/* An IRP for DeviceObject's stack whose next stack location (the one
 * IoCallDriver hands the driver) has MajorFunction set, ready for
 * IoCallDriver. Memory of the run. */
PIRP sim_irp(PDEVICE_OBJECT DeviceObject, UCHAR MajorFunction);

/* The I/O manager cancels Irp at a step the scheduler chooses (a role of
 * sim_thread_later, named IoCancelIrp): IoCancelIrp from a thread at
 * PASSIVE_LEVEL, which takes the cancel spin lock, sets Irp->Cancel and
 * calls the cancel routine, if one is set, with Irp->CancelIrql. */
void sim_cancel_irp_later(PIRP Irp);

#endif
