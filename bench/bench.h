/* bench.h: the sections of build/bench that live in their own files. */
#ifndef SIM_BENCH_H
#define SIM_BENCH_H

/* Schedules DFS needs to exhaust a space with and without partial-order
 * reduction, as a table with their ratios (bench_reduction.c). */
void bench_reduction_table(void);

#endif
