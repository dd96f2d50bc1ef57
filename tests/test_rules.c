/* test_rules.c: severity across an exploration, allows and parameters
 * (docs/design.md, Decisions: "Severity and stopping"). Rule findings let
 * the exploration make every run and are kept once each, with the runs they
 * appeared in; an error later on is still the verdict. --allow by kind or
 * by site silences exactly what it names, is written into the schedule and
 * holds on replay and in minimize; malformed allow lines are rejected
 * naming their line. A parameter no run read is unknown, one read only by
 * some runs is not. Scenarios: tests/scenarios/rules_severity.c, the two
 * patterns of the issue (bundled stats_try_release, tests' chk_irql_at_dpc_in_isr)
 * and check_race.c. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "minimize.h"

extern const int check_line_rules_release_a, check_line_rules_release_b, check_line_rules_window_check,
    check_line_race_counter_locked, check_line_race_counter_dpc;

static void configure(sim_explore_config *config, const char *scenario, sim_strategy strategy, uint64_t runs) {
    const sim_scenario *found = sim_scenario_find(scenario);
    if (found == NULL)
        test_fail(__FILE__, __LINE__, "no scenario named %s", scenario);
    sim_explore_defaults(config, found);
    config->strategy = strategy;
    config->runs = runs;
    config->collect_rules = true;
}

static void allow(sim_explore_config *config, const char *text) {
    sim_allowance allowance;
    char why[300];
    if (!sim_allowance_parse(text, &allowance, why, sizeof why))
        test_fail(__FILE__, __LINE__, "%s: %s", text, why);
    CHECK(sim_allowances_add(&config->machine.allows, &allowance));
}

/* The rule of `result` at `line`, or NULL. */
static const sim_explore_rule *rule_at(const sim_explore_result *result, int line) {
    for (int i = 0; i < result->rules.count; i++)
        if (result->rules.items[i].finding.site != NULL && result->rules.items[i].finding.site->line == line)
            return &result->rules.items[i];
    return NULL;
}

/* The rules of rules_two_sites, A's and B's, each in all `runs` runs from
 * the first; no error. */
static void expect_two_rules(const sim_explore_result *result, uint64_t runs) {
    CHECK(!sim_explore_error(result));
    CHECK_INT(result->runs, runs);
    CHECK_INT(result->rules.count, 2);
    const sim_explore_rule *rules[] = {rule_at(result, check_line_rules_release_a),
                                       rule_at(result, check_line_rules_release_b)};
    for (int i = 0; i < 2; i++) {
        const sim_explore_rule *rule = rules[i];
        if (rule == NULL) {
            test_fail(__FILE__, __LINE__, "no rule at line %d",
                      i == 0 ? check_line_rules_release_a : check_line_rules_release_b);
            continue;
        }
        CHECK_INT(rule->finding.info.kind, SIM_FINDING_RELEASE_WRONG_FAMILY);
        CHECK_INT(rule->finding.info.severity, SIM_SEV_RULE);
        CHECK_INT(rule->first_run, 0);
        CHECK_INT(rule->runs, runs);
        CHECK(rule->schedule.has_expect && rule->schedule.expect == SIM_FINDING_RELEASE_WRONG_FAMILY);
    }
}

/* Rules do not stop an exploration: every strategy makes all its runs. */
TEST(rules_only_exploration_makes_every_run) {
    static const sim_strategy strategies[] = {SIM_STRATEGY_RANDOM, SIM_STRATEGY_PCT};
    for (size_t s = 0; s < sizeof strategies / sizeof strategies[0]; s++) {
        sim_explore_config config;
        configure(&config, "rules_two_sites", strategies[s], 50);
        sim_explore_result result;
        sim_explore(&config, &result);
        expect_two_rules(&result, 50);
        /* The verdict is the first rule, the schedule its run's. */
        CHECK(result.found && result.finding.info.kind == SIM_FINDING_RELEASE_WRONG_FAMILY);
        CHECK_INT(result.finding_run, 0);
        sim_explore_result_free(&result);
    }
    sim_explore_config config;
    configure(&config, "rules_two_sites", SIM_STRATEGY_DFS, UINT64_MAX);
    /* Every run reaches both rules only without reduction: with it, a run
     * whose rest another run covers stops before them (source_dfs.c). */
    config.reduction = false;
    sim_explore_result result;
    sim_explore(&config, &result);
    CHECK(result.exhausted);
    CHECK(result.runs > 1);
    expect_two_rules(&result, result.runs);
    sim_explore_result_free(&result);
}

