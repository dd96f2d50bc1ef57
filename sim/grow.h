/* grow.h: the one way the project grows an array it appends to: by
 * doubling its capacity, from a first size, to at least what is needed. */
#ifndef SIM_GROW_H
#define SIM_GROW_H

#include <stddef.h>

/* `items` (`*cap` of `size` bytes each) reallocated to hold at least
 * `need`, its capacity doubled from `*cap` (or from `first` when there is
 * none yet), with `*cap` updated. `items` itself when it has room already;
 * NULL when memory (or the range of int) runs out, leaving `items` and
 * `*cap` as they were. */
void *sim_grow(void *items, int *cap, int need, size_t size, int first);
/* The same for the machine's own arenas: out of memory is a panic naming
 * `what` the memory was for. */
void *sim_grow_or_panic(void *items, int *cap, int need, size_t size, int first, const char *what);

#endif
