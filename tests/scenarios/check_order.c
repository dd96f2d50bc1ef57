/* check_order.c: scenarios for sim/check_order.c beyond the lockdep rows
 * (check_lockdep.h): a lock-order cycle across two threads, reported on a
 * schedule that never hangs, and the back-off pattern that must not be
 * one (a Try never waits, so it orders nothing). */
#include "check_scenarios.h"

#define TAKE_TWO(ext, x, y)                                                                                            \
    KIRQL old_x, old_y;                                                                                                \
    KeAcquireSpinLock(&(ext)->lock[x], &old_x);                                                                        \
    KeAcquireSpinLock(&(ext)->lock[y], &old_y);                                                                        \
    KeReleaseSpinLock(&(ext)->lock[y], old_y);                                                                         \
    KeReleaseSpinLock(&(ext)->lock[x], old_x)

CHECK_CALL(order_ab, (check_ext * ext), TAKE_TWO(ext, 0, 1))
CHECK_CALL(order_ba, (check_ext * ext), TAKE_TWO(ext, 1, 0))

static VOID take_ab(PVOID Context) { order_ab(Context); }

static VOID take_ba(PVOID Context) {
    check_ext *ext = Context;
    if (ext->buggy)
        order_ba(ext);
    else
        order_ab(ext);
}

CHECK_PAIR_THREADS(chk_order_abba_threads, SIM_FINDING_LOCK_ORDER_CYCLE, "two threads take A and B in opposite orders",
                   take_ab, take_ba)

/* The second thread takes B, then only tries A, backing off when it is
 * busy: no order B -> A, nothing to report. */
static VOID take_b_try_a(PVOID Context) {
    check_ext *ext = Context;
    for (;;) {
        KIRQL old;
        KeAcquireSpinLock(&ext->lock[1], &old);
        if (KeTryToAcquireSpinLockAtDpcLevel(&ext->lock[0])) {
            KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
            KeReleaseSpinLock(&ext->lock[1], old);
            return;
        }
        KeReleaseSpinLock(&ext->lock[1], old);
        YieldProcessor();
    }
}

/* PCT can keep the backing-off thread ahead until the liveness phase:
 * start that phase early to keep every run short. */
enum { BACKOFF_LIVENESS_FROM_STEP = 200 };

SIM_SCENARIO(chk_order_try_backoff, "B then only a Try of A, against A then B: no lock-order cycle") {
    sim_param("liveness_from_step", BACKOFF_LIVENESS_FROM_STEP);
    check_ext *ext = check_ext_new(false);
    sim_thread(0, take_ab, ext);
    sim_thread(1, take_b_try_a, ext);
    sim_expect(SIM_FINDING_NONE);
}
