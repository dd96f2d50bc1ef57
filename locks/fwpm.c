/* fwpm.c owns fwpmk.h, the filter engine's management interface, and the
 * built-in layer, sublayer and condition GUIDs a driver links against.
 * spinsim has no filter engine: opening it, transactions, and adding or
 * deleting sublayers, callouts and filters check that the caller is at
 * PASSIVE_LEVEL, as the WDK requires, take one step and succeed; nothing
 * is kept. An engine handle is a fresh object of the run; added callouts
 * and filters get ids 1, 2... in the order of the calls. */
#include "initguid.h"

#include "fwpmk.h"
#include "lock_internal.h"
#include "sim.h"

static UINT64 ids_given;

NTSTATUS spinsim_FwpmEngineOpen(HANDLE *engineHandle, const sim_site *site) {
    spinsim_routine_enter("FwpmEngineOpen0", PASSIVE_LEVEL, site);
    *engineHandle = sim_alloc(1);
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_FwpmAccept(const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, PASSIVE_LEVEL, site);
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_FwpmAddWithId(const char *routine, UINT32 *id32, UINT64 *id64, const sim_site *site) {
    spinsim_routine_enter(routine, PASSIVE_LEVEL, site);
    if (locks_first_use_in_run(&ids_given, "WFP management ids"))
        ids_given = 0;
    ids_given++;
    if (id32 != NULL)
        *id32 = (UINT32)ids_given;
    if (id64 != NULL)
        *id64 = ids_given;
    return STATUS_SUCCESS;
}
