/* clock.c: the bench's clocks (clock.h). */
#include "clock.h"

#include <time.h>

static double read_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

double bench_now_ns(void) { return read_ns(CLOCK_MONOTONIC); }

double bench_cpu_ns(void) { return read_ns(CLOCK_THREAD_CPUTIME_ID); }
