/* stress_exlock.c: the EX_SPIN_LOCK of locks/exlock.c, native, on THREADS
 * real threads: every fourth pair is exclusive and increments a plain
 * counter, the others are shared. Inside, each counts itself in atomically:
 * a writer must find no reader and no other writer, a reader no writer.
 * Every write must survive and the lock word must end free. */
#include <stdatomic.h>
#include <stdio.h>
#include <wdm.h>

#include "stress.h"

enum { WRITE_EVERY = 4 };

typedef struct shared {
    EX_SPIN_LOCK lock;
    long counter;
    atomic_int readers_inside, writers_inside;
    atomic_long violations;
} shared;

static void write_once(shared *s) {
    const KIRQL old = ExAcquireSpinLockExclusive(&s->lock);
    if (atomic_fetch_add(&s->writers_inside, 1) != 0 || atomic_load(&s->readers_inside) != 0)
        atomic_fetch_add(&s->violations, 1);
    s->counter++;
    atomic_fetch_sub(&s->writers_inside, 1);
    ExReleaseSpinLockExclusive(&s->lock, old);
}

static void read_once(shared *s) {
    const KIRQL old = ExAcquireSpinLockShared(&s->lock);
    atomic_fetch_add(&s->readers_inside, 1);
    if (atomic_load(&s->writers_inside) != 0)
        atomic_fetch_add(&s->violations, 1);
    atomic_fetch_sub(&s->readers_inside, 1);
    ExReleaseSpinLockShared(&s->lock, old);
}

static void *worker(void *arg) {
    shared *s = arg;
    for (int i = 0; i < ITERATIONS; i++) {
        if (i % WRITE_EVERY == 0)
            write_once(s);
        else
            read_once(s);
    }
    return NULL;
}

int stress_ex_lock(void) {
    static shared s;
    pthread_t threads[THREADS];
    const double seconds = stress_run(worker, NULL, &s, threads);
    const long writes = (long)THREADS * ((ITERATIONS + WRITE_EVERY - 1) / WRITE_EVERY);
    char detail[128];
    snprintf(detail, sizeof detail, "writes %ld of %ld, %ld exclusion violations, lock word %#x", s.counter, writes,
             atomic_load(&s.violations), (unsigned)s.lock);
    return stress_verdict("EX_SPIN_LOCK shared and exclusive",
                          seconds >= 0 && s.counter == writes && atomic_load(&s.violations) == 0 && s.lock == 0, detail,
                          seconds, (long)THREADS * ITERATIONS);
}
