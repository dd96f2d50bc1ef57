/* main.c: the `sim` command line (installed as `spinsim`). Dispatches to one
 * command per file (cmd_*.c) and answers --help for each. Exit 0: no error;
 * 1: an error (report written), or a rule finding with --strict; 2: bad usage
 * or input (one line on stderr, nothing written). Reports name this binary as
 * it was invoked. */
#include <string.h>

#include "cli.h"
#include "report.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} command;

static const command commands[] = {
    {"list", cli_list, "sim list\n  Lists the bundled scenarios.\n"},
    {"run", cli_run,
     "sim run SCENARIO|--all [options]\n"
     "  Explores a scenario's schedules until the first error; writes its report and schedule\n"
     "  under reports/ (or -o FILE and FILE.sched) and exits 1. A rule finding (a DDI rule broken\n"
     "  harmlessly) does not stop it: each distinct rule is noted at the end with the runs it\n"
     "  appeared in, and written as reports/SCENARIO-KIND.rule-HASH.txt and .sched; rules alone\n"
     "  exit 0, or 1 with --strict. With --all, prints expected vs found for every scenario\n"
     "  (rules only meet 'none', shown as 'none (N rules)') and exits 0 when each matches.\n"
     "  --strategy portfolio|random|pct|dfs\n"
     "                              how decisions are made (default portfolio: run 1 is the\n"
     "                              default schedule, then random and pct at depths 1, 2, 3\n"
     "                              and 5 take turns, run by run)\n"
     "  --seed S                    seed of portfolio, random and pct (default 1)\n"
     "  --runs N                    executions at most (default 1000; dfs: until exhausted)\n"
     "  --preemptions P|none        dfs preemption bound (default 2); none: every schedule, with\n"
     "                              the dynamic partial-order reduction (docs/design.md)\n"
     "  --no-reduction              dfs without partial-order reduction: every order of independent\n"
     "                              steps is its own schedule (docs/design.md, \"Partial-order reduction\")\n"
     "  --depth D                   pct bug depth d (default 3; the portfolio has its own)\n"
     "  --cpus N                    virtual CPUs (1..64), same as --param cpus=N\n"
     "  --param KEY=VALUE           a parameter (repeatable); one no run read is an error (exit 2)\n"
     "  --allow KIND[@FILE:LINE]    silence a finding kind, or at one site: FILE:LINE as a report's\n"
     "                              site line prints it, FILE or its last path components\n"
     "                              (repeatable; written into the schedules; not crash,\n"
     "                              stack-overflow or hang)\n"
     "  --strict                    rule findings fail (exit 1) like errors\n"
     "  --steps-max N               step limit of one execution: --param steps_max=N (default 1000000)\n"
     "  --report text|json|sarif|trace|html\n"
     "                              format of the report files (default text; the terminal\n"
     "                              report stays text): .txt, .json (docs/report.schema.json),\n"
     "                              .sarif (SARIF 2.1.0), .trace.json (Chrome trace events of\n"
     "                              the finding's run, for Perfetto) or .html (one page with a\n"
     "                              zoomable timeline of the run)\n"
     "  -o FILE                     the error's report path (schedule: FILE.sched); rule\n"
     "                              reports stay under reports/\n"
     "  --quiet                     do not print the report\n"},
    {"replay", cli_replay,
     "sim replay SCENARIO FILE [--raw] [--trace] [--quiet] [--allow KIND[@FILE:LINE]] [--strict] [--steps-max N]\n"
     "           [--report text|json|sarif|trace|html] [-o REPORT]\n"
     "  Runs the schedule FILE once, with its parameters and allow lines, and prints the verdict,\n"
     "  a note for each rule finding, and whether it meets FILE's expect line; --trace prints every\n"
     "  step. Where the scenario changed since FILE was recorded, says where it diverged. Exits 1\n"
     "  on an error; on rules only with --strict.\n"
     "  --raw          FILE is a fuzzer input (a libFuzzer crash-* file), not a .sched\n"
     "  --allow        silence a kind, or one site, besides FILE's allow lines (as sim run --allow)\n"
     "  --strict       rule findings fail (exit 1) like errors\n"
     "  --steps-max N  step limit of one execution: --param steps_max=N (default 1000000)\n"
     "  --report F     also write the finding's report in format F (text, json, sarif, trace, html)\n"
     "                 to reports/SCENARIO-KIND.EXT, or to REPORT with -o\n"
     "  -o REPORT      where that report goes (format: --report, default text)\n"},
    {"minimize", cli_minimize,
     "sim minimize SCENARIO FILE -o OUT [--raw] [--quiet] [--allow KIND[@FILE:LINE]] [--strict] [--report F]\n"
     "  Shrinks the schedule FILE, which must yield a finding, by delta debugging over its decisions:\n"
     "  removes and moves decisions earlier until none can go and the same finding kind at the same\n"
     "  sites still occurs. Writes the readable .sched, with the allows in effect, to OUT, prints the\n"
     "  sizes before and after and the finding's report, and exits 1 for an error (for a rule, only\n"
     "  with --strict).\n"
     "  -o OUT         where the minimized schedule goes (required; written whole or not at all)\n"
     "  --raw          FILE is a fuzzer input (a libFuzzer crash-* file), not a .sched\n"
     "  --allow        silence a kind, or one site, besides FILE's allow lines (as sim run --allow)\n"
     "  --strict       a rule finding exits 1 like an error\n"
     "  --steps-max N  step limit of one execution: --param steps_max=N (default 1000000)\n"
     "  --report F     also write the finding's report in format F (text, json, sarif, trace, html)\n"
     "                 to reports/SCENARIO-KIND.EXT\n"
     "  --quiet        do not print the report\n"},
    {"fuzz", cli_fuzz,
     "sim fuzz SCENARIO|--all [--time S] [--jobs N] [--report text|json|sarif|trace|html]\n"
     "  A fuzz campaign: runs N libFuzzer processes of fuzz/SCENARIO_fuzzer next to this binary\n"
     "  (else build/fuzz/) for S seconds (each scenario, with --all) on the working corpus\n"
     "  reports/fuzz/SCENARIO/corpus, seeded from corpus/SCENARIO beside the build folder, with one\n"
     "  live progress line. Each distinct finding (by kind and sites) is minimized and written as\n"
     "  report + schedule under reports/. Ctrl-C stops and keeps what was found. Exit 1 if anything\n"
     "  was found.\n"
     "  --time S    seconds per scenario (default 60)\n"
     "  --jobs N    fuzzer processes (default 1)\n"
     "  --report F  format of the report files (default text)\n"},
    {"encode", cli_encode,
     "sim encode SCENARIO FILE -o OUT [--steps-max N]\n"
     "  Writes the fuzzer input (fuzz/README.md) that makes the decisions of the schedule FILE,\n"
     "  e.g. to seed corpus/SCENARIO from a pinned schedule, after checking it replays alike.\n"
     "  --steps-max N  step limit of the check's execution: --param steps_max=N (default 1000000)\n"},
    {"test", cli_test,
     "sim test [DIR]\n"
     "  Replays every pinned schedule DIR/*.sched (default scenarios/), with its parameters and\n"
     "  allow lines, and checks its verdict against its expect line: an error of that kind; else\n"
     "  'none', or a rule of that kind. Ends with 'N passed, N failed'.\n"},
    {"build", cli_build,
     "spinsim build -o OUTDIR [--oss-fuzz] [-I DIR] [-D NAME[=VALUE]] [cc flags] FILE.c...\n"
     "  Builds a driver and its harness (the files that declare SIM_SCENARIOs) with the installed\n"
     "  spinsim: OUTDIR/sim, OUTDIR/sim-asan, OUTDIR/sim-tsan, and OUTDIR/fuzz/NAME_fuzzer with its\n"
     "  .dict and .options for each scenario NAME. Every file is compiled once per variant; a rebuild\n"
     "  compiles only what changed. The compiler's warnings on the files are printed once and are not\n"
     "  errors unless -Werror is given. A failed build leaves no binary behind and exits 2.\n"
     "  -o OUTDIR     where the build goes: a new or empty folder, or an earlier build's\n"
     "  --oss-fuzz    as an OSS-Fuzz or ClusterFuzzLite build step: $CC, $CFLAGS and\n"
     "                $LIB_FUZZING_ENGINE for the fuzz targets; builds OUTDIR/sim and OUTDIR/fuzz only\n"
     "  cc flags      -I -D -U -W -w -f -m -g -std= -pedantic -include -isystem -iquote, given to every file\n"},
};

static const command *find(const char *name) {
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

#define COMMAND_NAMES "list, run, replay, minimize, fuzz, encode, test, build"

static void usage(void) {
    fprintf(stdout, "usage: sim COMMAND [options]   (sim COMMAND --help for each)\n"
                    "commands: " COMMAND_NAMES "\n"
                    "exit status: 0 no error (rule findings are notes), 1 an error (or a rule with --strict),\n"
                    "2 bad usage or input\n");
}

int main(int argc, char **argv) {
    sim_report_set_program(argv[0]);
    if (argc < 2)
        cli_bad_input("", "missing command (commands: " COMMAND_NAMES "; see sim --help)");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage();
        return CLI_EXIT_CLEAN;
    }
    const command *cmd = find(argv[1]);
    if (cmd == NULL)
        cli_bad_input(argv[1], "unknown command (commands: " COMMAND_NAMES ")");
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(cmd->usage, stdout);
            return CLI_EXIT_CLEAN;
        }
    return cmd->run(argc, argv);
}
