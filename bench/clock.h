/* clock.h: the host's monotonic clock, in ns, for the bench only (host
 * time never reaches a run); shared by build/bench and build/native-pairs. */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

double bench_now_ns(void);

#endif
