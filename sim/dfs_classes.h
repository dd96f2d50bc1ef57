/* dfs_classes.h: how many classes of equivalent schedules a DFS search
 * explored, for measuring how much of a search repeats itself (the bench).
 * Two complete runs are in one class when they differ only in the order
 * of independent steps (footprint.h). Off unless the search asks for it. */
#ifndef SIM_DFS_CLASSES_H
#define SIM_DFS_CLASSES_H

#include <stdbool.h>
#include <stdint.h>

#include "sources.h"

/* Forgets the classes seen (a new search). */
void sim_dfs_classes_reset(void);
/* The run that took the choices of `state`'s first `len` frames ended
 * complete: notes its class. `liveness`: its last step ran the liveness
 * phase, every CPU's steps after the last decision. */
void sim_dfs_classes_note(const sim_dfs_state *state, int len, bool liveness);
/* The classes noted since the reset. */
uint64_t sim_dfs_classes_count(void);

#endif
