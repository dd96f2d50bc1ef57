/* check_lifetime.c enforces R16 and R8b of docs/windows-contract.md: the
 * memory a lock lives in must outlive its use.
 * - `memory-error`, at the free: pool freed a second time.
 * - `lock-in-freed-memory`, at the free: pool freed while it holds a lock
 *   some context holds or waits for (DV C4/0x100B, lock deleted while
 *   owned), the queue handle of a held in-stack queued lock, or a KDPC
 *   still queued (0xC7 TIMER_OR_DPC_INVALID). Later touches of freed pool
 *   are caught where they happen: by the atomic layer (a lock word, again
 *   `lock-in-freed-memory`) and by the access hooks (`use-after-free`,
 *   shadow.c), which this free registers with.
 * - `use-after-scope`: a KLOCK_QUEUE_HANDLE on a context's stack whose frame
 *   has returned while its lock is still held or waited for: other CPUs
 *   write into it until the release returns (the successor links itself
 *   in, the releaser hands over), so its frame must stay. Seen at the
 *   holder's next wdm.h call from a shallower frame (the handle lies below
 *   the caller's stack pointer): the holder cannot be suspended anywhere
 *   else, since every step is inside a wdm.h call, and a holder that ends
 *   has leaked the lock (check_exit.c says so first). A frame reused by a
 *   deeper call before that is not seen (the queue is then corrupt, which
 *   the machine sees as a hang or a deadlock; the ASan build sees the
 *   write). */
#include "check.h"
#include "footprint.h"
#include "sanitizer.h"
#include "shadow.h"

static bool overlaps(uintptr_t start, size_t size, const void *addr) {
    return (uintptr_t)addr >= start && (uintptr_t)addr - start < size;
}

/* ---- frees ------------------------------------------------------------------ */

static void report_freed(const sim_site *other_site, int other_ctx, const char *format, const char *what,
                         const void *lock) {
    check_report(SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, lock, other_site, other_ctx, format, what,
                 check_lock_name(lock));
}

static void check_held_in(uintptr_t start, size_t size) {
    const sim_run *run = sim_R;
    const check_ctx_set *holders = check_holders();
    for (int h = 0; h < holders->count; h++) {
        const sim_ctx *holder = &run->ctxs[holders->ids[h]];
        for (int i = 0; i < holder->held_count; i++) {
            const sim_held *held = &holder->held[i];
            if (overlaps(start, size, held->lock))
                report_freed(held->site, holder->id,
                             "%s frees pool holding %s, which is held (DV C4/0x100B: a lock deleted while owned)",
                             sim_R->current->label, held->lock);
            if (held->handle != NULL && overlaps(start, size, held->handle))
                report_freed(held->site, holder->id,
                             "%s frees pool holding the queue handle %s is held through: the next release writes "
                             "into freed memory",
                             sim_R->current->label, held->lock);
        }
    }
}

static void check_waited_for_in(uintptr_t start, size_t size) {
    const sim_run *run = sim_R;
    const check_ctx_set *acquirers = check_acquirers();
    for (int a = 0; a < acquirers->count; a++) {
        const sim_ctx *waiter = &run->ctxs[acquirers->ids[a]];
        const check_acquiring *wait = check_acquiring_of(waiter);
        if (wait != NULL && (overlaps(start, size, wait->lock) || overlaps(start, size, wait->handle)))
            report_freed(wait->site, waiter->id,
                         "%s frees pool holding %s, which a context is waiting for (DV C4/0x100B)",
                         sim_R->current->label, wait->lock);
    }
}

static void check_queued_dpcs_in(uintptr_t start, size_t size) {
    const sim_run *run = sim_R;
    for (int c = 0; c < run->cpu_count; c++)
        for (int i = 0; i < run->cpus[c].dpc_count; i++)
            if (overlaps(start, size, run->cpus[c].dpcq[i].object))
                check_report(SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, NULL, NULL, -1,
                             "%s frees pool holding the KDPC of %s, still queued on cpu%d: the DPC runs from freed "
                             "memory (0xC7 TIMER_OR_DPC_INVALID)",
                             run->current->label, run->cpus[c].dpcq[i].name, c);
}

bool sim_check_free_again(const void *start, const sim_site *site) {
    SIM_BOUNDARY();
    sim_site_set(site);
    sim_footprint_global();
    const sim_site *first = sim_shadow_freed_at(start);
    if (first == NULL)
        return false;
    if (sim_R->current != NULL)
        check_report(SIM_FINDING_MEMORY_ERROR, SIM_SEV_ERROR, NULL, first, -1,
                     "%s frees pool freed before: a double free corrupts the pool (0xC2 BAD_POOL_CALLER, P1=7)",
                     sim_R->current->label);
    return true;
}

void sim_check_free(const void *start, size_t size, const sim_site *site) {
    SIM_BOUNDARY();
    sim_site_set(site);
    /* The pool's freed ranges are read by every later access. */
    sim_footprint_global();
    if (sim_R->current != NULL) {
        uintptr_t from = (uintptr_t)start;
        check_held_in(from, size);
        check_waited_for_in(from, size);
        check_queued_dpcs_in(from, size);
    }
    sim_shadow_free(start, size, site);
}

/* ---- queue handles whose frame returned ------------------------------------------ */

static bool on_stack_below(const sim_ctx *ctx, const void *addr, uintptr_t live_from) {
    const sim_fiber *fiber = ctx->fiber;
    uintptr_t at = (uintptr_t)addr, low = (uintptr_t)fiber->stack_low;
    return at >= low && at < live_from;
}

void check_lifetime_call(uintptr_t caller_sp) {
    const sim_ctx *self = sim_R->current;
    for (int i = 0; i < self->held_count; i++) {
        const sim_held *held = &self->held[i];
        if (held->handle != NULL && on_stack_below(self, held->handle, caller_sp))
            check_report(SIM_FINDING_USE_AFTER_SCOPE, SIM_SEV_ERROR, held->lock, held->site, self->id,
                         "the KLOCK_QUEUE_HANDLE %s holds %s through lay in a stack frame that has returned, while "
                         "the lock is still held: other CPUs write into the handle until its release returns, into "
                         "whatever the stack holds there now (R8b)",
                         self->label, check_lock_name(held->lock));
    }
}
