/* stress.h: what the native stress tests (tests/native/) share: the runner
 * that starts the workers on real threads and times them, and each lock
 * family's test. */
#ifndef TESTS_NATIVE_STRESS_H
#define TESTS_NATIVE_STRESS_H

#include <pthread.h>
#include <stdbool.h>

enum { THREADS = 4, ITERATIONS = 100000 };

/* Runs `worker(arg)` on THREADS threads, their ids in `threads`, with
 * `alongside(arg)` on one more thread when it is not NULL (it must return
 * once the workers are done); returns the seconds until all have joined,
 * or a negative value when a thread could not start. */
double stress_run(void *(*worker)(void *), void *(*alongside)(void *), void *arg, pthread_t threads[THREADS]);

/* Prints the PASS or FAIL line of test `name` with `detail` and the cost
 * of one acquire/release pair over `pairs` pairs in `seconds`; returns 0
 * on a pass, 1 on a failure. */
int stress_verdict(const char *name, bool ok, const char *detail, double seconds, long pairs);

int stress_interrupt_lock(void);
int stress_ex_lock(void);

#endif
