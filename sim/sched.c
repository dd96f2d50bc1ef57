/* sched.c picks the next step. At every scheduling point it applies what the
 * hardware forces (a requested DPC runs once the IRQL is below DISPATCH_LEVEL,
 * an idle CPU takes its next thread), lists the options (run a CPU, deliver
 * an interrupt, deliver a DPC, switch threads), asks the decision source,
 * records the choice when it differs from the default policy, applies it and
 * switches to the chosen context.
 *
 * The default policy, which fills every gap in a schedule: keep running the
 * current CPU; when its top context cannot run, the next CPU in round-robin
 * order whose top can; then queued DPCs, idle-CPU thread switches, and last
 * interrupts.
 *
 * The liveness phase (docs/design.md, Decisions: "Starvation without false
 * alarms"): from step `liveness_from_step` on, the decision source is no
 * longer asked. Queued DPCs are delivered at once and the CPUs run round
 * robin, one step each, so every waiter gets its turn and the starvation
 * checker can judge fairness. One thing is not instant: a context woken by
 * another context's write sees it only after the writer has taken
 * `fair_wake_latency` more steps (or stopped running), as a spinner sees a
 * release only once the cache line reaches its CPU. A CPU that releases a
 * test-and-set lock and re-takes it within that many steps keeps it, and
 * starves the spinner, as on real hardware; a queued lock hands itself to
 * the waiter, so the waiter's turn only waits. Every runnable CPU still
 * gets a step at least once every cpus x (latency + 1) steps. Nothing is
 * recorded then: the choice follows from the state, and a replay makes it
 * again.
 *
 * Bounds, read as parameters when a run starts and recorded with it:
 * steps_max for the whole run (`hang` past it), progress_steps_max for
 * one context's steps in a row without a change to shared memory
 * (atomic.c), and the fair phase's two. */
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "grow.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "step_assert.h"

enum {
    OPTIONS_MAX = SIM_CPUS_MAX * (2 + SIM_IRQS_MAX + SIM_THREADS_MAX),
    LIVENESS_FROM_STEP_DEFAULT = 5000,
    /* A spinner needs two steps once it sees a release (its test, then
     * its bit-test-and-set): with two steps of latency, a CPU that tries
     * again within three steps of its release (lower, raise, try: back to
     * back) wins before the spinner, while one step of anything else
     * between (a YieldProcessor, an Interlocked operation) lets it in. */
    FAIR_WAKE_LATENCY_DEFAULT = 2,
    STEPS_MAX_DEFAULT = 1000000,
    PROGRESS_STEPS_MAX_DEFAULT = 100000,
};

static bool thread_fits(const sim_ctx *thread, int cpu) {
    return thread->pinned_cpu == SIM_ANY_CPU || thread->pinned_cpu == cpu;
}

/* Threads the hardware places on an idle CPU by itself: while the
 * initialization runs, only it; after, every thread but those a decision
 * starts (SIM_ROLE_LATER). */
static bool placed_by_hardware(const sim_ctx *thread) {
    return sim_R->init_running ? thread->role == SIM_ROLE_INIT : thread->role != SIM_ROLE_LATER;
}

/* The first thread from position `*at` of the thread list (creation
 * order) that is ready, on no CPU and may run on `cpu` (and, unless
 * `later_too`, that the hardware places itself); `*at` is left at its
 * position. NULL when there is none. */
static sim_ctx *ready_thread_from(int cpu, int *at, bool later_too) {
    for (; *at < sim_R->thread_count; (*at)++) {
        sim_ctx *t = &sim_R->ctxs[sim_R->threads[*at]];
        if (t->cpu == -1 && t->state == CTX_READY && thread_fits(t, cpu) && (later_too || placed_by_hardware(t)))
            return t;
    }
    return NULL;
}

void sim_sched_place_threads(void) {
    sim_run *run = sim_R;
    for (int c = 0; c < run->cpu_count; c++) {
        int at = 0;
        sim_ctx *thread = run->cpus[c].depth == 0 ? ready_thread_from(c, &at, false) : NULL;
        if (thread != NULL)
            sim_ctx_push(&run->cpus[c], thread);
    }
}

/* A threaded DPC is on `cpu`. */
static bool threaded_dpc_running(const sim_cpu *cpu) {
    for (int d = 0; d < cpu->depth; d++)
        if (cpu->stack[d]->kind == SIM_CTX_THREADED_DPC)
            return true;
    return false;
}

