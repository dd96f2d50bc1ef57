/* deadlock.c follows the wait-for graph. Its edges:
 * - a sleeping context waits for the owner of the lock it spins on;
 * - a context releasing an in-stack queued lock that sleeps until its
 *   successor links itself (R8e) waits for that successor. The successor
 *   has swapped its entry in as the tail; between that exchange and its
 *   link store there is no step, so if it has not linked it is suspended
 *   right before the store, and only it ever writes the releaser's Next:
 *   it is the one context poised to write the watched word
 *   (sim_poised_writer). The releaser names no lock (it is the owner), so
 *   it is known by what it watches: the queue entry of a handle it holds
 *   its lock through;
 * - a context that is not the top of its CPU waits for the context on top
 *   (it cannot run until that one returns).
 * Checked when a context goes to sleep, so a cycle is reported as soon as
 * it closes (docs/design.md, Decisions: "One event, one verdict"):
 * - the awaited context is the sleeper itself: `recursive-acquire`; it sits
 *   below the sleeper on the sleeper's own CPU (an ISR or DPC spins on what
 *   the context it interrupted holds): `irq-unsafe-lock`, as
 *   check_recursion.c names the same event when the checkers see the
 *   acquire. (A successor never sits below its releaser: it swapped in
 *   after the releaser did, running on top of its CPU, so the releaser,
 *   already there, was not above it; and contexts are only ever pushed on
 *   top.)
 * - the chain leads back to the sleeper across CPUs: `deadlock`.
 * When every context sleeps and nothing can be delivered, the run is
 * deadlocked even without a cycle; the chains say why. */
#include <stdarg.h>
#include <string.h>

#include "footprint.h"
#include "internal.h"

