/* progress.c shows a long exploration's progress on stderr, as `fuzz`
 * shows its own: on a terminal one live line, redrawn at most twice a
 * second and cleared when the exploration ends; otherwise a plain line
 * every 10 seconds, so a short run prints nothing (SPINSIM_PROGRESS_SECONDS
 * sets another interval; 0 prints after every run). The line gives the runs,
 * runs per second, how much of the search is done (DFS: an estimate of
 * the tree explored; random and PCT: runs over the budget) and the runs
 * with a finding so far. The clock only decides when to print, never what
 * is explored or what stdout says. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

double cli_now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show(void *user, const sim_explore_result *so_far, double done) {
    cli_progress *progress = user;
    double now = cli_now_seconds();
    if (now - progress->last < progress->interval)
        return;
    progress->last = now;
    progress->shown = true;
    int elapsed = (int)(now - progress->start);
    uint64_t rate = now > progress->start ? (uint64_t)((double)so_far->runs / (now - progress->start)) : 0;
    fprintf(stderr, "%srun %s  %d:%02d  %llu runs  %llu runs/s  %s %s%.0f%%  findings in %llu run%s%s",
            progress->tty ? "\r\033[K" : "", progress->scenario, elapsed / 60, elapsed % 60,
            (unsigned long long)so_far->runs, (unsigned long long)rate, progress->strategy,
            progress->dfs ? "tree explored ~" : "budget ", 100.0 * done, (unsigned long long)so_far->runs_with_finding,
            so_far->runs_with_finding == 1 ? "" : "s", progress->tty ? "" : "\n");
}

void cli_progress_start(cli_progress *progress, const char *scenario, sim_explore_config *config) {
    progress->scenario = scenario;
    progress->strategy = sim_strategy_name(config->strategy);
    progress->dfs = config->strategy == SIM_STRATEGY_DFS;
    progress->tty = isatty(STDERR_FILENO);
    const char *interval = getenv("SPINSIM_PROGRESS_SECONDS");
    char *end = NULL;
    progress->interval = interval != NULL ? strtod(interval, &end) : 0;
    if (interval == NULL || end == interval || *end != '\0' || progress->interval < 0)
        progress->interval = progress->tty ? 0.5 : 10.0;
    progress->start = cli_now_seconds();
    progress->last = progress->interval > 0 ? progress->start : -1e300;
    progress->shown = false;
    config->progress = show;
    config->progress_user = progress;
}

void cli_progress_end(cli_progress *progress, sim_explore_config *config) {
    if (progress->shown && progress->tty)
        fputs("\r\033[K", stderr);
    config->progress = NULL;
    config->progress_user = NULL;
}