/* The first DPC of `cpu`'s queue that may run now, or -1. Threaded DPCs
 * run one after another in the CPU's threaded-DPC thread: one waits while
 * another is on the CPU (which an ordinary DPC still preempts). */
static int next_dpc(const sim_cpu *cpu) {
    const bool threaded_busy = threaded_dpc_running(cpu);
    for (int i = 0; i < cpu->dpc_count; i++)
        if (!cpu->dpcq[i].threaded || !threaded_busy)
            return i;
    return -1;
}

static void dispatch_next_dpc(sim_cpu *cpu) {
    const int at = next_dpc(cpu);
    if (at < 0)
        return;
    sim_dpc_request request = cpu->dpcq[at];
    memmove(&cpu->dpcq[at], &cpu->dpcq[at + 1], (size_t)(cpu->dpc_count - at - 1) * sizeof cpu->dpcq[0]);
    cpu->dpc_count--;
    sim_options_stale();
    sim_ctx *ctx = sim_ctx_new_on(cpu, request.threaded ? SIM_CTX_THREADED_DPC : SIM_CTX_DPC, request.name);
    if (ctx == NULL)
        sim_run_stop();
    ctx->dpc = request;
    /* Dequeued before the routine runs (as Windows does): the routine may
     * re-queue its own KDPC, and the machine never touches it again. The
     * queue is the CPU's state (sim_ctx_push records it, as an insert does;
     * a removal searches every CPU's and is dependent on every step). */
    sim_footprint_access(request.queued_flag, sizeof *request.queued_flag, true);
    sim_machine_store(request.queued_flag, 0, (int)sizeof *request.queued_flag);
    sim_ctx_push(cpu, ctx);
}

/* The hardware has nothing to do on `cpu` by itself: it is not idle and
 * no DPC was requested on it. */
static bool settled(const sim_cpu *cpu) { return cpu->depth != 0 && !cpu->dpc_requested; }

/* What the hardware does without a decision on `cpu` that is not
 * settled. Out of line: most decisions find nothing to do. */
__attribute__((noinline)) static void settle_unsettled(sim_cpu *cpu) {
    if (cpu->depth == 0) {
        int at = 0;
        sim_ctx *thread = ready_thread_from(cpu->id, &at, false);
        if (thread != NULL) {
            sim_ctx_push(cpu, thread);
            sim_footprint_global();
        }
    }
    if (cpu->dpc_requested && cpu->dpc_count == 0) {
        cpu->dpc_requested = false;
        sim_options_stale();
    }
    if (cpu->dpc_requested && cpu->irql < SIM_IRQL_DISPATCH)
        dispatch_next_dpc(cpu);
}

/* What the hardware does without a decision on `cpu`: something only for
 * an idle CPU or a requested DPC. */
static void settle(sim_cpu *cpu) {
    if (!settled(cpu))
        settle_unsettled(cpu);
}

/* A thread may be switched in on an idle CPU, or replace a thread that is
 * alone on its CPU below DISPATCH_LEVEL. */
static bool can_switch_threads(const sim_cpu *cpu) {
    return cpu->depth == 0 ||
           (cpu->depth == 1 && cpu->stack[0]->kind == SIM_CTX_THREAD && cpu->irql < SIM_IRQL_DISPATCH);
}

static void add(sim_option *out, int *count, sim_option_kind kind, int cpu, int target) {
    SIM_ASSERT(*count < OPTIONS_MAX);
    out[(*count)++] = (sim_option){.kind = kind, .cpu = cpu, .target = target};
}

/* A thread is ready on no CPU: one a CPU may switch in. */
static bool thread_waits(void) {
    const sim_run *run = sim_R;
    for (int i = 0; i < run->thread_count; i++) {
        const sim_ctx *t = &run->ctxs[run->threads[i]];
        if (t->cpu == -1 && t->state == CTX_READY)
            return true;
    }
    return false;
}

/* The options the machine state offers now, into `out`: first every CPU
 * whose top context can run, by CPU (`*runs` of them), then interrupts,
 * DPCs and thread switches (none when no thread waits: `*waits`). */
