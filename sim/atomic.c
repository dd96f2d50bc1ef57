/* atomic.c is the instrumented atomic layer: every access to shared lock
 * state and every IRQL change passes through here, and each is one step.
 * A step is: a scheduling point (the scheduler may run someone else first),
 * then the operation itself, indivisible under the machine's sequential
 * consistency, then the bookkeeping (step count, trace, waking sleepers).
 * Keeping this layer narrow is what lets a store-buffer model slot in later.
 * It is also the machine's only access to driver memory, which is why the
 * fuzz targets build this file, alone of the machine, with ASan.
 *
 * Outside a run (scenario setup, end-of-run checks) the operations execute
 * directly, with no scheduling point and no step.
 *
 * A context suspended at a step's scheduling point is poised to perform
 * that step; the layer remembers which word each context's pending step
 * writes (a store or a read-modify-write; a compare-exchange may write
 * nothing), so the wait-for graph can name the one context a spinner
 * waits for when the lock code guarantees it is the word's only writer
 * (sim_poised_writer, deadlock.c). */
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "shadow.h"

typedef enum rmw_op { RMW_XCHG, RMW_ADD, RMW_OR, RMW_AND, RMW_XOR } rmw_op;

static uint64_t size_mask(int size) { return size == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1; }

static uint64_t read_sized(const volatile void *addr, int size) {
    switch (size) {
    case 1:
        return *(const volatile uint8_t *)addr;
    case 2:
        return *(const volatile uint16_t *)addr;
    case 4:
        return *(const volatile uint32_t *)addr;
    case 8:
        return *(const volatile uint64_t *)addr;
    }
    sim_panic("atomic access of %d bytes", size);
}

static void write_sized(volatile void *addr, uint64_t value, int size) {
    switch (size) {
    case 1:
        *(volatile uint8_t *)addr = (uint8_t)value;
        return;
    case 2:
        *(volatile uint16_t *)addr = (uint16_t)value;
        return;
    case 4:
        *(volatile uint32_t *)addr = (uint32_t)value;
        return;
    case 8:
        *(volatile uint64_t *)addr = value;
        return;
    }
    sim_panic("atomic access of %d bytes", size);
}

static bool in_run(void) { return sim_R != NULL && sim_R->current != NULL; }

/* By context id: the word the step a context is suspended before will
 * write, NULL when that step writes nothing. Valid for a context started
 * in this run and suspended now: every scheduling point it can be
 * suspended at sets it first (step_begin, sim_spin_wait), so a value left
 * by an earlier run is never read. */
static struct {
    const volatile void *addr;
    int size;
} poised[SIM_CTX_MAX];

/* The scheduling point before a step; `write` is the word the step will
 * write (`size` bytes), NULL when it writes none. False outside a run:
 * then the operation is no step. */
static bool step_begin(const volatile void *write, int size) {
    if (!in_run())
        return false;
    poised[sim_R->current->id].addr = write;
    poised[sim_R->current->id].size = size;
    sim_sched_point();
    return true;
}

/* The step is about to touch `addr`: lock code on a word in freed pool is
 * `lock-in-freed-memory` (a lock, a queued KDPC, a queue handle whose
 * memory went back to the pool while in use), reported before the touch. */
static void check_word_alive(bool stepping, const volatile void *addr) {
    if (!stepping)
        return;
    const sim_site *freed_at = sim_shadow_freed_at(addr);
    if (freed_at == NULL)
        return;
    char what[128];
    sim_describe_address((uintptr_t)addr, what, sizeof what);
    sim_reportf(SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, NULL, freed_at,
                "%s (%s) uses the lock word at %s, in pool freed earlier (DV C4/0x100B; 0xC7 for a queued DPC)",
                sim_R->current->label, sim_R->current->func, what);
}

/* A watched word of up to 8 bytes at `watch` overlaps [addr, addr + size). */
static bool overlaps(const volatile void *watch, const volatile void *addr, int size) {
    const char *w = (const char *)watch, *lo = (const char *)addr, *hi = lo + size;
    return w + 8 > lo && w < hi;
}

