/* shadow.h: the machine's view of driver memory (shadow.c): every plain
 * load and store of driver code, checked against the run's happens-before
 * relation (race.h) for data races and against the pool model for use
 * after free. */
#ifndef SIM_SHADOW_H
#define SIM_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_site.h"

/* Starts a run: nothing accessed, nothing freed. */
void sim_shadow_run_begin(void);
/* A plain access of driver code by the current context to [addr, addr +
 * size), `pc` the code address right after it (the instrumentation's
 * return address, or that of a call of a C library memory routine,
 * driver_memory.c). Reports `data-race` or `use-after-free` and does not
 * return then. */
void sim_shadow_access(uintptr_t addr, size_t size, bool write, uintptr_t pc);
/* The atomic layer touches [addr, addr + size): later plain accesses there
 * synchronise instead of racing (race.h). */
void sim_shadow_mark_sync(const volatile void *addr, int size);
/* Pool freed at `site`: later accesses to it are use-after-free. */
void sim_shadow_free(const void *start, size_t size, const sim_site *site);
/* Where the pool block holding `addr` was freed, or NULL when it was not. */
const sim_site *sim_shadow_freed_at(const volatile void *addr);

#endif
