/* test_checks.c: every rule of the contract (docs/windows-contract.md sect. 3)
 * has a buggy scenario that must yield exactly its finding kind and
 * severity at the offending call's line (and, where one exists, name the
 * conflicting acquisition's line), and a correct twin that must yield
 * nothing under random (1000 runs), PCT (1000 runs) and DFS (preemption
 * bound 2, exhausted). Scenarios live in tests/scenarios/check_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/check.h"
#include "check.h"
#include "explore.h"
#include "scenarios/check_scenarios.h"
#include "verdict.h"

#define TABLE(rows) verdict_table(rows, sizeof rows / sizeof rows[0], "tests/scenarios/check_")

/* ---- R1, R2, R6, R12: check_irql.c ------------------------------------------ */

extern const int check_line_irql_raise_acquire, check_line_irql_at_dpc_acquire, check_line_irql_at_dpc_in_isr,
    check_line_irql_release_at_dirql, check_line_irql_interrupt_lock, check_line_irql_raise_lower,
    check_line_irql_lower_higher, check_line_irql_dpc_lower, check_line_irql_lower_holding, check_line_irql_paged,
    check_line_irql_wait;

TEST(checks_irql_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_irql_raise_acquire", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_raise_acquire), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_at_dpc_passive", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_at_dpc_acquire), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_at_dpc_in_isr", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_RULE, LINE(irql_at_dpc_in_isr), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_release_at_dirql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_release_at_dirql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_interrupt_lock", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_interrupt_lock), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_raise_to_lower", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_raise_lower), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_lower_to_higher", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_lower_higher), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_dpc_lowers", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_dpc_lower), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_irql_lower_holding", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(irql_lower_holding), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_paged_at_dispatch", SIM_FINDING_PAGED_AT_DISPATCH, SIM_SEV_ERROR, LINE(irql_paged), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_irql_wait_at_dispatch", SIM_FINDING_WAIT_AT_DISPATCH, SIM_SEV_ERROR, LINE(irql_wait), NULL,
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* ---- R3, R4, R7, R8: check_release.c -------------------------------------------- */

extern const int check_line_release_foreign, check_line_release_raising_at_dispatch,
    check_line_release_raising_to_passive, check_line_release_from_dpc_level, check_line_release_plain_of_queued,
    check_line_release_swapped_old, check_line_release_handle_reused, check_line_release_handle_shared,
    check_line_handle_passed_first, check_line_handle_passed_second, check_line_release_handle_copy,
    check_line_release_foreign_handle, check_line_release_outer_plain, check_line_release_outer_queued,
    check_line_release_old_first, check_line_release_old_overwrite, check_line_release_old_ext_first,
    check_line_release_old_ext_dpc;

TEST(checks_release_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_release_wrong_owner", SIM_FINDING_RELEASE_WRONG_OWNER, SIM_SEV_ERROR, LINE(release_foreign), NULL,
         RANDOM_SEARCH, NULL},
        {"chk_release_family_rule", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_RULE, LINE(release_raising_at_dispatch),
         NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_release_family_lowers", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, LINE(release_raising_to_passive),
         NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_release_family_stuck", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, LINE(release_from_dpc_level),
         NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_release_family_mix", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, LINE(release_plain_of_queued), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_swapped_old", SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, LINE(release_swapped_old), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_handle_reused", SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, LINE(release_handle_reused), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_handle_shared", SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, LINE(release_handle_shared),
         LINE(release_handle_shared), RANDOM_SEARCH, NULL},
        {"chk_release_handle_unordered", SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, LINE(handle_passed_second),
         LINE(handle_passed_first), DEFAULT_SCHEDULE, NULL},
        {"chk_release_handle_copy", SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, LINE(release_handle_copy), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_handle_foreign", SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, LINE(release_foreign_handle), NULL,
         RANDOM_SEARCH, NULL},
        {"chk_release_order_plain", SIM_FINDING_RELEASE_ORDER, SIM_SEV_ERROR, LINE(release_outer_plain), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_order_queued", SIM_FINDING_RELEASE_ORDER, SIM_SEV_ERROR, LINE(release_outer_queued), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_release_old_shared", SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, LINE(release_old_overwrite),
         LINE(release_old_first), DEFAULT_SCHEDULE, NULL},
        {"chk_release_old_across", SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, LINE(release_old_ext_dpc),
         LINE(release_old_ext_first), RANDOM_SEARCH, NULL},
    };
    TABLE(rows);
    /* A handle handed on with its request, through a DPC insert. */
    verdict_expect_clean("chk_release_handle_with_request_ok");
}

