/* test_machine.c: the machine's own tests: DFS counts interleavings exactly,
 * PCT meets its probability bound, runs are deterministic, schedules replay
 * (and say where they diverge), deadlocks are exact, and driver code that
 * overflows or loops becomes a finding. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "decode.h"
#include "explore.h"
#include "scenarios/machine_scenarios.h"
#include "sources.h"

/* Two threads of two steps: 6 orders; bound 0 keeps each thread whole (2);
 * bound 1 allows one switch away from a runnable thread (4). */
TEST(dfs_counts_interleavings_exactly) {
    static const struct {
        int bound;
        uint64_t schedules;
    } table[] = {{-1, 6}, {0, 2}, {1, 4}, {2, 6}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_result result = test_explore("m_two_by_two", SIM_STRATEGY_DFS, 1000, table[i].bound);
        CHECK(!result.found);
        CHECK(result.exhausted);
        CHECK_INT(result.runs, table[i].schedules);
        sim_schedule_free(&result.schedule);
    }
}

TEST(dfs_finds_depth_two_bug_and_stops) {
    sim_explore_result result = test_explore("m_order_bug", SIM_STRATEGY_DFS, 100000, 2);
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_INVARIANT);
    CHECK(!result.exhausted);
    sim_schedule_free(&result.schedule);
}

/* PCT finds a depth-2 bug among n threads and k steps with probability at
 * least 1/(n*k); over 1000 seeded runs the hit rate must reach it. */
TEST(pct_hit_rate_meets_its_bound) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find("m_order_bug"));
    config.strategy = SIM_STRATEGY_PCT;
    config.pct_depth = 2;
    config.runs = 1000;
    config.keep_going = true;
    sim_explore_result result;
    sim_explore(&config, &result);
    const double threads = 2, steps = (double)result.max_steps;
    CHECK_INT(result.runs, 1000);
    CHECK(steps > 0);
    CHECK((double)result.runs_with_finding / (double)result.runs >= 1.0 / (threads * steps));
    sim_schedule_free(&result.schedule);
}

/* FNV-1a over trace lines. */
typedef struct digest {
    uint64_t hash;
    uint64_t lines;
} digest;

static void digest_line(void *user, const char *line) {
    digest *d = user;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        d->hash = (d->hash ^ *p) * 0x100000001b3ull;
    d->hash = (d->hash ^ '\n') * 0x100000001b3ull;
    d->lines++;
}

static uint64_t trace_digest(const char *scenario, sim_strategy strategy, uint64_t seed) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.strategy = strategy;
    config.seed = seed;
    config.runs = strategy == SIM_STRATEGY_DFS ? seed + 1 : 1;
    config.pct_steps = 40;
    config.keep_going = true;
    digest d = {0xcbf29ce484222325ull, 0};
    config.machine.trace_sink = digest_line;
    config.machine.trace_user = &d;
    sim_explore_result result;
    sim_explore(&config, &result);
    sim_schedule_free(&result.schedule);
    return d.hash ^ d.lines;
}

static const char *const determinism_scenarios[] = {"m_two_by_two", "m_order_bug", "m_isr_self_deadlock", "m_abba"};

TEST(same_decisions_give_identical_traces) {
    for (size_t s = 0; s < sizeof determinism_scenarios / sizeof determinism_scenarios[0]; s++)
        for (int strategy = SIM_STRATEGY_RANDOM; strategy <= SIM_STRATEGY_DFS; strategy++)
            for (uint64_t seed = 0; seed < 200; seed += strategy == SIM_STRATEGY_DFS ? 20 : 1) {
                uint64_t first = trace_digest(determinism_scenarios[s], (sim_strategy)strategy, seed);
                uint64_t second = trace_digest(determinism_scenarios[s], (sim_strategy)strategy, seed);
                if (first != second) {
                    test_fail(__FILE__, __LINE__, "%s strategy %d seed %llu: traces differ", determinism_scenarios[s],
                              strategy, (unsigned long long)seed);
                    return;
                }
            }
}

/* One hash over the whole determinism corpus, compared across build
 * variants by build.sh (`tests --digest`). */
int test_digest_main(void) {
    uint64_t all = 0xcbf29ce484222325ull;
    for (size_t s = 0; s < sizeof determinism_scenarios / sizeof determinism_scenarios[0]; s++)
        for (int strategy = SIM_STRATEGY_RANDOM; strategy <= SIM_STRATEGY_DFS; strategy++)
            for (uint64_t seed = 0; seed < 200; seed += strategy == SIM_STRATEGY_DFS ? 20 : 1)
                all = (all ^ trace_digest(determinism_scenarios[s], (sim_strategy)strategy, seed)) * 0x100000001b3ull;
    printf("%016llx\n", (unsigned long long)all);
    return 0;
}

