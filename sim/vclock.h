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

static inline void vclock_join(vclock *into, const vclock *from, int width) {
    for (int s = 0; s < width; s++)
        if (from->c[s] > into->c[s])
            into->c[s] = from->c[s];
}

/* Both become their join: what a join of `b` into `a` and then of `a` into
 * `b` leaves, in one pass. */
static inline void vclock_join_both(vclock *a, vclock *b, int width) {
    for (int s = 0; s < width; s++) {
        uint32_t most = a->c[s] > b->c[s] ? a->c[s] : b->c[s];
        a->c[s] = b->c[s] = most;
    }
}

static inline bool vclock_epoch_before(vclock_epoch epoch, const vclock *clock) {
    return clock->c[epoch.slot] >= epoch.clock;
}

#endif
