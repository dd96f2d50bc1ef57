/* rules_severity.c: scenarios for rule findings, allows and parameters across
 * an exploration (tests/test_rules.c): rules at two sites in every run; a
 * rule in every run and an error only under a preemption; a parameter that
 * only some runs read. Offending calls are CHECK_CALLs, so the tests know
 * their lines. */
#include "check_scenarios.h"

/* ---- two rule sites, each in every run --------------------------------------- */

CHECK_CALL(rules_release_a, (check_ext * ext), KeReleaseSpinLock(&ext->lock[0], DISPATCH_LEVEL))
CHECK_CALL(rules_release_b, (check_ext * ext), KeReleaseSpinLock(&ext->lock[1], DISPATCH_LEVEL))

/* KeAcquireSpinLockAtDpcLevel released with KeReleaseSpinLock(L,
 * DISPATCH_LEVEL): both leave DISPATCH_LEVEL, a `rule` (R7). */
static VOID dpc_level_worker_a(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry = KeRaiseIrqlToDpcLevel();
    KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    rules_release_a(ext);
    KeLowerIrql(entry);
}

static VOID dpc_level_worker_b(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry = KeRaiseIrqlToDpcLevel();
    KeAcquireSpinLockAtDpcLevel(&ext->lock[1]);
    rules_release_b(ext);
    KeLowerIrql(entry);
}

SIM_SCENARIO(rules_two_sites, "two threads break the same DDI rule at two lines, harmlessly") {
    check_ext *ext = check_ext_new(true);
    sim_thread(0, dpc_level_worker_a, ext);
    sim_thread(1, dpc_level_worker_b, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a rule in every run, an error only under a preemption -------------------- */

CHECK_CALL(rules_window_check, (check_ext * ext), SIM_CHECK(InterlockedCompareExchange(&ext->flag, 0, 0) == 0))

/* The flag is set only inside a window of scheduling points: the default
 * schedule runs this thread to its end before the checker starts, and only
 * a preemption inside the window lets the checker see it set. */
static VOID rule_then_window(PVOID Context) {
    check_ext *ext = Context;
    dpc_level_worker_a(ext);
    InterlockedExchange(&ext->flag, 1);
    for (int i = 0; i < 3; i++)
        YieldProcessor();
    InterlockedExchange(&ext->flag, 0);
}

static VOID window_checker(PVOID Context) { rules_window_check(Context); }

SIM_SCENARIO(rules_then_error, "a DDI rule in every run; an invariant fails only when preempted in a window") {
    check_ext *ext = check_ext_new(true);
    sim_thread(0, rule_then_window, ext);
    sim_thread(1, window_checker, ext);
    sim_expect(SIM_FINDING_INVARIANT);
}

/* ---- a parameter only some runs read ------------------------------------------ */

/* The second thread reads `late_delay` only when it finds the first one's
 * flag set, which takes a preemption: the default schedule never reads it. */
static VOID late_reader(PVOID Context) {
    check_ext *ext = Context;
    if (InterlockedCompareExchange(&ext->flag, 0, 0) != 0)
        for (int64_t i = 0; i < sim_param("late_delay", 0); i++)
            YieldProcessor();
}

static VOID flag_window(PVOID Context) {
    check_ext *ext = Context;
    InterlockedExchange(&ext->flag, 1);
    YieldProcessor();
    InterlockedExchange(&ext->flag, 0);
}

SIM_SCENARIO(rules_late_param, "a parameter read only under a preemption") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, flag_window, ext);
    sim_thread(1, late_reader, ext);
    sim_expect(SIM_FINDING_NONE);
}
