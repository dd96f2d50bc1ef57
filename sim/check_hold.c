/* check_hold.c keeps what every checker reads and dispatches the hooks of
 * sim_check.h to the rule files (check.h). Its state: each context's held
 * locks (acquisition order, Old token, family, handle, site), each lock's
 * owning context, which the wait-for graph follows, the set of contexts
 * holding anything and the acquire each context is in the middle of. It
 * judges nothing itself.
 *
 * The order of the checks per hook is the order of the verdicts: at an
 * acquire, the caller's IRQL (R1) before recursion (R5), the queue handle
 * (R8), the lock's API (R7) and the lock order (R14); once it owns the
 * lock, the Old variable it is about to write (R3); at a release,
 * ownership, family, handle and Old token (R3, R4, R7, R8) before the IRQL
 * the release leaves (R1, R6). The first `error` ends the run. */
#include <stdarg.h>
#include <string.h>

#include "check.h"
#include "footprint.h"
#include "sanitizer.h"

static check_ctx_set holders, acquirers;
static check_acquiring acquiring[SIM_CTX_MAX]; /* by context id, valid for members of `acquirers` */
static uint64_t arrivals;

/* ---- context sets ------------------------------------------------------------ */

static bool set_has(const check_ctx_set *set, int id) {
    SIM_ASSERT(id >= 0 && id < SIM_CTX_MAX);
    int i = set->index[id];
    return i >= 0 && i < set->count && set->ids[i] == id;
}

static void set_add(check_ctx_set *set, int id) {
    if (set_has(set, id))
        return;
    set->index[id] = set->count;
    set->ids[set->count++] = id;
    SIM_ASSERT(set_has(set, id));
}

static void set_remove(check_ctx_set *set, int id) {
    if (!set_has(set, id))
        return;
    int at = set->index[id], last = set->ids[--set->count];
    set->ids[at] = last;
    set->index[last] = at;
    SIM_ASSERT(!set_has(set, id));
}

const check_ctx_set *check_holders(void) { return &holders; }
const check_ctx_set *check_acquirers(void) { return &acquirers; }

/* ---- families ---------------------------------------------------------------- */

static const struct {
    check_mode mode;
    check_class class;
} families[SIM_LOCK_FAMILY_COUNT] = {
    [SIM_LOCK_SPIN] = {CHECK_MODE_RAISING, CHECK_CLASS_SPIN},
    [SIM_LOCK_SPIN_AT_DPC] = {CHECK_MODE_AT_DPC, CHECK_CLASS_SPIN},
    [SIM_LOCK_SPIN_FOR_DPC] = {CHECK_MODE_FOR_DPC, CHECK_CLASS_SPIN},
    [SIM_LOCK_QUEUED] = {CHECK_MODE_RAISING, CHECK_CLASS_QUEUED},
    [SIM_LOCK_QUEUED_AT_DPC] = {CHECK_MODE_AT_DPC, CHECK_CLASS_QUEUED},
    [SIM_LOCK_QUEUED_FOR_DPC] = {CHECK_MODE_FOR_DPC, CHECK_CLASS_QUEUED},
    [SIM_LOCK_INTERRUPT] = {CHECK_MODE_ABOVE_DISPATCH, CHECK_CLASS_INTERRUPT},
    [SIM_LOCK_EX_SHARED] = {CHECK_MODE_RAISING, CHECK_CLASS_EX_SHARED},
    [SIM_LOCK_EX_EXCLUSIVE] = {CHECK_MODE_RAISING, CHECK_CLASS_EX_EXCLUSIVE},
    [SIM_LOCK_EX_SHARED_AT_DPC] = {CHECK_MODE_AT_DPC, CHECK_CLASS_EX_SHARED},
    [SIM_LOCK_EX_EXCLUSIVE_AT_DPC] = {CHECK_MODE_AT_DPC, CHECK_CLASS_EX_EXCLUSIVE},
    [SIM_LOCK_EX_INTERLOCKED_LIST] = {CHECK_MODE_ABOVE_DISPATCH, CHECK_CLASS_EX_LIST},
};

