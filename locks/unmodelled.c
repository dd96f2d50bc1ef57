/* unmodelled.c owns what a routine the headers declare but spinsim does
 * not model does when a driver calls it: the run stops as a bad scenario
 * that names the routine, so the author knows to define it in the harness
 * (locks/include/README.md). The wdm.h routines of that kind are defined
 * here; wdf.h's and the WFP headers' are next to their families. */
#include <stdio.h>

#include "lock_internal.h"

_Noreturn void spinsim_unmodelled(const char *routine) {
    char why[200];
    snprintf(why, sizeof why,
             "%s is not modelled by spinsim: define it in the harness (\"Routines spinsim does not "
             "model\" in the headers' README)",
             routine);
    sim_scenario_cannot_go_on(why);
}

SPINSIM_UNMODELLED(NTSTATUS, IoRegisterDeviceInterface,
                   (PDEVICE_OBJECT PhysicalDeviceObject, CONST GUID *InterfaceClassGuid,
                    PUNICODE_STRING ReferenceString, PUNICODE_STRING SymbolicLinkName))
SPINSIM_UNMODELLED(NTSTATUS, IoSetDeviceInterfaceState, (PUNICODE_STRING SymbolicLinkName, BOOLEAN Enable))
SPINSIM_UNMODELLED(NTSTATUS, IoWMIRegistrationControl, (PDEVICE_OBJECT DeviceObject, ULONG Action))
