/* test_locks.c: the lock family of locks/ under the machine. The scenarios
 * (tests/scenarios/lock_*.c, wdm_only_*.c) state every expected value with
 * SIM_CHECK, so a run without a finding is a run where all of them held;
 * these tests choose the runs (the IRQL matrix cell by cell, exhaustive or
 * bounded search) and check that nothing was found, that the search was
 * exhausted, and how many schedules it took, and that every canary is
 * caught. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "explore.h"
#include "scenarios/lock_scenarios.h"

enum { ANY_CPUS = 0, RUNS_MAX = 2000000 };

typedef struct search {
    const char *scenario;
    int cpus;  /* ANY_CPUS: the scenario's choice */
    int bound; /* DFS preemption bound, -1 unbounded */
    sim_trace_sink sink;
    void *sink_user;
} search;

static void configure(sim_explore_config *config, const search *s) {
    sim_explore_defaults(config, sim_scenario_find(s->scenario));
    config->strategy = SIM_STRATEGY_DFS;
    config->preemption_bound = s->bound;
    /* The schedule counts below are of the full interleaving space, which
     * these tests push the locks through; reduction is test_reduction.c's. */
    config->reduction = false;
    config->runs = RUNS_MAX;
    config->machine.trace_sink = s->sink;
    config->machine.trace_user = s->sink_user;
    if (s->cpus != ANY_CPUS)
        test_config_param(config, "cpus", s->cpus);
}

/* Explores; the schedule is freed, the rest returned. */
static sim_explore_result explore(sim_explore_config *config) {
    sim_explore_result result;
    sim_explore(config, &result);
    sim_schedule_free(&result.schedule);
    return result;
}

static sim_explore_result dfs(const search *s) {
    sim_explore_config config;
    configure(&config, s);
    return explore(&config);
}

/* Fails the test with the finding's kind, line and message. */
static void require_clean(const char *what, const sim_explore_result *result) {
    if (result->bad_scenario)
        test_fail(__FILE__, __LINE__, "%s: bad scenario: %s", what, result->bad_scenario_why);
    else if (result->found)
        test_fail(__FILE__, __LINE__, "%s: %s at %s:%d: %s", what, sim_kind_token(result->finding.info.kind),
                  result->finding.site ? result->finding.site->file : "-",
                  result->finding.site ? result->finding.site->line : 0, result->finding.info.message);
    else if (!result->exhausted)
        test_fail(__FILE__, __LINE__, "%s: not exhausted after %llu schedules", what, (unsigned long long)result->runs);
}

/* Fails the test unless search found an `invariant` finding. */
static void require_invariant(const char *what, const sim_explore_result *result) {
    if (!result->found)
        test_fail(__FILE__, __LINE__, "%s: nothing found in %llu schedules%s", what, (unsigned long long)result->runs,
                  result->exhausted ? " (exhausted)" : "");
    else if (result->finding.info.kind != SIM_FINDING_INVARIANT)
        test_fail(__FILE__, __LINE__, "%s: %s, not invariant: %s", what, sim_kind_token(result->finding.info.kind),
                  result->finding.info.message);
}

/* ---- the IRQL matrix ------------------------------------------------------------------- */

/* Every routine family from every kind of caller. Legal cells must produce
 * no finding at all; illegal cells allow every kind but `invariant`, so
 * what they assert is the mechanics alone (their verdicts are the
 * checkers' tests). DFS without preemptions also explores where the
 * injected DPC and interrupt callers land. */
TEST(matrix_every_routine_from_every_caller) {
    int cells = 0, legal = 0;
    for (int op = 0; op < lk_matrix_op_count(); op++)
        for (int caller = 0; caller < LK_CALLER_COUNT; caller++) {
            sim_explore_config config;
            configure(&config, &(search){.scenario = "lk_matrix", .bound = 0});
            test_config_param(&config, "op", op);
            test_config_param(&config, "caller", caller);
            test_config_param(&config, "irq_fires", 0);
            sim_explore_result result = explore(&config);
            char what[160];
            snprintf(what, sizeof what, "%s from %s", lk_matrix_op_name(op), lk_caller_name((lk_caller)caller));
            require_clean(what, &result);
            CHECK(result.runs >= 1);
            cells++;
            legal += lk_matrix_op_legal(op, (lk_caller)caller);
        }
    CHECK_INT(cells, lk_matrix_op_count() * LK_CALLER_COUNT);
    CHECK_INT(lk_matrix_op_count(), 34);
    CHECK_INT(legal, 154);
}

