/* run_state.c owns the per-run reset of the model's own globals: the few
 * objects of locks/ that drivers reach without passing them in (the cancel
 * spin lock, the virtual clock, the list of thread objects). A run must
 * start from the same state whatever the runs before it did, including a
 * run that a finding stopped while it held the cancel spin lock.
 *
 * The machine's object registry is per run: an address gets its name and
 * id at its first use in each run. So the first use of such a global in a
 * run is the one that finds it without the name the model gives it; that
 * use resets it and names it, and from then on it is known for the rest of
 * the run. The name is also how reports and traces call the object. */
#include <string.h>

#include "lock_internal.h"
#include "sim.h"

bool locks_first_use_in_run(const volatile void *key, const char *name) {
    const void *object = (const void *)(uintptr_t)key;
    if (strcmp(sim_object_name(object), name) == 0)
        return false;
    sim_name(object, name);
    return true;
}
