/* dfs_races.c keeps the backtrack sets of the DFS source's dynamic
 * partial-order reduction (Flanagan and Godefroid, POPL 2005): which
 * alternatives of each frame of the current path a race calls for, and
 * which of those were tried.
 *
 * Each step of the path has an actor: the CPU its choice ran, delivered an
 * interrupt or DPC to, or switched a thread on, and how deep its context
 * sits on that CPU's stack (a lane: the thread, a delivery over it, one
 * over that); the liveness phase's steps of several CPUs belong to one
 * pseudo-actor dependent on every step. Program order holds within a lane
 * only: a DPC delivered over a thread is ordered after the thread's
 * earlier steps only through what they both touch, else a race between the
 * thread's step and another CPU's would hide behind the DPC. Two steps
 * race when they are of different CPUs (or both of the pseudo-actor),
 * their footprints conflict (footprint.h) and neither happens before the
 * other through program order or a chain of conflicting steps, which a
 * vector clock per step tells; two of one CPU are ordered by their
 * conflict, which is the CPU's own order (below), not a race. For the last
 * step racing with a CPU's step, every choice of that CPU at the racing
 * step's frame is wanted. When none of the CPU's choices there that may
 * run the later step's context is awake, more is: every choice where a
 * sleep set holds them; where it has none, the choices of the other CPUs
 * whose steps let that context run and can come first (another CPU
 * queueing its DPC, want_enablers). A pseudo-actor's step wants every
 * choice at each step it races with. A race the search cannot reverse
 * where it happened does not count as the last: one at whose frame no such
 * choice was awake (the earlier step, or one after it, may be what let
 * that context run, as queueing a DPC lets the DPC run), or one the bound
 * refuses there whose block start (below) offers none. The search goes on
 * to the races before it, which a reduced search would otherwise only meet
 * in runs it never takes.
 *
 * The order of the contexts taking turns on one CPU (run on, or take an
 * interrupt first) is the CPU's own, which no race between CPUs calls for:
 * its choices are wanted where a step changes the CPU's IRQL or stack, and
 * where a step of one of its contexts conflicts with the latest
 * conflicting step of another that it can go before
 * (want_own_reorderings); there also the enablers when the CPU had no
 * choice that could run the later context, as when another CPU queued its
 * DPC later. The random programs of tests/scenarios/reduction_random.c
 * found each of these cases missing an outcome before it was handled.
 *
 * A race is found only between steps a run took. A CPU that could run
 * takes its step later in the same run (a run that ends early ends the
 * search or was pruned by a sleep set), but a delivery or switch may
 * never happen in the run that offered it (a timer DPC the thread cancels
 * before the default policy delivers it): one a frame offers and the next
 * decision does not is wanted at that frame, the last place it could
 * happen (and, under a bound, where its block started, below); the races
 * of the step that delivers it lead to earlier ones.
 * Alternatives no race calls for lead only to schedules that reorder
 * independent steps of one already explored, so the search skips them.
 *
 * Under a preemption bound the reversing choice at the racing step may be
 * one the bound refuses; it is also wanted at the first frame of the run
 * of frames that went on running the racing step's context, where
 * choosing otherwise cost no more preemptions than the choice made
 * (bounded partial-order reduction, Coons et al., OOPSLA 2013). */
#include "dfs_races.h"

#include <stdlib.h>
#include <string.h>

#include "dfs_sleep.h"
#include "grow.h"

enum { MARK_WANTED = 1, MARK_TRIED = 2 };

static unsigned char *marks; /* by option, as dfs_sleep.c lays them out */
static int marks_cap;
static int *clocks; /* by depth, `width` each: the last step of each actor before it */
static int clocks_cap;
static int *lasts; /* by depth, `width` each: each actor's last step before it, ordered or not */
static int lasts_cap;
/* What the analysis knows of the step at each depth. */
typedef struct step_note {
    int actor;
    int cpu;          /* the CPU its choice ran, delivered to or switched a thread on */
    int context;      /* the context that took it */
    int put_on;       /* where a choice last put that context on its CPU, or -1 */
    int other_before; /* the latest step before it on its CPU by another context, or -1 */
    bool delivered;   /* that context is an interrupt's or a DPC's */
} step_note;
static step_note *steps;
static int steps_cap;
static int *races; /* the steps the one analyzed races with, latest first */
static int races_cap;
/* The actors of a CPU: its thread, and the interrupts and DPCs delivered
 * over it, by how deep they sit on its stack (deeper ones share the last). */
