/* objects.c owns the per-run registry of addresses the machine has seen:
 * locks and any other word touched by the atomic layer. Each gets an id in
 * first-use order (deterministic: addresses are only looked up, never
 * iterated or printed), an optional name from sim_name(), and, for locks, the
 * owning context the wait-for graph follows. */
#include <string.h>

#include "footprint.h"
#include "internal.h"
#include "sanitizer.h"
#include "symbolize.h"
#include "wraps.h"

enum { TABLE_SIZE = 4096 }; /* power of two, > 2 * SIM_LOCKS_MAX */

typedef struct slot {
    const void *addr;
    int id;
    uint32_t generation;
} slot;

/* Open addressing, linear probing; a slot counts only in its run's
 * generation, so a new run starts empty without clearing the table. */
static slot table[TABLE_SIZE];
static uint32_t generation = 1;

void sim_objects_reset(void) {
    generation++;
    sim_R->object_count = 0;
}

SIM_WRAPS static size_t hash(const void *addr) {
    uint64_t x = (uint64_t)(uintptr_t)addr;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    return (size_t)(x >> 40) & (TABLE_SIZE - 1);
}

static slot *probe(const void *addr) {
    for (size_t i = hash(addr);; i = (i + 1) & (TABLE_SIZE - 1)) {
        slot *s = &table[i];
        if (s->generation != generation || s->addr == addr)
            return s;
    }
}

sim_object *sim_object_find(const void *addr) {
    slot *s = probe(addr);
    return s->generation == generation ? &sim_R->objects[s->id] : NULL;
}

sim_object *sim_object_get(const void *addr) {
    /* The atomic layer works the same word step after step. */
    static const slot *last;
    if (last != NULL && last->addr == addr && last->generation == generation)
        return &sim_R->objects[last->id];
    slot *s = probe(addr);
    last = s;
    if (s->generation == generation)
        return &sim_R->objects[s->id];
    sim_run *run = sim_R;
    if (run->object_count == SIM_LOCKS_MAX)
        sim_panic("more than %d distinct shared objects in one execution", SIM_LOCKS_MAX);
    sim_object *object = &run->objects[run->object_count];
    memset(object, 0, sizeof *object);
    object->addr = addr;
    object->owner = -1;
    *s = (slot){.addr = addr, .id = run->object_count, .generation = generation};
    run->object_count++;
    return object;
}

void sim_object_label(int id, char *out, size_t size) {
    if (id < 0) {
        snprintf(out, size, "-");
        return;
    }
    const sim_object *object = &sim_R->objects[id];
    if (object->name[0] != '\0')
        snprintf(out, size, "%s", object->name);
    else
        snprintf(out, size, "obj#%d", id);
}

/* The sim_alloc block holding `addr`, or NULL. */
static const struct sim_allocation *allocation_of(uintptr_t addr) {
    const sim_run *run = sim_R;
    for (int i = 0; i < run->allocation_count; i++) {
        uintptr_t start = (uintptr_t)run->allocations[i].memory;
        if (addr >= start && addr - start < run->allocations[i].size)
            return &run->allocations[i];
    }
    return NULL;
}

/* The named object at the lowest address in [start, start + size), or NULL. */
static const sim_object *first_named_in(uintptr_t start, size_t size) {
    const sim_run *run = sim_R;
    const sim_object *first = NULL;
    for (int i = 0; i < run->object_count; i++) {
        const sim_object *object = &run->objects[i];
        uintptr_t at = (uintptr_t)object->addr;
        if (object->name[0] != '\0' && at >= start && at - start < size &&
            (first == NULL || at < (uintptr_t)first->addr))
            first = object;
    }
    return first;
}

void sim_describe_address(uintptr_t addr, char *out, size_t size) {
    const sim_object *exact = sim_object_find((const void *)addr);
    if (exact != NULL && exact->name[0] != '\0') {
        snprintf(out, size, "%s", exact->name);
        return;
    }
    const struct sim_allocation *block = allocation_of(addr);
    if (block == NULL) {
        sim_symbolize_data(addr, out, size);
        return;
    }
    uintptr_t start = (uintptr_t)block->memory;
    const sim_object *named = first_named_in(start, block->size);
    if (named != NULL)
        snprintf(out, size, "offset 0x%llx of the %zu-byte block holding %s", (unsigned long long)(addr - start),
                 block->size, named->name);
    else
        snprintf(out, size, "offset 0x%llx of a %zu-byte block", (unsigned long long)(addr - start), block->size);
}

void sim_name(const void *object, const char *name) {
    SIM_BOUNDARY();
    sim_object *o = sim_object_get(object);
    sim_copy_text(o->name, sizeof o->name, name);
}

const char *sim_object_name(const void *addr) {
    SIM_BOUNDARY();
    sim_object *object = sim_object_get(addr);
    if (object->name[0] == '\0')
        snprintf(object->name, sizeof object->name, "obj#%d", (int)(object - sim_R->objects));
    return object->name;
}

int sim_lock_id(const void *addr) {
    SIM_BOUNDARY();
    return (int)(sim_object_get(addr) - sim_R->objects);
}

void sim_lock_set_owner(const void *addr, int ctx_id) {
    SIM_BOUNDARY();
    sim_footprint_lock_record(addr, SIM_RECORD_OWNER, true);
    sim_object_get(addr)->owner = ctx_id;
}

void sim_lock_clear_owner(const void *addr) {
    SIM_BOUNDARY();
    sim_footprint_lock_record(addr, SIM_RECORD_OWNER, true);
    sim_object_get(addr)->owner = -1;
}

int sim_lock_owner(const void *addr) {
    SIM_BOUNDARY();
    sim_footprint_lock_record(addr, SIM_RECORD_OWNER, false);
    sim_object *object = sim_object_find(addr);
    return object != NULL ? object->owner : -1;
}
