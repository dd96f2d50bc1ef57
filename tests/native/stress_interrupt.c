/* stress_interrupt.c: the interrupt spin lock of locks/interrupt.c, native,
 * on THREADS real threads that take it with KeAcquireInterruptSpinLock
 * while another thread interrupts them at random with a signal, whose
 * handler raises the interrupt on the thread it lands on
 * (native_interrupt_raise): the ISR runs there at once, or once the thread
 * lowers below the DIRQL. The ISR and the holders each increment one plain
 * counter under the lock, the holders until the ISR has run ISR_RUNS_MIN
 * times: every increment must survive. A thread the ISR interrupted while
 * it held the lock would spin on itself forever (the watchdog's failure). */
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <wdm.h>

#include "native.h"
#include "sim.h"
#include "stress.h"

enum { DIRQL = 5, SOURCE = 0 /* the first source connected */, ISR_RUNS_MIN = 200 };

typedef struct shared {
    PKINTERRUPT interrupt;
    long counter;
    atomic_long isr_runs, pairs;
    atomic_int workers_done;
    pthread_t *threads;
} shared;

static BOOLEAN count_isr(PKINTERRUPT interrupt, PVOID context) {
    shared *s = context;
    s->counter++;
    atomic_fetch_add(&s->isr_runs, 1);
    return TRUE;
}

/* Takes the lock ITERATIONS times, and on until the ISR has run
 * ISR_RUNS_MIN times. */
static void *worker(void *arg) {
    shared *s = arg;
    long pairs = 0;
    for (; pairs < ITERATIONS || atomic_load(&s->isr_runs) < ISR_RUNS_MIN; pairs++) {
        const KIRQL old = KeAcquireInterruptSpinLock(s->interrupt);
        s->counter++;
        KeReleaseInterruptSpinLock(s->interrupt, old);
    }
    atomic_fetch_add(&s->pairs, pairs);
    /* Stay interruptible until every worker is done: the interrupter
     * signals only live threads. */
    atomic_fetch_add(&s->workers_done, 1);
    while (atomic_load(&s->workers_done) < THREADS)
        sched_yield();
    return NULL;
}

static void on_signal(int signal) {
    (void)signal;
    native_interrupt_raise(SOURCE);
}

/* Signals a worker picked by a fixed xorshift sequence until all are done. */
static void *interrupter(void *arg) {
    shared *s = arg;
    unsigned pick = 2463534242u;
    while (atomic_load(&s->workers_done) < THREADS) {
        pick ^= pick << 13, pick ^= pick >> 17, pick ^= pick << 5;
        pthread_kill(s->threads[pick % THREADS], SIGUSR1);
        sched_yield();
    }
    return NULL;
}

int stress_interrupt_lock(void) {
    static shared s;
    struct sigaction action = {.sa_handler = on_signal};
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    s.interrupt = sim_interrupt_named(count_isr, &s, DIRQL, DIRQL, 0, "stress");
    pthread_t threads[THREADS];
    s.threads = threads;
    const double seconds = stress_run(worker, interrupter, &s, threads);
    const long isr_runs = atomic_load(&s.isr_runs), pairs = atomic_load(&s.pairs), expected = pairs + isr_runs;
    char detail[128];
    snprintf(detail, sizeof detail, "counter %ld of %ld (%ld ISR runs)", s.counter, expected, isr_runs);
    return stress_verdict("interrupt spin lock", seconds >= 0 && isr_runs >= ISR_RUNS_MIN && s.counter == expected,
                          detail, seconds, pairs);
}
