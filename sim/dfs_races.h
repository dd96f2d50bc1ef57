/* dfs_races.h: the backtrack sets of the DFS source's dynamic partial-order
 * reduction (source_dfs.c says when the search uses them; dfs_races.c
 * finds the races that fill them). */
#ifndef SIM_DFS_RACES_H
#define SIM_DFS_RACES_H

#include <stdbool.h>

#include "sources.h"

/* Forgets every frame's marks and clocks (a new search). */
void sim_dfs_races_reset(void);
/* Frame `frame` is new: none of its options is wanted or tried yet. */
void sim_dfs_races_enter(const sim_dfs_frame *frame);
/* Option `index` of `frame` is the one explored now: wanted and tried. */
void sim_dfs_races_take(const sim_dfs_frame *frame, int index);
/* Option `index` of `frame` is wanted by a race and not tried yet. */
bool sim_dfs_races_pending(const sim_dfs_frame *frame, int index);
/* The step frame `depth`'s choice took is known (its footprint is with
 * dfs_sleep.c): finds the steps before it that race with it and marks at
 * each the alternative that reverses the race. `several_cpus`: the step
 * stands for the steps of every CPU that ran after the last decision (the
 * liveness phase, which the source does not decide). A step is analyzed
 * once per prefix: again only after sim_dfs_races_rewind. */
void sim_dfs_races_stepped(const sim_dfs_state *state, int depth, bool several_cpus);
/* The step frame `depth`'s choice took is over and `next` is the choice
 * after it (NULL: the run ended): an interrupt, DPC or thread switch
 * frame `depth` offered that `next` does not is wanted there, the last
 * place it could happen (later ones are reached through the races of the
 * step that delivers it). */
void sim_dfs_races_offered(const sim_dfs_state *state, int depth, const sim_choice *next);
/* The search branches at frame `depth`: its step and those below are new. */
void sim_dfs_races_rewind(int depth);

#endif
