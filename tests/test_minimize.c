/* test_minimize.c: sim_minimize (sim/minimize.h). On every bundled buggy
 * scenario (a scenarios/ file expecting a finding), the schedule a search
 * found, padded with useless decisions, must shrink to no more decisions than
 * its input, keep the finding's kind and key, replay to that key, come out the
 * same every time, and be a fixpoint (minimizing the output again changes
 * nothing). A random walk's noisy schedule shrinks to the one decision that
 * matters (tests/scenarios/minimize_prelude.c). A schedule with no finding is
 * refused. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "minimize.h"
#include "report.h"

static bool is_bundled(const sim_scenario *scenario) {
    return scenario->file != NULL && strncmp(scenario->file, "scenarios/", strlen("scenarios/")) == 0;
}

enum { PAD_STEPS_MAX = 64 };

static int replay_key(const char *scenario, const sim_schedule *schedule, char *key, size_t size, int *taken);

static void add_event(sim_schedule *schedule, uint64_t step, sim_option_kind kind, const char *name, int cpu) {
    sim_schedule_event event = {.step = step, .kind = kind, .cpu = cpu};
    snprintf(event.name, sizeof event.name, "%s", name);
    CHECK(sim_schedule_add(schedule, &event));
}

/* `base` with useless decisions added at the free steps before `end` (at
 * most the first PAD_STEPS_MAX): a switch to the next CPU wherever the
 * finding survives it, else an interrupt that does not exist; then decisions
 * after the run has ended. */
static void pad(const char *scenario, const sim_schedule *base, uint64_t end, const char *key, sim_schedule *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->scenario, sizeof out->scenario, "%s", base->scenario);
    out->param_count = base->param_count;
    memcpy(out->params, base->params, sizeof base->params);
    int next = 0;
    for (uint64_t step = 0; step < end && step < PAD_STEPS_MAX; step++) {
        if (next < base->event_count && base->events[next].step == step) {
            CHECK(sim_schedule_add(out, &base->events[next++]));
            continue;
        }
        add_event(out, step, SIM_OPT_RUN, "", (int)(step + 1) % 2);
        char padded_key[1024];
        replay_key(scenario, out, padded_key, sizeof padded_key, NULL);
        if (strcmp(padded_key, key) == 0)
            continue;
        out->event_count--;
        add_event(out, step, SIM_OPT_IRQ, "NoSuchIsr", 0);
    }
    for (; next < base->event_count; next++)
        CHECK(sim_schedule_add(out, &base->events[next]));
    uint64_t last = out->event_count > 0 ? out->events[out->event_count - 1].step : 0;
    for (int i = 1; i <= 3; i++)
        add_event(out, (last > end ? last : end) + 1000 * (uint64_t)i, SIM_OPT_RUN, "", i % 2);
}

/* Replays `schedule` once on `scenario`: its finding key ("" for none), and
 * the decisions that run took. */
static int replay_key(const char *scenario, const sim_schedule *schedule, char *key, size_t size, int *taken) {
    size_t text_size;
    char *text = sim_schedule_text(schedule, &text_size);
    sim_explore_result result = test_replay_text(scenario, text, text_size, NULL);
    key[0] = '\0';
    if (result.found)
        sim_finding_key(key, size, &result.finding);
    if (taken != NULL)
        *taken = result.schedule.event_count;
    free(text);
    sim_schedule_free(&result.schedule);
    return result.divergences;
}

static bool minimize(const char *scenario, const sim_schedule *input, sim_schedule *out, sim_minimize_result *result) {
    sim_explore_config config;
    sim_explore_defaults(&config, sim_scenario_find(scenario));
    return sim_minimize(&config, input, out, result);
}

static bool same_text(const sim_schedule *a, const sim_schedule *b) {
    size_t a_size, b_size;
    char *a_text = sim_schedule_text(a, &a_size), *b_text = sim_schedule_text(b, &b_size);
    bool same = a_size == b_size && memcmp(a_text, b_text, a_size) == 0;
    free(a_text);
    free(b_text);
    return same;
}

/* Every parameter `input` gives is in `out` with the same value. */
static bool keeps_params(const sim_schedule *input, const sim_schedule *out) {
    for (int i = 0; i < input->param_count; i++) {
        bool kept = false;
        for (int j = 0; j < out->param_count; j++)
            kept |= strcmp(out->params[j].name, input->params[i].name) == 0 &&
                    out->params[j].value == input->params[i].value;
        if (!kept)
            return false;
    }
    return true;
}

