/* sim_wdf.h: what a harness needs to drive a KMDF driver, beyond the KMDF
 * names: the framework's call of EvtDriverDeviceAdd, and requests that
 * arrive at the device's queues.
 *
 *     DriverEntry(sim_driver_object(), NULL);        // WdfDriverCreate
 *     WDFDEVICE device = sim_wdf_device_add(WdfGetDriver());
 *     WDFREQUEST read = sim_wdf_request_later(device, WdfRequestTypeRead, 64, 0);
 *
 * Call it during setup: EvtDriverDeviceAdd typically creates the device's
 * WDFINTERRUPT, and the machine takes interrupt sources only then. */
#ifndef SIM_WDF_H
#define SIM_WDF_H

#include "sim_io.h"
#include "wdf.h"

/* Calls the driver's EvtDriverDeviceAdd as the framework does when a device
 * appears; returns the device it created with WdfDeviceCreate, or NULL
 * when the callback failed. */
WDFDEVICE sim_wdf_device_add(WDFDRIVER Driver);

/* A request of RequestType the framework presents at a step the scheduler
 * chooses (a role of sim_thread_later, named "KMDF request delivery"): a
 * thread at PASSIVE_LEVEL hands it to the queue Device dispatches the type
 * to (WdfDeviceConfigureRequestDispatching), else to its default queue,
 * and that queue presents it to the driver's EvtIo callback as
 * locks/wdf_io.c describes. It carries one zeroed buffer of Length bytes:
 * a write's input, a read's output, both for device controls, which also
 * get IoControlCode. Memory of the run. */
WDFREQUEST sim_wdf_request_later(WDFDEVICE Device, WDF_REQUEST_TYPE RequestType, size_t Length, ULONG IoControlCode);

/* STATUS_PENDING until the request is completed; then the status it was
 * completed with (STATUS_INVALID_DEVICE_REQUEST when no queue or callback
 * took it). */
NTSTATUS sim_wdf_request_status(WDFREQUEST Request);

#endif
