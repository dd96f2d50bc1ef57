/* check_starvation.c: scenarios for sim/check_starvation.c (R15): a DPC over
 * the single watchdog bound, a CPU over the cumulative one, and a plain
 * spin lock that starves a waiter once the CPUs run round robin, beside
 * the queued lock that cannot. Each sets its bounds small through its own
 * parameter defaults. */
#include "check_scenarios.h"

enum { WATCHDOG_STEPS = 100, STALLS_OVER = 150, STALLS_UNDER = 40 };

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

CHECK_CALL(watchdog_stall, (void), KeStallExecutionProcessor(10))

/* ---- one DPC runs too long (0x133, P1=0) ------------------------------------ */

static VOID stalling_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    for (int i = 0; i < (ext->buggy ? STALLS_OVER : STALLS_UNDER); i++)
        watchdog_stall();
}

static void setup_watchdog_dpc(check_ext *ext) {
    sim_param("dpc_watchdog_steps", WATCHDOG_STEPS);
    sim_dpc(0, stalling_dpc, ext);
    sim_dpc(1, stalling_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_watchdog_dpc, SIM_FINDING_DPC_WATCHDOG, "a DPC stalls past the watchdog", setup_watchdog_dpc)

/* ---- a CPU stays at DISPATCH_LEVEL too long (0x133, P1=1) --------------------- */

static VOID stalling_thread(PVOID Context) {
    check_ext *ext = Context;
    for (int round = 0; round < 4; round++) {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        for (int i = 0; i < (ext->buggy ? STALLS_OVER : STALLS_UNDER); i++)
            watchdog_stall();
        KeLowerIrql(old);
    }
}

static void setup_watchdog_cpu(check_ext *ext) {
    sim_param("dpc_watchdog_cumulative_steps", WATCHDOG_STEPS);
    sim_thread(0, stalling_thread, ext);
    sim_thread(1, idle_thread, ext);
}
CHECK_PAIR(chk_watchdog_cumulative, SIM_FINDING_DPC_WATCHDOG, "a thread stalls at DISPATCH_LEVEL past the watchdog",
           setup_watchdog_cpu)

/* ---- a waiter starved by a CPU that re-takes the lock at once ---------------- */

/* At DISPATCH_LEVEL the holder releases and re-acquires in consecutive
 * steps. With the CPUs taking turns, the plain lock's waiter, woken by the
 * release, tests the word first and finds it free, but the holder's
 * bit-test-and-set comes first: it is overtaken on every round. The queued
 * lock hands the lock to the waiter in line. */
enum { HOG_ROUNDS = 120, STARVATION_BYPASS = 20, LIVENESS_FROM_STEP = 50 };

static VOID hogging_thread(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    for (int i = 0; i < HOG_ROUNDS; i++) {
        if (ext->buggy)
            KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
        else
            KeAcquireInStackQueuedSpinLockAtDpcLevel(&ext->lock[0], &handle);
        InterlockedIncrement(&ext->flag);
        if (ext->buggy)
            KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
        else
            KeReleaseInStackQueuedSpinLockFromDpcLevel(&handle);
    }
    KeLowerIrql(old);
}

#define ACQUIRE_PLAIN_OR_QUEUED(ext, old, handle)                                                                      \
    if ((ext)->buggy)                                                                                                  \
        KeAcquireSpinLock(&(ext)->lock[0], old);                                                                       \
    else                                                                                                               \
        KeAcquireInStackQueuedSpinLock(&(ext)->lock[0], handle)

CHECK_CALL(starved_acquire, (check_ext * ext, KIRQL *old, PKLOCK_QUEUE_HANDLE h), ACQUIRE_PLAIN_OR_QUEUED(ext, old, h))

static VOID waiting_thread(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle;
    KIRQL old;
    starved_acquire(ext, &old, &handle);
    if (ext->buggy)
        KeReleaseSpinLock(&ext->lock[0], old);
    else
        KeReleaseInStackQueuedSpinLock(&handle);
}

static void setup_starvation(check_ext *ext) {
    sim_param("liveness_from_step", LIVENESS_FROM_STEP);
    sim_param("starvation_bypass", STARVATION_BYPASS);
    sim_thread(0, hogging_thread, ext);
    sim_thread(1, waiting_thread, ext);
}
CHECK_PAIR(chk_starvation_plain, SIM_FINDING_STARVATION,
           "a CPU re-taking a plain spin lock starves a waiter (twin: the queued lock)", setup_starvation)