/* ---- R13: check_exit.c; R5: check_recursion.c ------------------------------------ */

extern const int check_line_exit_thread_acquire, check_line_exit_dpc_acquire, check_line_exit_thread_raise,
    check_line_exit_dpc_raise, check_line_exit_threaded_raise, check_line_exit_isr_raise, check_line_exit_isr_acquire,
    check_line_exit_synch_raise, check_line_recursion_isr_synch, check_line_recursion_try_own;

TEST(checks_exit_and_recursion_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_exit_thread_lock_leak", SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, LINE(exit_thread_acquire),
         LINE(exit_thread_acquire), DEFAULT_SCHEDULE, "leaky_thread"},
        {"chk_exit_dpc_lock_leak", SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, LINE(exit_dpc_acquire), LINE(exit_dpc_acquire),
         DEFAULT_SCHEDULE, "leaky_dpc"},
        {"chk_exit_thread_irql_leak", SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, LINE(exit_thread_raise),
         LINE(exit_thread_raise), DEFAULT_SCHEDULE, "raising_thread"},
        {"chk_exit_dpc_irql_leak", SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, LINE(exit_dpc_raise), LINE(exit_dpc_raise),
         DEFAULT_SCHEDULE, "raising_dpc"},
        {"chk_exit_threaded_dpc_irql_leak", SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, LINE(exit_threaded_raise),
         LINE(exit_threaded_raise), DEFAULT_SCHEDULE, "raising_threaded_dpc"},
        {"chk_exit_isr_irql_leak", SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, LINE(exit_isr_raise), LINE(exit_isr_raise),
         DEFAULT_SCHEDULE, "raising_isr"},
        {"chk_exit_isr_lock_leak", SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, LINE(exit_isr_acquire), LINE(exit_isr_acquire),
         DEFAULT_SCHEDULE, "leaky_isr"},
        {"chk_exit_synch_irql_leak", SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, LINE(exit_synch_raise),
         LINE(exit_synch_raise), DEFAULT_SCHEDULE, "raising_synch"},
        {"chk_recursion_isr_synch", SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, LINE(recursion_isr_synch), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_recursion_try_own", SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, LINE(recursion_try_own), NULL,
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* ---- R14, R15: check_order.c, check_starvation.c ---------------------------------- */

extern const int check_line_order_ab, check_line_order_ba, check_line_watchdog_stall, check_line_starved_acquire;

TEST(checks_order_and_liveness_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_order_abba_threads", SIM_FINDING_LOCK_ORDER_CYCLE, SIM_SEV_ERROR, LINE(order_ba), LINE(order_ab),
         DEFAULT_SCHEDULE, NULL},
        {"chk_watchdog_dpc", SIM_FINDING_DPC_WATCHDOG, SIM_SEV_ERROR, LINE(watchdog_stall), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_watchdog_cumulative", SIM_FINDING_DPC_WATCHDOG, SIM_SEV_ERROR, LINE(watchdog_stall), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_starvation_plain", SIM_FINDING_STARVATION, SIM_SEV_ERROR, LINE(starved_acquire), NULL, DEFAULT_SCHEDULE,
         NULL},
    };
    TABLE(rows);
}

/* ---- data races: sim/race.c, sim/shadow.c ----------------------------------------- */

extern const int check_line_race_counter_locked, check_line_race_counter_dpc, check_line_race_isr_write,
    check_line_race_poll_read, check_line_race_flag_write, check_line_race_flag_read, check_line_race_list_insert,
    check_line_race_list_remove, check_line_race_wide_locked, check_line_race_wide_unlocked,
    check_line_race_stats_count, check_line_race_stats_zero, check_line_race_stats_copy, check_line_race_stats_compare,
    check_line_race_stats_fields, check_line_race_stats_rtl_compare, check_line_race_name_rename,
    check_line_race_name_copy, check_line_race_name_append, check_line_race_name_equal;

