/* ctx.c owns contexts and the per-CPU context stacks: creating a context,
 * pushing it on a CPU (which sets the CPU's IRQL for its kind), popping it
 * (which restores the interrupted IRQL), and switching fibers between
 * contexts. Fibers come from a pool that outlives runs; the simulation state
 * does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "step_assert.h"

enum { FIBER_POOL_MAX = SIM_CTX_MAX };

static sim_fiber *fiber_free[FIBER_POOL_MAX];
static int fiber_free_count;
static sim_fiber *fiber_all[FIBER_POOL_MAX];
static int fiber_all_count;
static sim_fiber *fiber_dead; /* released by whoever runs next */

static sim_fiber *fiber_take(void) {
    if (fiber_free_count > 0)
        return fiber_free[--fiber_free_count];
    if (fiber_all_count == FIBER_POOL_MAX)
        sim_panic("more than %d live fibers", FIBER_POOL_MAX);
    sim_fiber *fiber = calloc(1, sizeof *fiber);
    if (fiber == NULL || !sim_fiber_create(fiber, SIM_FIBER_STACK))
        sim_panic("cannot map a fiber stack");
    fiber_all[fiber_all_count++] = fiber;
    return fiber;
}

static void fiber_give(sim_fiber *fiber) {
    SIM_ASSERT(fiber_free_count < FIBER_POOL_MAX);
    fiber_free[fiber_free_count++] = fiber;
}

static void fiber_collect_dead(void) {
    if (fiber_dead != NULL) {
        fiber_give(fiber_dead);
        fiber_dead = NULL;
    }
}

/* Returns every fiber of the finished run to the pool. */
void sim_fibers_release(void) {
    fiber_collect_dead();
    for (int i = 0; i < sim_R->ctx_count; i++) {
        sim_ctx *ctx = &sim_R->ctxs[i];
        if (ctx->fiber != NULL) {
            fiber_give(ctx->fiber);
            ctx->fiber = NULL;
        }
    }
}

static const char kind_letter[] = {
    [SIM_CTX_THREAD] = 'T', [SIM_CTX_DPC] = 'D', [SIM_CTX_THREADED_DPC] = 'D', [SIM_CTX_ISR] = 'I'};

/* "T1", "D4", "I2": the kind's letter and the id in decimal (at most
 * SIM_CTX_MAX - 1, four digits), written by hand: a run makes a context
 * for every DPC and ISR it delivers. */
static void format_label(char *out, sim_ctx_kind kind, int id) {
    char digits[8];
    int count = 0;
    do {
        digits[count++] = (char)('0' + id % 10);
        id /= 10;
    } while (id > 0);
    *out++ = kind_letter[kind];
    while (count > 0)
        *out++ = digits[--count];
    *out = '\0';
}

/* A context named `footprint_name`, or NULL when the table is full (a
 * finding has been recorded). */
static sim_ctx *ctx_new(sim_ctx_kind kind, const char *func, uint32_t footprint_name) {
    sim_run *run = sim_R;
    if (run->ctx_count == SIM_CTX_MAX) {
        sim_reportf(SIM_FINDING_HANG, SIM_SEV_ERROR, NULL, NULL,
                    "more than %d contexts (DPC and ISR runs) in one execution", SIM_CTX_MAX);
        return NULL;
    }
    sim_ctx *ctx = &run->ctxs[run->ctx_count];
    memset(ctx, 0, sizeof *ctx);
    ctx->id = run->ctx_count++;
    ctx->footprint_name = footprint_name;
    ctx->kind = kind;
    ctx->state = CTX_READY;
    ctx->func = func;
    ctx->cpu = -1;
    ctx->pinned_cpu = SIM_ANY_CPU;
    ctx->irq_source = -1;
    format_label(ctx->label, kind, ctx->id);
    sim_options_stale();
    return ctx;
}

sim_ctx *sim_ctx_new_thread(const char *func) {
    /* Named by its id: one the scenario declares is created in
     * setup, in the same order every run, and one created while the CPUs
     * run is a step dependent on every other (sim_thread_spawn). */
    return ctx_new(SIM_CTX_THREAD, func, (uint32_t)sim_R->ctx_count);
}

sim_ctx *sim_ctx_new_on(sim_cpu *cpu, sim_ctx_kind kind, const char *func) {
    /* Named by the order of creation on its CPU, which is the CPU's state. */
    sim_footprint_cpu(cpu->id);
    return ctx_new(kind, func, (uint32_t)(SIM_CTX_MAX * (1 + cpu->id) + cpu->delivered++));
}

/* The IRQL a context starts at: a thread brings its own, a DPC runs at
 * DISPATCH_LEVEL, a threaded DPC at PASSIVE_LEVEL (threaded DPCs enabled),
 * an ISR at its line's DIRQL. */
