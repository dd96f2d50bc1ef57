/* source_dfs.c: bounded exhaustive search, stateless (CHESS): each run
 * replays the decisions of the previous one up to its deepest decision that
 * still has an untried alternative, takes that alternative, and continues
 * with the default policy first at every new decision. A choice that is not
 * the default while the running context could go on costs one preemption;
 * alternatives beyond the bound are not explored.
 *
 * Partial-order reduction (`reduce`): sleep sets (Godefroid, 1996) over
 * the footprints of steps (footprint.h). After the subtree of alternative
 * A at a decision is explored, A sleeps in the subtrees of the later
 * alternatives until a step dependent on A is taken; a sleeping choice is
 * not taken, and a run whose every choice is asleep stops there
 * (SIM_END_PRUNED). Each class of schedules that differ only in the order
 * of independent steps is then explored once instead of once per order.
 *
 * The reduction is also dynamic (Flanagan and Godefroid, 2005): an
 * alternative is explored only when a race in a run calls for it, the
 * race of two dependent steps of different CPUs that the alternative
 * reverses, or an order of two contexts on one CPU that matters, or a
 * delivery about to vanish unexplored (dfs_races.c). The search then
 * explores at least one schedule of each class, and often one only.
 *
 * With the preemption bound, reversing a race at the racing step may cost
 * a preemption the bound refuses. So a race is also reversed where the
 * context that took the racing step started running, which costs no more
 * preemptions than the schedule that was run (Coons, Musuvathi and
 * McKinley, "Bounded partial-order reduction", 2013); alternatives beyond
 * the bound are still cut. The sleep sets combine soundly only where the
 * bound cut nothing: a schedule that takes a sleeper late may cost fewer
 * preemptions than its equivalent that took it first, and that one may be
 * beyond the bound. So an explored alternative puts others to sleep only
 * when the bound cut no schedule from its subtree, or when it is the
 * default where the running context could go on, whose equivalents never
 * cost more (dfs_sleep.c's done alternatives).
 *
 * With `count_classes` (the bench), every run's choices and footprints
 * are kept, reduced or not, and each run that ended names its class of
 * equivalent schedules (dfs_classes.c). */
#include "dfs_classes.h"
#include "dfs_races.h"
#include "dfs_sleep.h"
#include "footprint.h"
#include "sources.h"

/* The search keeps each step's options and footprint: the reduction
 * needs them, and so does counting classes. */
static bool keeps_steps(const sim_dfs_state *state) { return state->reduce || state->count_classes; }

static void dfs_begin(sim_source *self) {
    sim_dfs_state *state = self->state;
    state->pos = 0;
    state->preemptions = 0;
    sim_footprint_record(keeps_steps(state));
}

int sim_dfs_index_of(const sim_dfs_frame *frame, int ordinal) {
    if (ordinal == 0)
        return frame->default_index;
    return ordinal - 1 < frame->default_index ? ordinal - 1 : ordinal;
}

bool sim_dfs_alternative_allowed(const sim_dfs_state *state, const sim_dfs_frame *frame) {
    return !frame->cur_continues || state->bound < 0 || frame->preempt_before < state->bound;
}

/* The first alternative from `ordinal` on that is awake, called for by a
 * race and not tried yet when `wanted_only` (dfs_races.c), and within the
 * bound; or -1. Alternatives the bound refuses are a cut. */
static int next_alternative(const sim_dfs_state *state, sim_dfs_frame *frame, int ordinal, bool wanted_only) {
    for (; ordinal < frame->count; ordinal++) {
        int index = sim_dfs_index_of(frame, ordinal);
        if ((wanted_only && !sim_dfs_races_pending(frame, index)) ||
            (state->reduce && sim_dfs_sleep_asleep(frame, index)))
            continue;
        if (ordinal == 0 || sim_dfs_alternative_allowed(state, frame))
            return ordinal;
        frame->cut_any = true;
        return -1;
    }
    return -1;
}

/* A new decision at `state->len`: returns its frame, or NULL when every
 * choice there is asleep or beyond the bound. */
static sim_dfs_frame *enter(sim_dfs_state *state, const sim_choice *choice) {
    sim_dfs_frame *frame = &state->frames[state->len];
    bool cur_continues = false;
    for (int i = 0; i < choice->count; i++)
        cur_continues |= sim_choice_preempts(choice, i);
    *frame = (sim_dfs_frame){.ordinal = 0,
                             .count = choice->count,
                             .default_index = choice->default_index,
                             .preempt_before = state->preemptions,
                             .cur_continues = cur_continues,
                             .ctx_next = sim_R->ctx_count};
    if (keeps_steps(state))
        sim_dfs_sleep_enter(state, state->len, choice);
    if (!state->reduce)
        return state->len++, frame;
    frame->ordinal = next_alternative(state, frame, 0, false);
    if (frame->ordinal < 0) {
        if (state->len > 0)
            state->frames[state->len - 1].cut_here |= frame->cut_any;
        return NULL;
    }
    sim_dfs_races_enter(frame);
    sim_dfs_races_take(frame, sim_dfs_index_of(frame, frame->ordinal));
    state->len++;
    return frame;
}

