/* clock.c: the bench's monotonic clock (clock.h). */
#include "clock.h"

#include <time.h>

double bench_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}
