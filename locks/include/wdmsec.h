/* wdmsec.h: IoCreateDeviceSecure, for drivers that give their device a
 * default security descriptor. spinsim has no security model: the device
 * is created as IoCreateDevice creates it, and the SDDL string and class
 * GUID are accepted and ignored (locks/irp.c). */
#ifndef SPINSIM_WDMSEC_H
#define SPINSIM_WDMSEC_H

#include "wdm.h"

/* The SDDL strings drivers pass; spinsim ignores them. */
extern const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL;

NTSTATUS spinsim_IoCreateDeviceSecure(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                                      PUNICODE_STRING DeviceName, ULONG DeviceType, ULONG DeviceCharacteristics,
                                      BOOLEAN Exclusive, PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid,
                                      PDEVICE_OBJECT *DeviceObject, const sim_site *site);

#define IoCreateDeviceSecure(Driver, ExtensionSize, Name, Type, Characteristics, Exclusive, Sddl, ClassGuid, Device)   \
    spinsim_IoCreateDeviceSecure((Driver), (ExtensionSize), (Name), (Type), (Characteristics), (Exclusive), (Sddl),    \
                                 (ClassGuid), (Device), SPINSIM_SITE)

#endif
