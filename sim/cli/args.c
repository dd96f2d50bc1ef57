/* args.c parses the command line of every `sim` command into cli_args.
 * Anything it does not understand is bad usage: one line on stderr, exit 2,
 * nothing run and nothing written. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_bad_input(const char *command, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "sim%s%s: ", command[0] ? " " : "", command);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(CLI_EXIT_BAD_INPUT);
}

static uint64_t parse_count(const char *command, const char *option, const char *text, uint64_t min, uint64_t max) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (text[0] == '-' || text[0] == '\0' || *end != '\0' || errno != 0 || value < min || value > max)
        cli_bad_input(command, "%s takes a whole number from %llu to %llu, not '%s'", option, (unsigned long long)min,
                      (unsigned long long)max, text);
    return value;
}

static void add_param(cli_args *args, const char *text, const char *name, int64_t value) {
    if (!sim_config_set_param(&args->explore.machine, name, value))
        cli_bad_input(args->command, "too many parameters at '%s'", text);
}

static void parse_param(cli_args *args, const char *text) {
    const char *eq = strchr(text, '=');
    char name[sizeof args->explore.machine.params[0].name];
    if (eq == NULL || eq == text || (size_t)(eq - text) >= sizeof name)
        cli_bad_input(args->command, "--param takes KEY=INTEGER, not '%s'", text);
    memcpy(name, text, (size_t)(eq - text));
    name[eq - text] = '\0';
    char *end;
    errno = 0;
    long long value = strtoll(eq + 1, &end, 10);
    if (eq[1] == '\0' || *end != '\0' || errno != 0)
        cli_bad_input(args->command, "--param takes KEY=INTEGER, not '%s'", text);
    add_param(args, text, name, value);
}

typedef struct option_spec {
    const char *name;
    unsigned bit;
    bool takes_value;
} option_spec;

static const option_spec specs[] = {
    {"--strategy", OPT_STRATEGY, true},
    {"--seed", OPT_SEED, true},
    {"--runs", OPT_RUNS, true},
    {"--cpus", OPT_CPUS, true},
    {"--preemptions", OPT_PREEMPTIONS, true},
    {"--depth", OPT_DEPTH, true},
    {"--param", OPT_PARAM, true},
    {"--allow", OPT_ALLOW, true},
    {"--trace", OPT_TRACE, false},
    {"-o", OPT_OUTPUT, true},
    {"--report", OPT_REPORT, true},
    {"--all", OPT_ALL, false},
    {"--steps-max", OPT_STEPS, true},
    {"--quiet", OPT_QUIET, false},
    {"--raw", OPT_RAW, false},
    {"--time", OPT_TIME, true},
    {"--jobs", OPT_JOBS, true},
    {"--strict", OPT_STRICT, false},
    {"--no-reduction", OPT_NO_REDUCTION, false},
};

static void apply_option(cli_args *args, unsigned bit, const char *name, const char *value) {
    sim_explore_config *explore = &args->explore;
    switch (bit) {
    case OPT_STRATEGY: {
        int strategy = sim_strategy_parse(value);
        if (strategy < 0)
            cli_bad_input(args->command, "unknown strategy '%s' (portfolio, random, pct or dfs)", value);
        explore->strategy = (sim_strategy)strategy;
        break;
    }
    case OPT_SEED:
        explore->seed = parse_count(args->command, name, value, 0, UINT64_MAX);
        break;
    case OPT_RUNS:
        explore->runs = parse_count(args->command, name, value, 1, UINT64_MAX);
        args->runs_given = true;
        break;
    case OPT_CPUS:
        add_param(args, value, "cpus", (int64_t)parse_count(args->command, name, value, 1, SIM_CPUS_MAX));
        break;
    case OPT_PREEMPTIONS:
        explore->preemption_bound =
            strcmp(value, "none") == 0 ? -1 : (int)parse_count(args->command, name, value, 0, 1000);
        break;
    case OPT_DEPTH:
        explore->pct_depth = (int)parse_count(args->command, name, value, 1, SIM_PCT_DEPTH_MAX);
        break;
    case OPT_PARAM:
        parse_param(args, value);
        break;
    case OPT_ALLOW: {
        sim_allowance allow;
        char why[SIM_ALLOW_FILE_MAX + 128];
        if (!sim_allowance_parse(value, &allow, why, sizeof why))
            cli_bad_input(args->command, "--allow: %s", why);
        if (!sim_allowances_add(&explore->machine.allows, &allow))
            cli_bad_input(args->command, "--allow: more than %d allows", SIM_ALLOWS_MAX);
        break;
    }
    case OPT_STRICT:
        args->strict = true;
        break;
    case OPT_NO_REDUCTION:
        explore->reduction = false;
        break;
    case OPT_TRACE:
        args->trace = true;
        break;
    case OPT_OUTPUT:
        args->output = value;
        break;
    case OPT_REPORT:
        args->report_given = true;
        if (strcmp(value, "text") == 0)
            args->report = CLI_REPORT_TEXT;
        else if (strcmp(value, "json") == 0)
            args->report = CLI_REPORT_JSON;
        else if (strcmp(value, "sarif") == 0)
            args->report = CLI_REPORT_SARIF;
        else if (strcmp(value, "trace") == 0)
            args->report = CLI_REPORT_TRACE;
        else if (strcmp(value, "html") == 0)
            args->report = CLI_REPORT_HTML;
        else
            cli_bad_input(args->command, "unknown report format '%s' (formats: text, json, sarif, trace, html)", value);
        break;
    case OPT_ALL:
        args->all = true;
        break;
    case OPT_STEPS:
        /* The parameter steps_max, so it is recorded with the schedule. */
        add_param(args, value, "steps_max", (int64_t)parse_count(args->command, name, value, 1, INT64_MAX));
        break;
    case OPT_QUIET:
        args->quiet = true;
        break;
    case OPT_RAW:
        args->raw = true;
        break;
    case OPT_TIME:
        args->time_seconds = parse_count(args->command, name, value, 1, 365 * 24 * 3600);
        break;
    case OPT_JOBS:
        args->jobs = (int)parse_count(args->command, name, value, 1, 256);
        break;
    }
}

void cli_parse(cli_args *args, const char *command, int argc, char **argv, int first, unsigned accepted,
               int positional_max) {
    memset(args, 0, sizeof *args);
    args->command = command;
    args->report_dir = "reports";
    args->time_seconds = 60;
    args->jobs = 1;
    sim_explore_defaults(&args->explore, NULL);
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            if (args->positional_count == positional_max)
                cli_bad_input(command, "unexpected argument '%s' (see sim %s --help)", arg, command);
            args->positional[args->positional_count++] = arg;
            continue;
        }
        const option_spec *spec = NULL;
        for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++)
            if (strcmp(specs[s].name, arg) == 0 && (specs[s].bit & accepted))
                spec = &specs[s];
        if (spec == NULL)
            cli_bad_input(command, "unknown option '%s' (see sim %s --help)", arg, command);
        if (spec->takes_value && i + 1 >= argc)
            cli_bad_input(command, "%s needs a value", arg);
        apply_option(args, spec->bit, arg, spec->takes_value ? argv[++i] : NULL);
    }
}

const sim_scenario *cli_scenario(const char *command, const char *name) {
    const sim_scenario *scenario = sim_scenario_find(name);
    if (scenario == NULL)
        cli_bad_input(command, "unknown scenario '%s' (see sim list)", name);
    return scenario;
}