static void append(char *chain, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

static void append(char *chain, size_t size, const char *format, ...) {
    size_t used = strlen(chain);
    if (used + 1 >= size)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(chain + used, size - used, format, args);
    va_end(args);
}

static void describe_ctx(char *chain, size_t size, const sim_ctx *ctx) {
    if (ctx->cpu >= 0)
        append(chain, size, "%s:%s (cpu%d)", ctx->label, ctx->func, ctx->cpu);
    else
        append(chain, size, "%s:%s (%s)", ctx->label, ctx->func, ctx->state == CTX_DONE ? "ended" : "off-cpu");
}

/* The bytes of a KLOCK_QUEUE_HANDLE's queue entry, which it starts with:
 * KSPIN_LOCK_QUEUE {Next, Lock} (docs/windows-contract.md sect. 5). */
enum { QUEUE_ENTRY_BYTES = 2 * sizeof(void *) };

/* The queued lock `ctx` is releasing while it sleeps until its successor
 * links itself, or NULL: it watches the entry of a handle it holds by. */
static const sim_held *link_wait_of(const sim_ctx *ctx) {
    if (ctx->state != CTX_SLEEPING || ctx->wait_lock != NULL)
        return NULL;
    const char *watch = (const char *)ctx->wait_addr;
    for (int i = 0; i < ctx->held_count; i++) {
        const char *entry = ctx->held[i].handle;
        if (entry != NULL && watch >= entry && watch < entry + QUEUE_ENTRY_BYTES)
            return &ctx->held[i];
    }
    return NULL;
}

/* The lock a sleeper's wait is about: the one it spins on, or the queued
 * lock whose release waits for a link. */
static const void *awaited_lock(const sim_ctx *sleeper) {
    const sim_held *releasing = link_wait_of(sleeper);
    return releasing != NULL ? releasing->lock : sleeper->wait_lock;
}

static int depth_on_cpu(const sim_ctx *ctx) {
    const sim_cpu *cpu = &sim_R->cpus[ctx->cpu];
    for (int d = 0; d < cpu->depth; d++)
        if (cpu->stack[d] == ctx)
            return d;
    sim_panic("%s is not on cpu%d's stack", ctx->label, ctx->cpu);
}

/* One edge of the wait-for graph, kept as facts: the chain's text is only
 * written for a finding (most sleeps close no cycle). */
typedef enum edge_kind { EDGE_SUCCESSOR, EDGE_OWNER, EDGE_PREEMPTED } edge_kind;

typedef struct edge {
    edge_kind kind;
    const void *lock; /* the lock of EDGE_SUCCESSOR and EDGE_OWNER */
    const sim_ctx *to;
} edge;

static void append_edge(char *chain, size_t size, const edge *e) {
    switch (e->kind) {
    case EDGE_SUCCESSOR:
        append(chain, size, " waits for its successor in the queue of %s to link itself: ", sim_object_name(e->lock));
        break;
    case EDGE_OWNER:
        append(chain, size, " waits for %s held by ", sim_object_name(e->lock));
        break;
    case EDGE_PREEMPTED:
        append(chain, size, ", preempted by ");
        break;
    }
    describe_ctx(chain, size, e->to);
}

/* The context `ctx` waits for, with the edge into `*out`; NULL when it
 * waits for nobody in particular. */
static sim_ctx *waits_for(const sim_ctx *ctx, edge *out) {
    sim_run *run = sim_R;
    /* A wake (a write to the watched word) would end this edge. */
    if (ctx->state == CTX_SLEEPING)
        sim_footprint_access(ctx->wait_addr, 8, false);
    const sim_held *releasing = link_wait_of(ctx);
    sim_ctx *next = NULL;
    if (releasing != NULL) {
        /* The successor stays poised until its next step, the link store,
         * which writes the watched word read above; the exchange that made
         * it the successor wrote the lock word the release read. */
        next = sim_poised_writer(ctx->wait_addr);
        *out = (edge){.kind = EDGE_SUCCESSOR, .lock = releasing->lock, .to = next};
    } else if (ctx->state == CTX_SLEEPING && ctx->wait_lock != NULL) {
        int owner = sim_lock_owner(ctx->wait_lock);
        next = owner >= 0 ? &run->ctxs[owner] : NULL;
        *out = (edge){.kind = EDGE_OWNER, .lock = ctx->wait_lock, .to = next};
    } else if (ctx->cpu >= 0) {
        sim_footprint_cpu(ctx->cpu); /* its stack: an end on that CPU pops it */
        sim_ctx *top = sim_cpu_top(&run->cpus[ctx->cpu]);
        next = top != ctx ? top : NULL;
        *out = (edge){.kind = EDGE_PREEMPTED, .to = next};
    }
    return next;
}

/* The chain from `sleeper` along `edges`, for a finding's report. */
static void describe_chain(char *chain, size_t size, const sim_ctx *sleeper, const edge *edges, int count) {
    chain[0] = '\0';
    describe_ctx(chain, size, sleeper);
    for (int i = 0; i < count; i++)
        append_edge(chain, size, &edges[i]);
}

void sim_deadlock_check_cycle(sim_ctx *sleeper) {
    sim_run *run = sim_R;
    /* A hop per context at most; too big for a fiber's stack. */
    static edge edges[SIM_CTX_MAX + 1];
    int count = 0;
    sim_ctx *next = waits_for(sleeper, &edges[count++]);
    if (next == NULL)
        return;
    const void *lock = awaited_lock(sleeper);
    char chain[512];
    if (next->cpu == sleeper->cpu && depth_on_cpu(next) <= depth_on_cpu(sleeper)) {
        sim_finding_info info = {.kind = next == sleeper ? SIM_FINDING_RECURSIVE_ACQUIRE : SIM_FINDING_IRQ_UNSAFE_LOCK,
                                 .severity = SIM_SEV_ERROR,
                                 .lock = lock,
                                 .other_ctx = next->id};
        if (link_wait_of(sleeper) != NULL)
            snprintf(info.message, sizeof info.message,
                     "%s waits for %s, below it on cpu%d, to link itself behind it in the queue of %s: it can never "
                     "run",
                     sleeper->label, next->label, sleeper->cpu, sim_object_name(lock));
        else
            snprintf(info.message, sizeof info.message,
                     "%s spins on %s, which %s holds below it on cpu%d: it can never be released", sleeper->label,
                     sim_object_name(lock), next->label, sleeper->cpu);
        describe_chain(chain, sizeof chain, sleeper, edges, count);
        sim_finding_record(&info, chain);
        return;
    }
    for (int hops = 0; hops < run->ctx_count && next != NULL; hops++) {
        if (next == sleeper) {
            sim_finding_info info = {
                .kind = SIM_FINDING_DEADLOCK, .severity = SIM_SEV_ERROR, .lock = lock, .other_ctx = -1};
            snprintf(info.message, sizeof info.message, "wait-for cycle closed by %s", sleeper->label);
            describe_chain(chain, sizeof chain, sleeper, edges, count);
            sim_finding_record(&info, chain);
            return;
        }
        if (next->state == CTX_DONE)
            return;
        next = waits_for(next, &edges[count++]);
    }
}

_Noreturn void sim_deadlock_all_asleep(void) {
    sim_run *run = sim_R;
    char chain[512] = "";
    const void *lock = NULL;
    for (int i = 0; i < run->sleeper_count; i++) {
        sim_ctx *sleeper = run->sleepers[i];
        if (lock == NULL)
            lock = awaited_lock(sleeper);
        append(chain, sizeof chain, "%s", i > 0 ? "; " : "");
        describe_ctx(chain, sizeof chain, sleeper);
        edge e;
        if (waits_for(sleeper, &e) != NULL)
            append_edge(chain, sizeof chain, &e);
        else
            append(chain, sizeof chain, " waits for %s, which nothing left can write",
                   sim_object_name(sleeper->wait_lock ? sleeper->wait_lock : (const void *)sleeper->wait_addr));
    }
    sim_finding_info info = {.kind = SIM_FINDING_DEADLOCK, .severity = SIM_SEV_ERROR, .lock = lock, .other_ctx = -1};
    snprintf(info.message, sizeof info.message, "every remaining context waits and nothing pending can run");
    sim_finding_record_for(run->sleeper_count > 0 ? run->sleepers[0] : run->current, &info, chain);
    /* An allowed deadlock still ends the run: nothing can move. */
    run->end = SIM_END_DONE;
    sim_run_stop();
}
