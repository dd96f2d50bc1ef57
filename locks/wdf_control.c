/* wdf_control.c owns the routines of wdf_control.h, the non-PnP KMDF
 * surface spinsim declares but does not model: each stops the run naming
 * itself unless the harness defines it (unmodelled.c). */
#include "lock_internal.h"
#include "wdf.h"

SPINSIM_UNMODELLED(PWDFDEVICE_INIT, WdfControlDeviceInitAllocate, (WDFDRIVER Driver, CONST UNICODE_STRING *SDDLString))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetDeviceType, (PWDFDEVICE_INIT DeviceInit, DEVICE_TYPE DeviceType))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetCharacteristics,
                   (PWDFDEVICE_INIT DeviceInit, ULONG DeviceCharacteristics, BOOLEAN OrInValues))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetDeviceClass, (PWDFDEVICE_INIT DeviceInit, CONST GUID *DeviceClassGuid))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitFree, (PWDFDEVICE_INIT DeviceInit))
SPINSIM_UNMODELLED(VOID, WdfControlFinishInitializing, (WDFDEVICE Device))
SPINSIM_UNMODELLED(NTSTATUS, WdfDriverOpenParametersRegistryKey,
                   (WDFDRIVER Driver, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key))
SPINSIM_UNMODELLED(NTSTATUS, WdfRegistryQueryUnicodeString,
                   (WDFKEY Key, PCUNICODE_STRING ValueName, PUSHORT ValueByteLength, PUNICODE_STRING Value))
SPINSIM_UNMODELLED(NTSTATUS, WdfRegistryQueryULong, (WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value))
SPINSIM_UNMODELLED(VOID, WdfRegistryClose, (WDFKEY Key))
