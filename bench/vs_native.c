/* vs_native.c: each lock family's uncontended acquire+release pair in the
 * machine (the bench_pairs scenario: one CPU looping the pair, race
 * detection on, as a default run has it) against the same lock code on the
 * native backend (build/native-pairs, run from here so that both sides
 * meet the same load), in ns per pair and their ratio; goal: the machine
 * at most 10x native. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "lock_pairs.h"
#include "measure.h"
#include "table.h"

enum { PAIRS = 100000, QUICK_PAIRS = 20000, REPEATS = 3, QUICK_REPEATS = 1 };
enum { NATIVE_PAIRS = 5000000, NATIVE_QUICK_PAIRS = 1000000, NATIVE_REPEATS = 5, NATIVE_QUICK_REPEATS = 3 };

/* Best of `repeats` of the machine's ns per pair; `steps_per_pair` gets its steps. */
static double simulated_ns(bench_family family, long pairs, int repeats, double *steps_per_pair) {
    const bench_param params[] = {{"family", family}, {"pairs", pairs}};
    double best = INFINITY;
    for (int r = 0; r < repeats; r++) {
        const bench_cost cost = bench_explore("bench_pairs", SIM_STRATEGY_RANDOM, 1, 0, true, params, 2);
        if (cost.found)
            return NAN;
        best = fmin(best, cost.ns / (double)pairs);
        *steps_per_pair = (double)cost.steps / (double)pairs;
    }
    return best;
}

/* Runs the native timer: one "FAMILY NS" line per family, in order. */
static bool native_ns(const bench_options *options, double ns[BENCH_FAMILY_COUNT]) {
    char command[512];
    snprintf(command, sizeof command, "'%s' %d %d", options->native_path,
             options->quick ? NATIVE_QUICK_PAIRS : NATIVE_PAIRS,
             options->quick ? NATIVE_QUICK_REPEATS : NATIVE_REPEATS);
    FILE *timer = popen(command, "r");
    if (timer == NULL)
        return false;
    int read = 0;
    char name[64];
    while (read < BENCH_FAMILY_COUNT && fscanf(timer, "%63s %lf", name, &ns[read]) == 2 &&
           strcmp(name, bench_family_names[read]) == 0)
        read++;
    return pclose(timer) == 0 && read == BENCH_FAMILY_COUNT;
}

void bench_vs_native(const bench_options *options) {
    bench_section("each lock family, uncontended acquire+release: simulated against native");
    double native[BENCH_FAMILY_COUNT];
    if (!native_ns(options, native)) {
        fprintf(stderr, "bench: the native pair timer %s failed\n", options->native_path);
        for (int f = 0; f < BENCH_FAMILY_COUNT; f++)
            native[f] = NAN;
    }
    const long pairs = options->quick ? QUICK_PAIRS : PAIRS;
    /* The first run of the scenario pays once for what later runs reuse
     * (fiber stacks are mapped). */
    double warm_up;
    simulated_ns(BENCH_SPIN, 1, 1, &warm_up);
    for (int f = 0; f < BENCH_FAMILY_COUNT; f++) {
        double steps_per_pair = NAN;
        const double simulated = simulated_ns(f, pairs, options->quick ? QUICK_REPEATS : REPEATS, &steps_per_pair);
        char name[96], note[96];
        snprintf(name, sizeof name, "%s, native", bench_family_names[f]);
        bench_row(name, native[f], "ns/pair", "-", NAN, "");
        snprintf(name, sizeof name, "%s, simulated", bench_family_names[f]);
        snprintf(note, sizeof note, "of native; %.1f steps, %.1f ns per step", steps_per_pair,
                 simulated / steps_per_pair);
        bench_row(name, simulated, "ns/pair", "<= 10x", simulated / native[f], note);
    }
}
