/* race.c keeps the happens-before relation of a run (race.h says which
 * machine events make its edges): a timeline slot and a vector clock per
 * running context, and a clock per synchronisation object (each word the
 * atomic layer touched, each IRQL level of each CPU). shadow.c compares
 * plain accesses against it.
 *
 * Slots. A thread gets a slot of its own. A DPC or ISR takes over the slot
 * of an ended context when everything that context did happens before the
 * new one's start (so one timeline stays totally ordered: e.g. the DPCs of
 * one CPU, which never overlap); else it opens a new slot. Past
 * VCLOCK_SLOTS_MAX, a new context takes a free slot whose owner it does
 * not follow, or shares a busy one: both only add order (misses), never a
 * false race. A context whose clock cannot be stored (LIVE_MAX contexts
 * alive at once) is not tracked at all.
 *
 * Clocks are joined on release (not overwritten), as x86's locked
 * operations form one order per word; after each release the releaser's
 * own component advances, so what it does next is not covered. */
#include <string.h>

#include "race.h"
#include "sanitizer.h"

enum {
    LIVE_MAX = VCLOCK_SLOTS_MAX, /* contexts tracked at once */
    SYNC_MAX = 4096,             /* synchronisation objects per run */
    LEVEL_LOW = SIM_IRQL_DISPATCH,
    LEVEL_HIGH = SIM_IRQL_DIRQL_MAX,
    LEVELS = LEVEL_HIGH - LEVEL_LOW + 1, /* the levels a DPC or an ISR enters at */
    NONE = -1,
};

bool sim_race_on;

static struct {
    bool busy;
    uint32_t last_clock; /* the last ended occupant's own component */
} slots[VCLOCK_SLOTS_MAX];
static int slot_count;
/* The most slots any run of this process has had. Joins write only a run's
 * slots, and every clock starts zeroed, so each component from here on is
 * zero in every clock: clearing or copying a clock covers these alone (a
 * run's clocks are cleared or copied when it first uses them). */
static int clock_width;

static void clock_clear(vclock *clock) { memset(clock->c, 0, (size_t)clock_width * sizeof clock->c[0]); }

static void clock_copy(vclock *into, const vclock *from) {
    memcpy(into->c, from->c, (size_t)clock_width * sizeof from->c[0]);
}

/* Per context id: its slot and its clock (NULL: not tracked). Valid for
 * ids below ctx_ready; a run starts with none. */
static int16_t slot_of[SIM_CTX_MAX];
static vclock *clock_of[SIM_CTX_MAX];
static int ctx_ready;

/* Clocks for tracked contexts: those ended this run are reused first,
 * latest first, then the ones no context of this run has had, in order. */
static vclock live[LIVE_MAX];
static vclock *live_free[LIVE_MAX];
static int live_free_count;
static int live_fresh; /* live[live_fresh..] are untouched this run */

/* Synchronisation clocks, allocated in a run's first-use order. The last
 * one is shared by every object past the limit. */
static vclock syncs[SYNC_MAX];
static int sync_count;
static int object_sync[SIM_LOCKS_MAX]; /* by registry object id; valid below object_ready */
static int object_ready;
/* By CPU: a clock per level (column level - LEVEL_LOW), and the one its
 * threaded DPCs pass on to the next (column THREADED_DPCS), as they run
 * one after another in the CPU's threaded-DPC thread. NONE until used this
 * run; valid for the CPUs below cpus_ready, which a run starts with none of. */
enum { THREADED_DPCS = LEVELS, CPU_SYNCS };
static int cpu_sync[SIM_CPUS_MAX][CPU_SYNCS];
static int cpus_ready;
/* What the initialization did (sim_init), once it returned: every context
 * follows it. NULL until then. */
static vclock *after_init;

void sim_race_run_begin(bool on) {
    sim_race_on = on;
    slot_count = 0;
    ctx_ready = 0;
    sync_count = 0;
    object_ready = 0;
    live_free_count = 0;
    live_fresh = 0;
    cpus_ready = 0;
    after_init = NULL;
}