/* Minimizing the output again gives the same bytes and tries nothing new. */
static void expect_fixpoint(const char *scenario, const sim_schedule *out, const sim_minimize_result *result) {
    sim_schedule again;
    sim_minimize_result second;
    CHECK(minimize(scenario, out, &again, &second));
    CHECK(same_text(out, &again));
    CHECK_INT(second.events_before, result->events_after);
    CHECK_INT(second.events_after, result->events_after);
    CHECK_STR(second.key, result->key);
    sim_schedule_free(&again);
}

/* The whole contract on one schedule of `scenario` that yields `kind`;
 * returns what minimize said (zeroed when it refused). */
static sim_minimize_result expect_minimized(const char *scenario, const sim_schedule *input, sim_kind kind) {
    char key[1024], key_out[1024];
    int taken = 0;
    replay_key(scenario, input, key, sizeof key, &taken);
    sim_schedule out, twice;
    sim_minimize_result result, result_twice;
    if (!minimize(scenario, input, &out, &result)) {
        test_fail(__FILE__, __LINE__, "%s: minimize found no finding (input key %s)", scenario, key);
        memset(&result, 0, sizeof result);
        return result;
    }
    CHECK_STR(result.key, key);
    CHECK_INT(result.kind, kind);
    CHECK_INT(result.events_before, input->event_count);
    CHECK_INT(result.events_after, out.event_count);
    CHECK(out.event_count <= taken);
    CHECK_STR(out.scenario, scenario);
    CHECK(out.has_expect && out.expect == kind);
    CHECK(keeps_params(input, &out));
    CHECK_INT(replay_key(scenario, &out, key_out, sizeof key_out, NULL), 0);
    CHECK_STR(key_out, key);
    CHECK(minimize(scenario, input, &twice, &result_twice));
    CHECK(same_text(&out, &twice));
    CHECK(result_twice.runs == result.runs);
    expect_fixpoint(scenario, &out, &result);
    sim_schedule_free(&twice);
    sim_schedule_free(&out);
    return result;
}

TEST(minimize_shrinks_every_bundled_buggy_scenario) {
    int buggy = 0;
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next) {
        if (!is_bundled(scenario))
            continue;
        sim_explore_result found = test_explore(scenario->name, SIM_STRATEGY_RANDOM, 1000, 0);
        sim_kind expected = sim_R->expected;
        if (expected == SIM_FINDING_NONE) {
            sim_schedule_free(&found.schedule);
            continue;
        }
        buggy++;
        if (!found.found) {
            test_fail(__FILE__, __LINE__, "%s: no finding to minimize", scenario->name);
            sim_schedule_free(&found.schedule);
            continue;
        }
        char key[1024];
        sim_finding_key(key, sizeof key, &found.finding);
        sim_schedule padded;
        pad(scenario->name, &found.schedule, found.finding.step, key, &padded);
        expect_minimized(scenario->name, &padded, expected);
        sim_schedule_free(&padded);
        sim_schedule_free(&found.schedule);
    }
    CHECK(buggy > 0);
}

/* A random walk's schedule is mostly noise (switches, and interrupts where
 * they do no harm): it shrinks to the one interrupt inside the torn update. */
TEST(minimize_removes_the_noise_of_a_random_walk) {
    sim_explore_result found = test_explore("minimize_prelude", SIM_STRATEGY_RANDOM, 1000, 0);
    CHECK(found.found && found.finding.info.kind == SIM_FINDING_INVARIANT);
    if (found.found) {
        sim_minimize_result result = expect_minimized("minimize_prelude", &found.schedule, SIM_FINDING_INVARIANT);
        CHECK(result.events_before >= 20);
        CHECK_INT(result.events_after, 1);
    }
    sim_schedule_free(&found.schedule);
}

/* A schedule of a correct scenario, or one that misses the bug, has no
 * finding to keep: minimize refuses it and leaves `out` empty. */
TEST(minimize_refuses_a_schedule_without_a_finding) {
    const char *scenarios[] = {"ring_rx", "stats_queued", "minimize_prelude"};
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        sim_schedule input = {0};
        snprintf(input.scenario, sizeof input.scenario, "%s", scenarios[i]);
        add_event(&input, 3, SIM_OPT_RUN, "", 1);
        add_event(&input, 9, SIM_OPT_RUN, "", 0);
        sim_schedule out;
        sim_minimize_result result;
        memset(&out, 0xff, sizeof out);
        CHECK(!minimize(scenarios[i], &input, &out, &result));
        CHECK(out.events == NULL);
        CHECK_INT(out.event_count, 0);
        CHECK_INT(result.kind, SIM_FINDING_NONE);
        CHECK(result.runs >= 1);
        sim_schedule_free(&input);
    }
}
