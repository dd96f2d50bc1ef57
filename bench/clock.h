/* clock.h: the host's clocks, in ns, for the bench only (host time never
 * reaches a run); shared by build/bench and the native binaries. */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

/* Wall time (monotonic): for budgets and watchdogs of several threads. */
double bench_now_ns(void);

/* The process's own CPU time: what a single-threaded measurement costs,
 * leaving out the time it sat descheduled while other work shared the
 * cores. */
double bench_cpu_ns(void);

#endif
