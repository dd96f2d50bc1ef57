/* register.c owns device-register access: READ_REGISTER_* and
 * WRITE_REGISTER_* (docs/design.md, "The wdm.h surface beyond locks").
 * Registers are memory the harness provides for its device model; each
 * access is one step of the atomic layer, so the device (a harness
 * context) and the driver see each other's accesses in order, as the bus
 * orders them. */
#include "lock_internal.h"

ULONG64 spinsim_ReadRegister(const volatile VOID *Register, int Size, const sim_site *site) {
    sim_site_set(site);
    return sim_atomic_load(Register, Size);
}

VOID spinsim_WriteRegister(volatile VOID *Register, ULONG64 Value, int Size, const sim_site *site) {
    sim_site_set(site);
    sim_atomic_store(Register, Value, Size);
}