/* Every illegal cell is noticed: with nothing allowed, the checkers report
 * the misuse (never only an `invariant` of the mechanics). */
TEST(matrix_every_illegal_call_is_a_finding) {
    int illegal = 0;
    for (int op = 0; op < lk_matrix_op_count(); op++)
        for (int caller = 0; caller < LK_CALLER_COUNT; caller++) {
            if (lk_matrix_op_legal(op, (lk_caller)caller))
                continue;
            sim_explore_config config;
            configure(&config, &(search){.scenario = "lk_matrix", .bound = 0});
            test_config_param(&config, "op", op);
            test_config_param(&config, "caller", caller);
            test_config_param(&config, "irq_fires", 0);
            test_config_param(&config, "strict", 1);
            sim_explore_result result = explore(&config);
            if (!result.found || result.finding.info.kind == SIM_FINDING_INVARIANT)
                test_fail(__FILE__, __LINE__, "%s from %s: %s", lk_matrix_op_name(op),
                          lk_caller_name((lk_caller)caller),
                          result.found ? sim_kind_token(result.finding.info.kind) : "no finding");
            illegal++;
        }
    CHECK_INT(illegal, 238 - 154);
}

/* ---- mutual exclusion ------------------------------------------------------------------- */

static const struct {
    const char *scenario;
    uint64_t runs_min_two_cpus;   /* schedules of the unbounded search on 2 CPUs, at least */
    uint64_t runs_min_three_cpus; /* schedules of the bound-2 search on 3 CPUs, at least */
} exclusive[] = {
    {"lk_mutex_spin", 100, 1000},         {"lk_mutex_queued", 1500, 1000},         {"lk_mutex_ex", 700, 1000},
    {"lk_mutex_interrupt", 25000, 40000}, {"lk_synchronize_vs_isr", 25000, 40000},
};

TEST(mutual_exclusion_unbounded_two_cpus) {
    for (size_t i = 0; i < sizeof exclusive / sizeof exclusive[0]; i++) {
        sim_explore_result result = dfs(&(search){.scenario = exclusive[i].scenario, .cpus = 2, .bound = -1});
        require_clean(exclusive[i].scenario, &result);
        CHECK(result.runs >= exclusive[i].runs_min_two_cpus);
    }
}

TEST(mutual_exclusion_bound_two_three_cpus) {
    for (size_t i = 0; i < sizeof exclusive / sizeof exclusive[0]; i++) {
        sim_explore_result result = dfs(&(search){.scenario = exclusive[i].scenario, .cpus = 3, .bound = 2});
        require_clean(exclusive[i].scenario, &result);
        CHECK(result.runs >= exclusive[i].runs_min_three_cpus);
    }
}

/* The canaries: no lock at all loses an update, and readers of an
 * EX_SPIN_LOCK do overlap. Search must say so, as `invariant`. */
TEST(mutual_exclusion_canaries_are_caught) {
    static const char *const canaries[] = {"lk_mutex_none", "lk_ex_readers_overlap"};
    for (size_t i = 0; i < sizeof canaries / sizeof canaries[0]; i++)
        for (int cpus = 2; cpus <= 3; cpus++) {
            sim_explore_result result =
                dfs(&(search){.scenario = canaries[i], .cpus = cpus, .bound = cpus == 2 ? -1 : 2});
            char what[80];
            snprintf(what, sizeof what, "%s on %d CPUs", canaries[i], cpus);
            require_invariant(what, &result);
        }
}

/* ---- fairness ------------------------------------------------------------------------------ */

TEST(queued_lock_is_fifo_in_every_schedule) {
    sim_explore_result result =
        dfs(&(search){.scenario = "lk_fifo_queued", .cpus = 3, .bound = 3, .sink = lk_fifo_sink});
    require_clean("lk_fifo_queued on 3 CPUs, bound 3", &result);
    CHECK(result.runs >= 10000);
    result = dfs(&(search){.scenario = "lk_fifo_queued", .cpus = 2, .bound = -1, .sink = lk_fifo_sink});
    require_clean("lk_fifo_queued on 2 CPUs, unbounded", &result);
    CHECK(result.runs >= 1500);
}

