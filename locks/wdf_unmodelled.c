/* wdf_unmodelled.c owns the KMDF routines wdf.h declares but spinsim does
 * not model (wdfdevice.h, "routines spinsim declares but does not model"):
 * device init settings, power policy, device interfaces, resource lists
 * and the WDM objects behind framework objects. They take no lock and
 * change no IRQL; each stops the run naming itself unless the harness
 * defines it (unmodelled.c, locks/include/README.md). */
#include "lock_internal.h"
#include "wdf.h"

SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetPnpPowerEventCallbacks,
                   (PWDFDEVICE_INIT DeviceInit, PWDF_PNPPOWER_EVENT_CALLBACKS PnpPowerEventCallbacks))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetIoType, (PWDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType))
SPINSIM_UNMODELLED(VOID, WdfDeviceInitSetExclusive, (PWDFDEVICE_INIT DeviceInit, BOOLEAN IsExclusive))
SPINSIM_UNMODELLED(NTSTATUS, WdfDeviceCreateDeviceInterface,
                   (WDFDEVICE Device, CONST GUID *InterfaceClassGUID, PCUNICODE_STRING ReferenceString))
SPINSIM_UNMODELLED(NTSTATUS, WdfDeviceAssignS0IdleSettings,
                   (WDFDEVICE Device, PWDF_DEVICE_POWER_POLICY_IDLE_SETTINGS Settings))
SPINSIM_UNMODELLED(NTSTATUS, WdfDeviceAssignSxWakeSettings,
                   (WDFDEVICE Device, PWDF_DEVICE_POWER_POLICY_WAKE_SETTINGS Settings))
SPINSIM_UNMODELLED(VOID, WdfDeviceSetAlignmentRequirement, (WDFDEVICE Device, ULONG AlignmentRequirement))
SPINSIM_UNMODELLED(ULONG, WdfDeviceGetAlignmentRequirement, (WDFDEVICE Device))
SPINSIM_UNMODELLED(PDEVICE_OBJECT, WdfDeviceWdmGetDeviceObject, (WDFDEVICE Device))
SPINSIM_UNMODELLED(PDEVICE_OBJECT, WdfDeviceWdmGetPhysicalDevice, (WDFDEVICE Device))
SPINSIM_UNMODELLED(PDEVICE_OBJECT, WdfDeviceWdmGetAttachedDevice, (WDFDEVICE Device))
SPINSIM_UNMODELLED(PDRIVER_OBJECT, WdfDriverWdmGetDriverObject, (WDFDRIVER Driver))
SPINSIM_UNMODELLED(ULONG, WdfCmResourceListGetCount, (WDFCMRESLIST List))
SPINSIM_UNMODELLED(PCM_PARTIAL_RESOURCE_DESCRIPTOR, WdfCmResourceListGetDescriptor, (WDFCMRESLIST List, ULONG Index))
