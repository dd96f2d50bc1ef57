/* footprint.c records the footprint of the step in progress (footprint.h)
 * from the machine's hooks: the atomic layer, plain accesses of driver
 * code (shadow.c), the checkers' lock records, and everything that changes
 * which contexts exist or where they run (global).
 *
 * Names that hold across runs: the runs of one exploration replay the same
 * prefix, but the host may hand sim_alloc a different address each time,
 * and contexts take fiber stacks from a pool. So a byte in a sim_alloc
 * block is named by the block's allocation index and its offset, a byte on
 * a context's stack by the context's footprint_name (internal.h) and its
 * offset in the stack, and anything else (driver globals) by its address,
 * which a process keeps. */
#include "footprint.h"

#include <string.h>

#include "internal.h"

enum {
    BASE_ADDRESS = 0,
    BASE_CPU = 1,
    BASE_LOCK_ORDER = 2,
    BASE_SLEEPERS = 3,
    BASE_IRQ_SOURCES = 4,           /* + source id */
    BASE_PLACEMENT = 5,             /* + the thread's footprint_name */
    BASE_BLOCK_FIRST = 0x100,       /* + allocation index */
    BASE_STACK_FIRST = 0x40000000u, /* + the context's footprint_name */
    /* Or'ed into a lock's name: the checkers' records of it, one byte
     * each from the lock's own offset on (every lock is wider than its
     * records, and an overlap would only order more). */
    BASE_RECORD_FLAG = 0x80000000u,
};

bool sim_footprint_recording;
static sim_footprint current;
static int last_block = -1; /* the block the last lookup found */

void sim_footprint_record(bool on) {
    sim_footprint_recording = on;
    current.global = false;
    current.count = 0;
    last_block = -1;
}

void sim_footprint_copy(sim_footprint *to, const sim_footprint *from) {
    to->global = from->global;
    to->count = from->count;
    memcpy(to->ranges, from->ranges, (size_t)from->count * sizeof from->ranges[0]);
}

void sim_footprint_take(sim_footprint *out) {
    sim_footprint_copy(out, &current);
    current.global = false;
    current.count = 0;
}

void sim_footprint_global(void) {
    if (sim_footprint_recording)
        current.global = true;
}

static bool block_holds(int i, uintptr_t addr) {
    uintptr_t start = (uintptr_t)sim_R->allocations[i].memory;
    return addr >= start && addr - start < sim_R->allocations[i].size;
}

/* The stable name of `addr`: its base and its offset from that base. */
static uint32_t name_of(uintptr_t addr, uint64_t *offset) {
    const sim_run *run = sim_R;
    if (last_block >= 0 && last_block < run->allocation_count && block_holds(last_block, addr)) {
        *offset = addr - (uintptr_t)run->allocations[last_block].memory;
        return BASE_BLOCK_FIRST + (uint32_t)last_block;
    }
    for (int i = 0; i < run->allocation_count; i++)
        if (block_holds(i, addr)) {
            last_block = i;
            *offset = addr - (uintptr_t)run->allocations[i].memory;
            return BASE_BLOCK_FIRST + (uint32_t)i;
        }
    for (int i = 0; i < run->ctx_count; i++) {
        const sim_fiber *fiber = run->ctxs[i].fiber;
        if (fiber != NULL && sim_fiber_holds(fiber, addr)) {
            *offset = addr - (uintptr_t)fiber->stack_low;
            return BASE_STACK_FIRST + run->ctxs[i].footprint_name;
        }
    }
    *offset = addr;
    return BASE_ADDRESS;
}

static bool touches(const sim_footprint_range *r, uint32_t base, uint64_t offset, uint64_t size) {
    return r->base == base && r->offset <= offset + size && offset <= r->offset + r->size;
}

static void widen(sim_footprint_range *r, uint64_t offset, uint64_t size, bool write) {
    uint64_t end = r->offset + r->size > offset + size ? r->offset + r->size : offset + size;
    r->offset = r->offset < offset ? r->offset : offset;
    r->size = end - r->offset;
    r->write |= write;
}

/* Adds a range, merging it into one it touches with the same access; when
 * the list is full, into any range of its base (which only widens what
 * the step is taken to touch), else the step becomes global. */
static void add(uint32_t base, uint64_t offset, uint64_t size, bool write) {
    if (current.global)
        return;
    for (int i = 0; i < current.count; i++)
        if (current.ranges[i].write == write && touches(&current.ranges[i], base, offset, size)) {
            widen(&current.ranges[i], offset, size, write);
            return;
        }
    if (current.count < SIM_FOOTPRINT_RANGES) {
        current.ranges[current.count++] =
            (sim_footprint_range){.base = base, .write = write, .offset = offset, .size = size};
        return;
    }
    for (int i = 0; i < current.count; i++)
        if (current.ranges[i].base == base) {
            widen(&current.ranges[i], offset, size, write);
            return;
        }
    current.global = true;
}

/* Adds `size` bytes from `shift` past the stable name of `addr`, with
 * `flag` or'ed into its base; outside a context (setup), nothing. */
static void add_named(uintptr_t addr, uint32_t flag, uint64_t shift, uint64_t size, bool write) {
    if (sim_R == NULL || sim_R->current == NULL)
        return;
    uint64_t offset;
    uint32_t base = name_of(addr, &offset);
    add(base | flag, offset + shift, size, write);
}

void sim_footprint_access_recorded(const volatile void *addr, size_t size, bool write) {
    add_named((uintptr_t)addr, 0, 0, size, write);
}

void sim_footprint_cpu(int cpu) {
    if (sim_footprint_recording)
        add(BASE_CPU, (uint64_t)cpu, 1, true);
}

void sim_footprint_cpus_read(void) {
    if (sim_footprint_recording)
        add(BASE_CPU, 0, (uint64_t)sim_R->cpu_count, false);
}

void sim_footprint_lock_record(const void *lock, sim_lock_record record, bool write) {
    if (sim_footprint_recording)
        add_named((uintptr_t)lock, BASE_RECORD_FLAG, (uint64_t)record, 1, write);
}

void sim_footprint_lock_order(bool write) {
    if (sim_footprint_recording)
        add(BASE_LOCK_ORDER, 0, 1, write);
}

void sim_footprint_irq_source(int source) {
    if (sim_footprint_recording)
        add(BASE_IRQ_SOURCES, (uint64_t)source, 1, true);
}

void sim_footprint_placement(uint32_t name) {
    if (sim_footprint_recording)
        add(BASE_PLACEMENT, name, 1, true);
}

void sim_footprint_sleep(void) {
    if (sim_footprint_recording)
        add(BASE_SLEEPERS, 0, 1, true);
}

bool sim_footprint_writes_cpu(const sim_footprint *footprint, int cpu) {
    if (footprint->global)
        return true;
    for (int i = 0; i < footprint->count; i++) {
        const sim_footprint_range *r = &footprint->ranges[i];
        if (r->base == BASE_CPU && r->write && r->offset <= (uint64_t)cpu && (uint64_t)cpu < r->offset + r->size)
            return true;
    }
    return false;
}

static bool conflict(const sim_footprint_range *a, const sim_footprint_range *b) {
    return a->base == b->base && (a->write || b->write) && a->offset < b->offset + b->size &&
           b->offset < a->offset + a->size;
}

bool sim_footprints_independent(const sim_footprint *a, const sim_footprint *b) {
    if (a->global || b->global)
        return false;
    for (int i = 0; i < a->count; i++)
        for (int j = 0; j < b->count; j++)
            if (conflict(&a->ranges[i], &b->ranges[j]))
                return false;
    return true;
}
