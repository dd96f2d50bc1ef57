/* source_dfs.c: bounded exhaustive search, stateless (CHESS): each run
 * replays the decisions of the previous one up to its deepest decision that
 * still has an untried alternative, takes that alternative, and continues
 * with the default policy first at every new decision. A choice that is not
 * the default while the running context could go on costs one preemption;
 * alternatives beyond the bound are not explored. */
#include "sources.h"

static void dfs_begin(sim_source *self) {
    sim_dfs_state *state = self->state;
    state->pos = 0;
    state->preemptions = 0;
}

/* The option index of alternative `ordinal`: the default first, then every
 * other option in list order. */
static int index_of(const sim_dfs_frame *frame, int ordinal) {
    if (ordinal == 0)
        return frame->default_index;
    return ordinal - 1 < frame->default_index ? ordinal - 1 : ordinal;
}

static int dfs_choose(sim_source *self, const sim_choice *choice) {
    sim_dfs_state *state = self->state;
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
        frame = &state->frames[state->len++];
        bool cur_continues = false;
        for (int i = 0; i < choice->count; i++)
            cur_continues |= sim_choice_preempts(choice, i);
        *frame = (sim_dfs_frame){.ordinal = 0,
                                 .count = choice->count,
                                 .default_index = choice->default_index,
                                 .preempt_before = state->preemptions,
                                 .cur_continues = cur_continues};
    }
    state->pos++;
    int chosen = index_of(frame, frame->ordinal);
    if (sim_choice_preempts(choice, chosen))
        state->preemptions++;
    return chosen;
}

static bool alternative_allowed(const sim_dfs_state *state, const sim_dfs_frame *frame) {
    return !frame->cur_continues || state->bound < 0 || frame->preempt_before < state->bound;
}

/* Moves to the next schedule; false once the space is exhausted. */
static bool dfs_end(sim_source *self) {
    sim_dfs_state *state = self->state;
    state->schedules++;
    /* Decisions past where this run stopped (a finding) are not part of it. */
    state->len = state->pos;
    while (state->len > 0) {
        sim_dfs_frame *frame = &state->frames[state->len - 1];
        if (frame->ordinal + 1 < frame->count && alternative_allowed(state, frame)) {
            frame->ordinal++;
            return true;
        }
        state->len--;
    }
    state->exhausted = true;
    return false;
}

void sim_source_dfs(sim_source *source, sim_dfs_state *state, int preemption_bound) {
    state->bound = preemption_bound;
    state->len = state->pos = state->preemptions = 0;
    state->schedules = 0;
    state->exhausted = state->truncated = false;
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