enum { LANES = 3 };
static int width; /* LANES per CPU, plus the pseudo-actor */
static int analyzed_below;

static void *grow(void *items, int *cap, int need, size_t size) {
    return sim_grow_or_panic(items, cap, need, size, 256, "backtrack sets");
}

void sim_dfs_races_reset(void) { width = analyzed_below = 0; }

void sim_dfs_races_enter(const sim_dfs_frame *frame) {
    marks = grow(marks, &marks_cap, frame->options_at + frame->count, 1);
    memset(&marks[frame->options_at], 0, (size_t)frame->count);
}

void sim_dfs_races_take(const sim_dfs_frame *frame, int index) {
    marks[frame->options_at + index] = MARK_WANTED | MARK_TRIED;
}

bool sim_dfs_races_pending(const sim_dfs_frame *frame, int index) {
    return marks[frame->options_at + index] == MARK_WANTED;
}

void sim_dfs_races_rewind(int depth) {
    if (analyzed_below > depth)
        analyzed_below = depth;
}

static int pseudo_actor(void) { return width - 1; }

static int *clock_of(int depth) { return &clocks[(size_t)depth * (size_t)width]; }

static int *lasts_of(int depth) { return &lasts[(size_t)depth * (size_t)width]; }

/* The CPU of actor `lane` (not the pseudo-actor). */
static int cpu_of(int lane) { return lane / LANES; }

/* The last step of `cpu` before step `depth`, of any of its lanes, or -1. */
static int cpu_last(int depth, int cpu) {
    int last = -1;
    for (int lane = cpu * LANES; lane < (cpu + 1) * LANES; lane++)
        if (lasts_of(depth)[lane] > last)
            last = lasts_of(depth)[lane];
    return last;
}

static void want_all(const sim_dfs_frame *frame) {
    for (int i = 0; i < frame->count; i++)
        marks[frame->options_at + i] |= MARK_WANTED;
}

/* `option` may run the context that took step `later`: it runs or
 * switches in that context, or it delivers an interrupt or a DPC and that
 * context is one. */
static bool leads_to(const sim_option *option, const step_note *later) {
    if (sim_option_delivers(option))
        return later->delivered;
    return option->target == later->context;
}

/* What a CPU's choices at a frame, besides the one taken there, offer
 * toward running a later step's context. */
typedef enum reach { REACH_NONE, REACH_ASLEEP, REACH_AWAKE } reach;

/* Wants every choice of `cpu` at `frame`: running it, and each interrupt,
 * DPC or thread switch on it. Returns whether one of them besides the
 * choice taken there may run the context of step `later` (NULL: any),
 * and whether one of those is awake. */
static reach want_cpu(const sim_dfs_frame *frame, int cpu, const step_note *later) {
    const int taken = sim_dfs_index_of(frame, frame->ordinal);
    reach found = REACH_NONE;
    for (int i = 0; i < frame->count; i++) {
        const sim_option *option = sim_dfs_option(frame, i);
        if (option->cpu != cpu)
            continue;
        marks[frame->options_at + i] |= MARK_WANTED;
        if (i == taken || (later != NULL && !leads_to(option, later)) || found == REACH_AWAKE)
            continue;
        found = sim_dfs_sleep_asleep(frame, i) ? REACH_ASLEEP : REACH_AWAKE;
    }
    return found;
}

static bool dependent(int a, int b) {
    return steps[a].actor == pseudo_actor() || steps[b].actor == pseudo_actor() ||
           !sim_footprints_independent(sim_dfs_footprint(a), sim_dfs_footprint(b));
}

/* Wants at frame `depth` the choices of each CPU, but `cpu` and the one
 * that took the step there, with steps after `depth` up to step `upto`
 * (of actor `upto_actor`, with clock `upto_clock`), unless the first of
 * them happens after frame `depth`'s step: the reordered run can start
 * with them. */