/* One execution of `scenario` under `source`, as a trace digest that also
 * covers the step count and the verdict. */
static uint64_t run_digest(const char *scenario, sim_source *source) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    config.machine.scenario = config.scenario;
    config.machine.source = source;
    digest d = {0xcbf29ce484222325ull, 0};
    config.machine.trace_sink = digest_line;
    config.machine.trace_user = &d;
    const sim_run *run = sim_run_execute(&config.machine);
    const sim_finding *verdict = sim_run_verdict(run);
    return (d.hash ^ d.lines) * 31 + run->step * 7 + (verdict != NULL ? (uint64_t)verdict->info.kind + 1 : 0);
}

/* Replay and fuzz sources let the scheduler skip listing the options where
 * they take the default (sim_source.next_choice_step). Asked at every step
 * instead, they must give the same execution, byte for byte. */
TEST(skipping_the_options_of_default_steps_changes_nothing) {
    int differ = 0, fuzz_compared = 0;
    for (size_t s = 0; s < sizeof determinism_scenarios / sizeof determinism_scenarios[0]; s++)
        for (uint64_t seed = 0; seed < 50; seed++) {
            sim_explore_config config;
            sim_explore_defaults(&config, sim_scenario_find(determinism_scenarios[s]));
            config.seed = seed;
            config.runs = 1;
            sim_explore_result random;
            sim_explore(&config, &random);
            sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX];
            int event_count = sim_fuzz_events_of_run(events, SIM_FUZZ_EVENTS_MAX);
            fuzz_compared += event_count >= 0;
            sim_source source;
            sim_replay_state replay;
            sim_fuzz_state fuzz;
            for (int is_fuzz = 0; is_fuzz < 1 + (event_count >= 0); is_fuzz++) {
                uint64_t digests[2];
                for (int asked_always = 0; asked_always < 2; asked_always++) {
                    if (!is_fuzz)
                        sim_source_replay(&source, &replay, &random.schedule, "test.sched", NULL);
                    else
                        sim_source_fuzz(&source, &fuzz, events, event_count);
                    if (asked_always)
                        source.next_choice_step = NULL;
                    digests[asked_always] = run_digest(determinism_scenarios[s], &source);
                }
                differ += digests[0] != digests[1];
            }
            sim_schedule_free(&random.schedule);
        }
    CHECK_INT(differ, 0);
    /* Most random runs fit a fuzzer input (at most 256 decisions). */
    CHECK(fuzz_compared >= 100);
}

/* Every finding replays from its written schedule: same kind, step and site. */
TEST(every_finding_replays_from_its_schedule) {
    static const struct {
        const char *scenario;
        sim_strategy strategy;
    } table[] = {{"m_order_bug", SIM_STRATEGY_RANDOM},
                 {"m_order_bug", SIM_STRATEGY_PCT},
                 {"m_abba", SIM_STRATEGY_RANDOM},
                 {"m_abba", SIM_STRATEGY_DFS},
                 {"m_isr_self_deadlock", SIM_STRATEGY_RANDOM}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_result found = test_explore(table[i].scenario, table[i].strategy, 100000, 2);
        CHECK(found.found);
        size_t size;
        char *text = sim_schedule_text(&found.schedule, &size);
        sim_explore_result again = test_replay_text(table[i].scenario, text, size, NULL);
        CHECK(again.found);
        CHECK_INT(again.finding.info.kind, found.finding.info.kind);
        CHECK_INT(again.finding.step, found.finding.step);
        CHECK(again.finding.site == found.finding.site);
        CHECK_INT(again.divergences, 0);
        CHECK_INT(again.snapshot.step_count, found.snapshot.step_count);
        for (int s = 0; s < found.snapshot.step_count; s++)
            CHECK_STR(again.snapshot.steps[s].what, found.snapshot.steps[s].what);
        free(text);
        sim_schedule_free(&found.schedule);
        sim_schedule_free(&again.schedule);
    }
}

/* A schedule recorded before the scenario changed replays as far as it
 * matches and names the line and step where it diverged. */
