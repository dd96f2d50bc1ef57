/* footprint.h: what the step in progress touched, so partial-order
 * reduction (source_dfs.c) can tell whether two steps of different CPUs
 * commute. A footprint lists byte ranges read or written, named so the
 * same memory has the same name in every run of one exploration (a
 * sim_alloc block by its allocation index, a context's stack by its
 * footprint_name, anything else by its address), plus the CPU state a
 * step changed. A step that did something the ranges cannot describe
 * (dequeued a DPC from whichever CPU holds it, allocated or freed pool,
 * put a waiting thread on an idle CPU, read where another context stands)
 * is `global`: dependent on every other step.
 * Recording is off unless a source turns it on for the run. */
#ifndef SIM_FOOTPRINT_H
#define SIM_FOOTPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SIM_FOOTPRINT_RANGES = 16 };

typedef struct sim_footprint_range {
    uint32_t base; /* what `offset` counts from (footprint.c) */
    bool write;
    uint64_t offset;
    uint64_t size;
} sim_footprint_range;

typedef struct sim_footprint {
    bool global;
    int count;
    sim_footprint_range ranges[SIM_FOOTPRINT_RANGES];
} sim_footprint;

/* Turns recording on or off; a run starts with an empty footprint. */
void sim_footprint_record(bool on);
/* The footprint of the step since the last take, and a fresh one begins. */
void sim_footprint_take(sim_footprint *out);
/* Copies a footprint: the ranges in use only (most steps touch a few). */
void sim_footprint_copy(sim_footprint *to, const sim_footprint *from);

/* On while a source records footprints (sim_footprint_record): the hooks
 * below test it inline, as they sit on every step and plain access. */
extern bool sim_footprint_recording;

void sim_footprint_access_recorded(const volatile void *addr, size_t size, bool write);

static inline void sim_footprint_access(const volatile void *addr, size_t size, bool write) {
    if (sim_footprint_recording)
        sim_footprint_access_recorded(addr, size, write);
}

/* The step changed the state of `cpu` (its IRQL, its stack of contexts,
 * its DPC queue). */
void sim_footprint_cpu(int cpu);
/* The step read the state of every CPU (their DPC queues, their stacks). */
void sim_footprint_cpus_read(void);
/* Interrupt source `source` fired: its fires left, which every CPU's
 * option to take it reads. */
void sim_footprint_irq_source(int source);
/* The thread whose footprint_name is `name` (internal.h) was put on a CPU
 * or taken off one: which CPUs may switch it in. */
void sim_footprint_placement(uint32_t name);

/* The checkers' records of a lock, each named apart from the lock's own
 * word: a step that spins on the word does not touch them, and one that
 * only reads a record commutes with another that only reads it. */
typedef enum sim_lock_record {
    SIM_RECORD_OWNER,  /* the owning context, the wait-for graph's edge */
    SIM_RECORD_USES,   /* the lock kinds it was taken as (R7) */
    SIM_RECORD_LEVELS, /* the highest interrupt level it was taken from, the lowest IRQL it was held at (R11) */
} sim_lock_record;
void sim_footprint_lock_record(const void *lock, sim_lock_record record, bool write);
/* The lock-order graph (R14), which every acquire that holds another lock
 * reads and one that adds an edge writes; a step that changes a lock's
 * IRQL record reads it too, as that verdict follows the edges (R11). */
void sim_footprint_lock_order(bool write);
/* The step went to sleep: the set of sleepers the wait-for graph reads. */
void sim_footprint_sleep(void);
void sim_footprint_global(void);

/* The footprint changes the state of `cpu` (sim_footprint_cpu), or is global. */
bool sim_footprint_writes_cpu(const sim_footprint *footprint, int cpu);

/* Neither is global and no range of one overlaps a range of the other
 * where at least one of them writes. */
bool sim_footprints_independent(const sim_footprint *a, const sim_footprint *b);

#endif