sim_ctx *sim_poised_writer(const volatile void *watch) {
    sim_run *run = sim_R;
    for (int i = 0; i < run->ctx_count; i++) {
        sim_ctx *ctx = &run->ctxs[i];
        if (ctx != run->current && ctx->started && ctx->state == CTX_READY && poised[i].addr != NULL &&
            overlaps(watch, poised[i].addr, poised[i].size))
            return ctx;
    }
    return NULL;
}

/* What a step on a word does to the happens-before relation (race.h). */
typedef enum step_sync { SYNC_NONE, SYNC_ACQUIRE, SYNC_RELEASE, SYNC_BOTH } step_sync;

/* Counts one step of the current context; `progress` when it changed
 * shared memory. A context that takes progress_steps_max steps in a row
 * without changing anything (a poll nobody answers, a Try loop that never
 * wins) is `hang`: a lock acquired or released, an event set, a DPC
 * queued all write, so a context that keeps working never trips it. */
static void count_step(bool progress) {
    sim_run *run = sim_R;
    sim_ctx *self = run->current;
    run->step++;
    self->steps++;
    self->steps_idle = progress ? 0 : self->steps_idle + 1;
    if (run->progress_steps_max != 0 && self->steps_idle > run->progress_steps_max)
        sim_reportf(SIM_FINDING_HANG, SIM_SEV_ERROR, NULL, NULL,
                    "%s (%s) took %llu steps in a row without changing any shared word (param progress_steps_max): a "
                    "livelock or a wait nothing will end",
                    self->label, self->func, (unsigned long long)self->steps_idle);
}

/* Counts the step and traces it. Inlined into each operation, as rmw is
 * into each of its five: the step's own path pays for no call it can
 * avoid. */
__attribute__((always_inline)) static inline void step_end(bool stepping, sim_trace_op op, const volatile void *addr,
                                                           int size, step_sync sync, uint64_t before, uint64_t after) {
    if (!stepping)
        return;
    sim_run *run = sim_R;
    int object = addr != NULL ? sim_object_get((const void *)addr) - run->objects : -1;
    if (addr != NULL)
        sim_footprint_access(addr, (size_t)size, sync != SYNC_ACQUIRE);
    if (addr != NULL && sim_race_enabled()) {
        sim_race_atomic(object, sync != SYNC_RELEASE, sync == SYNC_RELEASE || sync == SYNC_BOTH);
        sim_shadow_mark_sync(addr, size);
    }
    sim_trace(op, object, before, after, NULL);
    count_step(addr != NULL && before != after);
}

/* Wakes every context sleeping on a word the step wrote. In the fair phase
 * a woken context sees the write only after the writer has taken
 * fair_wake_latency more steps (sched.c): the cache line's travel to the
 * spinner's CPU, which lets a releasing CPU re-take a test-and-set lock
 * first, as on real hardware. */
static void wake_writers_of(const volatile void *addr, int size) {
    sim_run *run = sim_R;
    sim_ctx *writer = run->current;
    for (int i = 0; i < run->sleeper_count;) {
        sim_ctx *ctx = run->sleepers[i];
        if (overlaps(ctx->wait_addr, addr, size)) {
            sim_options_stale();
            /* A thread woken off every CPU may now be switched in. */
            if (ctx->cpu < 0)
                sim_footprint_placement(ctx->footprint_name);
            ctx->state = CTX_READY;
            ctx->wait_addr = NULL;
            ctx->wait_lock = NULL;
            ctx->woken_by = writer;
            ctx->visible_at = writer != NULL ? writer->steps + run->fair_wake_latency : 0;
            run->sleepers[i] = run->sleepers[--run->sleeper_count];
        } else {
            i++;
        }
    }
}

void sim_machine_store(volatile void *addr, uint64_t value, int size) {
    write_sized(addr, value, size);
    wake_writers_of(addr, size);
}