static void ctx_prepare(int id) {
    SIM_ASSERT(id >= 0 && id < SIM_CTX_MAX);
    for (; ctx_ready <= id; ctx_ready++) {
        slot_of[ctx_ready] = NONE;
        clock_of[ctx_ready] = NULL;
    }
}

static vclock *sync_new(void) {
    if (sync_count == SYNC_MAX)
        return &syncs[SYNC_MAX - 1];
    vclock *sync = &syncs[sync_count++];
    clock_clear(sync);
    return sync;
}

/* An object's first synchronisation in this run: its clock, new. Kept
 * out of line, as sync_new's clearing is: a step pays for it once. */
__attribute__((cold, noinline)) static vclock *object_clock_new(int object) {
    SIM_ASSERT(object >= 0 && object < SIM_LOCKS_MAX);
    for (; object_ready <= object; object_ready++)
        object_sync[object_ready] = NONE;
    if (object_sync[object] == NONE) {
        vclock *sync = sync_new();
        object_sync[object] = (int)(sync - syncs);
    }
    return &syncs[object_sync[object]];
}

static vclock *object_clock(int object) {
    if (object >= 0 && object < object_ready && object_sync[object] != NONE)
        return &syncs[object_sync[object]];
    return object_clock_new(object);
}

static vclock *cpu_clock(int cpu, int column) {
    for (; cpus_ready <= cpu; cpus_ready++)
        for (int c = 0; c < CPU_SYNCS; c++)
            cpu_sync[cpus_ready][c] = NONE;
    int *index = &cpu_sync[cpu][column];
    if (*index == NONE)
        *index = (int)(sync_new() - syncs);
    return &syncs[*index];
}

static vclock *level_clock(int cpu, int level) { return cpu_clock(cpu, level - LEVEL_LOW); }

/* What the threaded DPCs of `cpu` pass on to the next. */
static vclock *threaded_clock(int cpu) { return cpu_clock(cpu, THREADED_DPCS); }

/* The current context's clock, or NULL when it is not tracked. */
static vclock *current_clock(int *slot) {
    const sim_ctx *self = sim_R->current;
    if (!sim_race_on || self == NULL || self->id >= ctx_ready || clock_of[self->id] == NULL)
        return NULL;
    *slot = slot_of[self->id];
    return clock_of[self->id];
}

static void acquire(vclock *self, const vclock *sync) { vclock_join(self, sync, slot_count); }

static void release(vclock *self, int slot, vclock *sync) {
    vclock_join(sync, self, slot_count);
    self->c[slot]++;
}

/* ---- slots ---------------------------------------------------------------- */

/* A slot for a context whose clock starts at `start`: a free one every
 * earlier event of which it follows, else a new one, else any free one,
 * else a busy one (shared). */
static int slot_take(const vclock *start, int ctx_id) {
    for (int s = 0; s < slot_count; s++)
        if (!slots[s].busy && start->c[s] >= slots[s].last_clock)
            return s;
    if (slot_count < VCLOCK_SLOTS_MAX) {
        slots[slot_count] = (typeof(slots[0])){0};
        if (slot_count == clock_width)
            clock_width++;
        return slot_count++;
    }
    for (int s = 0; s < slot_count; s++)
        if (!slots[s].busy)
            return s;
    return ctx_id % VCLOCK_SLOTS_MAX;
}

static void ctx_track(const sim_ctx *ctx, const vclock *start) {
    vclock *clock;
    if (live_free_count > 0)
        clock = live_free[--live_free_count];
    else if (live_fresh < LIVE_MAX)
        clock = &live[live_fresh++];
    else
        return;
    clock_copy(clock, start);
    int slot = slot_take(start, ctx->id);
    /* Past every event of the slot's earlier occupants: equal when it
     * follows them, ahead (adding order) when it had to take the slot. */
    if (clock->c[slot] < slots[slot].last_clock)
        clock->c[slot] = slots[slot].last_clock;
    clock->c[slot]++;
    slots[slot].busy = true;
    slot_of[ctx->id] = (int16_t)slot;
    clock_of[ctx->id] = clock;
}

