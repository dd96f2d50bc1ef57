/* cmd_fuzz.c: `sim fuzz SCENARIO|--all [--time S] [--jobs N]`: a fuzz
 * campaign. It runs N libFuzzer processes of build/fuzz/SCENARIO_fuzzer on
 * one working corpus (reports/fuzz/SCENARIO/corpus, seeded from
 * corpus/SCENARIO), keeps one live progress line, and turns each crash into
 * a finding: replayed here, deduplicated by kind and sites, minimized, and
 * written as report + schedule under reports/. A finding already seen is
 * listed in the campaign's `known` file, which the restarted fuzzers skip,
 * so the campaign goes on looking for new ones. Ctrl-C stops the fuzzers
 * and keeps every finding written so far. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_worker.h"
#include "minimize.h"
#include "report.h"
#include "sha1.h"

enum { JOBS_MAX = 256, FINDINGS_MAX = 256 };

static volatile sig_atomic_t interrupted;

static void on_interrupt(int signal_number) {
    (void)signal_number;
    interrupted = 1;
}

typedef struct campaign {
    cli_args *args;
    const sim_scenario *scenario;
    char root[PATH_MAX]; /* the project: the folder above build/ (or OUTDIR) */
    char fuzzer[PATH_MAX + 64];
    char work[PATH_MAX];
    char corpus[PATH_MAX + 16];
    char artifacts[PATH_MAX + 16];
    char known[PATH_MAX + 16];
    char seeds[PATH_MAX + 64];
    char dict[PATH_MAX + 80], options[PATH_MAX + 80]; /* libFuzzer's dictionary and flags */
    double start, deadline, last_progress;
    bool tty;
    int restarts;
    fuzz_worker workers[JOBS_MAX];
    /* What this campaign found: finding keys, and the summaries of crashes
     * spinsim cannot replay (sanitizer reports on driver code). */
    char found[FINDINGS_MAX][1024];
    int finding_count;
    uint64_t execs_done; /* by workers that ended */
} campaign;

static void make_dir(const char *path) {
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        cli_bad_input("fuzz", "cannot create %s: %s", path, strerror(errno));
}

/* fuzz/NAME_fuzzer next to this binary (build/ in the tree, OUTDIR of a
 * `spinsim build`), else build/fuzz/ under the current folder; the project
 * root is the folder above, with the seeds in corpus/NAME. The target's
 * dictionary and options are NAME_fuzzer.dict and .options beside it, as
 * OSS-Fuzz names them, else the tree's fuzz/scenario.dict and .options. */
static void find_fuzzer(campaign *c) {
    char dir[PATH_MAX];
    cli_self_dir("fuzz", dir, sizeof dir);
    snprintf(c->fuzzer, sizeof c->fuzzer, "%s/fuzz/%s_fuzzer", dir, c->scenario->name);
    if (access(c->fuzzer, X_OK) != 0 && realpath("build", dir) != NULL)
        snprintf(c->fuzzer, sizeof c->fuzzer, "%s/fuzz/%s_fuzzer", dir, c->scenario->name);
    if (access(c->fuzzer, X_OK) != 0)
        cli_bad_input("fuzz", "%s_fuzzer is in neither fuzz/ next to this binary nor build/fuzz/: build it first",
                      c->scenario->name);
    snprintf(c->root, sizeof c->root, "%s", dir);
    *strrchr(c->root, '/') = '\0';
    snprintf(c->seeds, sizeof c->seeds, "%s/corpus/%s", c->root, c->scenario->name);
    snprintf(c->dict, sizeof c->dict, "%s.dict", c->fuzzer);
    snprintf(c->options, sizeof c->options, "%s.options", c->fuzzer);
    if (access(c->dict, R_OK) != 0)
        snprintf(c->dict, sizeof c->dict, "%s/fuzz/scenario.dict", c->root);
    if (access(c->options, R_OK) != 0)
        snprintf(c->options, sizeof c->options, "%s/fuzz/scenario.options", c->root);
}