uint64_t sim_atomic_load(const volatile void *addr, int size) {
    SIM_BOUNDARY();
    bool stepping = step_begin(NULL, 0);
    check_word_alive(stepping, addr);
    uint64_t value = read_sized(addr, size);
    sim_san_acquire(addr);
    step_end(stepping, SIM_OP_LOAD, addr, size, SYNC_ACQUIRE, value, value);
    return value;
}

void sim_atomic_store(volatile void *addr, uint64_t value, int size) {
    SIM_BOUNDARY();
    bool stepping = step_begin(addr, size);
    check_word_alive(stepping, addr);
    uint64_t before = read_sized(addr, size);
    sim_san_release(addr);
    write_sized(addr, value, size);
    step_end(stepping, SIM_OP_STORE, addr, size, SYNC_RELEASE, before, value & size_mask(size));
    if (stepping)
        wake_writers_of(addr, size);
}

static const sim_trace_op rmw_trace_op[] = {
    [RMW_XCHG] = SIM_OP_XCHG, [RMW_ADD] = SIM_OP_ADD, [RMW_OR] = SIM_OP_OR,
    [RMW_AND] = SIM_OP_AND,   [RMW_XOR] = SIM_OP_XOR,
};

__attribute__((always_inline)) static inline uint64_t rmw(rmw_op op, volatile void *addr, uint64_t value, int size) {
    SIM_BOUNDARY();
    bool stepping = step_begin(addr, size);
    check_word_alive(stepping, addr);
    uint64_t before = read_sized(addr, size);
    sim_san_acquire(addr);
    sim_san_release(addr);
    uint64_t after = value;
    switch (op) {
    case RMW_XCHG:
        break;
    case RMW_ADD:
        after = before + value;
        break;
    case RMW_OR:
        after = before | value;
        break;
    case RMW_AND:
        after = before & value;
        break;
    case RMW_XOR:
        after = before ^ value;
        break;
    }
    after &= size_mask(size);
    write_sized(addr, after, size);
    step_end(stepping, rmw_trace_op[op], addr, size, SYNC_BOTH, before, after);
    if (stepping)
        wake_writers_of(addr, size);
    return before;
}

uint64_t sim_atomic_exchange(volatile void *addr, uint64_t value, int size) { return rmw(RMW_XCHG, addr, value, size); }
uint64_t sim_atomic_fetch_add(volatile void *addr, uint64_t value, int size) { return rmw(RMW_ADD, addr, value, size); }
uint64_t sim_atomic_fetch_or(volatile void *addr, uint64_t value, int size) { return rmw(RMW_OR, addr, value, size); }
uint64_t sim_atomic_fetch_and(volatile void *addr, uint64_t value, int size) { return rmw(RMW_AND, addr, value, size); }
uint64_t sim_atomic_fetch_xor(volatile void *addr, uint64_t value, int size) { return rmw(RMW_XOR, addr, value, size); }

uint64_t sim_atomic_compare_exchange(volatile void *addr, uint64_t expected, uint64_t desired, int size) {
    SIM_BOUNDARY();
    /* Poised to write nothing for sure: it may fail. */
    bool stepping = step_begin(NULL, 0);
    check_word_alive(stepping, addr);
    uint64_t before = read_sized(addr, size);
    sim_san_acquire(addr);
    bool swapped = before == (expected & size_mask(size));
    if (swapped) {
        sim_san_release(addr);
        write_sized(addr, desired, size);
    }
    step_end(stepping, SIM_OP_CMPXCHG, addr, size, swapped ? SYNC_BOTH : SYNC_ACQUIRE, before,
             swapped ? desired & size_mask(size) : before);
    /* A failed compare-exchange writes nothing, so it wakes nobody. */
    if (swapped && stepping)
        wake_writers_of(addr, size);
    return before;
}

