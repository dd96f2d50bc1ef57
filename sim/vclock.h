/* vclock.h: vector clocks for the race detector (race.c, shadow.c).
 *
 * A clock has one component per slot. A slot is a timeline: a context
 * running in it numbers its events in that component, and a context that
 * takes over a slot continues the numbering only when every event of the
 * slot's earlier occupants happens before it (race.c), so "epoch (s, k)
 * happens before clock C" is exactly C[s] >= k. Only the first `width`
 * components of a clock are ever read or written; the rest stay zero. */
#ifndef SIM_VCLOCK_H
#define SIM_VCLOCK_H

#include <stdbool.h>
#include <stdint.h>

enum { VCLOCK_SLOTS_MAX = 256 };

typedef struct vclock {
    uint32_t c[VCLOCK_SLOTS_MAX];
} vclock;

/* One event of one slot: the unit the shadow memory stores. */
typedef struct vclock_epoch {
    uint32_t clock;
    uint16_t slot;
} vclock_epoch;

/* `into` takes the larger of each component of the two. */
#define VCLOCK_JOIN_LOOP(into, from, width)                                                                            \
    for (int s = 0; s < (width); s++)                                                                                  \
        (into)->c[s] = (from)->c[s] > (into)->c[s] ? (from)->c[s] : (into)->c[s];

/* Both take the larger of each component of the two. */
#define VCLOCK_JOIN_BOTH_LOOP(a, b, width)                                                                             \
    for (int s = 0; s < (width); s++)                                                                                  \
        (a)->c[s] = (b)->c[s] = (a)->c[s] > (b)->c[s] ? (a)->c[s] : (b)->c[s];

/* Clocks wider than this join in vclock.c, with the host's widest vector
 * instructions: a run of many CPUs has as many slots, and every atomic
 * step joins two clocks. Narrower ones join inline, one component at a
 * time: vectorized, a join of a few components would cost more in its
 * checks for overlapping clocks and its remainder loop than in the join
 * (bench: the step at 2, 4 and 8 CPUs; past 8 components the vector
 * instructions win). */
enum { VCLOCK_NARROW = 8 };

#define VCLOCK_NARROW_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")

void vclock_join_wide(vclock *into, const vclock *from, int width);
void vclock_join_both_wide(vclock *a, vclock *b, int width);

static inline void vclock_join(vclock *into, const vclock *from, int width) {
    if (width > VCLOCK_NARROW) {
        vclock_join_wide(into, from, width);
    } else {
        VCLOCK_NARROW_LOOP
        VCLOCK_JOIN_LOOP(into, from, width)
    }
}

/* Both become their join: what a join of `b` into `a` and then of `a` into
 * `b` leaves, in one pass. */
static inline void vclock_join_both(vclock *a, vclock *b, int width) {
    if (width > VCLOCK_NARROW) {
        vclock_join_both_wide(a, b, width);
    } else {
        VCLOCK_NARROW_LOOP
        VCLOCK_JOIN_BOTH_LOOP(a, b, width)
    }
}

static inline bool vclock_epoch_before(vclock_epoch epoch, const vclock *clock) {
    return clock->c[epoch.slot] >= epoch.clock;
}

#endif