static void want_chain(const sim_dfs_state *state, int depth, int cpu, int upto, int upto_actor,
                       const int *upto_clock) {
    const sim_dfs_frame *frame = &state->frames[depth];
    const int actor = steps[depth].actor;
    for (int a = 0; a < width; a++) {
        const int last = a == upto_actor ? upto : upto_clock[a];
        if (last <= depth)
            continue;
        if (a == pseudo_actor()) {
            want_all(frame);
            return;
        }
        if (cpu_of(a) == cpu || cpu_of(a) == steps[depth].cpu)
            continue;
        int first = last;
        while (lasts_of(first)[a] > depth)
            first = lasts_of(first)[a];
        if (clock_of(first)[actor] < depth)
            want_cpu(frame, cpu_of(a), NULL);
    }
}

/* Frame `depth` had no choice that could run the context of step `later`
 * on `cpu`: wants there the choices of the other CPUs whose steps can
 * come first and lead to that context. For an interrupt or a DPC
 * delivered after `depth`, the steps that let the delivery happen (another
 * CPU queueing the DPC writes the state of `cpu`, which the delivery
 * reads) and those before them; what `cpu` did itself (lowering its IRQL)
 * calls for nothing more, as its own choices are wanted already. For any
 * other context, every step ordered before `later` (its clock). */
static void want_enablers(const sim_dfs_state *state, int depth, int cpu, int later) {
    const int delivery = steps[later].put_on;
    if (!steps[later].delivered || delivery < 0) {
        want_chain(state, depth, cpu, -1, -1, clock_of(later));
        return;
    }
    for (int q = depth + 1; q < delivery; q++)
        if (steps[q].cpu != cpu && dependent(q, delivery))
            want_chain(state, depth, cpu, q, steps[q].actor, clock_of(q));
}

/* As want_cpu for step `later`, and more when none of the choices of
 * `cpu` besides the one taken at `depth` that may run its context is
 * awake: every choice when a sleep set holds them (the steps that lead to
 * the reversed order may then start with another CPU's), the enablers
 * when there are none. Returns whether one is awake. */
static bool want_cpu_or_more(const sim_dfs_state *state, int depth, int cpu, int later) {
    switch (want_cpu(&state->frames[depth], cpu, &steps[later])) {
    case REACH_AWAKE:
        return true;
    case REACH_ASLEEP:
        want_all(&state->frames[depth]);
        return false;
    case REACH_NONE:
        want_enablers(state, depth, cpu, later);
        return false;
    }
    return false;
}

static bool is_injection(const sim_option *option) { return option->kind != SIM_OPT_RUN; }

/* `choice` offers the injection `option`. */
static bool offers(const sim_choice *choice, const sim_option *option) {
    for (int i = choice->runs; i < choice->count; i++)
        if (sim_option_same(&choice->options[i], option))
            return true;
    return false;
}

/* The frame let the running context go on, as its default does when the
 * context can: anything else there would have been a preemption. */
static bool went_on(const sim_dfs_frame *frame) { return frame->cur_continues && frame->ordinal == 0; }

/* Under a bound, where the context that took frame `depth`'s step started
 * running: the latest frame at or before it whose choice was free or was
 * itself a preemption. Choosing another there costs no more preemptions
 * than the choice that was made. */
static int block_start(const sim_dfs_state *state, int depth) {
    if (state->bound < 0)
        return depth;
    while (depth > 0 && went_on(&state->frames[depth]))
        depth--;
    return depth;
}

/* Wants option `index` of frame `depth`, the last place it could happen,
 * and (under a bound) at the start of the block of frames that went on
 * running the context there, if offered there too: taking it there costs
 * no more preemptions than the schedule that was run. */
static void want_vanishing(const sim_dfs_state *state, int depth, int index) {
    const sim_dfs_frame *frame = &state->frames[depth];
    marks[frame->options_at + index] |= MARK_WANTED;
    const int block = block_start(state, depth);
    if (block == depth)
        return;
    const sim_dfs_frame *start = &state->frames[block];
    for (int i = 0; i < start->count; i++)
        if (sim_option_same(sim_dfs_option(start, i), sim_dfs_option(frame, index)))
            marks[start->options_at + i] |= MARK_WANTED;
}