/* An expectation of `none` is met by rules only, unless strict; an
 * expectation of a rule kind by that rule; an error kind is not. */
TEST(rules_meet_expectations_as_run_all_judges) {
    sim_explore_config config;
    configure(&config, "rules_two_sites", SIM_STRATEGY_RANDOM, 5);
    sim_explore_result result;
    sim_explore(&config, &result);
    CHECK(sim_explore_meets(&result, SIM_FINDING_NONE, false));
    CHECK(!sim_explore_meets(&result, SIM_FINDING_NONE, true));
    CHECK(sim_explore_meets(&result, SIM_FINDING_RELEASE_WRONG_FAMILY, false));
    CHECK(sim_explore_meets(&result, SIM_FINDING_RELEASE_WRONG_FAMILY, true));
    CHECK(!sim_explore_meets(&result, SIM_FINDING_IRQL_VIOLATION, false));
    sim_explore_result_free(&result);
}

/* DFS's first run is the default schedule: the rule but no error. A later
 * run preempts the window: the invariant is the verdict, and the rule of
 * run 1 is still noted. */
TEST(rules_an_error_after_rules_is_the_verdict) {
    sim_explore_config config;
    configure(&config, "rules_then_error", SIM_STRATEGY_DFS, UINT64_MAX);
    sim_explore_result result;
    sim_explore(&config, &result);
    CHECK(sim_explore_error(&result));
    CHECK_INT(result.finding.info.kind, SIM_FINDING_INVARIANT);
    CHECK_INT(result.finding.site != NULL ? result.finding.site->line : 0, check_line_rules_window_check);
    CHECK(result.finding_run > 0);
    CHECK_INT(result.runs, result.finding_run + 1);
    CHECK_INT(result.schedule.expect, SIM_FINDING_INVARIANT);
    CHECK_INT(result.rules.count, 1);
    const sim_explore_rule *rule = rule_at(&result, check_line_rules_release_a);
    CHECK(rule != NULL && rule->first_run == 0 && rule->runs == result.runs);
    CHECK(!sim_explore_meets(&result, SIM_FINDING_NONE, false));
    CHECK(!sim_explore_meets(&result, SIM_FINDING_RELEASE_WRONG_FAMILY, false));
    CHECK(sim_explore_meets(&result, SIM_FINDING_INVARIANT, true));
    /* The schedule kept replays to the error, not to the rule. */
    size_t size;
    char *text = sim_schedule_text(&result.schedule, &size);
    sim_explore_result again = test_replay_text("rules_then_error", text, size, NULL);
    CHECK(sim_explore_error(&again) && again.finding.info.kind == SIM_FINDING_INVARIANT);
    free(text);
    sim_schedule_free(&again.schedule);
    sim_explore_result_free(&result);
}

/* The two patterns of the issue: a Try-acquired lock released with
 * KeReleaseSpinLock(L, DISPATCH_LEVEL), and KeAcquireSpinLockAtDpcLevel in
 * an ISR. Rules only: every run is made, nothing fails. */
TEST(rules_issue_patterns_are_rules_only) {
    static const struct {
        const char *scenario;
        sim_kind kind;
        int rules; /* in an ISR, the acquire and the release each break the rule */
    } rows[] = {{"stats_try_release", SIM_FINDING_RELEASE_WRONG_FAMILY, 1},
                {"chk_irql_at_dpc_in_isr", SIM_FINDING_IRQL_VIOLATION, 2}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_explore_config config;
        configure(&config, rows[i].scenario, SIM_STRATEGY_RANDOM, 50);
        sim_explore_result result;
        sim_explore(&config, &result);
        bool kinds = true;
        for (int r = 0; r < result.rules.count; r++)
            kinds &= result.rules.items[r].finding.info.kind == rows[i].kind;
        if (sim_explore_error(&result) || result.runs != 50 || result.rules.count != rows[i].rules || !kinds)
            test_fail(__FILE__, __LINE__, "%s: error %d, %llu runs, %d rules", rows[i].scenario,
                      sim_explore_error(&result), (unsigned long long)result.runs, result.rules.count);
        CHECK(sim_explore_meets(&result, SIM_FINDING_NONE, false));
        CHECK(!sim_explore_meets(&result, SIM_FINDING_NONE, true));
        sim_explore_result_free(&result);
    }
}