static void prepare(campaign *c) {
    make_dir(c->args->report_dir);
    char fuzz_dir[PATH_MAX];
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/fuzz", c->args->report_dir);
    make_dir(fuzz_dir);
    snprintf(c->work, sizeof c->work, "%s/%s", fuzz_dir, c->scenario->name);
    make_dir(c->work);
    snprintf(c->corpus, sizeof c->corpus, "%s/corpus", c->work);
    make_dir(c->corpus);
    snprintf(c->artifacts, sizeof c->artifacts, "%s/artifacts/", c->work);
    make_dir(c->artifacts);
    snprintf(c->known, sizeof c->known, "%s/known", c->work);
    if (!sim_file_write(c->known, "", 0))
        cli_bad_input("fuzz", "cannot write %s: %s", c->known, strerror(errno));
}

static bool is_dir(const char *path) {
    struct stat info;
    return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* The libFuzzer flags of the target's options file (`key = value` lines of
 * its [libfuzzer] section), the file OSS-Fuzz also reads, as -key=value. */
static int read_options(const campaign *c, char flags[][128], int max) {
    FILE *in = fopen(c->options, "r");
    if (in == NULL)
        return 0;
    int count = 0;
    char line[256], key[64], value[64];
    while (count < max && fgets(line, sizeof line, in) != NULL)
        if (sscanf(line, " %63[a-z_] = %63s", key, value) == 2 && strcmp(key, "dict") != 0)
            snprintf(flags[count++], sizeof flags[0], "-%s=%s", key, value);
    fclose(in);
    return count;
}

static void start_worker(campaign *c, int job) {
    char max_time[64], seed[64], artifact[PATH_MAX + 32], log_path[PATH_MAX + 32], known_env[PATH_MAX + 32],
        dict[PATH_MAX + 96], options[8][128];
    long remaining = (long)(c->deadline - cli_now_seconds() + 0.999);
    snprintf(max_time, sizeof max_time, "-max_total_time=%ld", remaining < 1 ? 1 : remaining);
    snprintf(seed, sizeof seed, "-seed=%d", 1 + c->restarts++);
    snprintf(artifact, sizeof artifact, "-artifact_prefix=%s", c->artifacts);
    snprintf(dict, sizeof dict, "-dict=%s", c->dict);
    snprintf(log_path, sizeof log_path, "%s/job%d.log", c->work, job);
    snprintf(known_env, sizeof known_env, "SPINSIM_FUZZ_KNOWN=%s", c->known);
    char *argv[24];
    int n = 0;
    argv[n++] = c->fuzzer;
    argv[n++] = c->corpus;
    if (is_dir(c->seeds))
        argv[n++] = c->seeds;
    argv[n++] = artifact;
    argv[n++] = max_time;
    argv[n++] = seed;
    argv[n++] = "-reload=1";
    if (access(dict + 6, R_OK) == 0)
        argv[n++] = dict;
    int option_count = read_options(c, options, 8);
    for (int i = 0; i < option_count; i++)
        argv[n++] = options[i];
    argv[n] = NULL;
    char *environment[] = {known_env, NULL};
    if (!fuzz_worker_start(&c->workers[job], argv, environment, log_path))
        cli_bad_input("fuzz", "cannot start %s: %s", c->fuzzer, strerror(errno));
}

static bool already_found(const campaign *c, const char *what) {
    for (int i = 0; i < c->finding_count; i++)
        if (strcmp(c->found[i], what) == 0)
            return true;
    return false;
}

/* Records a finding; one spinsim can replay also goes into the `known` file
 * the restarted fuzzers skip. */
static void remember(campaign *c, const char *what, bool replayable) {
    snprintf(c->found[c->finding_count++], sizeof c->found[0], "%s", what);
    if (!replayable)
        return;
    FILE *out = fopen(c->known, "a");
    if (out == NULL)
        cli_bad_input("fuzz", "cannot write %s: %s", c->known, strerror(errno));
    fprintf(out, "%s\n", what);
    fclose(out);
}