/* The second access of each pair is reported, naming the first: the
 * default schedule runs the CPU-0 role to its end before the other. */
TEST(checks_data_races_report_both_accesses) {
    static const verdict_row rows[] = {
        {"chk_race_counter", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_counter_dpc), LINE(race_counter_locked),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_isr_field", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_isr_write), LINE(race_poll_read),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_flag", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_flag_read), LINE(race_flag_write),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_list", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_list_remove), LINE(race_list_insert),
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* The C library's memory routines (RtlZeroMemory, RtlCopyMemory, memcmp),
 * RtlCompareMemory, and fields zeroed one by one, which the optimizer would make a memset:
 * the race is found at the routine's call, naming the thread's locked
 * increment; each correct twin takes the lock and is silent under every
 * strategy. */
TEST(checks_data_races_through_memory_routines) {
    static const verdict_row rows[] = {
        {"chk_race_zero_memory", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_stats_zero), LINE(race_stats_count),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_copy_memory", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_stats_copy), LINE(race_stats_count),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_compare_memory", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_stats_compare),
         LINE(race_stats_count), DEFAULT_SCHEDULE, NULL},
        {"chk_race_field_reset", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_stats_fields), LINE(race_stats_count),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_rtl_compare", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_stats_rtl_compare),
         LINE(race_stats_count), DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* The Rtl string routines (lock code, which the compiler's hooks do not
 * see) report the fields and characters they read and write: a name
 * copied, appended to or compared without what orders it after the
 * rename races at that call, naming the rename; each correct twin (lock D
 * for the DPCs, the rename's event for the PASSIVE_LEVEL comparison) is
 * silent under every strategy. */
TEST(checks_data_races_through_rtl_string_routines) {
    static const verdict_row rows[] = {
        {"chk_race_copy_unicode", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_name_copy), LINE(race_name_rename),
         DEFAULT_SCHEDULE, NULL},
        {"chk_race_append_unicode", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_name_append),
         LINE(race_name_rename), DEFAULT_SCHEDULE, NULL},
        {"chk_race_equal_unicode", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_name_equal), LINE(race_name_rename),
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* Clocks of 24 slots join outside the inline loops (sim/vclock.c): the
 * race is still found, and the locked twin stays silent. Its DFS space is
 * too big to exhaust. */
TEST(checks_data_races_on_many_cpus) {
    static const verdict_row row = {
        "chk_race_wide",        SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(race_wide_unlocked),
        LINE(race_wide_locked), DEFAULT_SCHEDULE,      NULL};
    verdict_expect_row(&row, "tests/scenarios/check_");
    verdict_expect_silent("chk_race_wide_ok", 2000, false);
}

/* Hand-offs and locking the way drivers do it: silent under every strategy. */
TEST(checks_correct_sharing_is_no_race) {
    static const char *const scenarios[] = {"chk_race_ok_dpc_handoff",
                                            "chk_race_ok_interlocked_publish",
                                            "chk_race_ok_event",
                                            "chk_race_ok_setup_data",
                                            "chk_race_ok_rwlock",
                                            "chk_race_ok_per_cpu",
                                            "chk_race_ok_threaded_dpc_serial"};
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        verdict_expect_clean(scenarios[i]);
    /* Hundreds of rounds: too long to search exhaustively. */
    verdict_expect_silent("chk_race_ok_long_loop", 2000, false);
}

/* ---- crashes in driver code: sim/guard.c ------------------------------------------- */

extern const int check_line_crash_null_read, check_line_crash_wild_write, check_line_crash_divide,
    check_line_crash_trap, check_line_crash_abort;

TEST(checks_crashes_are_findings_at_the_faulting_line) {
    static const verdict_row rows[] = {
        {"chk_crash_null", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(crash_null_read), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_crash_wild", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(crash_wild_write), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_crash_divide", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(crash_divide), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_crash_trap", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(crash_trap), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_crash_abort", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(crash_abort), NULL, DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* Each crash names what Windows would do with it. */
TEST(checks_crash_messages_name_the_fault_and_its_analogue) {
    static const struct {
        const char *scenario, *fault, *analogue;
    } rows[] = {
        {"chk_crash_null", "touched address 0x0 (a NULL pointer, offset 0x0)", "0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL"},
        {"chk_crash_wild", "touched an address that maps nothing", "0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL"},
        {"chk_crash_divide", "divided by zero", "0x1E KMODE_EXCEPTION_NOT_HANDLED, exception C0000094"},
        {"chk_crash_trap", "executed an illegal instruction", "0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
        {"chk_crash_abort", "called abort()", "abort() has no kernel counterpart"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_explore_result result = test_explore(rows[i].scenario, SIM_STRATEGY_DFS, 1, 0);
        CHECK(result.found);
        if (strstr(result.finding.info.message, rows[i].fault) == NULL ||
            strstr(result.finding.info.message, rows[i].analogue) == NULL)
            test_fail(__FILE__, __LINE__, "%s: \"%s\"", rows[i].scenario, result.finding.info.message);
        sim_schedule_free(&result.schedule);
    }
}

/* ---- memory that dies under a lock: sim/check_lifetime.c, sim/shadow.c -------------- */

extern const int check_line_mem_free_held_acquire, check_line_mem_free_held_free, check_line_mem_stale_free,
    check_line_mem_stale_acquire, check_line_mem_dpc_free, check_line_mem_data_free, check_line_mem_data_read,
    check_line_mem_scope_acquire, check_line_mem_scope_next_call, check_line_mem_twice_error_free,
    check_line_mem_twice_cleanup_free, check_line_mem_copy_free, check_line_mem_copy_read;

TEST(checks_memory_errors_report_both_sites) {
    static const verdict_row rows[] = {
        {"chk_mem_free_held_lock", SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, LINE(mem_free_held_free),
         LINE(mem_free_held_acquire), DEFAULT_SCHEDULE, NULL},
        {"chk_mem_stale_lock", SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, LINE(mem_stale_acquire),
         LINE(mem_stale_free), DEFAULT_SCHEDULE, NULL},
        {"chk_mem_queued_dpc", SIM_FINDING_LOCK_IN_FREED_MEMORY, SIM_SEV_ERROR, LINE(mem_dpc_free), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_mem_use_after_free", SIM_FINDING_USE_AFTER_FREE, SIM_SEV_ERROR, LINE(mem_data_read), LINE(mem_data_free),
         DEFAULT_SCHEDULE, NULL},
        {"chk_mem_copy_after_free", SIM_FINDING_USE_AFTER_FREE, SIM_SEV_ERROR, LINE(mem_copy_read), LINE(mem_copy_free),
         DEFAULT_SCHEDULE, NULL},
        {"chk_mem_handle_out_of_scope", SIM_FINDING_USE_AFTER_SCOPE, SIM_SEV_ERROR, LINE(mem_scope_next_call),
         LINE(mem_scope_acquire), DEFAULT_SCHEDULE, NULL},
        {"chk_mem_double_free", SIM_FINDING_MEMORY_ERROR, SIM_SEV_ERROR, LINE(mem_twice_cleanup_free),
         LINE(mem_twice_error_free), DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* What only ASan sees, an overflow, is a finding of the run in the ASan
 * build, at the overflowing line; the plain and TSan builds cannot see it. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
extern const int check_line_mem_overflow_read;

TEST(checks_asan_reports_are_findings) {
    static const verdict_row rows[] = {
        {"chk_mem_overflow", SIM_FINDING_MEMORY_ERROR, SIM_SEV_ERROR, LINE(mem_overflow_read), NULL, DEFAULT_SCHEDULE,
         NULL},
    };
    TABLE(rows);
}
#endif
#endif

/* ---- the wait-for graph beyond lock owners: sim/deadlock.c ------------------------ */

extern const int check_line_deadlock_release_a, check_line_deadlock_isr_sync;

/* R8e: a queued release waiting for its successor's link waits for that
 * successor (check_deadlock.c says why the cycle needs an ISR on the
 * successor's CPU, and why its recursive form cannot occur). */
TEST(checks_deadlock_through_a_queued_link_wait) {
    static const verdict_row rows[] = {
        {"chk_deadlock_link_wait", SIM_FINDING_DEADLOCK, SIM_SEV_ERROR, LINE(deadlock_release_a),
         LINE(deadlock_isr_sync), RANDOM_SEARCH_CYCLE, NULL},
    };
    TABLE(rows);
}

/* The chain names the awaited successor, the ISR above it and the lock the
 * ISR waits for, back to the releaser. */
TEST(checks_link_wait_chain_names_the_successor) {
    sim_explore_result result = test_explore("chk_deadlock_link_wait", SIM_STRATEGY_RANDOM, 1000, 0);
    CHECK(result.found);
    const char *chain = result.finding.chain;
    CHECK(strstr(result.finding.info.message, "wait-for cycle closed by ") != NULL);
    CHECK(strstr(chain, "releasing_dpc (cpu0) waits for its successor in the queue of A to link itself: ") != NULL);
    CHECK(strstr(chain, "link_successor (cpu1), preempted by ") != NULL);
    CHECK(strstr(chain, ":J (cpu1) waits for I.SpinLock held by ") != NULL);
    sim_schedule_free(&result.schedule);
}

/* ---- the ExInterlocked list lock: check_release.c (R7), check_order.c (R11, R14) --- */

extern const int check_line_exlist_insert, check_line_exlist_walk_plain, check_line_exlist_walk_queued,
    check_line_exlist_isr_remove, check_line_exlist_insert_under_a, check_line_exlist_a_under_walk;

TEST(checks_exlist_lock_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_exlist_mixed", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_RULE, LINE(exlist_walk_plain),
         LINE(exlist_insert), DEFAULT_SCHEDULE, NULL},
        {"chk_exlist_queued_mix", SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, LINE(exlist_walk_queued),
         LINE(exlist_insert), DEFAULT_SCHEDULE, NULL},
        {"chk_exlist_isr", SIM_FINDING_IRQ_UNSAFE_LOCK, SIM_SEV_ERROR, LINE(exlist_isr_remove), LINE(exlist_walk_plain),
         DEFAULT_SCHEDULE, NULL},
        {"chk_exlist_order_cycle", SIM_FINDING_LOCK_ORDER_CYCLE, SIM_SEV_ERROR, LINE(exlist_a_under_walk),
         LINE(exlist_insert_under_a), DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* The run summary's fairness metric, read after the run: the plain lock's
 * waiter is overtaken past the bound and waits far longer; the queued
 * lock's is overtaken at most once (two arrivals may swap the tail between
 * their first attempts). */
static sim_fairness fairness_of_lock_a(const char *scenario) {
    sim_explore_result result = test_explore(scenario, SIM_STRATEGY_DFS, 1, 0);
    sim_schedule_free(&result.schedule);
    for (int id = 0; id < sim_R->object_count; id++)
        if (strcmp(sim_R->objects[id].name, "A") == 0)
            return sim_check_fairness(id);
    return (sim_fairness){0};
}

TEST(checks_fairness_metric_tells_plain_from_queued) {
    sim_fairness plain = fairness_of_lock_a("chk_starvation_plain");
    sim_fairness queued = fairness_of_lock_a("chk_starvation_plain_ok");
    CHECK(plain.bypass_max > 20);
    CHECK(queued.bypass_max <= 1);
    CHECK(queued.acquisitions == 121);
    CHECK(plain.wait_max_steps > 4 * queued.wait_max_steps);
}

/* Converting a shared EX hold to exclusive keeps the shared acquire's
 * level: both release forms end it cleanly. */
TEST(checks_ex_conversion_is_clean) { verdict_expect_clean("chk_release_ex_convert"); }

/* A Try never waits: taking B and then only trying A, against A then B,
 * is the back-off pattern that avoids the cycle, not one. */
TEST(checks_try_backoff_is_no_lock_order_cycle) { verdict_expect_clean("chk_order_try_backoff"); }

/* ---- the lockdep self-test families, per lock family: check_lockdep.h ------------- */

#define LOCKDEP_LINES(family)                                                                                          \
    extern const int check_line_aa_2_##family, check_line_abba_1_##family, check_line_abba_2_##family,                 \
        check_line_abbcca_1_##family, check_line_abbcca_3_##family, check_line_abcabc_2_##family,                      \
        check_line_abcabc_3_##family, check_line_abbccdda_1_##family, check_line_abbccdda_4_##family,                  \
        check_line_abcdbdda_1_##family, check_line_abcdbdda_4_##family, check_line_abcdbcda_1_##family,                \
        check_line_abcdbcda_4_##family, check_line_double_unlock_3_##family, check_line_unheld_unlock_1_##family,      \
        check_line_irqsafe1_hard_isr_##family, check_line_irqsafe1_hard_thread_##family,                               \
        check_line_irqsafe1_soft_dpc_##family, check_line_irqsafe1_soft_thread_##family,                               \
        check_line_irqsafe2b_isr_##family, check_line_irqsafe2b_lower_##family, check_line_irqsafe3_isr_##family,      \
        check_line_irqsafe3_e1_##family, check_line_irqsafe4_isr_##family, check_line_irqsafe4_e2_##family,            \
        check_line_irq_inversion_isr_##family, check_line_irq_inversion_e2_##family;

/* One row: the scenario, its kind, the offending call's line and the line
 * of the acquisition it conflicts with (`other`, a pointer, or NULL). */
#define LOCKDEP_ROW(family, row, kind, line, other)                                                                    \
    {                                                                                                                  \
        "chk_ld_" #row "_" #family, SIM_FINDING_##kind, SIM_SEV_ERROR, &check_line_##line##_##family, other,           \
            DEFAULT_SCHEDULE, NULL                                                                                     \
    }

#define LOCKDEP_ROWS(family)                                                                                           \
    LOCKDEP_ROW(family, aa, RECURSIVE_ACQUIRE, aa_2, NULL),                                                            \
        LOCKDEP_ROW(family, abba, LOCK_ORDER_CYCLE, abba_2, &check_line_abba_1_##family),                              \
        LOCKDEP_ROW(family, abbcca, LOCK_ORDER_CYCLE, abbcca_3, &check_line_abbcca_1_##family),                        \
        LOCKDEP_ROW(family, abcabc, LOCK_ORDER_CYCLE, abcabc_3, &check_line_abcabc_2_##family),                        \
        LOCKDEP_ROW(family, abbccdda, LOCK_ORDER_CYCLE, abbccdda_4, &check_line_abbccdda_1_##family),                  \
        LOCKDEP_ROW(family, abcdbdda, LOCK_ORDER_CYCLE, abcdbdda_4, &check_line_abcdbdda_1_##family),                  \
        LOCKDEP_ROW(family, abcdbcda, LOCK_ORDER_CYCLE, abcdbcda_4, &check_line_abcdbcda_1_##family),                  \
        LOCKDEP_ROW(family, double_unlock, RELEASE_NOT_OWNED, double_unlock_3, NULL),                                  \
        LOCKDEP_ROW(family, unheld_unlock, RELEASE_NOT_OWNED, unheld_unlock_1, NULL),                                  \
        LOCKDEP_ROW(family, irqsafe1_hard, IRQ_UNSAFE_LOCK, irqsafe1_hard_isr,                                         \
                    &check_line_irqsafe1_hard_thread_##family),                                                        \
        LOCKDEP_ROW(family, irqsafe1_soft, IRQ_UNSAFE_LOCK, irqsafe1_soft_dpc,                                         \
                    &check_line_irqsafe1_soft_thread_##family),                                                        \
        LOCKDEP_ROW(family, irqsafe2b_hard, IRQ_UNSAFE_LOCK, irqsafe2b_isr, &check_line_irqsafe2b_lower_##family),     \
        LOCKDEP_ROW(family, irqsafe3_hard, IRQ_UNSAFE_LOCK, irqsafe3_isr, &check_line_irqsafe3_e1_##family),           \
        LOCKDEP_ROW(family, irqsafe4_hard, IRQ_UNSAFE_LOCK, irqsafe4_isr, &check_line_irqsafe4_e2_##family),           \
        LOCKDEP_ROW(family, irq_inversion, IRQ_UNSAFE_LOCK, irq_inversion_isr, &check_line_irq_inversion_e2_##family)

LOCKDEP_LINES(plain)
LOCKDEP_LINES(queued)

TEST(checks_lockdep_families_on_plain_spin_locks) {
    static const verdict_row rows[] = {LOCKDEP_ROWS(plain)};
    TABLE(rows);
}

TEST(checks_lockdep_families_on_queued_spin_locks) {
    static const verdict_row rows[] = {LOCKDEP_ROWS(queued)};
    TABLE(rows);
}
