/* test_ddi.c: the routines spinsim adds beyond the lock families
 * (docs/design.md, "The wdm.h surface beyond locks"). Each IRQL contract
 * and each misuse rule has a buggy scenario that must yield exactly its
 * finding at the offending call's line and a correct twin that must stay
 * silent under random, PCT and DFS (verdict.h); the functional tests check
 * what the routines do. Scenarios live in tests/scenarios/ddi_*.c. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "verdict.h"

#define TABLE(rows) verdict_table(rows, sizeof rows / sizeof rows[0], "tests/scenarios/ddi_")

/* ---- IRQL contracts: ddi_irql.c ------------------------------------------------ */

#define DDI_IRQL_ROWS(X)                                                                                               \
    X(ddi_rtl_init_unicode, IRQL_VIOLATION)                                                                            \
    X(ddi_rtl_init_ansi, IRQL_VIOLATION)                                                                               \
    X(ddi_rtl_copy, IRQL_VIOLATION)                                                                                    \
    X(ddi_rtl_compare, IRQL_VIOLATION)                                                                                 \
    X(ddi_rtl_equal, IRQL_VIOLATION)                                                                                   \
    X(ddi_rtl_append, IRQL_VIOLATION)                                                                                  \
    X(ddi_rtl_append_string, IRQL_VIOLATION)                                                                           \
    X(ddi_print_unicode, IRQL_VIOLATION)                                                                               \
    X(ddi_print_high, IRQL_VIOLATION)                                                                                  \
    X(ddi_pool_zero, IRQL_VIOLATION)                                                                                   \
    X(ddi_pool_zero_paged, IRQL_VIOLATION)                                                                             \
    X(ddi_ndis_memory, IRQL_VIOLATION)                                                                                 \
    X(ddi_reset_event, IRQL_VIOLATION)                                                                                 \
    X(ddi_release_semaphore, IRQL_VIOLATION)                                                                           \
    X(ddi_release_semaphore_wait, IRQL_VIOLATION)                                                                      \
    X(ddi_set_timer_ex, IRQL_VIOLATION)                                                                                \
    X(ddi_wait_multiple, WAIT_AT_DISPATCH)                                                                             \
    X(ddi_delay, WAIT_AT_DISPATCH)                                                                                     \
    X(ddi_create_thread, IRQL_VIOLATION)                                                                               \
    X(ddi_reference_handle, IRQL_VIOLATION)                                                                            \
    X(ddi_dereference, IRQL_VIOLATION)                                                                                 \
    X(ddi_zw_close, IRQL_VIOLATION)                                                                                    \
    X(ddi_set_priority, IRQL_VIOLATION)                                                                                \
    X(ddi_critical_region, IRQL_VIOLATION)                                                                             \
    X(ddi_cancel_lock, IRQL_VIOLATION)                                                                                 \
    X(ddi_set_cancel_routine, IRQL_VIOLATION)                                                                          \
    X(ddi_complete, IRQL_VIOLATION)                                                                                    \
    X(ddi_cancel_irp, IRQL_VIOLATION)                                                                                  \
    X(ddi_call_driver, IRQL_VIOLATION)                                                                                 \
    X(ddi_allocate_irp, IRQL_VIOLATION)                                                                                \
    X(ddi_free_irp, IRQL_VIOLATION)                                                                                    \
    X(ddi_create_device, IRQL_VIOLATION)                                                                               \
    X(ddi_delete_device, IRQL_VIOLATION)                                                                               \
    X(ddi_wdf_lock, IRQL_VIOLATION)                                                                                    \
    X(ddi_wdf_lock_create, IRQL_VIOLATION)                                                                             \
    X(ddi_wdf_interrupt_lock, IRQL_VIOLATION)                                                                          \
    X(ddi_wdf_synchronize, IRQL_VIOLATION)                                                                             \
    X(ddi_wdf_dpc_create, IRQL_VIOLATION)                                                                              \
    X(ddi_ndis_dpr_acquire, IRQL_VIOLATION)                                                                            \
    X(ddi_ndis_acquire, IRQL_VIOLATION)                                                                                \
    X(ddi_ndis_read_at_dispatch, IRQL_VIOLATION)                                                                       \
    X(ddi_ndis_write, IRQL_VIOLATION)                                                                                  \
    X(ddi_ndis_allocate_rw, IRQL_VIOLATION)                                                                            \
    X(ddi_ndis_free_lock, IRQL_VIOLATION)                                                                              \
    X(ddi_ndis_list, IRQL_VIOLATION)                                                                                   \
    X(ddi_push_entry, IRQL_VIOLATION)                                                                                  \
    X(ddi_csq_insert, IRQL_VIOLATION)                                                                                  \
    X(ddi_csq_remove_next, IRQL_VIOLATION)                                                                             \
    X(ddi_acquire_remove_lock, IRQL_VIOLATION)                                                                         \
    X(ddi_remove_lock_wait, IRQL_VIOLATION)                                                                            \
    X(ddi_create_device_secure, IRQL_VIOLATION)                                                                        \
    X(ddi_symbolic_link, IRQL_VIOLATION)                                                                               \
    X(ddi_driver_runtime, IRQL_VIOLATION)                                                                              \
    X(ddi_allocate_work_item, IRQL_VIOLATION)                                                                          \
    X(ddi_queue_work_item, IRQL_VIOLATION)

