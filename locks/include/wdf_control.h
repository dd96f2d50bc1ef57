/* wdf_control.h: the KMDF surface of a non-PnP driver (a WFP callout, a
 * filter with a control device): the control device it creates instead of
 * a PnP device and its Parameters registry key (its WDM device object is
 * wdfdevice.h's WdfDeviceWdmGetDeviceObject).
 * wdf.h includes it. spinsim has no registry and no control devices: these
 * routines hold no lock and change no IRQL, and are declared, not
 * modelled; a call stops the run naming the routine unless the harness
 * defines it (locks/include/README.md, "Routines spinsim does not model"). */
#ifndef SPINSIM_WDF_CONTROL_H
#define SPINSIM_WDF_CONTROL_H

#include "wdf.h"
#include "wdmsec.h"

typedef struct WDFKEY__ *WDFKEY;
typedef ULONG DEVICE_TYPE;

#define WDF_NO_EVENT_CALLBACK NULL
#define WDF_NO_HANDLE NULL

typedef enum _WDF_DRIVER_INIT_FLAGS {
    WdfDriverInitNonPnpDriver = 0x00000001,
    WdfDriverInitNoDispatchOverride = 0x00000002,
    WdfVerifyOn = 0x00000004,
    WdfVerifierOn = 0x00000008,
} WDF_DRIVER_INIT_FLAGS;

/* ---- routines spinsim declares but does not model ------------------------- */

PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER Driver, CONST UNICODE_STRING *SDDLString);
VOID WdfDeviceInitSetDeviceType(PWDFDEVICE_INIT DeviceInit, DEVICE_TYPE DeviceType);
VOID WdfDeviceInitSetCharacteristics(PWDFDEVICE_INIT DeviceInit, ULONG DeviceCharacteristics, BOOLEAN OrInValues);
VOID WdfDeviceInitSetDeviceClass(PWDFDEVICE_INIT DeviceInit, CONST GUID *DeviceClassGuid);
VOID WdfDeviceInitFree(PWDFDEVICE_INIT DeviceInit);
VOID WdfControlFinishInitializing(WDFDEVICE Device);
NTSTATUS WdfDriverOpenParametersRegistryKey(WDFDRIVER Driver, ACCESS_MASK DesiredAccess,
                                            PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
NTSTATUS WdfRegistryQueryUnicodeString(WDFKEY Key, PCUNICODE_STRING ValueName, PUSHORT ValueByteLength,
                                       PUNICODE_STRING Value);
NTSTATUS WdfRegistryQueryULong(WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value);
VOID WdfRegistryClose(WDFKEY Key);

#endif