check_mode check_family_mode(sim_lock_family family) {
    SIM_ASSERT(family < SIM_LOCK_FAMILY_COUNT);
    return families[family].mode;
}

check_class check_family_class(sim_lock_family family) {
    SIM_ASSERT(family < SIM_LOCK_FAMILY_COUNT);
    return families[family].class;
}

uint8_t check_release_result(check_mode mode, uint8_t irql_arg, uint8_t irql_now) {
    switch (mode) {
    case CHECK_MODE_RAISING:
    case CHECK_MODE_ABOVE_DISPATCH:
        return irql_arg;
    case CHECK_MODE_AT_DPC:
        return irql_now;
    case CHECK_MODE_FOR_DPC:
        return irql_arg < SIM_IRQL_DISPATCH ? irql_arg : irql_now;
    }
    sim_panic("bad lock mode %d", (int)mode);
}

uint8_t check_held_floor(const sim_held *held) {
    return check_family_mode(held->family) == CHECK_MODE_ABOVE_DISPATCH ? held->irql_held : SIM_IRQL_DISPATCH;
}

/* Routine names are string literals, and lock loops ask about the same
 * few again and again: the answers for the last few names asked are kept
 * by the name's address (a search of the name costs more, and libFuzzer
 * intercepts strstr). */
bool check_op_is_try(const sim_lock_op *op) {
    enum { KEPT = 8 };
    static struct {
        const char *routine;
        bool is_try;
    } kept[KEPT];
    static int next_slot;
    for (int i = 0; i < KEPT; i++)
        if (kept[i].routine == op->routine)
            return kept[i].is_try;
    bool is_try = strstr(op->routine, "Try") != NULL;
    kept[next_slot].routine = op->routine;
    kept[next_slot].is_try = is_try;
    next_slot = (next_slot + 1) % KEPT;
    return is_try;
}

/* ---- lookups ------------------------------------------------------------------- */

static bool entry_matches(const sim_held *held, const void *lock, const void *handle) {
    return handle != NULL ? held->handle == handle : held->lock == lock;
}

static int find_entry(const sim_ctx *ctx, const void *lock, const void *handle) {
    for (int i = ctx->held_count - 1; i >= 0; i--)
        if (entry_matches(&ctx->held[i], lock, handle))
            return i;
    return -1;
}

int check_held_find(const sim_ctx *ctx, const sim_lock_op *op) { return find_entry(ctx, op->lock, op->handle); }

int check_held_lock(const sim_ctx *ctx, const void *lock) { return find_entry(ctx, lock, NULL); }

sim_ctx *check_other_holder(const sim_ctx *self, const void *lock, const void *handle, int *index) {
    sim_run *run = sim_R;
    for (int h = 0; h < holders.count; h++) {
        sim_ctx *ctx = &run->ctxs[holders.ids[h]];
        for (int i = 0; ctx != self && i < ctx->held_count; i++)
            if (entry_matches(&ctx->held[i], lock, handle)) {
                *index = i;
                return ctx;
            }
    }
    return NULL;
}

check_acquiring *check_acquiring_of(const sim_ctx *ctx) {
    if (!set_has(&acquirers, ctx->id))
        return NULL;
    check_acquiring *slot = &acquiring[ctx->id];
    return ctx->state != CTX_DONE && ctx->site == slot->site ? slot : NULL;
}

/* A retry at the same call (a Try loop) keeps its first attempt's place. */
static void acquiring_open(const sim_ctx *self, const sim_lock_op *op) {
    check_acquiring *slot = &acquiring[self->id];
    bool retry = set_has(&acquirers, self->id) && slot->lock == op->lock && slot->site == op->site;
    if (!retry)
        *slot = (check_acquiring){.lock = op->lock,
                                  .handle = op->handle,
                                  .site = op->site,
                                  .since_step = sim_R->step,
                                  .arrival = ++arrivals,
                                  .arrived_fair = sim_sched_fair()};
    set_add(&acquirers, self->id);
}