#define DECLARE_LINE(name, kind) extern const int check_line_##name;
#define IRQL_ROW(name, kind)                                                                                           \
    {"chk_" #name, SIM_FINDING_##kind, SIM_SEV_ERROR, &check_line_##name, NULL, DEFAULT_SCHEDULE, NULL},

DDI_IRQL_ROWS(DECLARE_LINE)

TEST(ddi_irql_contracts_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {DDI_IRQL_ROWS(IRQL_ROW)};
    TABLE(rows);
}

/* ---- the WFP callout surface: ddi_wfp.c ------------------------------------------ */

#define DDI_WFP_ROWS(X)                                                                                                \
    X(ddi_wfp_allocate_mdl, IRQL_VIOLATION)                                                                            \
    X(ddi_wfp_allocate_nbl, IRQL_VIOLATION)                                                                            \
    X(ddi_wfp_get_data, IRQL_VIOLATION)                                                                                \
    X(ddi_wfp_retreat, IRQL_VIOLATION)                                                                                 \
    X(ddi_wfp_lookaside_allocate, IRQL_VIOLATION)                                                                      \
    X(ddi_wfp_clone, IRQL_VIOLATION)                                                                                   \
    X(ddi_wfp_inject, IRQL_VIOLATION)                                                                                  \
    X(ddi_wfp_register, IRQL_VIOLATION)                                                                                \
    X(ddi_wfp_filter_add, IRQL_VIOLATION)

DDI_WFP_ROWS(DECLARE_LINE)
extern const int check_line_ddi_wfp_completion_reads;

TEST(ddi_wfp_contracts_and_injection_completion_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        DDI_WFP_ROWS(IRQL_ROW){"chk_ddi_wfp_free_before_completion", SIM_FINDING_USE_AFTER_FREE, SIM_SEV_ERROR,
                               &check_line_ddi_wfp_completion_reads, NULL, DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* ---- misuse rules: ddi_rules.c --------------------------------------------- */

extern const int check_line_ddi_complete_first, check_line_ddi_complete_again, check_line_ddi_cancelable_set,
    check_line_ddi_cancelable_complete, check_line_ddi_cancel_last_call, check_line_ddi_cancel_call,
    check_line_ddi_call_pending, check_line_ddi_free_first, check_line_ddi_free_again, check_line_ddi_assert,
    check_line_ddi_nt_assert, check_line_ddi_assertmsg, check_line_ddi_nt_verify, check_line_ddi_bug_check,
    check_line_ddi_wdf_reacquire, check_line_ddi_release_past_limit, check_line_ddi_wait_four,
    check_line_ddi_wait_thread, check_line_ddi_terminate, check_line_ddi_queue_again;

TEST(ddi_misuse_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_ddi_irp_double_complete", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(ddi_complete_again),
         LINE(ddi_complete_first), DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_irp_complete_cancelable", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(ddi_cancelable_complete),
         LINE(ddi_cancelable_set), DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_cancel_lock_leak", SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, LINE(ddi_cancel_last_call),
         LINE(ddi_cancel_call), DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_pending_unmarked", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(ddi_call_pending), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_irp_double_free", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(ddi_free_again), LINE(ddi_free_first),
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_assert", SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, LINE(ddi_assert), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_ddi_nt_assert", SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, LINE(ddi_nt_assert), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_ddi_assertmsg", SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, LINE(ddi_assertmsg), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_ddi_nt_verify", SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, LINE(ddi_nt_verify), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_ddi_bug_check", SIM_FINDING_BUG_CHECK, SIM_SEV_ERROR, LINE(ddi_bug_check), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_wdf_recursion", SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, LINE(ddi_wdf_reacquire), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_semaphore_limit", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(ddi_release_past_limit), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_wait_blocks", SIM_FINDING_BUG_CHECK, SIM_SEV_ERROR, LINE(ddi_wait_four), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_ddi_wait_declared_thread", SIM_FINDING_INVARIANT, SIM_SEV_ERROR, LINE(ddi_wait_thread), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_terminate_at_dispatch", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(ddi_terminate), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_ddi_work_item_queued_twice", SIM_FINDING_CRASH, SIM_SEV_ERROR, LINE(ddi_queue_again), NULL,
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

/* ---- what the routines do: ddi_functional.c ------------------------------------ */

static const char *const functional_scenarios[] = {
    "ddi_timer_periodic",
    "ddi_timer_cancel_in_dpc",
    "ddi_wait_any",
    "ddi_wait_any_two_waiters",
    "ddi_wait_all",
    "ddi_system_thread",
    "ddi_time",
    "ddi_strings",
    "ddi_single_list",
    "ddi_ndis_read_recursion",
    "ddi_wdf_interrupt",
    "ddi_print",
    "ddi_csq",
    "ddi_remove_lock",
};

/* Their own SIM_CHECKs hold in every schedule the three searches try. */
TEST(ddi_routines_do_what_windows_does_in_every_schedule) {
    for (size_t i = 0; i < sizeof functional_scenarios / sizeof functional_scenarios[0]; i++)
        verdict_expect_clean(functional_scenarios[i]);
}

/* The finding's message: the assertion's expression, the bug check's code
 * and parameters. */
static void expect_message(const char *scenario, const char *message) {
    sim_explore_result result = test_explore(scenario, SIM_STRATEGY_DFS, 1, 0);
    CHECK(result.found);
    if (result.found)
        CHECK_STR(result.finding.info.message, message);
    sim_schedule_free(&result.schedule);
}

TEST(ddi_assertions_and_bug_checks_say_what_failed) {
    expect_message("chk_ddi_assert", "assertion failed: f->count == 0");
    expect_message("chk_ddi_assertmsg", "assertion failed: f->count == 0 (the queue must be empty)");
    expect_message("chk_ddi_nt_verify", "assertion failed: InterlockedIncrement(&f->count) == 1");
    expect_message("chk_ddi_bug_check", "bug check 0x0000DEAD (0x1, 0x2, 0x3, 0x1)");
}

/* Collects what follows "print" on the trace lines that print: the object
 * (none: "-"), the quoted text and the site. */
typedef struct printed {
    char lines[4][256];
    int count;
} printed;

static void keep_prints(void *user, const char *line) {
    printed *p = user;
    const char *text = strstr(line, " print ");
    if (text != NULL && p->count < 4)
        snprintf(p->lines[p->count++], sizeof p->lines[0], "%s", text + strlen(" print "));
}

TEST(ddi_dbgprint_text_appears_in_the_trace_as_formatted) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find("ddi_print"));
    config.strategy = SIM_STRATEGY_DFS;
    config.runs = 1;
    printed p = {.count = 0};
    config.machine.trace_sink = keep_prints;
    config.machine.trace_user = &p;
    sim_explore_result result;
    sim_explore(&config, &result);
    sim_schedule_free(&result.schedule);
    static const char *const expected[] = {
        "- \"count=5 name=Dev0 wide=w? 123456789 ok ansi% \" tests/scenarios/ddi_functional.c:",
        "- \"kd 7 x -1 deadbeef \" tests/scenarios/ddi_functional.c:",
        "- \"ex ab  |BEEF \" tests/scenarios/ddi_functional.c:",
    };
    CHECK_INT(p.count, 3);
    for (int i = 0; i < p.count && i < 3; i++)
        if (strncmp(p.lines[i], expected[i], strlen(expected[i])) != 0)
            test_fail(__FILE__, __LINE__, "print %d is '%s', expected '%s...'", i, p.lines[i], expected[i]);
}