/* Clears the progress line before other output. */
static void clear_progress(const campaign *c) {
    if (c->tty)
        fprintf(stderr, "\r\033[K");
}

/* Replays a crash input; a new finding is minimized and written under reports/. */
static void take_crash(campaign *c, const fuzz_worker *worker) {
    cli_args replay = *c->args;
    replay.raw = true;
    sim_schedule none;
    static sim_explore_result result;
    cli_replay_file(&replay, c->scenario, worker->crash, NULL, &none, &result);
    clear_progress(c);
    if (!sim_explore_error(&result)) {
        /* A sanitizer report on driver code: the crash file is the evidence. */
        const char *what = worker->summary[0] != '\0' ? worker->summary : "a crash spinsim does not replay";
        if (!already_found(c, what) && c->finding_count < FINDINGS_MAX) {
            remember(c, what, false);
            printf("fuzz %s: %s\n  input       %s\n", c->scenario->name, what, worker->crash);
        }
        sim_schedule_free(&result.schedule);
        return;
    }
    char key[1024];
    sim_finding_key(key, sizeof key, &result.finding);
    if (already_found(c, key) || c->finding_count == FINDINGS_MAX) {
        sim_schedule_free(&result.schedule);
        return;
    }
    remember(c, key, true);
    sim_schedule minimized;
    sim_minimize_result shrink;
    sim_explore_config config = c->args->explore;
    config.scenario = c->scenario;
    bool ok = sim_minimize(&config, &result.schedule, &minimized, &shrink);
    sim_schedule_free(&result.schedule);
    if (!ok)
        cli_bad_input("fuzz", "%s: the finding of %s did not replay from its schedule", c->scenario->name,
                      worker->crash);
    cli_replay_schedule(&replay, c->scenario, &minimized, "minimized", NULL, &result);
    char hash[41], name[PATH_MAX + 64], report_path[PATH_MAX + 64], schedule_path[PATH_MAX + 80];
    sim_sha1_hex((const uint8_t *)key, strlen(key), hash);
    snprintf(name, sizeof name, "%s/%s-%s-%.8s.%s", c->args->report_dir, c->scenario->name, sim_kind_token(shrink.kind),
             hash, cli_report_extension(c->args));
    cli_args out = *c->args;
    out.output = name;
    cli_write_finding(&out, c->scenario->name, &result, report_path, sizeof report_path, schedule_path,
                      sizeof schedule_path);
    printf("fuzz %s: %s, %d decision%s after minimizing (from %d)\n", c->scenario->name, key, shrink.events_after,
           shrink.events_after == 1 ? "" : "s", shrink.events_before);
    printf("  report      %s\n  input       %s\n", report_path, worker->crash);
    fflush(stdout);
    sim_schedule_free(&minimized);
    sim_schedule_free(&result.schedule);
}

static void progress(campaign *c, bool final) {
    double now = cli_now_seconds();
    if (!final && now - c->last_progress < (c->tty ? 0.5 : 10.0))
        return;
    c->last_progress = now;
    uint64_t execs = c->execs_done, coverage = 0, features = 0, corpus = 0;
    for (int j = 0; j < c->args->jobs; j++) {
        /* A worker that ended keeps its last figures until it is restarted. */
        const fuzz_worker *w = &c->workers[j];
        if (w->pid != 0)
            execs += w->execs;
        coverage = w->coverage > coverage ? w->coverage : coverage;
        features = w->features > features ? w->features : features;
        corpus = w->corpus > corpus ? w->corpus : corpus;
    }
    int elapsed = (int)(now - c->start);
    /* All workers together, since the start: libFuzzer's own exec/s counts
     * whole seconds and ends with its worker. */
    uint64_t rate = now > c->start ? (uint64_t)((double)execs / (now - c->start)) : 0;
    fprintf(stderr, "%sfuzz %s  %d:%02d  %llu execs  %llu exec/s  cov %llu ft %llu  corpus %llu  findings %d%s",
            c->tty ? "\r\033[K" : "", c->scenario->name, elapsed / 60, elapsed % 60, (unsigned long long)execs,
            (unsigned long long)rate, (unsigned long long)coverage, (unsigned long long)features,
            (unsigned long long)corpus, c->finding_count, c->tty && !final ? "" : "\n");
}