void sim_dfs_races_offered(const sim_dfs_state *state, int depth, const sim_choice *next) {
    const sim_dfs_frame *frame = &state->frames[depth];
    int taken = sim_dfs_index_of(frame, frame->ordinal);
    /* Injections follow the run choices (sim_choice); most steps leave
     * them as they were, in the same order. */
    int first = frame->count;
    while (first > 0 && is_injection(sim_dfs_option(frame, first - 1)))
        first--;
    if (next != NULL && next->count - next->runs == frame->count - first) {
        int same = 0;
        while (same < frame->count - first &&
               sim_option_same(sim_dfs_option(frame, first + same), &next->options[next->runs + same]))
            same++;
        if (same == frame->count - first)
            return;
    }
    for (int i = first; i < frame->count; i++)
        if (i != taken && (next == NULL || !offers(next, sim_dfs_option(frame, i))))
            want_vanishing(state, depth, i);
}

/* Wants every choice of `cpu` at frame `depth`, and at the start of the
 * block of frames that went on running its context (under a bound). */
static void want_cpu_choices(const sim_dfs_state *state, int depth, int cpu) {
    want_cpu(&state->frames[depth], cpu, NULL);
    const int block = block_start(state, depth);
    if (block != depth)
        want_cpu(&state->frames[block], cpu, NULL);
}

/* Reverses the order of frame `depth`'s step and step `later` of `cpu`'s:
 * want_cpu_or_more there and at the start of its block (under a bound).
 * Returns whether that reverses it: a choice of `cpu` awake at `depth`
 * within the bound, or one awake at the block's start. */
static bool want_cpu_reversal(const sim_dfs_state *state, int depth, int cpu, int later) {
    bool reversed =
        want_cpu_or_more(state, depth, cpu, later) && sim_dfs_alternative_allowed(state, &state->frames[depth]);
    const int block = block_start(state, depth);
    if (block != depth)
        reversed |= want_cpu_or_more(state, block, cpu, later);
    return reversed;
}

/* The context that took frame `depth`'s step: the one its choice ran,
 * delivered or switched in; the latest step of another context on its
 * CPU; and where a choice last put that context on its CPU. */
static void note_context(const sim_dfs_state *state, int depth, int cpu) {
    const sim_dfs_frame *frame = &state->frames[depth];
    const sim_option *taken = sim_dfs_taken(frame);
    const bool delivered = sim_option_delivers(taken);
    step_note *note = &steps[depth];
    const int ctx = note->context = sim_dfs_taken_context(frame);
    const int previous = cpu_last(depth, cpu);
    note->other_before = previous < 0 || steps[previous].context != ctx ? previous : steps[previous].other_before;
    note->put_on = -1;
    note->delivered = delivered;
    if (taken->kind != SIM_OPT_RUN) {
        note->put_on = depth;
        return;
    }
    /* Back over the other contexts' turns on the CPU, a turn at a time. */
    for (int k = previous; k >= 0; k = steps[k].other_before)
        if (steps[k].context == ctx) {
            note->put_on = steps[k].put_on;
            note->delivered = steps[k].delivered;
            return;
        }
}

/* Different contexts take turns on one CPU: the interrupts and DPCs
 * delivered to it and the threads switched onto it, over the context they
 * preempt. Their order is the CPU's own to choose, which no race between
 * CPUs calls for, and it matters only where their steps conflict, or
 * where a step changes the CPU's IRQL or stack, and with it which
 * deliveries it takes. So the CPU's choices are wanted at such a step
 * (delivering before it), and, at the latest step of another context on
 * the CPU that conflicts with this one, there (this context first, and
 * the other CPUs' steps that let it run, want_cpu_reversal) and where a
 * choice put that context on the CPU (the other order). Where this context
 * cannot go first (a periodic timer's third expiry cannot run before its
 * first), the conflicting step before that one is reversed too, and so
 * on. */
