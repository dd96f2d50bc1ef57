/* test_liveness.c: starvation found where the schedule is fair, and no
 * false `hang` for a context that keeps working (sim/sched.c's liveness
 * phase and bounds, atomic.c's progress count, check_starvation.c). The
 * burst loop is scenarios/stats_burst.c: a thread re-takes a plain spin
 * lock back to back while a thread on the other CPU needs it; the same code
 * on an in-stack queued lock (param queued) must stay silent. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore.h"

/* Explores `scenario` with the default strategy and budget and the given
 * parameters (NAME=VALUE pairs, up to four). */
static sim_explore_result explore_with(const char *scenario, uint64_t runs, const char *const *names,
                                       const int64_t *values, int count) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    if (runs != 0)
        config.runs = runs;
    for (int i = 0; i < count; i++)
        test_config_param(&config, names[i], values[i]);
    sim_explore_result result;
    sim_explore(&config, &result);
    return result;
}

/* The burst: 20000 back-to-back acquisitions. Found in the first
 * run of the default strategy (its default schedule, fair from step 200),
 * at the waiter's acquire, naming the thread that keeps the lock. */
TEST(liveness_back_to_back_reacquire_starves_a_plain_lock_waiter) {
    static const char *const names[] = {"rounds"};
    static const int64_t values[] = {20000};
    sim_explore_result result = explore_with("stats_burst", 0, names, values, 1);
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_STARVATION);
    CHECK_INT(result.finding_run, 0);
    CHECK_STR(result.finding.site->file, "scenarios/stats_burst.c");
    CHECK_STR(result.finding.site->func, "BurstLock");
    CHECK(strstr(result.finding.info.message, "T1 has waited") != NULL);
    CHECK(strstr(result.finding.info.message, "overtaken 51 times (bound 50)") != NULL);
    CHECK(strstr(result.finding.info.message, "T0 the last") != NULL);
    sim_schedule_free(&result.schedule);
}

/* The same 20000 rounds on the queued lock: no starvation, and no `hang`
 * either, though one context takes far more steps than the per-context
 * limit that used to call any such loop a hang. */
TEST(liveness_the_same_burst_on_a_queued_lock_is_silent) {
    static const char *const names[] = {"rounds", "queued"};
    static const int64_t values[] = {20000, 1};
    sim_explore_result result = explore_with("stats_burst", 3, names, values, 2);
    CHECK(!result.found);
    CHECK_INT(result.runs, 3);
    CHECK(result.max_steps > 100000);
    sim_schedule_free(&result.schedule);
}

/* A poll nobody answers changes nothing: `hang` once it has taken
 * progress_steps_max steps in a row, naming the parameter. */
TEST(liveness_a_poll_nobody_answers_is_a_hang_at_its_bound) {
    static const char *const names[] = {"progress_steps_max"};
    static const int64_t values[] = {1000};
    sim_explore_result result = explore_with("m_busy_spin", 1, names, values, 1);
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_HANG);
    CHECK(strstr(result.finding.info.message, "took 1001 steps in a row without changing any shared word "
                                              "(param progress_steps_max)") != NULL);
    CHECK(result.finding.step > 1000 && result.finding.step < 1100);
    sim_schedule_free(&result.schedule);
}

/* Every bound is a parameter a run records, so a replay holds to it. */
TEST(liveness_bounds_are_recorded_with_the_schedule) {
    static const char *const names[] = {"steps_max"};
    static const int64_t values[] = {300};
    sim_explore_result result = explore_with("stats_burst", 1, names, values, 1);
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_HANG);
    CHECK(strstr(result.finding.info.message, "param steps_max, 300 steps") != NULL);
    size_t size;
    char *text = sim_schedule_text(&result.schedule, &size);
    static const char *const recorded[] = {"param steps_max 300\n", "param progress_steps_max 100000\n",
                                           "param fair_wake_latency 2\n", "param liveness_from_step 200\n"};
    for (size_t i = 0; i < sizeof recorded / sizeof recorded[0]; i++)
        if (strstr(text, recorded[i]) == NULL)
            test_fail(__FILE__, __LINE__, "the schedule lacks '%.*s'", (int)strlen(recorded[i]) - 1, recorded[i]);
    free(text);
    sim_schedule_free(&result.schedule);
}
