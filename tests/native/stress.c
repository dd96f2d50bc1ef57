/* stress.c runs the lock code of locks/, compiled natively (make native),
 * on real threads: THREADS threads each take a KSPIN_LOCK, then an in-stack
 * queued lock, ITERATIONS times and increment a plain counter inside. Every
 * increment must survive and the lock word must end free. The interrupt
 * spin lock (stress_interrupt.c) and the EX_SPIN_LOCK (stress_exlock.c)
 * have their own tests, each printing the cost of one acquire/release
 * pair, and so do the routines a native stress test of a scenario runs
 * beyond the locks: DPCs (stress_dpc.c), events and waits
 * (stress_event.c) and what the harness observes (stress_observe.c). The
 * runners for all of them are here. A watchdog fails a run that stops
 * making progress.
 * Exit 0: pass. */
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <wdm.h>

#include "stress.h"

/* A run that has gone this long without progress has deadlocked: SIGALRM
 * ends it. The lock workers restart the count every PROGRESS_EVERY pairs:
 * on a loaded host (one more busy process than cores) an in-stack queued
 * lock hands over only when its next waiter gets a core, so a handoff can
 * wait out a host time slice, and the queued test takes minutes, not a
 * fraction of a second; the others take as long as ever. */
enum { WATCHDOG_SECONDS = 120, PROGRESS_EVERY = 1024 };

/* The run got on: the watchdog counts again from now. */
static void progress(void) { alarm(WATCHDOG_SECONDS); }

typedef struct shared {
    KSPIN_LOCK lock;
    long counter;
} shared;

static void *plain_worker(void *arg) {
    shared *s = arg;
    for (int i = 0; i < ITERATIONS; i++) {
        KIRQL old;
        KeAcquireSpinLock(&s->lock, &old);
        s->counter++;
        KeReleaseSpinLock(&s->lock, old);
        if (i % PROGRESS_EVERY == 0)
            progress();
    }
    return NULL;
}

static void *queued_worker(void *arg) {
    shared *s = arg;
    for (int i = 0; i < ITERATIONS; i++) {
        KLOCK_QUEUE_HANDLE handle;
        KeAcquireInStackQueuedSpinLock(&s->lock, &handle);
        s->counter++;
        KeReleaseInStackQueuedSpinLock(&handle);
        if (i % PROGRESS_EVERY == 0)
            progress();
    }
    return NULL;
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

double stress_run(void *(*worker)(void *), void *(*alongside)(void *), void *arg, pthread_t threads[THREADS]) {
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t helper;
    for (int t = 0; t < THREADS; t++)
        if (pthread_create(&threads[t], NULL, worker, arg) != 0) {
            perror("pthread_create");
            return -1;
        }
    if (alongside != NULL && pthread_create(&helper, NULL, alongside, arg) != 0) {
        perror("pthread_create");
        return -1;
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    if (alongside != NULL)
        pthread_join(helper, NULL);
    return seconds_since(&start);
}

typedef struct cpu_run {
    int cpu, cpus;
    void (*body)(int cpu, void *arg);
    void *arg;
    atomic_int *up, *done;
} cpu_run;

static void *run_cpu(void *arg) {
    cpu_run *run = arg;
    native_cpu_bind(run->cpu);
    atomic_fetch_add(run->up, 1);
    while (atomic_load(run->up) < run->cpus)
        sched_yield();
    run->body(run->cpu, run->arg);
    atomic_fetch_add(run->done, 1);
    /* A CPU takes what is posted to it until nothing is owed any more. */
    while (atomic_load(run->done) < run->cpus || native_work_owed() != 0)
        sched_yield();
    return NULL;
}

double stress_on_cpus(int cpus, void (*body)(int cpu, void *arg), void *arg) {
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    native_interrupts_post_setup();
    atomic_int up = 0, done = 0;
    pthread_t threads[NATIVE_CPUS_MAX];
    cpu_run runs[NATIVE_CPUS_MAX];
    for (int cpu = 0; cpu < cpus; cpu++) {
        runs[cpu] = (cpu_run){cpu, cpus, body, arg, &up, &done};
        if (pthread_create(&threads[cpu], NULL, run_cpu, &runs[cpu]) != 0) {
            perror("pthread_create");
            return -1;
        }
    }
    for (int cpu = 0; cpu < cpus; cpu++)
        pthread_join(threads[cpu], NULL);
    return seconds_since(&start);
}

int stress_case(const char *name, bool ok, const char *detail) {
    printf("%s %s: %s\n", ok ? "PASS" : "FAIL", name, detail);
    return ok ? 0 : 1;
}

int stress_verdict(const char *name, bool ok, const char *detail, double seconds, long pairs) {
    printf("%s %s: %d threads, %s, %.1f ns per acquire/release\n", ok ? "PASS" : "FAIL", name, THREADS, detail,
           seconds * 1e9 / (double)pairs);
    return ok ? 0 : 1;
}

/* Returns 0 when every increment survived and the lock ended free. */
static int stress(const char *name, void *(*worker)(void *)) {
    shared s = {0};
    KeInitializeSpinLock(&s.lock);
    pthread_t threads[THREADS];
    const double seconds = stress_run(worker, NULL, &s, threads);
    const long expected = (long)THREADS * ITERATIONS;
    char detail[96];
    snprintf(detail, sizeof detail, "counter %ld of %ld, lock word %#lx", s.counter, expected, (unsigned long)s.lock);
    return stress_verdict(name, seconds >= 0 && s.counter == expected && s.lock == 0, detail, seconds, expected);
}

int main(void) {
    /* Each line as it is printed: SIGALRM would take a buffer with it, and
     * the last line before the one missing tells which test hung. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    progress();
    int failures = stress("KSPIN_LOCK", plain_worker);
    failures += stress("in-stack queued", queued_worker);
    failures += stress_interrupt_lock();
    failures += stress_ex_lock();
    failures += stress_dpcs();
    failures += stress_events();
    failures += stress_observations();
    return failures == 0 ? 0 : 1;
}