/* ---- reports ------------------------------------------------------------------- */

const char *check_irql_name(uint8_t irql) {
    static const char *const names[SIM_IRQL_HIGH + 1] = {
        "PASSIVE_LEVEL", "APC_LEVEL",   "DISPATCH_LEVEL", "DIRQL 3",   "DIRQL 4",  "DIRQL 5",
        "DIRQL 6",       "DIRQL 7",     "DIRQL 8",        "DIRQL 9",   "DIRQL 10", "DIRQL 11",
        "DIRQL 12",      "CLOCK_LEVEL", "IPI_LEVEL",      "HIGH_LEVEL"};
    return irql <= SIM_IRQL_HIGH ? names[irql] : "an IRQL above HIGH_LEVEL";
}

const char *check_lock_name(const void *lock) { return lock != NULL ? sim_object_name(lock) : "(no lock)"; }

static bool rule_already_reported(sim_kind kind, const sim_site *site) {
    const sim_run *run = sim_R;
    for (int i = 0; i < run->finding_count; i++)
        if (run->findings[i].info.kind == kind && run->findings[i].site == site)
            return true;
    return false;
}

static void report_at(const sim_site *site, sim_kind kind, sim_severity severity, const void *lock,
                      const sim_site *other_site, int other_ctx, const char *format, va_list args) {
    if (site == NULL)
        site = sim_site_get();
    if (severity == SIM_SEV_RULE && rule_already_reported(kind, site))
        return;
    sim_finding_info info = {.kind = kind,
                             .severity = severity,
                             .lock = lock,
                             .site = site,
                             .other_site = other_site,
                             .other_ctx = other_ctx};
    vsnprintf(info.message, sizeof info.message, format, args);
    sim_report(&info);
}

void check_report(sim_kind kind, sim_severity severity, const void *lock, const sim_site *other_site, int other_ctx,
                  const char *format, ...) {
    va_list args;
    va_start(args, format);
    report_at(NULL, kind, severity, lock, other_site, other_ctx, format, args);
    va_end(args);
}

void check_report_at(const sim_site *site, sim_kind kind, sim_severity severity, const void *lock,
                     const sim_site *other_site, int other_ctx, const char *format, ...) {
    va_list args;
    va_start(args, format);
    report_at(site, kind, severity, lock, other_site, other_ctx, format, args);
    va_end(args);
}

/* ---- the hooks ------------------------------------------------------------------- */

void sim_check_run_begin(void) {
    holders.count = 0;
    acquirers.count = 0;
    arrivals = 0;
    check_release_run_begin();
    check_handle_reuse_run_begin();
    check_order_run_begin();
    check_starvation_run_begin();
}

/* A driver variable the lock code touches and the checkers look for among
 * the other contexts' acquisitions: a queue handle (R8), an Old variable
 * (R3). The lock code is not instrumented, so the hook records it. */
static void footprint_variable(const void *variable, bool write) {
    if (variable != NULL)
        sim_footprint_access(variable, 1, write);
}

/* Records the call site and returns the running context; NULL outside a
 * run (scenario setup), where nothing is checked. */
static sim_ctx *self_at(const sim_site *site) {
    sim_site_set(site);
    return sim_R->current;
}

void sim_check_acquire(const sim_lock_op *op) {
    SIM_BOUNDARY();
    sim_ctx *self = self_at(op->site);
    if (self == NULL)
        return;
    footprint_variable(op->handle, true);
    check_irql_acquire(op);
    check_recursion_acquire(op);
    check_release_handle_acquire(op);
    check_handle_reuse_acquire(op);
    check_release_class_acquire(op);
    check_order_acquire(op);
    acquiring_open(self, op);
}

