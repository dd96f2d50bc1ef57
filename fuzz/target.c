/* target.c: the libFuzzer target of one scenario, named by the binary's
 * own file name, <scenario>_fuzzer (build/fuzz/ has one binary per
 * scenario; `spinsim build` links one binary and names it once per
 * scenario), so one object serves every target. One input is one execution under
 * the input's schedule events (decode.h). An `error` finding prints its
 * report on stderr, writes the schedule next to the crash file libFuzzer is
 * about to write (<artifact_prefix>crash-<sha1>.sched) and aborts. A `rule`
 * finding does not abort: the run goes on, and libFuzzer does not take it
 * for a crash (docs/design.md, Decisions: "Severity and stopping"); `sim run`
 * reports rules.
 *
 * Environment (fuzz/README.md):
 *   SPINSIM_FUZZ_INTERLEAVING=0   no interleaving coverage (extra counters)
 *   SPINSIM_FUZZ_KNOWN=FILE       finding keys (report.h) to ignore, one a
 *                                 line: `sim fuzz` lists those already found
 *   SPINSIM_FUZZ_PARAMS=K=V,...   parameters of every execution, as `sim run
 *                                 --param K=V` takes them (race_detection=0) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "explore.h"
#include "file.h"
#include "report.h"
#include "sha1.h"

/* libFuzzer reads this section as extra coverage counters (a power of two:
 * sim_config.cover_size). */
__attribute__((section("__libfuzzer_extra_counters"), used)) static uint8_t interleaving_counters[1 << 12];

static sim_explore_config config;
static const char *artifact_prefix = "./";
static char replay_sim[4096]; /* the `sim` that replays what this target finds */
static char *known_keys;      /* the SPINSIM_FUZZ_KNOWN file, NUL-terminated lines */
static size_t known_size;
static bool params_judged; /* SPINSIM_FUZZ_PARAMS met an execution that read them all */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The NAME of this binary's file name NAME_fuzzer. */
static void scenario_name(const char *binary, char *name, size_t size) {
    static const char fuzzer[] = "_fuzzer";
    const char *slash = strrchr(binary, '/'), *base = slash != NULL ? slash + 1 : binary;
    size_t length = strlen(base), suffix = sizeof fuzzer - 1;
    if (length <= suffix || strcmp(base + length - suffix, fuzzer) != 0) {
        fprintf(stderr, "spinsim fuzz: name this target SCENARIO_fuzzer after the scenario it fuzzes, not %s\n", base);
        exit(2);
    }
    snprintf(name, size, "%.*s", (int)(length - suffix), base);
}

/* The `sim` built with this target: DIR/sim for DIR/fuzz/NAME_fuzzer, named
 * as this target was invoked; plain "sim" where there is none (OSS-Fuzz). */
static void find_replay_sim(const char *binary) {
    const char *slash = strrchr(binary, '/');
    int dir_end = slash != NULL ? (int)(slash - binary) : 0, dir_start = dir_end;
    while (dir_start > 0 && binary[dir_start - 1] != '/')
        dir_start--;
    if (dir_end - dir_start == 4 && strncmp(binary + dir_start, "fuzz", 4) == 0)
        snprintf(replay_sim, sizeof replay_sim, "%.*ssim", dir_start, binary);
    else
        snprintf(replay_sim, sizeof replay_sim, "%.*s../sim", slash != NULL ? dir_end + 1 : 0, binary);
    if (access(replay_sim, X_OK) != 0)
        snprintf(replay_sim, sizeof replay_sim, "sim");
    sim_report_set_program(replay_sim);
}

/* SPINSIM_FUZZ_PARAMS, `KEY=INTEGER[,KEY=INTEGER...]`, into the machine's
 * parameters; bad input exits 2. */
