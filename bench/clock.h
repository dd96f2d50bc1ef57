/* clock.h: the host's clocks, in ns, for the bench only (host time never
 * reaches a run); shared by build/bench and the native binaries. */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

/* Wall time (monotonic): for budgets and watchdogs of several threads. */
double bench_now_ns(void);

/* The calling thread's own CPU time: what a single-threaded measurement
 * costs, leaving out the time it sat descheduled while other work shared
 * the cores. Not the process's: once a run arms the guard's virtual
 * interval timer, Linux reads the process clock from a total it updates
 * only at scheduler ticks (4 ms here), so a measurement of a few
 * milliseconds read 0 or 4. */
double bench_cpu_ns(void);

#endif