TEST(plain_spin_lock_bypass_is_found) {
    sim_explore_result result = dfs(&(search){.scenario = "lk_fifo_spin", .cpus = 3, .bound = 2, .sink = lk_fifo_sink});
    require_invariant("lk_fifo_spin", &result);
    CHECK(result.found && strstr(result.finding.info.message, "owners[i] == probe.arrivals[i]") != NULL);
}

/* Sleeps of a release waiting for its successor's link name that entry's
 * Next word, not the lock: count them. */
static void count_link_waits(void *user, const char *line) {
    (void)line;
    const sim_run *run = sim_R;
    const sim_trace_event *event = &run->tail[(run->tail_count - 1) % SIM_TAIL_MAX];
    if (event->op == SIM_OP_SLEEP && strcmp(run->objects[event->object].name, "lock") != 0)
        ++*(uint64_t *)user;
}

/* R8e: a successor that swapped itself in as the tail but has not linked
 * yet makes the release wait; search reaches it, and exclusion holds. */
TEST(queued_release_waits_for_a_late_link) {
    uint64_t link_waits = 0;
    sim_explore_result result = dfs(&(search){
        .scenario = "lk_mutex_queued", .cpus = 2, .bound = -1, .sink = count_link_waits, .sink_user = &link_waits});
    require_clean("lk_mutex_queued", &result);
    CHECK(link_waits >= 1);
}

/* ---- DPCs, timers, events, lists, interrupts ----------------------------------------------------- */

TEST(objects_under_exhaustive_search) {
    static const char *const scenarios[] = {
        "lk_dpc_requeue",        "lk_dpc_remove_race",       "lk_timer_cancel_race",    "lk_dpc_flush",
        "lk_event_notification", "lk_event_synchronization", "lk_interlocked_list_isr", "lk_io_connect_interrupt",
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        sim_explore_result result = dfs(&(search){.scenario = scenarios[i], .bound = -1});
        require_clean(scenarios[i], &result);
        CHECK(result.runs >= 2);
    }
}

/* Plain and queued on one KSPIN_LOCK: the queued acquire finds an owner
 * tag where a queue entry belongs and stops the run instead of writing
 * through it. */
TEST(queued_acquire_of_plain_held_lock_is_a_finding_not_a_crash) {
    sim_explore_result result = dfs(&(search){.scenario = "lk_mixed_plain_queued", .bound = 0});
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_RELEASE_WRONG_FAMILY);
    CHECK(strstr(result.finding.info.message, "word 0x1 is no queue entry") != NULL);
    CHECK(strstr(result.finding.info.message, "DV C4/0x1008") != NULL);
}

TEST(interrupt_levels_are_checked_at_setup) {
    sim_explore_result result = dfs(&(search){.scenario = "lk_bad_synchronize_irql", .bound = -1});
    CHECK(result.bad_scenario);
    CHECK(strstr(result.bad_scenario_why, "SynchronizeIrql 4 must lie between its DIRQL 5 and HIGH_LEVEL") != NULL);
    result = dfs(&(search){.scenario = "lk_bad_dirql", .bound = -1});
    CHECK(result.bad_scenario);
    CHECK(strstr(result.bad_scenario_why, "DIRQL 2 is outside 3..12") != NULL);
}

/* ---- a driver that knows only wdm.h ----------------------------------------------------------------- */

TEST(wdm_only_driver_runs_clean) {
    sim_explore_result result = dfs(&(search){.scenario = "lk_wdm_only_driver", .bound = 1});
    require_clean("lk_wdm_only_driver, bound 1", &result);
    CHECK(result.runs >= 100000);
    sim_explore_config config;
    configure(&config, &(search){.scenario = "lk_wdm_only_driver"});
    for (int strategy = SIM_STRATEGY_RANDOM; strategy <= SIM_STRATEGY_PCT; strategy++) {
        config.strategy = (sim_strategy)strategy;
        config.runs = 500;
        result = explore(&config);
        CHECK(!result.found);
        CHECK_INT(result.runs, 500);
    }
}
