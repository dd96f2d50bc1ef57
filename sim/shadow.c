/* shadow.c checks every plain load and store of driver code (access.c
 * feeds it) against the run's happens-before relation (race.c) and the pool
 * model, and reports `data-race` and `use-after-free` with both sites.
 *
 * Shadow memory is kept per 8-byte granule, in a hash table that a new run
 * empties by advancing a generation (no clearing). A granule keeps up to
 * RECORDS accesses, each with its epoch, its bytes within the granule,
 * whether it wrote, its context and code address. An access races with a
 * record when their bytes overlap, at least one writes, and the record's
 * epoch does not happen before the accessor's clock. It then replaces a
 * record of its own timeline for the same bytes, or one it covers and
 * follows, or an empty one, or (all full) the records in turn: forgetting
 * an access can only miss a race.
 *
 * Not checked: accesses to the running context's own stack (its locals:
 * the bulk of all accesses, and private unless their address escapes),
 * bytes the atomic layer uses (they order instead, race.h), and any access
 * of a context whose stack is within STACK_RESERVE of overflowing. Freed pool is kept
 * as a sorted list of ranges; no address is reused within a run, since
 * pool memory is only released when the run ends. */
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "shadow.h"
#include "symbolize.h"
#include "wraps.h"

enum {
    GRANULE = 8,
    RECORDS = 4,
    TABLE_MIN = 1 << 12, /* power of two */
    FREED_MAX = 4096,    /* freed blocks remembered per run; later frees are not checked */
    STACK_RESERVE = 32 * 1024,
};

typedef struct record {
    vclock_epoch epoch; /* clock 0: empty */
    uint8_t offset, size;
    bool write;
    int ctx;
    uintptr_t pc;
} record;

typedef struct granule {
    uintptr_t key; /* address / GRANULE */
    uint32_t generation;
    uint8_t sync;       /* a bit per byte the atomic layer uses */
    uint8_t next_evict; /* the record to forget when all are in use */
    record records[RECORDS];
} granule;

static granule *table;
static size_t capacity, used;
static uint32_t generation = 1;

typedef struct freed_range {
    uintptr_t start, end;
    const sim_site *site;
} freed_range;

static freed_range freed[FREED_MAX]; /* sorted by start, disjoint */
static int freed_count;

void sim_shadow_run_begin(void) {
    generation++;
    used = 0;
    freed_count = 0;
}

SIM_WRAPS static size_t hash(uintptr_t key) {
    uint64_t x = (uint64_t)key * 0x9e3779b97f4a7c15ull;
    return (size_t)(x >> 32);
}

static granule *probe(granule *in, size_t size, uintptr_t key) {
    for (size_t i = hash(key) & (size - 1);; i = (i + 1) & (size - 1))
        if (in[i].generation != generation || in[i].key == key)
            return &in[i];
}

static void grow(void) {
    size_t bigger = capacity == 0 ? TABLE_MIN : 2 * capacity;
    granule *fresh = calloc(bigger, sizeof *fresh);
    if (fresh == NULL)
        sim_panic("out of memory for shadow memory (%zu granules)", bigger);
    for (size_t i = 0; i < capacity; i++)
        if (table[i].generation == generation)
            *probe(fresh, bigger, table[i].key) = table[i];
    free(table);
    table = fresh;
    capacity = bigger;
}

static granule *granule_of(uintptr_t key) {
    if (2 * (used + 1) > capacity)
        grow();
    granule *g = probe(table, capacity, key);
    if (g->generation != generation) {
        memset(g, 0, sizeof *g);
        g->key = key;
        g->generation = generation;
        used++;
    }
    return g;
}

/* ---- freed pool ------------------------------------------------------------- */

/* The first freed block that overlaps [from, end), or NULL. */
static const freed_range *freed_find(uintptr_t from, uintptr_t end) {
    int low = 0, high = freed_count; /* the first block ending after `from` is in [low, high] */
    while (low < high) {
        int mid = low + (high - low) / 2;
        if (freed[mid].end <= from)
            low = mid + 1;
        else
            high = mid;
    }
    return low < freed_count && freed[low].start < end ? &freed[low] : NULL;
}

void sim_shadow_free(const void *start, size_t size, const sim_site *site) {
    uintptr_t from = (uintptr_t)start;
    if (freed_count == FREED_MAX || size == 0 || freed_find(from, from + 1) != NULL)
        return;
    int at = freed_count;
    while (at > 0 && freed[at - 1].start > from)
        at--;
    memmove(&freed[at + 1], &freed[at], (size_t)(freed_count - at) * sizeof freed[0]);
    freed[at] = (freed_range){.start = from, .end = from + size, .site = site};
    freed_count++;
}

const sim_site *sim_shadow_freed_at(const volatile void *addr) {
    const freed_range *range = freed_find((uintptr_t)addr, (uintptr_t)addr + 1);
    return range != NULL ? range->site : NULL;
}

/* The bits of bytes [offset, offset + size) of a granule. */
static uint8_t byte_mask(unsigned offset, unsigned size) { return (uint8_t)(((1u << size) - 1) << offset); }

/* Where the part of [at, end) in granule `key` (the one holding `at`) ends. */
static uintptr_t granule_part_end(uintptr_t key, uintptr_t end) {
    uintptr_t granule_end = (key + 1) * GRANULE;
    return granule_end < end ? granule_end : end;
}

/* The bytes sim_shadow_mark_sync marked last, in which generation: the
 * atomic layer works the same word step after step, and a mark, once
 * made, stays for the whole run. */
static struct {
    uintptr_t at;
    int size;
    uint32_t generation;
} last_marked;