void sim_irql_set(uint8_t irql) {
    SIM_BOUNDARY();
    SIM_ASSERT(irql <= SIM_IRQL_HIGH);
    if (!step_begin(NULL, 0))
        return;
    sim_run *run = sim_R;
    sim_cpu *cpu = &run->cpus[run->current->cpu];
    uint8_t before = cpu->irql;
    sim_sched_irql_change(cpu, before, irql);
    cpu->irql = irql;
    sim_footprint_cpu(cpu->id);
    sim_race_irql(cpu->id, before, irql);
    step_end(true, SIM_OP_IRQL, NULL, 0, SYNC_NONE, before, irql);
}

uint8_t sim_irql_get(void) {
    sim_run *run = sim_R;
    if (run == NULL || run->current == NULL)
        return SIM_IRQL_PASSIVE;
    return run->cpus[run->current->cpu].irql;
}

void sim_yield_step(const char *what) {
    SIM_BOUNDARY();
    if (!step_begin(NULL, 0))
        return;
    sim_trace(SIM_OP_YIELD, -1, 0, 0, what);
    count_step(false);
}

/* Keeps a copy of `text` for the run's trace (the ring keeps pointers) and
 * returns it; past PRINTS_MAX bytes in one run, a fixed marker instead. */
static const char *keep_print(const char *text) {
    enum { PRINTS_MAX = 1 << 20, PRINT_MAX = 200 };
    sim_run *run = sim_R;
    size_t length = strnlen(text, PRINT_MAX);
    if (run->prints_used + length + 1 > PRINTS_MAX)
        return "(DbgPrint output past 1 MiB in this run is not kept)";
    if (run->prints_used + length + 1 > run->prints_cap) {
        /* The ring points into the buffer: grow it only between runs. */
        if (run->prints_used > 0)
            return "(DbgPrint output past the run's first buffer is not kept)";
        run->prints_cap = PRINTS_MAX;
        run->prints = realloc(run->prints, run->prints_cap);
        if (run->prints == NULL)
            sim_panic("out of memory keeping DbgPrint text");
    }
    char *copy = run->prints + run->prints_used;
    memcpy(copy, text, length);
    copy[length] = '\0';
    run->prints_used += length + 1;
    return copy;
}

void sim_print_step(const char *text) {
    SIM_BOUNDARY();
    if (!step_begin(NULL, 0))
        return;
    sim_trace(SIM_OP_PRINT, -1, 0, 0, keep_print(text));
    count_step(false);
}

void sim_spin_wait(const volatile void *watch, const void *lock) {
    SIM_BOUNDARY();
    if (!in_run() && sim_R != NULL && sim_R->in_setup)
        sim_run_setup_cannot_wait("a wait or a spin on a busy lock");
    if (!in_run())
        sim_panic("a wait in an end-of-run check would never end");
    sim_run *run = sim_R;
    sim_ctx *self = run->current;
    SIM_ASSERT(self->state == CTX_READY);
    /* A context woken and chosen that sleeps again before its step gives
     * that step up (a harness's own wait loop may do so). */
    self->chosen = false;
    /* Reads the watched word (as wake_writers_of compares it) and joins
     * the sleepers; the wait-for graph records what else it reads. */
    sim_footprint_access(watch, 8, false);
    sim_footprint_sleep();
    sim_options_stale();
    self->state = CTX_SLEEPING;
    self->wait_addr = watch;
    self->wait_lock = lock;
    poised[self->id].addr = NULL;
    SIM_ASSERT(run->sleeper_count < SIM_CTX_MAX);
    run->sleepers[run->sleeper_count++] = self;
    /* Going to sleep is a step (see sim_sched_exit_current). */
    int object = (int)(sim_object_get(lock != NULL ? lock : (const void *)watch) - run->objects);
    sim_trace(SIM_OP_SLEEP, object, 0, 0, NULL);
    sim_cover_contended(self, object);
    run->step++;
    sim_deadlock_check_cycle(self);
    sim_sched_point();
    SIM_ASSERT(self->state == CTX_READY && self->wait_addr == NULL);
    /* Woken and chosen: that decision covers the step the spin loop takes next. */
    self->chosen = true;
}