static int list_options(sim_option *out, int *runs, bool *waits) {
    sim_run *run = sim_R;
    int count = 0;
    for (int c = 0; c < run->cpu_count; c++) {
        sim_ctx *top = sim_cpu_top(&run->cpus[c]);
        if (sim_ctx_runnable(top))
            add(out, &count, SIM_OPT_RUN, c, top->id);
    }
    *runs = count;
    *waits = thread_waits();
    /* The initialization runs alone: nothing is delivered or started beside it. */
    if (run->init_running)
        return count;
    for (int i = 0; i < run->irq_count; i++)
        for (int c = 0; run->irqs[i].fires_left > 0 && c < run->cpu_count; c++)
            if (run->cpus[c].irql < run->irqs[i].dirql)
                add(out, &count, SIM_OPT_IRQ, c, i);
    for (int c = 0; c < run->cpu_count; c++) {
        const sim_cpu *cpu = &run->cpus[c];
        if (cpu->dpc_count > 0 && !cpu->dpc_requested && cpu->irql < SIM_IRQL_DISPATCH && next_dpc(cpu) >= 0)
            add(out, &count, SIM_OPT_DPC, c, -1);
    }
    if (!*waits)
        return count;
    for (int c = 0; c < run->cpu_count; c++) {
        if (!can_switch_threads(&run->cpus[c]))
            continue;
        sim_ctx *t;
        for (int at = 0; (t = ready_thread_from(c, &at, true)) != NULL; at++)
            add(out, &count, SIM_OPT_SWITCH, c, t->id);
    }
    return count;
}

/* The option list between decisions: listed again only when the state it
 * follows from changed (sim_run.options_stale), which most steps do not
 * (a step on a word leaves every CPU's top context, IRQL and queue as they
 * were). Over 80 KiB: not on a context's fiber stack (ASan would unpoison
 * it on every step). Only one decision is ever in progress. */
static sim_option kept[OPTIONS_MAX];
static int kept_count, kept_runs;
/* The first DPC option of `kept`, or -1: the liveness phase delivers it at once. */
static int kept_first_dpc;
/* When `kept` was listed, a thread was ready on no CPU: one a CPU below
 * DISPATCH_LEVEL may switch in. */
static bool kept_thread_waits;
/* By current CPU + 1: the first run option of `kept` for a later CPU, or
 * kept_runs when there is none (where the liveness phase starts looking). */
static int kept_run_after[SIM_CPUS_MAX + 1];
/* Which listing `kept` holds: what is known about it below is known for
 * that listing only. */
static uint64_t kept_listing;
/* The default among the kept options for one current CPU, and the
 * listing it was found in. */
typedef struct kept_default {
    int index;
    uint64_t listing;
} kept_default;
/* By current CPU + 1. */
static kept_default kept_defaults[SIM_CPUS_MAX + 1];

bool sim_sched_verify_options;

/* keep_options, when the list is stale or checked: out of line, as most
 * decisions find the list as it was. */
__attribute__((noinline)) static void keep_options_again(void) {
    sim_run *run = sim_R;
    if (run->options_stale) {
        kept_count = list_options(kept, &kept_runs, &kept_thread_waits);
        kept_first_dpc = -1;
        for (int i = kept_runs; i < kept_count && kept_first_dpc < 0; i++)
            if (kept[i].kind == SIM_OPT_DPC)
                kept_first_dpc = i;
        for (int cur = -1, i = 0; cur < run->cpu_count; cur++) {
            while (i < kept_runs && kept[i].cpu <= cur)
                i++;
            kept_run_after[cur + 1] = i;
        }
        kept_listing++;
        run->options_stale = false;
    }
    if (!sim_sched_verify_options)
        return;
    static sim_option fresh[OPTIONS_MAX];
    int fresh_runs;
    bool fresh_waits;
    int fresh_count = list_options(fresh, &fresh_runs, &fresh_waits);
    bool same = fresh_count == kept_count && fresh_runs == kept_runs && fresh_waits == kept_thread_waits;
    for (int i = 0; same && i < fresh_count; i++)
        same = sim_option_same(&fresh[i], &kept[i]);
    if (!same)
        sim_panic("step %llu: the kept option list (%d options) is stale: the state offers %d",
                  (unsigned long long)run->step, kept_count, fresh_count);
}

/* The kept list, listed again if stale; with sim_sched_verify_options,
 * checked against a fresh listing. */
static void keep_options(void) {
    if (sim_R->options_stale || sim_sched_verify_options)
        keep_options_again();
}