void sim_shadow_mark_sync(const volatile void *addr, int size) {
    uintptr_t at = (uintptr_t)addr, end = at + (uintptr_t)size;
    if (last_marked.at == at && last_marked.size == size && last_marked.generation == generation)
        return;
    last_marked.at = at;
    last_marked.size = size;
    last_marked.generation = generation;
    while (at < end) {
        uintptr_t key = at / GRANULE, next = granule_part_end(key, end);
        granule_of(key)->sync |= byte_mask((unsigned)(at - key * GRANULE), (unsigned)(next - at));
        at = next;
    }
}

/* ---- reports ------------------------------------------------------------------ */

static const char *verb(bool write) { return write ? "writes" : "reads"; }

static void report_use_after_free(uintptr_t addr, size_t size, bool write, uintptr_t pc, const freed_range *range) {
    const sim_ctx *self = sim_R->current;
    sim_finding_info info = {.kind = SIM_FINDING_USE_AFTER_FREE,
                             .severity = SIM_SEV_ERROR,
                             .site = sim_site_of_return(pc),
                             .other_site = range->site,
                             .other_ctx = -1};
    snprintf(info.message, sizeof info.message,
             "%s (%s) %s %zu byte%s %s offset %llu of a %llu-byte pool block freed earlier: the pool may "
             "already hold someone else's data there",
             self->label, self->func, verb(write), size, size == 1 ? "" : "s", addr < range->start ? "reaching" : "at",
             (unsigned long long)(addr < range->start ? 0 : addr - range->start),
             (unsigned long long)(range->end - range->start));
    sim_report(&info);
}

static void report_race(const record *earlier, uintptr_t addr, size_t size, bool write, uintptr_t pc) {
    const sim_ctx *self = sim_R->current;
    const sim_ctx *other = &sim_R->ctxs[earlier->ctx];
    char where[128];
    sim_describe_address(addr, where, sizeof where);
    sim_finding_info info = {.kind = SIM_FINDING_DATA_RACE,
                             .severity = SIM_SEV_ERROR,
                             .site = sim_site_of_return(pc),
                             .other_site = sim_site_of_return(earlier->pc),
                             .other_ctx = other->id};
    snprintf(info.message, sizeof info.message,
             "%s (%s) %s %zu byte%s at %s that %s (%s) %s, and nothing orders the two: no lock both held, no "
             "Interlocked operation, DPC queueing, event or IRQL level between them",
             self->label, self->func, verb(write), size, size == 1 ? "" : "s", where, other->label, other->func,
             earlier->write ? "wrote" : "read");
    sim_report(&info);
}

/* ---- the check ------------------------------------------------------------------- */

static bool overlap(const record *r, unsigned offset, unsigned size) {
    return r->offset < offset + size && offset < (unsigned)r->offset + r->size;
}

/* The record the new access replaces (the header says which). */
static record *record_to_replace(granule *g, const record *access, const vclock *clock) {
    record *empty = NULL;
    for (int i = 0; i < RECORDS; i++) {
        record *r = &g->records[i];
        if (r->epoch.clock == 0) {
            if (empty == NULL)
                empty = r;
            continue;
        }
        bool weaker = access->write || !r->write;
        bool same = r->epoch.slot == access->epoch.slot && r->offset == access->offset && r->size == access->size;
        bool covered = r->offset >= access->offset && r->offset + r->size <= access->offset + access->size &&
                       vclock_epoch_before(r->epoch, clock);
        if (weaker && (same || covered))
            return r;
    }
    if (empty != NULL)
        return empty;
    return &g->records[g->next_evict++ % RECORDS];
}

static void check_granule(granule *g, const record *access, const vclock *clock, uintptr_t addr) {
    for (int i = 0; i < RECORDS; i++) {
        const record *r = &g->records[i];
        if (r->epoch.clock != 0 && (access->write || r->write) && overlap(r, access->offset, access->size) &&
            !vclock_epoch_before(r->epoch, clock))
            report_race(r, addr, access->size, access->write, access->pc);
    }
    *record_to_replace(g, access, clock) = *access;
}

void sim_shadow_access(uintptr_t addr, size_t size, bool write, uintptr_t pc) {
    const sim_run *run = sim_R;
    if (run == NULL || run->current == NULL)
        return;
    if (sim_sanitizer_report_pending)
        sim_sanitizer_report_due();
    const sim_fiber *fiber = run->current->fiber;
    if (sim_fiber_holds(fiber, addr))
        return;
    /* A context about to overflow its stack (recursion) would fault in
     * here, perhaps halfway into the sanitizer's bookkeeping; its last
     * accesses go unchecked instead. */
    if ((uintptr_t)__builtin_frame_address(0) - (uintptr_t)fiber->stack_low < STACK_RESERVE)
        return;
    SIM_BOUNDARY();
    sim_guard_check_access(addr, pc);
    sim_footprint_access((const void *)addr, size, write);
    const freed_range *range = freed_find(addr, addr + size);
    if (range != NULL)
        report_use_after_free(addr, size, write, pc, range);
    vclock_epoch now;
    const vclock *clock;
    if (!sim_race_now(&now, &clock))
        return;
    uintptr_t end = addr + size;
    for (uintptr_t at = addr; at < end;) {
        uintptr_t key = at / GRANULE, next = granule_part_end(key, end);
        granule *g = granule_of(key);
        record access = {.epoch = now,
                         .offset = (uint8_t)(at - key * GRANULE),
                         .size = (uint8_t)(next - at),
                         .write = write,
                         .ctx = run->current->id,
                         .pc = pc};
        if (g->sync & byte_mask(access.offset, access.size))
            sim_race_plain_sync((const void *)at, write);
        else
            check_granule(g, &access, clock, at);
        at = next;
    }
}
