/* check_handle_reuse.c enforces R8a across time (docs/windows-contract.md):
 * a KLOCK_QUEUE_HANDLE is private to one acquisition. check_release.c sees
 * a handle enqueued twice at once; this file sees one handed from context
 * to context with nothing ordering the uses, the shape of a handle kept in
 * a device extension and shared by every caller. Two such uses can always
 * overlap in another schedule, and then the MCS queue threaded through the
 * handle is corrupted; here the schedule ran them one after the other, so
 * it is reported at the second acquire, naming the first (`handle-misuse`,
 * C4/0x40006).
 *
 * A handle passed on properly stays silent: through a DPC insert, an
 * event, an Interlocked publish, or the initialization (race.h says which
 * machine events order contexts). A handle on the user's own stack is the
 * right pattern and not remembered: the next context that runs on that
 * stack has a new variable at the same address. Needs race detection:
 * with race_detection=0 nothing is checked. */
#include "check.h"
#include "race.h"

enum { HANDLES_MAX = 256 }; /* handles remembered per run; past it the oldest go (misses only) */

typedef struct handle_use {
    const void *handle;
    const void *lock;
    const sim_site *site; /* the acquire of that use */
    int ctx;
    vclock_epoch released; /* the user's clock once its release returned */
} handle_use;

static handle_use uses[HANDLES_MAX];
static int use_count, use_next;

void check_handle_reuse_run_begin(void) { use_count = use_next = 0; }

static handle_use *use_of(const void *handle) {
    for (int i = 0; i < use_count; i++)
        if (uses[i].handle == handle)
            return &uses[i];
    return NULL;
}

void check_handle_reuse_acquire(const sim_lock_op *op) {
    vclock_epoch now;
    const vclock *clock;
    const handle_use *last = op->handle != NULL ? use_of(op->handle) : NULL;
    if (last == NULL || last->ctx == sim_R->current->id || !sim_race_now(&now, &clock) ||
        vclock_epoch_before(last->released, clock))
        return;
    const sim_ctx *user = &sim_R->ctxs[last->ctx];
    check_report(SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, op->lock, last->site, user->id,
                 "%s of %s with the KLOCK_QUEUE_HANDLE that %s used for %s, with nothing ordering that use "
                 "before this one: a handle shared between contexts is enqueued twice when the two overlap (R8a, "
                 "C4/0x40006)",
                 op->routine, check_lock_name(op->lock), user->label, check_lock_name(last->lock));
}

void check_handle_reuse_released(const sim_held *held) {
    vclock_epoch now;
    const vclock *clock;
    if (held->handle == NULL || sim_fiber_holds(sim_R->current->fiber, (uintptr_t)held->handle) ||
        !sim_race_now(&now, &clock))
        return;
    handle_use *use = use_of(held->handle);
    if (use == NULL) {
        use = &uses[use_next];
        use_next = (use_next + 1) % HANDLES_MAX;
        if (use_count < HANDLES_MAX)
            use_count++;
    }
    *use = (handle_use){
        .handle = held->handle, .lock = held->lock, .site = held->site, .ctx = sim_R->current->id, .released = now};
}
