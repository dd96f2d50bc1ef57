/* scale.c: how the cost of a step scales, two tables of ratios against the
 * smallest case measured in the same run (goal: flat within 1.5x):
 * - against the CPU count: one stepping thread per CPU (the bench_scale
 *   scenario) at 2, 4, 8, 16 and SIM_CPUS_MAX CPUs, host ns per step;
 * - against the run length: runs of 1k, 10k, 100k and 1M steps on 2 CPUs,
 *   as many as make the same number of steps in all, host ns per step and
 *   the peak RSS growth. Each length runs in a child process of its own,
 *   whose peak RSS (VmHWM, reset before) less what it held before
 *   exploring is the growth. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "measure.h"
#include "table.h"

_Static_assert(SIM_CPUS_MAX == 64, "the CPU table's largest column is SIM_CPUS_MAX");

enum { CPU_STEPS = 2000000, QUICK_CPU_STEPS = 200000, REPEATS = 3, QUICK_REPEATS = 1, LENGTH_TOTAL = 1000000 };

static const int cpu_counts[] = {2, 4, 8, 16, SIM_CPUS_MAX};
static const long lengths[] = {1000, 10000, 100000, 1000000};

static double step_ns_at(int cpus, long steps, int repeats) {
    const bench_param params[] = {{"cpus", cpus}, {"steps", steps}};
    double best = INFINITY;
    for (int r = 0; r < repeats; r++)
        best = fmin(best, bench_ns_per_step(bench_explore("bench_scale", SIM_STRATEGY_RANDOM, 1, 0, true, params, 2)));
    return best;
}

static void by_cpus(const bench_options *options) {
    const long steps = options->quick ? QUICK_CPU_STEPS : CPU_STEPS;
    const int repeats = options->quick ? QUICK_REPEATS : REPEATS;
    double smallest = NAN;
    for (size_t i = 0; i < sizeof cpu_counts / sizeof *cpu_counts; i++) {
        const double ns = step_ns_at(cpu_counts[i], steps, repeats);
        if (i == 0)
            smallest = ns;
        char name[64];
        snprintf(name, sizeof name, "one step, %d CPUs", cpu_counts[i]);
        bench_row(name, ns, "ns", "<= 1.5x", ns / smallest, "of 2 CPUs");
    }
}

typedef struct length_cost {
    double ns_per_step;
    long rss_growth_kb;
} length_cost;

/* A field of /proc/self/status in KB (VmRSS now, VmHWM its peak), or -1. */
static long status_kb(const char *field) {
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL)
        return -1;
    char line[256];
    long kb = -1;
    const size_t length = strlen(field);
    while (kb < 0 && fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, field, length) == 0 && line[length] == ':')
            kb = strtol(line + length + 1, NULL, 10);
    fclose(status);
    return kb;
}

/* Resets VmHWM to the present RSS (Linux 4.0 and later). */
static void reset_peak_rss(void) {
    FILE *clear = fopen("/proc/self/clear_refs", "w");
    if (clear != NULL) {
        fputs("5", clear);
        fclose(clear);
    }
}

/* In a child: LENGTH_TOTAL steps in runs of `length` steps. */
static length_cost length_cost_of(long length) {
    int pipe_ends[2];
    length_cost cost = {NAN, 0};
    if (pipe(pipe_ends) != 0)
        return cost;
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        close(pipe_ends[0]);
        reset_peak_rss();
        const long before = status_kb("VmRSS");
        const bench_param params[] = {{"cpus", 2}, {"steps", length}};
        const bench_cost run =
            bench_explore("bench_scale", SIM_STRATEGY_RANDOM, (uint64_t)(LENGTH_TOTAL / length), 0, true, params, 2);
        const length_cost measured = {bench_ns_per_step(run), status_kb("VmHWM") - before};
        _exit(write(pipe_ends[1], &measured, sizeof measured) == sizeof measured ? 0 : 1);
    }
    close(pipe_ends[1]);
    if (child > 0 && read(pipe_ends[0], &cost, sizeof cost) != sizeof cost)
        cost = (length_cost){NAN, 0};
    close(pipe_ends[0]);
    if (child > 0)
        waitpid(child, NULL, 0);
    return cost;
}

static void by_length(const bench_options *options) {
    const int repeats = options->quick ? QUICK_REPEATS : REPEATS;
    length_cost smallest = {NAN, 0};
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++) {
        length_cost best = length_cost_of(lengths[i]);
        for (int r = 1; r < repeats; r++)
            best.ns_per_step = fmin(best.ns_per_step, length_cost_of(lengths[i]).ns_per_step);
        if (i == 0)
            smallest = best;
        char name[80];
        snprintf(name, sizeof name, "one step, runs of %ld steps", lengths[i]);
        bench_row(name, best.ns_per_step, "ns", "<= 1.5x", best.ns_per_step / smallest.ns_per_step, "of 1k-step runs");
        snprintf(name, sizeof name, "peak RSS growth, runs of %ld steps", lengths[i]);
        bench_row(name, (double)best.rss_growth_kb, "KB", "<= 1.5x",
                  (double)best.rss_growth_kb / (double)smallest.rss_growth_kb, "of 1k-step runs");
    }
}

void bench_scale(const bench_options *options) {
    bench_section("scale: a step against the CPU count (one stepping thread per CPU)");
    by_cpus(options);
    bench_section("scale: a step and memory against the run length (2 CPUs, 1M steps in all)");
    by_length(options);
}
