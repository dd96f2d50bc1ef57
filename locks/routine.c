/* routine.c owns what every routine does on entry, for the routines a
 * driver author adds in a harness (locks/include/README.md): record the
 * call site, check the caller's IRQL, take one step. */
#include "lock_internal.h"

VOID spinsim_routine_enter(const char *Routine, KIRQL IrqlMax, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(Routine, PASSIVE_LEVEL, IrqlMax, site);
    sim_yield_step(Routine);
}