TEST(changed_scenario_replay_names_the_divergence) {
    sim_explore_result found = test_explore("m_isr_self_deadlock", SIM_STRATEGY_RANDOM, 1000, 2);
    CHECK(found.found);
    size_t size;
    char *text = sim_schedule_text(&found.schedule, &size);
    /* The interrupt no longer fires: the recorded `irq DevIsr` has nowhere to go. */
    char *at = strstr(text, "param fires 1\n");
    CHECK(at != NULL && strstr(text, " irq DevIsr cpu0\n") != NULL);
    char *changed = NULL;
    CHECK(asprintf(&changed, "%.*sparam fires 0\n%s", (int)(at - text), text, at + strlen("param fires 1\n")) > 0);
    char messages[1024] = "";
    FILE *warn = fmemopen(messages, sizeof messages, "w");
    sim_explore_result again = test_replay_text("m_isr_self_deadlock", changed, strlen(changed), warn);
    fclose(warn);
    CHECK(!again.found);
    CHECK_INT(again.divergences, 1);
    CHECK(strstr(messages, "replay: test.sched:") != NULL);
    CHECK(strstr(messages, "irq DevIsr cpu0' diverged at step") != NULL);
    CHECK(strstr(messages, "that choice is not available there") != NULL);
    free(text);
    free(changed);
    sim_schedule_free(&found.schedule);
    sim_schedule_free(&again.schedule);
}

/* An ISR spinning on a lock its own CPU's thread holds is found with its
 * chain (Decisions, "One event, one verdict": `irq-unsafe-lock`); raising
 * above the DIRQL first makes it correct, and then no schedule reports
 * anything. */
TEST(isr_on_holders_cpu_is_reported_exactly) {
    sim_explore_result bad = test_explore("m_isr_self_deadlock", SIM_STRATEGY_DFS, 1000, -1);
    CHECK(bad.found);
    CHECK_INT(bad.finding.info.kind, SIM_FINDING_IRQ_UNSAFE_LOCK);
    CHECK(strstr(bad.finding.chain, "waits for dev->Lock held by T0:isr_thread (cpu0)") != NULL);
    sim_schedule_free(&bad.schedule);

    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find("m_isr_self_deadlock"));
    config.strategy = SIM_STRATEGY_DFS;
    config.preemption_bound = -1;
    config.runs = 100000;
    config.machine.params[0] = (sim_param_value){.name = "raise", .value = 1, .given = true};
    config.machine.param_count = 1;
    sim_explore_result good;
    sim_explore(&config, &good);
    CHECK(!good.found);
    CHECK(good.exhausted);
    CHECK(good.runs > 1);
    sim_schedule_free(&good.schedule);
}

TEST(abba_cycle_across_cpus_is_a_deadlock_with_its_chain) {
    sim_explore_result result = test_explore("m_abba", SIM_STRATEGY_DFS, 1000, -1);
    CHECK(result.found);
    CHECK_INT(result.finding.info.kind, SIM_FINDING_DEADLOCK);
    CHECK(strstr(result.finding.chain, "waits for") != NULL);
    CHECK(strstr(result.finding.chain, "held by T0:take_ab (cpu0)") != NULL);
    CHECK(strstr(result.finding.chain, "held by T1:take_ba (cpu1)") != NULL);
    sim_schedule_free(&result.schedule);
}

/* TSan delivers asynchronous signals only when the program calls into its
 * runtime, which a pure loop never does: there the host-time watchdog
 * cannot fire, so that row runs in the plain and ASan builds only
 * (TESTS_UNDER_TSAN). */
TEST(driver_code_that_overflows_or_loops_is_a_finding) {
    static const struct {
        const char *scenario;
        sim_kind kind;
    } table[] = {
        {"m_stack_overflow", SIM_FINDING_STACK_OVERFLOW},
        {"m_busy_spin", SIM_FINDING_HANG},
#if !defined(TESTS_UNDER_TSAN)
        {"m_pure_loop", SIM_FINDING_HANG},
#endif
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_config config;
        sim_explore_defaults(&config, sim_scenario_find(table[i].scenario));
        config.runs = 2;
        config.machine.hang_ms = 300;
        sim_explore_result result;
        sim_explore(&config, &result);
        CHECK(result.found);
        CHECK_INT(result.finding.info.kind, table[i].kind);
        CHECK_INT(result.finding_run, 0);
        sim_schedule_free(&result.schedule);
    }
}

/* A scenario that cannot be set up is bad input, never a silent no-op. */
TEST(dpc_on_a_missing_cpu_is_a_bad_scenario) {
    sim_explore_result result = test_explore("m_dpc_beyond_cpus", SIM_STRATEGY_RANDOM, 1, 0);
    CHECK(result.bad_scenario);
    CHECK_STR(result.bad_scenario_why, "DPC noop_dpc is queued on cpu3 but the scenario has 2 CPUs");
    sim_schedule_free(&result.schedule);
}