void sim_check_acquired(const sim_lock_op *op) {
    SIM_BOUNDARY();
    sim_ctx *self = sim_R->current;
    if (self == NULL)
        return;
    if (self->held_count == SIM_HELD_MAX)
        sim_panic("%s holds more than %d locks", self->label, SIM_HELD_MAX);
    /* The Old variable the acquire writes: another holder's token there
     * is R3's overwrite. */
    footprint_variable(op->old_irql_out, true);
    check_release_token_acquired(op);
    sim_held *held = &self->held[self->held_count++];
    *held = (sim_held){.lock = op->lock,
                       .family = op->family,
                       .handle = op->handle,
                       .irql_old = op->irql,
                       .irql_held = sim_irql_get(),
                       .old_irql_out = op->old_irql_out,
                       .site = op->site,
                       .routine = op->routine};
    if (check_family_class(op->family) != CHECK_CLASS_EX_SHARED)
        sim_lock_set_owner(op->lock, self->id);
    set_add(&holders, self->id);
    sim_cover_acquired(self, sim_lock_id(op->lock));
    bool mine = set_has(&acquirers, self->id) && acquiring[self->id].lock == op->lock;
    check_order_acquired(self, held);
    check_starvation_acquired(op, mine ? &acquiring[self->id] : NULL);
    set_remove(&acquirers, self->id);
}

void sim_check_release(const sim_lock_op *op) {
    SIM_BOUNDARY();
    if (self_at(op->site) == NULL)
        return;
    /* Unmatched, the verdict names whoever else holds the lock or handle. */
    sim_footprint_lock_record(op->lock, SIM_RECORD_OWNER, false);
    footprint_variable(op->handle, true);
    int index = check_release_match(op);
    if (index >= 0)
        check_irql_release(op, index);
}

void sim_check_released(const sim_lock_op *op) {
    SIM_BOUNDARY();
    sim_ctx *self = sim_R->current;
    if (self == NULL)
        return;
    footprint_variable(op->handle, true);
    int i = check_held_find(self, op);
    if (i < 0)
        return;
    const void *lock = self->held[i].lock;
    /* Its token leaves the Old variable another acquire is checked against. */
    footprint_variable(self->held[i].old_irql_out, false);
    check_handle_reuse_released(&self->held[i]);
    memmove(&self->held[i], &self->held[i + 1], (size_t)(self->held_count - i - 1) * sizeof self->held[0]);
    self->held_count--;
    if (self->held_count == 0)
        set_remove(&holders, self->id);
    if (sim_lock_owner(lock) == self->id)
        sim_lock_clear_owner(lock);
}

void sim_check_ctx_exit(sim_ctx *ctx) {
    SIM_BOUNDARY();
    SIM_ASSERT(ctx == sim_R->current);
    check_exit_ctx(ctx);
    check_starvation_ctx_exit(ctx);
    set_remove(&acquirers, ctx->id);
}

void sim_check_caller_irql(const char *routine, uint8_t irql_min, uint8_t irql_max, const sim_site *site) {
    SIM_BOUNDARY();
    if (self_at(site) != NULL)
        check_irql_caller(routine, irql_min, irql_max);
}

void sim_check_irql_change(const char *routine, uint8_t irql_from, uint8_t irql_to, const sim_site *site) {
    SIM_BOUNDARY();
    if (self_at(site) != NULL)
        check_irql_change(routine, irql_from, irql_to);
}

void sim_check_paged_code(const sim_site *site) {
    SIM_BOUNDARY();
    if (self_at(site) != NULL)
        check_irql_paged();
}

void sim_check_wait(const char *routine, bool timeout_zero, const sim_site *site) {
    SIM_BOUNDARY();
    if (self_at(site) != NULL)
        check_irql_wait(routine, timeout_zero);
}

sim_check_callback sim_check_callback_enter(sim_callback_kind kind, const char *routine, const void *function) {
    SIM_BOUNDARY();
    const sim_ctx *self = sim_R->current;
    return (sim_check_callback){.kind = kind,
                                .routine = routine,
                                .function = function,
                                .irql = sim_irql_get(),
                                .held_count = self != NULL ? self->held_count : 0};
}

void sim_check_callback_exit(const sim_check_callback *callback) {
    SIM_BOUNDARY();
    if (sim_R->current != NULL)
        check_exit_callback(callback);
}