uint8_t sim_ctx_entry_irql(const sim_ctx *ctx) {
    switch (ctx->kind) {
    case SIM_CTX_THREAD:
        return ctx->irql_thread;
    case SIM_CTX_DPC:
        return SIM_IRQL_DISPATCH;
    case SIM_CTX_THREADED_DPC:
        return SIM_IRQL_PASSIVE;
    case SIM_CTX_ISR:
        return sim_R->irqs[ctx->irq_source].dirql;
    }
    sim_panic("bad context kind %d", (int)ctx->kind);
}

/* `ctx` goes onto or off `cpu`'s stack: the CPU's state, and for a thread
 * where it runs. */
static void footprint_moved(const sim_cpu *cpu, const sim_ctx *ctx) {
    sim_footprint_cpu(cpu->id);
    if (ctx->kind == SIM_CTX_THREAD)
        sim_footprint_placement(ctx->footprint_name);
}

void sim_ctx_push(sim_cpu *cpu, sim_ctx *ctx) {
    SIM_ASSERT(ctx->cpu == -1);
    SIM_ASSERT(ctx->state == CTX_READY);
    /* Threads only at the bottom; DPCs and ISRs above anything, an idle CPU included. */
    SIM_ASSERT(ctx->kind != SIM_CTX_THREAD || cpu->depth == 0);
    if (cpu->depth == SIM_DEPTH_MAX)
        sim_panic("more than %d contexts nested on cpu%d", SIM_DEPTH_MAX, cpu->id);
    sim_options_stale();
    footprint_moved(cpu, ctx);
    ctx->irql_entry = cpu->irql;
    ctx->cpu = cpu->id;
    cpu->stack[cpu->depth++] = ctx;
    cpu->irql = sim_ctx_entry_irql(ctx);
    /* A DPC or an ISR is pushed once, when it starts; a thread's timeline
     * began when it was created. */
    if (ctx->kind != SIM_CTX_THREAD)
        sim_race_ctx_begin(ctx, ctx->irql_entry);
}

void sim_ctx_pop(sim_cpu *cpu, sim_ctx *ctx) {
    SIM_ASSERT(sim_cpu_top(cpu) == ctx);
    sim_options_stale();
    footprint_moved(cpu, ctx);
    cpu->depth--;
    cpu->stack[cpu->depth] = NULL;
    ctx->cpu = -1;
    /* A thread leaving keeps its IRQL for when it resumes elsewhere; DPCs and
     * ISRs hand the CPU back at the IRQL they interrupted (the EOI). */
    if (ctx->kind == SIM_CTX_THREAD) {
        ctx->irql_thread = cpu->irql;
        cpu->irql = SIM_IRQL_PASSIVE;
    } else {
        cpu->irql = ctx->irql_entry;
    }
    SIM_ASSERT(cpu->depth > 0 || cpu->irql == SIM_IRQL_PASSIVE);
    SIM_ASSERT(ctx->cpu == -1);
}

/* The body every context's fiber starts in. Its exit call never returns;
 * sim_fiber_prepare clears what that leaves on the stack, more cheaply than
 * ASan's own handling of a call that does not return. */
SIM_SAN_NO_ASAN static void ctx_fiber_entry(void *arg) {
    sim_ctx *self = arg;
    sim_fiber_entered(self->fiber);
    fiber_collect_dead();
    SIM_ASSERT(sim_R->current == self);
    /* Everything the scenario's setup wrote happens before any context,
     * and the edges the race detector gave its start (race.h). */
    sim_san_acquire(&sim_R->san_setup);
    sim_race_san_entered(self);
    switch (self->kind) {
    case SIM_CTX_THREAD:
        self->entry(self->arg);
        break;
    case SIM_CTX_DPC:
    case SIM_CTX_THREADED_DPC:
        self->dpc.run(&self->dpc);
        break;
    case SIM_CTX_ISR:
        sim_R->irqs[self->irq_source].service(sim_R->irqs[self->irq_source].arg);
        break;
    }
    sim_sched_exit_current();
}

static sim_fiber *fiber_of(sim_ctx *ctx) { return ctx != NULL ? ctx->fiber : &sim_R->host; }

/* Makes `to` the running context. Returns when the calling context is
 * chosen again (never, if `from_dies`). `to` NULL means the host. */
void sim_ctx_switch_to(sim_ctx *to, bool from_dies) {
    sim_run *run = sim_R;
    sim_ctx *from = run->current;
    SIM_ASSERT_STEP(from != to);
    if (to != NULL && !to->started) {
        to->started = true;
        to->chosen = true;
        to->fiber = fiber_take();
        sim_fiber_prepare(to->fiber, ctx_fiber_entry, to);
    }
    sim_fiber *from_fiber = fiber_of(from);
    /* What a context did happens before the host's end-of-run work. */
    if (from != NULL)
        sim_san_release(&run->san_end);
    if (from_dies && from != NULL) {
        SIM_ASSERT(fiber_dead == NULL);
        fiber_dead = from->fiber;
        from->fiber = NULL;
    }
    run->current = to;
    sim_fiber_switch(from_fiber, fiber_of(to), from_dies);
    fiber_collect_dead();
    SIM_ASSERT_STEP(run->current == from);
}