/* A fuzzer keeps errors only: a rule is no crash. */
TEST(rules_errors_only_keeps_no_rule) {
    sim_explore_config config;
    configure(&config, "rules_two_sites", SIM_STRATEGY_RANDOM, 1);
    config.collect_rules = false;
    config.errors_only = true;
    sim_explore_result result;
    sim_explore(&config, &result);
    CHECK(!result.found);
    CHECK_INT(result.rules.count, 0);
    CHECK_INT(result.schedule.event_count, 0);
    CHECK(result.schedule.scenario[0] == '\0');
    sim_explore_result_free(&result);
}

/* ---- allows -------------------------------------------------------------------- */

/* A site's file is named whole or by its last path components. */
TEST(rules_allow_site_matching) {
    static const sim_site site = {"tests/scenarios/driver.c", 42, "Worker"};
    static const struct {
        const char *allow;
        sim_kind kind;
        bool matches;
    } rows[] = {
        {"data-race", SIM_FINDING_DATA_RACE, true},
        {"data-race", SIM_FINDING_DEADLOCK, false},
        {"data-race@tests/scenarios/driver.c:42", SIM_FINDING_DATA_RACE, true},
        {"data-race@scenarios/driver.c:42", SIM_FINDING_DATA_RACE, true},
        {"data-race@driver.c:42", SIM_FINDING_DATA_RACE, true},
        {"data-race@iver.c:42", SIM_FINDING_DATA_RACE, false},
        {"data-race@/tests/scenarios/driver.c:42", SIM_FINDING_DATA_RACE, false},
        {"data-race@driver.c:43", SIM_FINDING_DATA_RACE, false},
        {"data-race@other.c:42", SIM_FINDING_DATA_RACE, false},
        {"deadlock@driver.c:42", SIM_FINDING_DATA_RACE, false},
        {"data-race@C:/src/driver.c:42", SIM_FINDING_DATA_RACE, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_allowance allowance;
        char why[300];
        CHECK(sim_allowance_parse(rows[i].allow, &allowance, why, sizeof why));
        if (sim_allowance_matches(&allowance, rows[i].kind, &site) != rows[i].matches)
            test_fail(__FILE__, __LINE__, "%s on %s %s:%d: expected %s", rows[i].allow, sim_kind_token(rows[i].kind),
                      site.file, site.line, rows[i].matches ? "a match" : "no match");
        char text[300];
        sim_allowance_format(&allowance, text, sizeof text);
        CHECK_STR(text, rows[i].allow);
    }
    sim_allowance line_only;
    char why[300];
    CHECK(sim_allowance_parse("data-race@driver.c:42", &line_only, why, sizeof why));
    CHECK(!sim_allowance_matches(&line_only, SIM_FINDING_DATA_RACE, NULL));
}

/* Allowing the kind silences both sites; allowing one site leaves the other. */
TEST(rules_allow_by_kind_and_by_site) {
    char site_a[64], site_b[64];
    snprintf(site_a, sizeof site_a, "release-wrong-family@rules_severity.c:%d", check_line_rules_release_a);
    snprintf(site_b, sizeof site_b, "release-wrong-family@tests/scenarios/rules_severity.c:%d",
             check_line_rules_release_b);
    const struct {
        const char *allow;
        bool a, b; /* the rule at each site is still reported */
    } rows[] = {
        {"release-wrong-family", false, false},
        {site_a, false, true},
        {site_b, true, false},
        {"irql-violation", true, true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sim_explore_config config;
        configure(&config, "rules_two_sites", SIM_STRATEGY_RANDOM, 20);
        allow(&config, rows[i].allow);
        sim_explore_result result;
        sim_explore(&config, &result);
        bool a = rule_at(&result, check_line_rules_release_a) != NULL;
        bool b = rule_at(&result, check_line_rules_release_b) != NULL;
        if (result.runs != 20 || result.rules.count != a + b || a != rows[i].a || b != rows[i].b)
            test_fail(__FILE__, __LINE__, "--allow %s: %llu runs, %d rules, at A %d, at B %d", rows[i].allow,
                      (unsigned long long)result.runs, result.rules.count, a, b);
        CHECK(result.found == (a || b));
        sim_explore_result_free(&result);
    }
}

/* A data race's site comes from the symbolized access: allowing the site
 * reported silences that site only; the same race seen from its other
 * access is still reported, and allowing both lines silences the race. */
TEST(rules_allow_data_race_by_site) {
    sim_explore_config config;
    configure(&config, "chk_race_counter", SIM_STRATEGY_DFS, UINT64_MAX);
    sim_explore_result first;
    sim_explore(&config, &first);
    CHECK(sim_explore_error(&first) && first.finding.info.kind == SIM_FINDING_DATA_RACE);
    CHECK_INT(first.finding.site != NULL ? first.finding.site->line : 0, check_line_race_counter_dpc);
    sim_explore_result_free(&first);

    char at_dpc[64], at_thread[64];
    snprintf(at_dpc, sizeof at_dpc, "data-race@check_race.c:%d", check_line_race_counter_dpc);
    snprintf(at_thread, sizeof at_thread, "data-race@scenarios/check_race.c:%d", check_line_race_counter_locked);
    configure(&config, "chk_race_counter", SIM_STRATEGY_DFS, UINT64_MAX);
    allow(&config, at_dpc);
    sim_explore_result second;
    sim_explore(&config, &second);
    CHECK(sim_explore_error(&second) && second.finding.info.kind == SIM_FINDING_DATA_RACE);
    CHECK_INT(second.finding.site != NULL ? second.finding.site->line : 0, check_line_race_counter_locked);
    CHECK(second.finding_run > 0);
    sim_explore_result_free(&second);

    allow(&config, at_thread);
    sim_explore_result none;
    sim_explore(&config, &none);
    CHECK(!none.found);
    CHECK(none.exhausted);
    sim_explore_result_free(&none);
}

/* Replays .sched `text` once on rules_two_sites, keeping its rules. */
static sim_explore_result replay_rules(const char *text, size_t size) {
    static sim_schedule schedule;
    char error[300];
    sim_schedule_free(&schedule);
    if (!sim_schedule_parse(text, size, &schedule, error, sizeof error))
        test_fail(__FILE__, __LINE__, "schedule does not parse: %s", error);
    sim_explore_config config;
    configure(&config, "rules_two_sites", SIM_STRATEGY_REPLAY, 1);
    config.replay = &schedule;
    config.replay_file = "test.sched";
    CHECK(sim_explore_adopt_header(&config, &schedule));
    sim_explore_result result;
    sim_explore(&config, &result);
    return result;
}

/* The allows in effect are written into the schedule; a replay of it, and
 * minimize, honour them; without the line the replay notes both sites. */
TEST(rules_allows_are_recorded_and_honoured) {
    char site_a[64];
    snprintf(site_a, sizeof site_a, "release-wrong-family@rules_severity.c:%d", check_line_rules_release_a);
    sim_explore_config config;
    configure(&config, "rules_two_sites", SIM_STRATEGY_RANDOM, 3);
    allow(&config, site_a);
    sim_explore_result result;
    sim_explore(&config, &result);
    CHECK_INT(result.schedule.allows.count, 1);
    CHECK_INT(result.rules.items[0].schedule.allows.count, 1);
    size_t size;
    char *text = sim_schedule_text(&result.schedule, &size);
    char line[80];
    snprintf(line, sizeof line, "\nallow %s\n", site_a);
    CHECK(strstr(text, line) != NULL);

    sim_explore_result again = replay_rules(text, size);
    CHECK_INT(again.rules.count, 1);
    CHECK(rule_at(&again, check_line_rules_release_b) != NULL);
    sim_explore_result_free(&again);
    char *allow_line = strstr(text, line);
    memset(allow_line + 1, ' ', strlen(line) - 2); /* the allow line, blanked */
    sim_explore_result unallowed = replay_rules(text, size);
    CHECK_INT(unallowed.rules.count, 2);
    sim_explore_result_free(&unallowed);
    free(text);

    sim_explore_config minimizing;
    sim_explore_defaults(&minimizing, sim_scenario_find("rules_two_sites"));
    sim_schedule out;
    sim_minimize_result shrink;
    CHECK(sim_minimize(&minimizing, &result.schedule, &out, &shrink));
    CHECK_INT(out.allows.count, 1);
    CHECK_INT(out.allows.items[0].line, check_line_rules_release_a);
    char expected_key[200];
    snprintf(expected_key, sizeof expected_key,
             "release-wrong-family tests/scenarios/rules_severity.c:%d:", check_line_rules_release_b);
    CHECK(strncmp(shrink.key, expected_key, strlen(expected_key)) == 0);
    sim_schedule_free(&out);
    sim_explore_result_free(&result);
}

/* `allow` lines parse as --allow does, write back the same, and a bad one
 * names its line. */
TEST(rules_allow_lines_in_schedules) {
    sim_schedule schedule;
    char error[300];
    static const char round[] = "spinsim-schedule 1\nscenario s\nallow data-race\nallow deadlock@x.c:3\n"
                                "allow data-race\nexpect none\n";
    CHECK(sim_schedule_parse(round, sizeof round - 1, &schedule, error, sizeof error));
    CHECK_INT(schedule.allows.count, 2);
    size_t size;
    char *text = sim_schedule_text(&schedule, &size);
    CHECK_STR(text, "spinsim-schedule 1\nscenario s\nallow data-race\nallow deadlock@x.c:3\nexpect none\n");
    free(text);
    sim_schedule_free(&schedule);
    static const struct {
        const char *line, *error;
    } bad[] = {
        {"allow", "line 3: expected 'allow KIND' or 'allow KIND@FILE:LINE'"},
        {"allow bogus", "line 3: unknown finding kind 'bogus' (allow KIND or KIND@FILE:LINE)"},
        {"allow none", "line 3: unknown finding kind 'none' (allow KIND or KIND@FILE:LINE)"},
        {"allow crash", "line 3: crash cannot be allowed: it ends its context, so it is always reported"},
        {"allow hang@a.c:3", "line 3: hang cannot be allowed: it ends its context, so it is always reported"},
        {"allow stack-overflow", "line 3: stack-overflow cannot be allowed: it ends its context, so it is always "
                                 "reported"},
        {"allow data-race@a.c", "line 3: 'data-race@a.c' is not KIND or KIND@FILE:LINE (a file without spaces or "
                                "'#', a line from 1)"},
        {"allow data-race@a.c:0", "line 3: 'data-race@a.c:0' is not KIND or KIND@FILE:LINE (a file without spaces "
                                  "or '#', a line from 1)"},
        {"allow data-race@:7", "line 3: 'data-race@:7' is not KIND or KIND@FILE:LINE (a file without spaces or "
                               "'#', a line from 1)"},
        {"allow data-race@a.c:x", "line 3: 'data-race@a.c:x' is not KIND or KIND@FILE:LINE (a file without spaces "
                                  "or '#', a line from 1)"},
        {"allow data-race deadlock", "line 3: expected 'allow KIND' or 'allow KIND@FILE:LINE'"},
        {"allow deadlock@a/b c.c:3", "line 3: expected 'allow KIND' or 'allow KIND@FILE:LINE'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char input[200];
        int length = snprintf(input, sizeof input, "spinsim-schedule 1\nscenario s\n%s\n", bad[i].line);
        if (sim_schedule_parse(input, (size_t)length, &schedule, error, sizeof error))
            test_fail(__FILE__, __LINE__, "'%s' parses", bad[i].line);
        else
            CHECK_STR(error, bad[i].error);
    }
}

/* ---- parameters ------------------------------------------------------------------ */

static bool unknown_param(const char *scenario, sim_strategy strategy, uint64_t runs, const char *name, char *message,
                          size_t size) {
    sim_explore_config config;
    configure(&config, scenario, strategy, runs);
    test_config_param(&config, name, 3);
    sim_explore_result result;
    sim_explore(&config, &result);
    bool unknown = sim_explore_unknown_param(&config, &result, message, size);
    sim_explore_result_free(&result);
    return unknown;
}

/* A key no run read is unknown, named with the keys the runs read, sorted;
 * one some run read is not; an exploration that ended at an error judges
 * none. */
TEST(rules_unknown_parameters) {
    char message[1024];
    CHECK(unknown_param("ring_rx", SIM_STRATEGY_RANDOM, 5, "ctx_steps_max", message, sizeof message));
    CHECK_STR(message, "unknown parameter 'ctx_steps_max' for scenario ring_rx (known: cpus, "
                       "dpc_watchdog_cumulative_steps, dpc_watchdog_steps, fair_wake_latency, liveness_from_step, "
                       "progress_steps_max, race_detection, starvation_bypass, steps_max)");
    CHECK(!unknown_param("ring_rx", SIM_STRATEGY_RANDOM, 5, "starvation_bypass", message, sizeof message));
    CHECK(!unknown_param("timers_abba", SIM_STRATEGY_RANDOM, 5, "ctx_steps_max", message, sizeof message));
    /* late_delay: the default schedule does not read it; the exploration
     * does, in the runs that preempt the window. */
    CHECK(unknown_param("rules_late_param", SIM_STRATEGY_DFS, 1, "late_delay", message, sizeof message));
    CHECK(!unknown_param("rules_late_param", SIM_STRATEGY_DFS, UINT64_MAX, "late_delay", message, sizeof message));
}
