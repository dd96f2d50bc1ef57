/* bench.h: the sections build/bench prints (main.c runs them in order),
 * each a part of the bench table (table.h). */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>

typedef struct bench_options {
    bool quick;              /* --quick: fewer repeats and shorter runs, every line still there */
    const char *native_path; /* the native pair timer, build/native-pairs beside build/bench */
} bench_options;

/* The fiber switch, the cost of a step with and without race detection,
 * DFS steps per second (bench.c). */
void bench_machine(const bench_options *options);
/* Each lock family's uncontended pair, simulated against native (vs_native.c). */
void bench_vs_native(const bench_options *options);
/* The cost of a step against the CPU count and the run length (scale.c). */
void bench_scale(const bench_options *options);
/* Schedules DFS needs to exhaust a space with and without partial-order
 * reduction (bench_reduction.c). */
void bench_reduction(const bench_options *options);

#endif