/* Levels a move between `low` and `high` (low < high) crosses: the entry
 * levels of DPCs and ISRs in (low, high]. */
static void level_range(uint8_t low, uint8_t high, int *first, int *last) {
    *first = low + 1 > LEVEL_LOW ? low + 1 : LEVEL_LOW;
    *last = high < LEVEL_HIGH ? high : LEVEL_HIGH;
}

/* The words ThreadSanitizer syncs a level, and a CPU's threaded DPCs, on
 * (build/sim-tsan mirrors every edge here, whether or not race_detection
 * is on, so that TSan sees the machine's order; elsewhere the annotations
 * are no-ops). */
static const void *level_key(int cpu, int level) { return &cpu_sync[cpu][level - LEVEL_LOW]; }
static const void *threaded_key(int cpu) { return &cpu_sync[cpu][THREADED_DPCS]; }

static void san_acquire_levels(int cpu, uint8_t low, uint8_t high) {
    int first, last;
    level_range(low, high, &first, &last);
    for (int level = first; level <= last; level++)
        sim_san_acquire(level_key(cpu, level));
}

static void san_release_levels(int cpu, uint8_t low, uint8_t high) {
    int first, last;
    level_range(low, high, &first, &last);
    for (int level = first; level <= last; level++)
        sim_san_release(level_key(cpu, level));
}

/* Not told to TSan here: a context's start is computed when it is pushed,
 * on another context's fiber (sim_race_san_entered tells it). */
static void acquire_levels(vclock *self, int cpu, uint8_t low, uint8_t high) {
    int first, last;
    level_range(low, high, &first, &last);
    for (int level = first; level <= last; level++)
        acquire(self, level_clock(cpu, level));
}

static void release_levels(vclock *self, int slot, int cpu, uint8_t low, uint8_t high) {
    int first, last;
    level_range(low, high, &first, &last);
    for (int level = first; level <= last; level++)
        release(self, slot, level_clock(cpu, level));
}

void sim_race_ctx_begin(const sim_ctx *ctx, uint8_t irql_from) {
    if (ctx->kind == SIM_CTX_THREAD && sim_R->current != NULL)
        sim_san_release(ctx);
    if (!sim_race_on)
        return;
    ctx_prepare(ctx->id);
    SIM_ASSERT(clock_of[ctx->id] == NULL && slot_of[ctx->id] == NONE);
    static vclock start;
    clock_clear(&start);
    int creator_slot;
    vclock *creator = current_clock(&creator_slot);
    switch (ctx->kind) {
    case SIM_CTX_THREAD:
        if (creator != NULL)
            release(creator, creator_slot, &start);
        break;
    case SIM_CTX_DPC:
    case SIM_CTX_THREADED_DPC: {
        /* The inserts this dequeue took released into the queued flag. */
        const sim_object *flag = sim_object_find((const void *)ctx->dpc.queued_flag);
        if (flag != NULL)
            acquire(&start, object_clock((int)(flag - sim_R->objects)));
        break;
    }
    case SIM_CTX_ISR:
        break;
    }
    if (ctx->kind == SIM_CTX_THREADED_DPC)
        acquire(&start, threaded_clock(ctx->cpu));
    if (after_init != NULL)
        acquire(&start, after_init);
    /* Excluded from every earlier region of this CPU at or above its entry
     * level. Not from those below it: it may nest inside them. */
    uint8_t entry = sim_ctx_entry_irql(ctx);
    if (ctx->kind != SIM_CTX_THREAD && entry > irql_from && entry >= LEVEL_LOW)
        acquire_levels(&start, ctx->cpu, entry - 1, entry);
    ctx_track(ctx, &start);
}

void sim_race_init_done(const sim_ctx *init) {
    sim_san_release(&after_init);
    if (!sim_race_on || init->id >= ctx_ready || clock_of[init->id] == NULL)
        return;
    after_init = sync_new();
    release(clock_of[init->id], slot_of[init->id], after_init);
    for (int id = 0; id < ctx_ready; id++)
        if (id != init->id && clock_of[id] != NULL)
            acquire(clock_of[id], after_init);
}

