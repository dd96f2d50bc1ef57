/* stress.c runs the lock code of locks/spinlock.c and locks/queued.c,
 * compiled natively (make native), on real threads: THREADS threads each
 * take a KSPIN_LOCK, then an in-stack queued lock, ITERATIONS times and
 * increment a plain counter inside. Every increment must survive and the
 * lock word must end free. Prints the cost of one acquire/release pair, the
 * native side of the simulated-versus-native comparison. Exit 0: pass. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <wdm.h>

enum { THREADS = 4, ITERATIONS = 100000 };

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
    }
    return NULL;
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Returns 0 when every increment survived and the lock ended free. */
static int stress(const char *name, void *(*worker)(void *)) {
    shared s = {0};
    KeInitializeSpinLock(&s.lock);
    pthread_t threads[THREADS];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int t = 0; t < THREADS; t++)
        if (pthread_create(&threads[t], NULL, worker, &s) != 0) {
            perror("pthread_create");
            return 1;
        }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    const double elapsed = seconds_since(&start);
    const long expected = (long)THREADS * ITERATIONS;
    const int ok = s.counter == expected && s.lock == 0;
    printf("%s %s: %d threads, counter %ld of %ld, lock word %#lx, %.1f ns per acquire/release\n", ok ? "PASS" : "FAIL",
           name, THREADS, s.counter, expected, (unsigned long)s.lock, elapsed * 1e9 / (double)expected);
    return ok ? 0 : 1;
}

int main(void) {
    int failures = stress("KSPIN_LOCK", plain_worker);
    failures += stress("in-stack queued", queued_worker);
    return failures == 0 ? 0 : 1;
}
