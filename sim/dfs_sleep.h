/* dfs_sleep.h: the sleep sets of the DFS source's partial-order reduction
 * (source_dfs.c says how the search uses them; dfs_sleep.c keeps them). */
#ifndef SIM_DFS_SLEEP_H
#define SIM_DFS_SLEEP_H

#include "footprint.h"
#include "sources.h"

/* The option index of alternative `ordinal` of `frame` (source_dfs.c). */
int sim_dfs_index_of(const sim_dfs_frame *frame, int ordinal);

/* Forgets every frame's options and sleep set (a new search). */
void sim_dfs_sleep_reset(void);
/* Frame `depth` is new: keeps its options and computes its sleep set from
 * the frame above: that frame's sleepers and done alternatives that are
 * independent of the step its choice took. */
void sim_dfs_sleep_enter(sim_dfs_state *state, int depth, const sim_choice *choice);
/* Option `index` of `frame`, as the choice offered it. */
const sim_option *sim_dfs_option(const sim_dfs_frame *frame, int index);
/* The option `frame`'s current alternative took. */
const sim_option *sim_dfs_taken(const sim_dfs_frame *frame);
/* The context that took the step of `frame`'s current alternative: the
 * one it ran or switched in, or the one its delivery created. */
int sim_dfs_taken_context(const sim_dfs_frame *frame);
/* The footprint of the step frame `depth`'s choice took
 * (sim_dfs_sleep_stepped). */
const sim_footprint *sim_dfs_footprint(int depth);
/* Option `index` of `frame` is in the frame's sleep set. */
bool sim_dfs_sleep_asleep(const sim_dfs_frame *frame, int index);
/* The footprint of the step frame `depth`'s choice took in this run. */
void sim_dfs_sleep_stepped(int depth, const sim_footprint *footprint);
/* Frame `depth` is the deepest again: forgets the frames below it and,
 * unless the bound cut from its subtree schedules that later alternatives
 * would miss (dfs_sleep.c), adds the alternative just explored to its
 * done alternatives. */
void sim_dfs_sleep_done(sim_dfs_state *state, int depth, int index);

#endif
