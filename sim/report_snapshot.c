/* report_snapshot.c takes what a report needs of a finding's run before the
 * next run reuses the machine (report.h): names, not addresses, so reports
 * diff cleanly between runs and build variants. */
#include <string.h>

#include "report.h"
#include "symbolize.h"

const char *sim_report_ctx_kind(sim_ctx_kind kind) {
    static const char *const names[] = {[SIM_CTX_THREAD] = "thread",
                                        [SIM_CTX_DPC] = "DPC",
                                        [SIM_CTX_THREADED_DPC] = "threaded DPC",
                                        [SIM_CTX_ISR] = "ISR"};
    return names[kind];
}

static void take_context(sim_report_context *out, int id) {
    const sim_ctx *ctx = &sim_R->ctxs[id];
    out->kind = sim_report_ctx_kind(ctx->kind);
    snprintf(out->label, sizeof out->label, "%s", ctx->label);
    out->func = ctx->func ? ctx->func : "-";
}

static void describe_ctx(char *out, size_t size, const sim_ctx *ctx) {
    snprintf(out, size, "%s:%s (cpu%d)", ctx->label, ctx->func ? ctx->func : "-", ctx->cpu);
}

/* Who holds the finding's lock and who else is inside an acquire of it
 * (the holder may still be finishing its own). */
static void take_holder_and_waiters(sim_report_snapshot *snapshot, const void *lock) {
    const sim_run *run = sim_R;
    int owner = sim_lock_owner(lock);
    if (owner >= 0)
        describe_ctx(snapshot->holder, sizeof snapshot->holder, &run->ctxs[owner]);
    const check_ctx_set *acquirers = check_acquirers();
    size_t used = 0;
    for (int a = 0; a < acquirers->count && used < sizeof snapshot->waiters; a++) {
        const sim_ctx *waiter = &run->ctxs[acquirers->ids[a]];
        const check_acquiring *wait = check_acquiring_of(waiter);
        if (wait == NULL || wait->lock != lock || acquirers->ids[a] == owner)
            continue;
        char name[96];
        describe_ctx(name, sizeof name, waiter);
        int n = snprintf(snapshot->waiters + used, sizeof snapshot->waiters - used, "%s%s", used ? ", " : "", name);
        used += n > 0 ? (size_t)n : 0;
    }
}

static void take_steps(sim_report_snapshot *snapshot) {
    const sim_run *run = sim_R;
    uint64_t count = run->tail_count < SIM_TAIL_MAX ? run->tail_count : SIM_TAIL_MAX;
    for (uint64_t i = run->tail_count - count; i < run->tail_count; i++) {
        const sim_trace_event *event = &run->tail[i % SIM_TAIL_MAX];
        sim_report_step *step = &snapshot->steps[snapshot->step_count++];
        sim_trace_what(event, step->what, sizeof step->what);
        step->step = event->step;
        step->cpu = event->cpu;
        step->irql = event->op == SIM_OP_DECIDE ? -1 : event->irql;
        step->finding = event->op == SIM_OP_FINDING;
        const sim_ctx *ctx = event->ctx >= 0 ? &run->ctxs[event->ctx] : NULL;
        snprintf(step->context, sizeof step->context, "%s", ctx ? ctx->label : "");
        step->func = ctx ? ctx->func : NULL;
        step->site = sim_site_resolve(event->site);
    }
}

static void take_locks(sim_report_snapshot *snapshot) {
    for (int id = 0; id < sim_R->object_count && snapshot->lock_count < SIM_REPORT_LOCKS_MAX; id++) {
        sim_fairness fairness = sim_check_fairness(id);
        if (fairness.acquisitions == 0)
            continue;
        sim_report_lock *lock = &snapshot->locks[snapshot->lock_count++];
        sim_object_label(id, lock->name, sizeof lock->name);
        lock->fairness = fairness;
    }
}

void sim_report_step_line(const sim_report_step *step, char *out, size_t size) {
    sim_trace_line(out, size, step->step, step->cpu, step->context[0] ? step->context : NULL, step->func, step->what,
                   step->site);
}

void sim_report_snapshot_clear(sim_report_snapshot *snapshot) {
    snapshot->has_ctx = snapshot->has_other = false;
    snapshot->lock[0] = snapshot->holder[0] = snapshot->waiters[0] = '\0';
    snapshot->step_count = 0;
    snapshot->lock_count = 0;
}

void sim_report_snapshot_take(sim_report_snapshot *snapshot, const sim_finding *finding, bool with_steps) {
    memset(snapshot, 0, sizeof *snapshot);
    snapshot->has_ctx = finding->ctx >= 0;
    if (snapshot->has_ctx)
        take_context(&snapshot->ctx, finding->ctx);
    snapshot->has_other = finding->info.other_ctx >= 0;
    if (snapshot->has_other)
        take_context(&snapshot->other, finding->info.other_ctx);
    if (finding->info.lock != NULL) {
        snprintf(snapshot->lock, sizeof snapshot->lock, "%s", sim_object_name(finding->info.lock));
        take_holder_and_waiters(snapshot, finding->info.lock);
    }
    if (with_steps)
        take_steps(snapshot);
    take_locks(snapshot);
}