void sim_sched_irql_change(const sim_cpu *cpu, uint8_t from, uint8_t to) {
    sim_run *run = sim_R;
    if (run->options_stale)
        return;
    /* The levels in (lower, higher]. */
    unsigned lower = from < to ? from : to, higher = from < to ? to : from;
    uint32_t crossed = ((2u << higher) - 1) & ~((2u << lower) - 1) & run->irql_thresholds;
    const uint32_t dispatch = 1u << SIM_IRQL_DISPATCH;
    if ((crossed & ~dispatch) != 0 || ((crossed & dispatch) != 0 && (cpu->dpc_count > 0 || kept_thread_waits)))
        sim_options_stale();
}

/* The default policy's preference among option kinds: run what can run,
 * then deliver queued DPCs, then switch threads in, and last interrupts. */
static const int kind_rank[] = {[SIM_OPT_RUN] = 0, [SIM_OPT_DPC] = 1, [SIM_OPT_SWITCH] = 2, [SIM_OPT_IRQ] = 3};

/* The default: index of the first option of the best-ranked kind, where
 * options of one kind are ranked round-robin from the current CPU. Running
 * the current CPU ranks first of all. */
static int default_option(const sim_option *options, int count, int cur) {
    int best = -1, best_rank = 1 << 30;
    int cpus = sim_R->cpu_count;
    for (int i = 0; i < count && best_rank > 0; i++) {
        int rr = cur < 0 ? options[i].cpu : options[i].cpu - cur;
        if (rr < 0)
            rr += cpus;
        int rank = kind_rank[options[i].kind] * SIM_CPUS_MAX + rr;
        if (rank < best_rank) {
            best_rank = rank;
            best = i;
        }
    }
    return best;
}

/* The default among the kept options (there are some) when `cur` is the
 * current CPU, found once per listing. */
static int kept_default_for(int cur) {
    kept_default *known = &kept_defaults[cur + 1];
    if (known->listing != kept_listing) {
        known->index = default_option(kept, kept_count, cur);
        known->listing = kept_listing;
    }
    return known->index;
}

/* The options of this decision, in `kept`, with their default; whether a
 * choice other than the default preempts. */
static void offer(sim_choice *choice, int cur, bool cur_continues) {
    keep_options();
    choice->options = kept;
    choice->count = kept_count;
    choice->runs = kept_runs;
    if (kept_count == 0)
        return;
    choice->default_index = kept_default_for(cur);
    choice->preemptive = cur_continues && !sim_R->init_running;
}

static void record(const sim_option *options, int chosen) {
    sim_run *run = sim_R;
    int of_kind = 0;
    for (int i = 0; i < chosen; i++)
        of_kind += options[i].kind == options[chosen].kind;
    run->decisions = sim_grow_or_panic(run->decisions, &run->decision_cap, run->decision_count + 1,
                                       sizeof *run->decisions, 64, "decisions");
    run->decisions[run->decision_count++] =
        (sim_decision){.step = run->step, .option = options[chosen], .of_kind = of_kind};
}

static sim_ctx *apply(const sim_option *option) {
    sim_run *run = sim_R;
    sim_cpu *cpu = &run->cpus[option->cpu];
    switch (option->kind) {
    case SIM_OPT_RUN:
        break;
    case SIM_OPT_IRQ: {
        sim_irq *irq = &run->irqs[option->target];
        sim_ctx *isr = sim_ctx_new_on(cpu, SIM_CTX_ISR, irq->name);
        if (isr == NULL)
            sim_run_stop();
        irq->fires_left--;
        sim_footprint_irq_source(option->target);
        sim_options_stale();
        isr->irq_source = option->target;
        sim_ctx_push(cpu, isr);
        break;
    }
    case SIM_OPT_DPC:
        cpu->dpc_requested = true;
        sim_options_stale();
        settle(cpu);
        break;
    case SIM_OPT_SWITCH: {
        sim_ctx *outgoing = sim_cpu_top(cpu);
        if (outgoing != NULL)
            sim_ctx_pop(cpu, outgoing);
        sim_ctx_push(cpu, &run->ctxs[option->target]);
        settle(cpu);
        break;
    }
    }
    return sim_cpu_top(cpu);
}

bool sim_sched_fair(void) { return sim_R->step >= sim_R->fair_from_step; }

/* In the liveness phase: the write that woke `ctx` has reached it (its
 * writer took its latency in steps, or no longer runs). */
