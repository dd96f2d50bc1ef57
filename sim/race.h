/* race.h: the happens-before relation the data-race detector judges plain
 * accesses by (race.c), as the rest of the machine feeds it. Every edge
 * comes from a machine event, never from the order a schedule happened to
 * run things in:
 * - the atomic layer: each operation on a word acquires what earlier
 *   operations on that word released (loads acquire, stores release,
 *   read-modify-writes both), as x86 orders them; every lock family,
 *   Interlocked routine, event and DPC queued flag goes through it;
 * - IRQL, per CPU and per level L a DPC or ISR enters at: a DPC or ISR
 *   entering at L, and a context raising from below L to L or above, can
 *   never overlap another such region of that CPU; each acquires what the
 *   earlier ones released when they ended or lowered below L. So per-CPU
 *   data kept at DISPATCH_LEVEL, the DPCs of one CPU and the ISRs of one
 *   level on one CPU are ordered; an ISR is not ordered with a DPC or a
 *   raised thread below its level (it may nest inside them), nor a DPC
 *   with a thread at PASSIVE_LEVEL;
 * - contexts: a DPC starts after the inserts its dequeue took; a
 *   threaded DPC also after the threaded DPCs of its CPU before it, which
 *   run one after another in that CPU's threaded-DPC thread; a thread a
 *   running context starts begins after its creator's past; every context
 *   follows the scenario's initialization (sim_init) once it returned.
 * More edges can only hide races, never invent one: where a table fills
 * up, the detector merges timelines and may miss, never cry wolf. */
#ifndef SIM_RACE_H
#define SIM_RACE_H

#include "internal.h"
#include "vclock.h"

/* Starts a run; `enabled` false makes every other call a no-op. */
void sim_race_run_begin(bool enabled);
/* What the run began with; tested inline on every step. */
extern bool sim_race_on;
static inline bool sim_race_enabled(void) { return sim_race_on; }

/* `ctx` starts a timeline: a thread when it is created (after its
 * creator's past when the creator is a running context), a DPC or ISR when
 * it is pushed on its CPU, which was at `irql_from`. */
void sim_race_ctx_begin(const sim_ctx *ctx, uint8_t irql_from);
/* The initialization (sim_init) returned: every context, those waiting to
 * start and those created later, follows what it did. */
void sim_race_init_done(const sim_ctx *init);
/* `ctx` runs its first step: ThreadSanitizer (build/sim-tsan) learns the
 * edges sim_race_ctx_begin gave it, on its own fiber. */
void sim_race_san_entered(const sim_ctx *ctx);
/* `ctx` ends, still on its CPU: a DPC or ISR releases its entry level, a
 * threaded DPC what the next of its CPU acquires. */
void sim_race_ctx_end(const sim_ctx *ctx);

/* The current context performed an atomic operation on registry object
 * `object` (objects.c) that acquires, releases or both. */
void sim_race_atomic(int object, bool acquire, bool release);
/* The current context changed its CPU's IRQL. */
void sim_race_irql(int cpu, uint8_t irql_from, uint8_t irql_to);

/* The current context's clock and the epoch of its next access; false when
 * it is not tracked (outside a run, or past the detector's limits). */
bool sim_race_now(vclock_epoch *epoch, const vclock **clock);
/* A plain load or store touched a word the atomic layer uses: on x86 it
 * orders like the atomic operations there (a load acquires, a store
 * releases), and it is never itself a race. */
void sim_race_plain_sync(const void *addr, bool store);

#endif