/* A worker's output ended: reap it and take its crash, if any. */
static void worker_ended(campaign *c, fuzz_worker *worker) {
    fuzz_worker_reap(worker);
    c->execs_done += worker->execs;
    if (worker->crash[0] != '\0') {
        take_crash(c, worker);
        return;
    }
    bool clean = WIFEXITED(worker->exit_status) && WEXITSTATUS(worker->exit_status) == 0;
    if (!clean && !interrupted && cli_now_seconds() < c->deadline - 1) {
        clear_progress(c);
        cli_bad_input("fuzz", "%s stopped without a crash file (exit status %d); see %s/job*.log", c->fuzzer,
                      WIFEXITED(worker->exit_status) ? WEXITSTATUS(worker->exit_status) : 128, c->work);
    }
}

static campaign the_campaign;

/* A campaign cut short (bad input exits 2) stops its workers too. */
static void stop_workers(void) {
    for (int j = 0; j < JOBS_MAX; j++)
        fuzz_worker_interrupt(&the_campaign.workers[j]);
}

static int run_campaign(cli_args *args, const sim_scenario *scenario) {
    campaign *c = &the_campaign;
    memset(c, 0, sizeof *c);
    c->args = args;
    c->scenario = scenario;
    c->tty = isatty(STDERR_FILENO);
    find_fuzzer(c);
    prepare(c);
    c->start = c->last_progress = cli_now_seconds();
    c->deadline = c->start + (double)args->time_seconds;
    for (;;) {
        bool time_left = cli_now_seconds() < c->deadline && !interrupted;
        struct pollfd fds[JOBS_MAX];
        int job_of[JOBS_MAX], running = 0;
        for (int j = 0; j < args->jobs; j++) {
            if (c->workers[j].pid == 0 && time_left)
                start_worker(c, j);
            if (c->workers[j].pid != 0) {
                job_of[running] = j;
                fds[running++] = (struct pollfd){.fd = c->workers[j].output, .events = POLLIN};
            }
        }
        if (running == 0)
            break;
        if (interrupted)
            for (int j = 0; j < args->jobs; j++)
                fuzz_worker_interrupt(&c->workers[j]);
        poll(fds, (nfds_t)running, 200);
        for (int i = 0; i < running; i++)
            if (fds[i].revents != 0 && !fuzz_worker_read(&c->workers[job_of[i]]))
                worker_ended(c, &c->workers[job_of[i]]);
        progress(c, false);
    }
    progress(c, true);
    printf("fuzz %s: %d finding%s in %d s%s\n", scenario->name, c->finding_count, c->finding_count == 1 ? "" : "s",
           (int)(cli_now_seconds() - c->start), interrupted ? " (interrupted)" : "");
    return c->finding_count > 0 ? CLI_EXIT_FINDING : CLI_EXIT_CLEAN;
}

int cli_fuzz(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "fuzz", argc, argv, 2, OPT_ALL | OPT_TIME | OPT_JOBS | OPT_REPORT, 1);
    if (args.all == (args.positional_count == 1))
        cli_bad_input("fuzz", "give one SCENARIO or --all (see sim fuzz --help)");
    const sim_scenario *only = args.all ? NULL : cli_scenario("fuzz", args.positional[0]);
    struct sigaction action = {.sa_handler = on_interrupt};
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    atexit(stop_workers);
    int status = CLI_EXIT_CLEAN;
    for (const sim_scenario *s = args.all ? sim_scenario_first() : only; s != NULL && !interrupted;
         s = args.all ? s->next : NULL)
        if (run_campaign(&args, s) == CLI_EXIT_FINDING)
            status = CLI_EXIT_FINDING;
    return status;
}