static bool sees_its_wake(const sim_ctx *ctx) {
    const sim_ctx *writer = ctx->woken_by;
    if (writer == NULL || writer == ctx || writer->steps >= ctx->visible_at)
        return true;
    return writer->state != CTX_READY || writer->cpu < 0 || sim_cpu_top(&sim_R->cpus[writer->cpu]) != writer;
}

/* The liveness phase's choice among the kept options: a queued DPC first
 * (its IPI arrives), else the next CPU after `cur` whose top can run and
 * sees what woke it, else -1 (the default is taken then). The run options
 * come first in the list, one per CPU in CPU order, so the search starts
 * at the first CPU after `cur` and, with every CPU's top runnable, stops
 * there: a step costs the same at 64 CPUs as at 2. */
static int fair_option(int cur) {
    if (kept_first_dpc >= 0)
        return kept_first_dpc;
    /* Round the list from the start, without a division per step. */
    for (int k = 0, i = kept_run_after[cur + 1]; k < kept_runs; k++, i++) {
        if (i >= kept_runs)
            i = 0;
        if (sees_its_wake(&sim_R->ctxs[kept[i].target]))
            return i;
    }
    return -1;
}

/* The kept options still hold and offer one CPU to run and no DPC: the
 * liveness phase can only run that CPU on. Tests check the kept list here
 * too. */
static bool runs_alone(void) {
    if (sim_sched_verify_options)
        keep_options();
    return !sim_R->options_stale && kept_runs == 1 && kept_first_dpc < 0;
}

/* The decision source takes the default at every step before this one
 * (sim_source.next_choice_step): asked when the run starts and after each
 * choice it makes. */
static uint64_t source_quiet_until;

static void ask_source_quiet_until(void) { source_quiet_until = sim_source_next_choice_step(sim_R->config->source); }

static bool at_step_limit(void) { return sim_R->steps_max != 0 && sim_R->step >= sim_R->steps_max; }

/* The running context may go on and its CPU's top is still itself, which
 * makes running it the default (rank 0 in default_option), and the source
 * takes the default at this step, or, in the liveness phase, nothing else
 * can run. Deciding would choose the same, record nothing and trace
 * nothing. */
static bool current_goes_on(int cur, bool cur_continues) {
    sim_run *run = sim_R;
    if (!cur_continues || sim_cpu_top(&run->cpus[cur]) != run->current)
        return false;
    return sim_sched_fair() ? runs_alone() : run->step < source_quiet_until;
}

/* Nothing can run: every context ended, or those left all sleep. */
__attribute__((noreturn)) static void nothing_runs(void) {
    sim_run *run = sim_R;
    for (int i = 0; i < run->ctx_count; i++)
        if (run->ctxs[i].state != CTX_DONE)
            sim_deadlock_all_asleep();
    run->end = SIM_END_DONE;
    sim_run_stop();
}

/* Applies kept option `chosen`; a decision that runs no CPU is traced. */
static sim_ctx *take(int chosen) {
    SIM_ASSERT_STEP(chosen >= 0 && chosen < kept_count);
    if (kept[chosen].kind != SIM_OPT_RUN)
        sim_trace_decision(&kept[chosen]);
    sim_ctx *next = apply(&kept[chosen]);
    SIM_ASSERT_STEP(sim_ctx_runnable(next));
    return next;
}

/* The liveness phase's decision: no source to ask, nothing to record, and
 * the default only when no CPU can take its turn. */
static sim_ctx *choose_fair(int cur) {
    keep_options();
    if (kept_count == 0)
        nothing_runs();
    int chosen = fair_option(cur);
    return take(chosen >= 0 ? chosen : kept_default_for(cur));
}

/* decide, once the current CPU is settled, the step limit is not reached
 * and the current context does not simply go on: lists the options, asks
 * the source (or, in the liveness phase, picks the next CPU) and applies
 * the choice. */
static sim_ctx *choose_next(int cur, bool cur_continues) {
    if (sim_sched_fair())
        return choose_fair(cur);
    sim_run *run = sim_R;
    sim_source *source = run->config->source;
    sim_choice choice = {.step = run->step, .current_cpu = cur};
    offer(&choice, cur, cur_continues);
    if (choice.count == 0)
        nothing_runs();
    int chosen = source->choose(source, &choice);
    ask_source_quiet_until();
    if (chosen != choice.default_index)
        record(choice.options, chosen);
    if (sim_choice_preempts(&choice, chosen)) {
        run->preemptions++;
        sim_cover_preempted(&choice.options[chosen], cur >= 0 ? sim_cpu_top(&run->cpus[cur]) : NULL);
    }
    return take(chosen);
}

