/* dfs_sleep.c keeps the sleep sets of the DFS source (source_dfs.c): for
 * each frame of the current path its options, its sleep set (alternatives
 * a schedule explored elsewhere already covers, each with the footprint of
 * the step it takes) and its done alternatives (explored here, with the
 * footprint their step had). All live in two arenas used as stacks: a
 * frame's entries follow its parent's, and only the deepest frame grows.
 *
 * An alternative sleeps below a choice when the two are of different
 * CPUs (running one, delivering an interrupt or a DPC to it, or switching
 * a thread onto it) and their steps' footprints are independent
 * (footprint.h): taking them in either order reaches the same state, so
 * the subtree that already took the sleeper first covers every schedule
 * that takes it after. It wakes (leaves the set) at the first step it is
 * dependent on. */
#include "dfs_sleep.h"

#include <stdlib.h>

#include "grow.h"

typedef struct sleeper {
    sim_option option;
    sim_footprint footprint;
} sleeper;

static sim_option *options;
static int options_len, options_cap;
static sleeper *sleepers;
static int sleepers_len, sleepers_cap;
static sim_footprint *stepped; /* by depth */
static int stepped_cap;

static void *grow(void *items, int *cap, int need, size_t size) {
    return sim_grow_or_panic(items, cap, need, size, 256, "sleep sets");
}

void sim_dfs_sleep_reset(void) { options_len = sleepers_len = 0; }

static bool independent(const sleeper *s, const sim_option *option, const sim_footprint *footprint) {
    return s->option.cpu != option->cpu && sim_footprints_independent(&s->footprint, footprint);
}

/* The alternative `index` just explored at `frame` covers the schedules
 * of later alternatives that take it late. Where the bound cut schedules
 * from its subtree, the equivalent that took it first may be one of them,
 * unless it is the default where the running context could go on: each
 * later alternative there is a preemption that taking the default first
 * saves, and the only one taking it first can add is a switch away from
 * its context where the rest of the schedule goes on with that context,
 * which the schedule that took it late did for free. So that equivalent
 * costs no more preemptions, and the bound kept it. */
static bool covers_later(const sim_dfs_frame *frame, int index) {
    return !frame->cut_here || (index == frame->default_index && frame->cur_continues);
}

static int frame_end(const sim_dfs_frame *frame) { return frame->sleep_at + frame->sleep_count + frame->done_count; }

void sim_dfs_sleep_enter(sim_dfs_state *state, int depth, const sim_choice *choice) {
    sim_dfs_frame *frame = &state->frames[depth];
    const sim_dfs_frame *parent = depth > 0 ? &state->frames[depth - 1] : NULL;
    options_len = parent != NULL ? parent->options_at + parent->count : 0;
    options = grow(options, &options_cap, options_len + choice->count, sizeof *options);
    frame->options_at = options_len;
    for (int i = 0; i < choice->count; i++)
        options[options_len++] = choice->options[i];
    frame->sleep_at = sleepers_len = parent != NULL ? frame_end(parent) : 0;
    frame->sleep_count = frame->done_count = 0;
    frame->cut_here = frame->cut_any = false;
    if (parent == NULL)
        return;
    const sim_option *taken = sim_dfs_taken(parent);
    const sim_footprint *footprint = &stepped[depth - 1];
    for (int i = parent->sleep_at; i < frame_end(parent); i++) {
        if (!independent(&sleepers[i], taken, footprint))
            continue;
        sleepers = grow(sleepers, &sleepers_cap, sleepers_len + 1, sizeof *sleepers);
        sleepers[sleepers_len++] = sleepers[i];
        frame->sleep_count++;
    }
}

const sim_option *sim_dfs_option(const sim_dfs_frame *frame, int index) { return &options[frame->options_at + index]; }

const sim_option *sim_dfs_taken(const sim_dfs_frame *frame) {
    return sim_dfs_option(frame, sim_dfs_index_of(frame, frame->ordinal));
}

int sim_dfs_taken_context(const sim_dfs_frame *frame) {
    const sim_option *taken = sim_dfs_taken(frame);
    return sim_option_delivers(taken) ? frame->ctx_next : taken->target;
}

const sim_footprint *sim_dfs_footprint(int depth) { return &stepped[depth]; }

bool sim_dfs_sleep_asleep(const sim_dfs_frame *frame, int index) {
    const sim_option *option = &options[frame->options_at + index];
    for (int i = frame->sleep_at; i < frame->sleep_at + frame->sleep_count; i++)
        if (sim_option_same(&sleepers[i].option, option))
            return true;
    return false;
}

void sim_dfs_sleep_stepped(int depth, const sim_footprint *footprint) {
    stepped = grow(stepped, &stepped_cap, depth + 1, sizeof *stepped);
    sim_footprint_copy(&stepped[depth], footprint);
}

void sim_dfs_sleep_done(sim_dfs_state *state, int depth, int index) {
    sim_dfs_frame *frame = &state->frames[depth];
    options_len = frame->options_at + frame->count;
    sleepers_len = frame_end(frame);
    if (covers_later(frame, index)) {
        sleepers = grow(sleepers, &sleepers_cap, sleepers_len + 1, sizeof *sleepers);
        sleeper *done = &sleepers[sleepers_len++];
        done->option = options[frame->options_at + index];
        sim_footprint_copy(&done->footprint, &stepped[depth]);
        frame->done_count++;
    }
    frame->cut_any |= frame->cut_here;
    frame->cut_here = false;
}