static void want_own_reorderings(const sim_dfs_state *state, int depth, int cpu) {
    const sim_option *taken = sim_dfs_taken(&state->frames[depth]);
    if (taken->kind == SIM_OPT_RUN && sim_footprint_writes_cpu(sim_dfs_footprint(depth), cpu))
        want_cpu_choices(state, depth, cpu);
    for (int k = steps[depth].other_before; k >= 0;) {
        if (steps[k].context == steps[depth].context) {
            k = steps[k].other_before;
            continue;
        }
        if (dependent(k, depth)) {
            const bool reversed = want_cpu_reversal(state, k, cpu, depth);
            if (steps[k].put_on >= 0)
                want_cpu_choices(state, steps[k].put_on, cpu);
            if (reversed)
                return;
        }
        k = cpu_last(k, cpu);
    }
}

static int actor_of(const sim_dfs_state *state, int depth, bool several_cpus) {
    if (several_cpus)
        return pseudo_actor();
    const sim_dfs_frame *frame = &state->frames[depth];
    const int level = frame->level < LANES - 1 ? frame->level : LANES - 1;
    return sim_dfs_taken(frame)->cpu * LANES + level;
}

void sim_dfs_races_stepped(const sim_dfs_state *state, int depth, bool several_cpus) {
    if (depth < analyzed_below)
        return;
    analyzed_below = depth + 1;
    if (width == 0)
        width = sim_R->cpu_count * LANES + 1;
    steps = grow(steps, &steps_cap, depth + 1, sizeof *steps);
    clocks = grow(clocks, &clocks_cap, (depth + 1) * width, sizeof *clocks);
    lasts = grow(lasts, &lasts_cap, (depth + 1) * width, sizeof *lasts);
    int actor = steps[depth].actor = actor_of(state, depth, several_cpus);
    bool pseudo = actor == pseudo_actor();
    int *clock = clock_of(depth), *last = lasts_of(depth);
    for (int a = 0; a < width; a++)
        last[a] = depth > 0 ? lasts_of(depth - 1)[a] : -1;
    if (depth > 0)
        last[steps[depth - 1].actor] = depth - 1;
    const int cpu = steps[depth].cpu = pseudo ? -1 : cpu_of(actor);
    if (!pseudo)
        note_context(state, depth, cpu);
    /* Program order: the lane's previous step and what came before it. The
     * pseudo-actor's steps have none: two injections, or an injection and
     * the liveness phase's steps, are ordered only by what they touch. */
    int previous = pseudo ? -1 : last[actor];
    if (previous >= 0)
        memcpy(clock, clock_of(previous), (size_t)width * sizeof *clock);
    else
        for (int a = 0; a < width; a++)
            clock[a] = -1;
    /* The earlier steps not ordered before this one, latest first: each
     * actor's, from its last, down to where the clock orders the rest. */
    int next_of[SIM_CPUS_MAX * LANES + 1];
    for (int a = 0; a < width; a++)
        next_of[a] = a == actor && !pseudo ? -1 : last[a];
    int race_count = 0;
    for (;;) {
        int other = -1, earlier = -1;
        for (int a = 0; a < width; a++)
            if (next_of[a] > clock[a] && next_of[a] > earlier)
                earlier = next_of[other = a];
        if (other < 0)
            break;
        next_of[other] = lasts_of(earlier)[other];
        if (!dependent(earlier, depth))
            continue;
        if (pseudo || steps[earlier].cpu != cpu) {
            races = grow(races, &races_cap, race_count + 1, sizeof *races);
            races[race_count++] = earlier;
        }
        const int *seen = clock_of(earlier);
        for (int a = 0; a < width; a++)
            if (seen[a] > clock[a])
                clock[a] = seen[a];
    }
    clock[actor] = depth;
    /* Reversed once the clock is whole (want_enablers reads it): the steps
     * that let this one's context run may lie between a race's block
     * start and the race. */
    bool reversed = false;
    for (int i = 0; i < race_count; i++) {
        if (pseudo) {
            want_all(&state->frames[races[i]]);
            want_all(&state->frames[block_start(state, races[i])]);
        } else if (!reversed) {
            reversed = want_cpu_reversal(state, races[i], cpu, depth);
        }
    }
    if (!pseudo)
        want_own_reorderings(state, depth, cpu);
}