static void take_params(sim_config *machine, const char *text) {
    for (const char *at = text; *at != '\0';) {
        size_t length = strcspn(at, ",");
        const char *eq = memchr(at, '=', length);
        char *end = NULL;
        errno = 0;
        long long value = eq != NULL ? strtoll(eq + 1, &end, 10) : 0;
        char name[sizeof machine->params[0].name];
        const bool well_formed = eq != NULL && eq != at && (size_t)(eq - at) < sizeof name && end != eq + 1 &&
                                 end == at + length && errno == 0;
        if (well_formed)
            snprintf(name, sizeof name, "%.*s", (int)(eq - at), at);
        if (!well_formed || !sim_config_set_param(machine, name, value)) {
            fprintf(stderr, "spinsim fuzz: SPINSIM_FUZZ_PARAMS takes KEY=INTEGER[,KEY=INTEGER...], not '%s'\n", text);
            exit(2);
        }
        at += length + (at[length] == ',');
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    char name[256];
    scenario_name((*argv)[0], name, sizeof name);
    const sim_scenario *scenario = sim_scenario_find(name);
    if (scenario == NULL) {
        fprintf(stderr, "spinsim fuzz: scenario %s is not linked in\n", name);
        exit(2);
    }
    find_replay_sim((*argv)[0]);
    sim_explore_defaults(&config, scenario);
    config.strategy = SIM_STRATEGY_FUZZ_INPUT;
    config.runs = 1;
    config.errors_only = true;
    const char *interleaving = getenv("SPINSIM_FUZZ_INTERLEAVING");
    if (interleaving == NULL || strcmp(interleaving, "0") != 0) {
        config.machine.cover = interleaving_counters;
        config.machine.cover_size = sizeof interleaving_counters;
    }
    for (int i = 1; i < *argc; i++)
        if (strncmp((*argv)[i], "-artifact_prefix=", 17) == 0)
            artifact_prefix = (*argv)[i] + 17;
    const char *params = getenv("SPINSIM_FUZZ_PARAMS");
    if (params != NULL)
        take_params(&config.machine, params);
    const char *known = getenv("SPINSIM_FUZZ_KNOWN");
    if (known != NULL && (known_keys = sim_file_read(known, &known_size)) != NULL)
        for (size_t i = 0; i < known_size; i++)
            known_keys[i] = known_keys[i] == '\n' ? '\0' : known_keys[i];
    return 0;
}

static bool is_known(const char *key) {
    for (size_t at = 0; known_keys != NULL && at < known_size; at += strlen(known_keys + at) + 1)
        if (strcmp(known_keys + at, key) == 0)
            return true;
    return false;
}

/* The schedule of the finding, named after the crash file. */
static void write_schedule(const sim_schedule *schedule, const char *path) {
    size_t size = 0;
    char *text = sim_schedule_text(schedule, &size);
    if (text == NULL || !sim_file_write(path, text, size))
        fprintf(stderr, "spinsim fuzz: cannot write %s\n", path);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX];
    static sim_explore_result result;
    config.fuzz_events = events;
    config.fuzz_event_count = sim_fuzz_decode(data, size, events, SIM_FUZZ_EVENTS_MAX);
    sim_explore(&config, &result);
    /* Bad input exits 2 at once: libFuzzer takes an exit() during an
     * execution for a crash of the target (exit 77, and a crash file). */
    if (result.bad_scenario) {
        fprintf(stderr, "spinsim fuzz: scenario %s: %s\n", config.scenario->name, result.bad_scenario_why);
        _Exit(2);
    }
    /* A parameter the first execution without an error did not read is
     * unknown (`sim run` judges over every run of its exploration). */
    if (!params_judged && !sim_explore_error(&result)) {
        params_judged = true;
        char why[1024];
        if (sim_explore_unknown_param(&config, &result, why, sizeof why)) {
            fprintf(stderr, "spinsim fuzz: SPINSIM_FUZZ_PARAMS: %s\n", why);
            _Exit(2);
        }
    }
    char key[1024];
    if (result.found)
        sim_finding_key(key, sizeof key, &result.finding);
    if (result.found && !is_known(key)) {
        char sha1[41], crash[4096], schedule[4200];
        sim_sha1_hex(data, size, sha1);
        snprintf(crash, sizeof crash, "%scrash-%s", artifact_prefix, sha1);
        snprintf(schedule, sizeof schedule, "%s.sched", crash);
        write_schedule(&result.schedule, schedule);
        sim_report_text(stderr, config.scenario->name, &result.finding, &result.snapshot, schedule);
        /* The raw input replays with the default parameters: only the
         * schedule records others. */
        if (config.machine.param_count == 0)
            fprintf(stderr, "  %-11s %s replay %s %s --raw\n", "raw replay", replay_sim, config.scenario->name, crash);
        fprintf(stderr, "  %-11s %s\n", "key", key);
        abort();
    }
    sim_schedule_free(&result.schedule);
    return 0;
}
