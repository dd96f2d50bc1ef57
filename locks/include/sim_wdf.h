/* sim_wdf.h: what a harness needs to drive a KMDF driver, beyond the KMDF
 * names: the framework's call of EvtDriverDeviceAdd.
 *
 *     DriverEntry(sim_driver_object(), NULL);        // WdfDriverCreate
 *     WDFDEVICE device = sim_wdf_device_add(WdfGetDriver());
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

#endif