static int dfs_choose(sim_source *self, const sim_choice *choice) {
    sim_dfs_state *state = self->state;
    if (keeps_steps(state) && state->pos > 0) {
        sim_footprint footprint;
        sim_footprint_take(&footprint);
        sim_dfs_sleep_stepped(state->pos - 1, &footprint);
    }
    if (state->reduce && state->pos > 0) {
        sim_dfs_races_stepped(state, state->pos - 1, false);
        sim_dfs_races_offered(state, state->pos - 1, choice);
    }
    sim_dfs_frame *frame;
    if (state->pos < state->len) {
        frame = &state->frames[state->pos];
        /* The same prefix must offer the same options: runs are deterministic. */
        SIM_ASSERT(frame->count == choice->count && frame->default_index == choice->default_index);
    } else {
        if (state->len == SIM_DFS_DEPTH_MAX) {
            state->truncated = true;
            return choice->default_index;
        }
        frame = enter(state, choice);
        if (frame == NULL) {
            state->pruned++;
            sim_R->end = SIM_END_PRUNED;
            sim_run_stop();
        }
    }
    state->pos++;
    int chosen = sim_dfs_index_of(frame, frame->ordinal);
    /* Where its context sits on the CPU's stack, for the reduction's lanes
     * (dfs_races.c): a delivery goes on top; a run or a switch is the top
     * (an idle CPU's thread starts at the bottom). */
    if (state->reduce) {
        const sim_option *option = &choice->options[chosen];
        const int on_stack = sim_R->cpus[option->cpu].depth;
        frame->level = sim_option_delivers(option) ? on_stack : on_stack > 0 ? on_stack - 1 : 0;
    }
    if (sim_choice_preempts(choice, chosen))
        state->preemptions++;
    return chosen;
}

/* The footprint of the run's last step: cut short by a finding, it may
 * lack what the rest of the step would have touched. A run that ended
 * (pruned ones did not) then has its class noted, if counted. */
static void note_last_step(sim_dfs_state *state) {
    sim_footprint footprint;
    sim_footprint_take(&footprint);
    if (state->pos == 0 || sim_R->end == SIM_END_PRUNED)
        return;
    footprint.global |= sim_R->end != SIM_END_DONE;
    sim_dfs_sleep_stepped(state->pos - 1, &footprint);
    /* In the liveness phase the steps after the last decision are of
     * every CPU that ran. */
    const bool liveness = sim_sched_fair();
    if (state->count_classes)
        sim_dfs_classes_note(state, state->pos, liveness);
    if (!state->reduce)
        return;
    sim_dfs_races_stepped(state, state->pos - 1, liveness);
    sim_dfs_races_offered(state, state->pos - 1, NULL);
}

/* Moves to the next schedule; false once the space is exhausted. */
static bool dfs_end(sim_source *self) {
    sim_dfs_state *state = self->state;
    state->schedules++;
    if (keeps_steps(state))
        note_last_step(state);
    /* Decisions past where this run stopped (a finding) are not part of it. */
    state->len = state->pos;
    while (state->len > 0) {
        sim_dfs_frame *frame = &state->frames[state->len - 1];
        if (state->reduce)
            sim_dfs_sleep_done(state, state->len - 1, sim_dfs_index_of(frame, frame->ordinal));
        /* Reduced, any alternative a race called for, earlier ones too;
         * else the next in order. */
        int next = next_alternative(state, frame, state->reduce ? 0 : frame->ordinal + 1, state->reduce);
        if (next >= 0) {
            frame->ordinal = next;
            if (state->reduce) {
                sim_dfs_races_take(frame, sim_dfs_index_of(frame, next));
                sim_dfs_races_rewind(state->len - 1);
            }
            return true;
        }
        state->len--;
        if (state->len > 0)
            state->frames[state->len - 1].cut_here |= frame->cut_any;
    }
    state->exhausted = true;
    return false;
}

void sim_source_dfs(sim_source *source, sim_dfs_state *state, int preemption_bound, bool reduce, bool count_classes) {
    state->bound = preemption_bound;
    state->reduce = reduce;
    state->count_classes = count_classes;
    state->len = state->pos = state->preemptions = 0;
    state->schedules = state->pruned = 0;
    state->exhausted = state->truncated = false;
    sim_dfs_sleep_reset();
    sim_dfs_races_reset();
    sim_dfs_classes_reset();
    sim_footprint_record(keeps_steps(state));
    *source =
        (sim_source){.name = "dfs", .run_begin = dfs_begin, .choose = dfs_choose, .run_end = dfs_end, .state = state};
}

/* The share of the tree before the current path, each decision's choices
 * weighted alike: alternative k of n at a decision whose ancestors had
 * n1, n2... choices counts k / (n * n1 * n2 ...). Alternatives the bound
 * prunes count as explored when passed, so it is an estimate. */
double sim_dfs_explored(const sim_dfs_state *state) {
    if (state->exhausted)
        return 1.0;
    double share = 0, weight = 1;
    for (int d = 0; d < state->len && weight > 1e-12; d++) {
        const sim_dfs_frame *frame = &state->frames[d];
        weight /= frame->count > 0 ? frame->count : 1;
        share += frame->ordinal * weight;
    }
    return share;
}