/* Decides who executes the next step and returns that context. Ends the run
 * (and does not return) when nothing can run. */
static sim_ctx *decide(int cur, bool cur_continues) {
    sim_run *run = sim_R;
    if (cur >= 0)
        settle(&run->cpus[cur]);
    if (at_step_limit())
        sim_reportf(SIM_FINDING_HANG, SIM_SEV_ERROR, NULL, NULL,
                    "the execution reached its step limit (param steps_max, %llu steps) without finishing",
                    (unsigned long long)run->steps_max);
    return current_goes_on(cur, cur_continues) ? run->current : choose_next(cur, cur_continues);
}

void sim_sched_point(void) {
    sim_ctx *self = sim_R->current;
    SIM_ASSERT_STEP(self != NULL && self->state != CTX_DONE);
    if (sim_sanitizer_report_pending)
        sim_sanitizer_report_due();
    sim_check_step();
    /* The decision that started or woke this context already chose it for
     * this step: deciding again would split one step into two decisions. */
    if (self->chosen) {
        self->chosen = false;
        return;
    }
    /* Most steps: the hardware has nothing to do on this CPU and nothing
     * is decided. When only the deciding is left, it is not checked again. */
    int cur = self->cpu;
    bool cur_continues = self->state == CTX_READY;
    sim_ctx *next;
    if (settled(&sim_R->cpus[cur]) && !at_step_limit()) {
        if (current_goes_on(cur, cur_continues))
            return;
        next = choose_next(cur, cur_continues);
    } else {
        next = decide(cur, cur_continues);
    }
    if (next != self)
        sim_ctx_switch_to(next, false);
    SIM_ASSERT_STEP(sim_R->current == self && self->state == CTX_READY);
}

/* A non-negative parameter (a negative one counts as 0). */
static uint64_t bound_param(const char *name, int64_t default_value) {
    int64_t value = sim_param(name, default_value);
    return value > 0 ? (uint64_t)value : 0;
}

void sim_sched_start(void) {
    SIM_BOUNDARY();
    SIM_ASSERT(sim_R->current == NULL);
    sim_run *run = sim_R;
    int64_t liveness_from = sim_param("liveness_from_step", LIVENESS_FROM_STEP_DEFAULT);
    run->fair_from_step = liveness_from >= 0 ? (uint64_t)liveness_from : UINT64_MAX;
    run->fair_wake_latency = bound_param("fair_wake_latency", FAIR_WAKE_LATENCY_DEFAULT);
    run->steps_max = bound_param("steps_max", STEPS_MAX_DEFAULT);
    run->progress_steps_max = bound_param("progress_steps_max", PROGRESS_STEPS_MAX_DEFAULT);
    ask_source_quiet_until();
    sim_ctx_switch_to(decide(-1, false), false);
}

_Noreturn void sim_sched_exit_current(void) {
    SIM_BOUNDARY();
    sim_run *run = sim_R;
    sim_ctx *self = run->current;
    SIM_ASSERT(self != NULL && self->cpu >= 0);
    if (sim_sanitizer_report_pending)
        sim_sanitizer_report_due();
    sim_check_ctx_exit(self);
    /* Ending is a step of its own, so every decision falls on a distinct
     * step and a schedule's "STEP choice" names exactly one decision. */
    sim_trace(SIM_OP_END, -1, 0, 0, NULL);
    run->step++;
    /* The CPU it ran on stays current for the round-robin default. */
    int cpu = self->cpu;
    bool init_done = self->role == SIM_ROLE_INIT;
    if (init_done)
        sim_race_init_done(self);
    sim_race_ctx_end(self);
    sim_ctx_pop(&run->cpus[cpu], self);
    self->state = CTX_DONE;
    sim_options_stale();
    /* The other roles start now, where the hardware puts them. */
    if (init_done) {
        sim_footprint_global();
        run->init_running = false;
        sim_sched_place_threads();
    }
    /* Wakes whoever waits for this context to end (a thread's object). */
    sim_footprint_cpu(cpu);
    sim_footprint_access(&self->ended, sizeof self->ended, true);
    sim_machine_store(&self->ended, 1, (int)sizeof self->ended);
    sim_ctx *next = decide(cpu, false);
    self->fiber->returned = true;
    sim_ctx_switch_to(next, true);
    sim_panic("a finished context was resumed");
}
