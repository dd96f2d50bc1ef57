/* test_digests.c: what every bundled scenario does under every decision
 * source, pinned as recorded digests of its traces. The scheduler's fast
 * paths (the option list kept between decisions, the random source's
 * shortcuts, the per-run resets) must give the same decisions and the same
 * trace bytes as the plain rebuild they replace; a change that alters any
 * decision or any trace line of any of these runs changes a digest here.
 * The digests were recorded before those fast paths existed, in each build
 * variant (tests, tests-asan, tests-tsan), and again just before they were
 * merged with the partial-order reduction, the portfolio and the EX lock's
 * writer claim, which change what these runs do. */
#include "check.h"
#include "decode.h"
#include "prng.h"

enum { FUZZ_INPUTS = 8, FUZZ_INPUT_EVENTS = 16 };

/* FNV-1a over trace lines and run outcomes. */
static void mix_byte(uint64_t *hash, unsigned char byte) { *hash = (*hash ^ byte) * 0x100000001b3ull; }

static void mix_word(uint64_t *hash, uint64_t word) {
    for (int i = 0; i < 8; i++)
        mix_byte(hash, (unsigned char)(word >> (8 * i)));
}

static void digest_line(void *user, const char *line) {
    uint64_t *hash = user;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        mix_byte(hash, *p);
    mix_byte(hash, '\n');
}

static bool bundled(const sim_scenario *scenario) { return strncmp(scenario->file, "scenarios/", 10) == 0; }

/* One exploration of `scenario`, its traces and outcome into `hash`. Step
 * bounds keep the scenarios that hang short. */
static void explore_into(uint64_t *hash, const sim_scenario *scenario, sim_strategy strategy, uint64_t runs,
                         const sim_fuzz_event *events, int event_count) {
    sim_explore_config config;
    sim_explore_defaults(&config, scenario);
    config.strategy = strategy;
    config.seed = 7;
    config.runs = runs;
    config.keep_going = true;
    config.fuzz_events = events;
    config.fuzz_event_count = event_count;
    sim_config_set_param(&config.machine, "steps_max", 20000);
    sim_config_set_param(&config.machine, "progress_steps_max", 5000);
    config.machine.trace_sink = digest_line;
    config.machine.trace_user = hash;
    sim_explore_result result;
    sim_explore(&config, &result);
    mix_word(hash, result.runs);
    mix_word(hash, result.runs_with_finding);
    mix_word(hash, result.max_steps);
    mix_word(hash, result.found ? (uint64_t)result.finding.info.kind + 1 : 0);
    mix_word(hash, result.found ? result.finding.step : 0);
    sim_explore_result_free(&result);
}

/* Fuzzer inputs of short delays (so their events fall inside the runs),
 * any kind and any choice. */
static int fuzz_input(int input, sim_fuzz_event *events) {
    sim_prng prng = sim_prng_for_run(11, (uint64_t)input);
    uint8_t bytes[FUZZ_INPUT_EVENTS * SIM_FUZZ_EVENT_BYTES];
    for (int e = 0; e < FUZZ_INPUT_EVENTS; e++) {
        uint64_t r = sim_prng_next(&prng);
        uint8_t *event = &bytes[e * SIM_FUZZ_EVENT_BYTES];
        event[0] = (uint8_t)(r % 40);
        event[1] = 0;
        event[2] = (uint8_t)(r >> 8);
        event[3] = (uint8_t)(r >> 16);
    }
    return sim_fuzz_decode(bytes, sizeof bytes, events, SIM_FUZZ_EVENTS_MAX);
}

/* The digest of every bundled scenario under `strategy`. */
static uint64_t strategy_digest(sim_strategy strategy) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (const sim_scenario *s = sim_scenario_first(); s != NULL; s = s->next) {
        if (!bundled(s))
            continue;
        if (strategy != SIM_STRATEGY_FUZZ_INPUT) {
            explore_into(&hash, s, strategy, strategy == SIM_STRATEGY_DFS ? 30 : 12, NULL, 0);
            continue;
        }
        for (int input = 0; input < FUZZ_INPUTS; input++) {
            sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX];
            int count = fuzz_input(input, events);
            explore_into(&hash, s, strategy, 1, events, count);
        }
    }
    return hash;
}

/* The recorded digests, by build variant: a sanitizer reports what driver
 * code does to memory where the plain build cannot, so some runs end
 * otherwise there (reports/README.md, which findings in which builds). */
typedef struct recorded_digests {
    uint64_t random, pct, dfs, fuzz_input;
} recorded_digests;

#if defined(__has_feature)
#define BUILT_WITH(sanitizer) __has_feature(sanitizer)
#else
#define BUILT_WITH(sanitizer) 0
#endif
#if BUILT_WITH(address_sanitizer)
static const recorded_digests digests = {0xf753ddc9e675b256ull, 0x2a0a2dc33bb3fd32ull, 0x89065a5b80a6e345ull,
                                         0x180f9097049ddee2ull};
#elif BUILT_WITH(thread_sanitizer)
static const recorded_digests digests = {0x794a52cff788b9caull, 0x46585cf871912825ull, 0x9ce99bc00cf2d8beull,
                                         0x856cf181accf7872ull};
#else
static const recorded_digests digests = {0xa60305df0599a384ull, 0x50bf5102a43f1372ull, 0x37b634dbc6952cc7ull,
                                         0xa8950ad4f8f1baaaull};
#endif

/* The digest of `strategy`'s runs must be the one recorded. */
static void check_digest(sim_strategy strategy, uint64_t recorded) {
    uint64_t digest = strategy_digest(strategy);
    if (digest != recorded)
        test_fail(__FILE__, __LINE__, "%s traces: digest 0x%016llx, recorded 0x%016llx", sim_strategy_name(strategy),
                  (unsigned long long)digest, (unsigned long long)recorded);
}

TEST(digests_random_traces_of_every_bundled_scenario) { check_digest(SIM_STRATEGY_RANDOM, digests.random); }

TEST(digests_pct_traces_of_every_bundled_scenario) { check_digest(SIM_STRATEGY_PCT, digests.pct); }

TEST(digests_dfs_traces_of_every_bundled_scenario) { check_digest(SIM_STRATEGY_DFS, digests.dfs); }

TEST(digests_fuzz_input_traces_of_every_bundled_scenario) { check_digest(SIM_STRATEGY_FUZZ_INPUT, digests.fuzz_input); }
