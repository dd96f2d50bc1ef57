/* stress.h: what the native stress tests (tests/native/) share: the
 * runners that start the workers on real threads and time them, and each
 * test. */
#ifndef TESTS_NATIVE_STRESS_H
#define TESTS_NATIVE_STRESS_H

#include <pthread.h>
#include <stdbool.h>

#include "native.h"

enum { THREADS = 4, ITERATIONS = 100000 };

/* Runs `worker(arg)` on THREADS threads, their ids in `threads`, with
 * `alongside(arg)` on one more thread when it is not NULL (it must return
 * once the workers are done); returns the seconds until all have joined,
 * or a negative value when a thread could not start. */
double stress_run(void *(*worker)(void *), void *(*alongside)(void *), void *arg, pthread_t threads[THREADS]);

/* Runs `body(cpu, arg)` on `cpus` threads bound as CPUs 0..cpus-1
 * (native_cpu_bind), each once all are up, and keeps every one taking what
 * is posted to it until all bodies have returned and nothing is owed
 * (native_work_owed). Returns the seconds until all have joined, or a
 * negative value when a thread could not start. */
double stress_on_cpus(int cpus, void (*body)(int cpu, void *arg), void *arg);

/* Prints the PASS or FAIL line of test `name` with `detail` and the cost
 * of one acquire/release pair over `pairs` pairs in `seconds`; returns 0
 * on a pass, 1 on a failure. */
int stress_verdict(const char *name, bool ok, const char *detail, double seconds, long pairs);
/* The same for a test that times nothing. */
int stress_case(const char *name, bool ok, const char *detail);

int stress_interrupt_lock(void);
int stress_ex_lock(void);
int stress_dpcs(void);
int stress_events(void);
int stress_observations(void);

#endif
