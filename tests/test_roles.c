/* test_roles.c: the harness roles a driver's scenario declares (sim.h,
 * sim_io.h; scenarios in tests/scenarios/roles.c): each does what it
 * promises under every strategy, its misuse is a finding or a clear bad
 * scenario, and nothing a harness does reaches an internal error. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "verdict.h"

#define TABLE(rows) verdict_table(rows, sizeof rows / sizeof rows[0], "tests/scenarios/roles")

extern const int check_line_role_init_acquire, check_line_role_complete, check_line_role_cancel_complete,
    check_line_role_wait_in_dpc, check_line_role_window_check, check_line_role_later_check;

/* The initialization is checked like any context; its twin shows it runs
 * first and alone (every role asserts so) and that what it wrote needs no
 * lock after (no data race). The cancel role cancels while the driver
 * completes, and the buggy driver completes too: whichever completes
 * second is the site, the other the other site. */
TEST(roles_are_checked_and_their_twins_silent) {
    static const verdict_row rows[] = {
        {"chk_role_init", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(role_init_acquire), NULL, DEFAULT_SCHEDULE,
         NULL},
        {"chk_role_cancel", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(role_complete), LINE(role_cancel_complete),
         RANDOM_SEARCH_CYCLE, NULL},
    };
    TABLE(rows);
}

/* Started or inserted when the scheduler chooses: the default schedule
 * does it last (silent), a search finds the early start or the insert in
 * the window, and its schedule names the decision. */
TEST(roles_started_later_are_decisions) {
    static const struct {
        const char *scenario;
        const int *line;
        const char *decision;
    } rows[] = {
        {"chk_role_dpc_later", LINE(role_window_check), " irq window_dpc.insert cpu"},
        {"chk_role_thread_later", LINE(role_later_check), " switch T1 cpu"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_explore_result first = test_explore(rows[i].scenario, SIM_STRATEGY_DFS, 1, 0);
        CHECK(!first.found);
        sim_schedule_free(&first.schedule);
        sim_explore_result found = test_explore(rows[i].scenario, SIM_STRATEGY_RANDOM, 1000, 0);
        CHECK(found.found);
        CHECK_INT(found.finding.info.kind, SIM_FINDING_INVARIANT);
        CHECK_INT(found.finding.site->line, *rows[i].line);
        size_t size;
        char *text = sim_schedule_text(&found.schedule, &size);
        if (strstr(text, rows[i].decision) == NULL)
            test_fail(__FILE__, __LINE__, "%s: the schedule has no '%s':\n%s", rows[i].scenario, rows[i].decision,
                      text);
        free(text);
        sim_schedule_free(&found.schedule);
    }
}

TEST(roles_threaded_dpcs_later_dpcs_and_waits_work_in_every_schedule) {
    verdict_expect_clean("chk_role_threaded_dpc");
    verdict_expect_clean("chk_role_dpc_later_counts");
    verdict_expect_clean("chk_role_wait");
}

/* Waiting where nothing can end the wait: a finding in a DPC, a bad
 * scenario in setup, a deadlock for a harness that sleeps twice in a row;
 * never an internal error. */
/* A call only the setup may make, made by a running context, or a call of
 * a routine the headers declare but nobody defined: a bad scenario naming
 * the call (exit 2 from the CLI), the run stopped there. */
#define UNMODELLED_WHY(routine)                                                                                        \
    routine " is not modelled by spinsim: define it in the harness (\"Routines spinsim does not model\" in the "       \
            "headers' README)"
TEST(roles_setup_calls_from_a_running_context_and_unmodelled_routines_are_bad_scenarios) {
    static const struct {
        const char *scenario, *why;
    } rows[] = {
        {"chk_role_thread_in_run", "sim_thread may only be called from the scenario's setup"},
        {"chk_role_interrupt_in_run", "sim_interrupt may only be called from the scenario's setup"},
        {"chk_role_at_end_in_run", "sim_at_end may only be called from the scenario's setup"},
        /* the thread first calls IoWMIRegistrationControl, which the test
         * binary defines: only the routine nobody defined stops the run */
        {"chk_role_unmodelled_in_run", UNMODELLED_WHY("IoSetDeviceInterfaceState")},
        {"chk_role_unmodelled_in_setup", UNMODELLED_WHY("IoSetDeviceInterfaceState")},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_explore_result result = test_explore(rows[i].scenario, SIM_STRATEGY_DFS, 1, 0);
        CHECK(!result.found);
        CHECK(result.bad_scenario);
        CHECK_STR(result.bad_scenario_why, rows[i].why);
        sim_schedule_free(&result.schedule);
    }
}

TEST(roles_waits_that_cannot_end_are_findings_or_bad_scenarios) {
    sim_explore_result dpc = test_explore("chk_role_wait_in_dpc", SIM_STRATEGY_DFS, 1, 0);
    CHECK(dpc.found);
    CHECK_INT(dpc.finding.info.kind, SIM_FINDING_WAIT_AT_DISPATCH);
    CHECK_INT(dpc.finding.site->line, check_line_role_wait_in_dpc);
    sim_schedule_free(&dpc.schedule);
    sim_explore_result setup = test_explore("chk_role_wait_in_setup", SIM_STRATEGY_DFS, 1, 0);
    CHECK(setup.bad_scenario);
    CHECK(strstr(setup.bad_scenario_why, "in the scenario's setup would wait forever") != NULL);
    sim_schedule_free(&setup.schedule);
    sim_explore_result again = test_explore("chk_role_sleep_again", SIM_STRATEGY_DFS, 1, 0);
    CHECK(again.found);
    CHECK_INT(again.finding.info.kind, SIM_FINDING_DEADLOCK);
    sim_schedule_free(&again.schedule);
}