void sim_race_san_entered(const sim_ctx *ctx) {
    sim_san_acquire(&after_init);
    uint8_t entry = sim_ctx_entry_irql(ctx);
    switch (ctx->kind) {
    case SIM_CTX_THREAD:
        sim_san_acquire(ctx);
        return;
    case SIM_CTX_DPC:
    case SIM_CTX_THREADED_DPC:
        sim_san_acquire((const void *)ctx->dpc.queued_flag);
        if (ctx->kind == SIM_CTX_THREADED_DPC)
            sim_san_acquire(threaded_key(ctx->cpu));
        break;
    case SIM_CTX_ISR:
        break;
    }
    if (entry >= LEVEL_LOW)
        sim_san_acquire(level_key(ctx->cpu, entry));
}

void sim_race_ctx_end(const sim_ctx *ctx) {
    /* A DPC or ISR leaves its entry level (and any it still holds above). */
    uint8_t entry = sim_ctx_entry_irql(ctx), irql = sim_R->cpus[ctx->cpu].irql;
    uint8_t high = irql > entry ? irql : entry;
    bool leaves_levels = ctx->kind != SIM_CTX_THREAD && entry >= LEVEL_LOW;
    const bool threaded = ctx->kind == SIM_CTX_THREADED_DPC;
    if (leaves_levels)
        san_release_levels(ctx->cpu, entry - 1, high);
    if (threaded)
        sim_san_release(threaded_key(ctx->cpu));
    if (!sim_race_on || ctx->id >= ctx_ready || clock_of[ctx->id] == NULL)
        return;
    vclock *clock = clock_of[ctx->id];
    int slot = slot_of[ctx->id];
    if (leaves_levels)
        release_levels(clock, slot, ctx->cpu, entry - 1, high);
    if (threaded)
        release(clock, slot, threaded_clock(ctx->cpu));
    slots[slot].busy = false;
    if (clock->c[slot] > slots[slot].last_clock)
        slots[slot].last_clock = clock->c[slot];
    live_free[live_free_count++] = clock;
    clock_of[ctx->id] = NULL;
}

void sim_race_atomic(int object, bool acquires, bool releases) {
    int slot;
    vclock *self = current_clock(&slot);
    if (self == NULL || object < 0)
        return;
    vclock *sync = object_clock(object);
    if (acquires && releases) {
        /* An acquire and then a release, in one pass over the clocks. */
        vclock_join_both(self, sync, slot_count);
        self->c[slot]++;
    } else if (acquires) {
        acquire(self, sync);
    } else if (releases) {
        release(self, slot, sync);
    }
}

void sim_race_irql(int cpu, uint8_t irql_from, uint8_t irql_to) {
    if (irql_from == irql_to)
        return;
    if (irql_to > irql_from)
        san_acquire_levels(cpu, irql_from, irql_to);
    else
        san_release_levels(cpu, irql_to, irql_from);
    int slot;
    vclock *self = current_clock(&slot);
    if (self == NULL)
        return;
    if (irql_to > irql_from)
        acquire_levels(self, cpu, irql_from, irql_to);
    else
        release_levels(self, slot, cpu, irql_to, irql_from);
}

bool sim_race_now(vclock_epoch *epoch, const vclock **clock) {
    int slot;
    vclock *self = current_clock(&slot);
    if (self == NULL)
        return false;
    *epoch = (vclock_epoch){.clock = self->c[slot], .slot = (uint16_t)slot};
    *clock = self;
    return true;
}

void sim_race_plain_sync(const void *addr, bool store) {
    const sim_object *object = sim_object_find(addr);
    if (object == NULL)
        return;
    sim_race_atomic((int)(object - sim_R->objects), !store, store);
    if (store)
        sim_san_release(addr);
    else
        sim_san_acquire(addr);
}
