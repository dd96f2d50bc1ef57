/* native_interrupt.c is the native backend's interrupt controller: the
 * sources interrupt.c and dpc.c connect (sim_irq_register) and native_dpc.c's
 * software interrupt, and their delivery to a thread, each thread being a
 * CPU of its own. A source is raised on a thread (native_interrupt_raise),
 * by a direct call or from a signal handler: its service runs at once when
 * the thread's IRQL is below its DIRQL, else the source stays pending on
 * that thread until a lowering unmasks it (native_interrupts_unmasked).
 * Delivery enters at the DIRQL and restores the interrupted IRQL after the
 * service (the EOI), which delivers what that lowering unmasks in turn.
 * Posting raises a source on another CPU's thread, by a signal whose
 * handler raises what was posted there, as a device's line or an IPI
 * interrupts that CPU. Each raise and each post runs the service once,
 * as each of a source's `fires` does in the machine, however many wait at
 * once. Sources are connected before the threads that take them start (and
 * forgotten only after those end), so the table needs no lock. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "native.h"
#include "sim_machine.h"

enum { NATIVE_IRQS_MAX = 16, POST_SIGNAL = SIGUSR2 };

typedef struct native_irq {
    uint8_t dirql;
    int fires;
    void (*service)(void *arg);
    void *arg;
} native_irq;

static native_irq irqs[NATIVE_IRQS_MAX];
static atomic_int irq_count;

/* Per thread. Lock-free atomics and volatile, as a signal handler updates
 * them between any two instructions of the thread. */
static _Thread_local volatile int irq_current = -1;
static _Thread_local atomic_int irq_pending[NATIVE_IRQS_MAX]; /* raises masked, per source */
static _Thread_local atomic_int irq_pending_total;

/* Per CPU: its thread, and the posts to it it has not taken, per source. */
static pthread_t cpu_threads[NATIVE_CPUS_MAX];
static atomic_int mailbox[NATIVE_CPUS_MAX][NATIVE_IRQS_MAX];

/* Counted up before the count that records the work, and down after the
 * work is done, so it never reads low. */
static atomic_long work_owed;

int sim_irq_register(const char *name, uint8_t dirql, int fires, void (*service)(void *arg), void *arg) {
    (void)name;
    const int source = atomic_fetch_add(&irq_count, 1);
    if (source >= NATIVE_IRQS_MAX)
        sim_panic("more than %d interrupt sources", NATIVE_IRQS_MAX);
    irqs[source] = (native_irq){.dirql = dirql, .fires = fires, .service = service, .arg = arg};
    return source;
}

int sim_irq_current(void) { return irq_current; }

int native_interrupt_sources(void) { return atomic_load(&irq_count); }
int native_interrupt_fires(int source) { return irqs[source].fires; }

void native_interrupts_reset(void) {
    atomic_store(&irq_count, 0);
    atomic_store(&work_owed, 0);
    for (int cpu = 0; cpu < NATIVE_CPUS_MAX; cpu++)
        for (int source = 0; source < NATIVE_IRQS_MAX; source++)
            atomic_store(&mailbox[cpu][source], 0);
}

long native_work_owed(void) { return atomic_load(&work_owed); }
void native_work_add(long delta) { atomic_fetch_add(&work_owed, delta); }

static void deliver(int source) {
    const native_irq *irq = &irqs[source];
    const uint8_t interrupted = sim_irql_get();
    const int outer = irq_current;
    sim_irql_set(irq->dirql);
    irq_current = source;
    irq->service(irq->arg);
    irq_current = outer;
    sim_irql_set(interrupted);
    native_work_add(-1);
}

void native_interrupt_raise(int source) {
    SIM_ASSERT(source >= 0 && source < atomic_load(&irq_count));
    native_work_add(1);
    if (irqs[source].dirql > sim_irql_get()) {
        deliver(source);
        return;
    }
    atomic_fetch_add(&irq_pending[source], 1);
    atomic_fetch_add(&irq_pending_total, 1);
}

/* The pending source of the highest DIRQL above `irql`, or -1. */
static int unmasked_pending(uint8_t irql) {
    int best = -1;
    for (int source = 0; source < NATIVE_IRQS_MAX; source++)
        if (atomic_load(&irq_pending[source]) > 0 && irqs[source].dirql > irql &&
            (best < 0 || irqs[source].dirql > irqs[best].dirql))
            best = source;
    return best;
}

/* Takes one pending raise of a source: a signal handler between the look
 * and the take may have delivered it already. */
static bool take_pending(int source) {
    int pending = atomic_load(&irq_pending[source]);
    while (pending > 0)
        if (atomic_compare_exchange_weak(&irq_pending[source], &pending, pending - 1)) {
            atomic_fetch_sub(&irq_pending_total, 1);
            return true;
        }
    return false;
}

void native_interrupts_unmasked(uint8_t irql) {
    if (atomic_load(&irq_pending_total) == 0)
        return;
    for (int source; (source = unmasked_pending(irql)) >= 0; irql = sim_irql_get())
        if (take_pending(source))
            deliver(source);
}

/* The posts to this thread's CPU, raised here. */
static void on_post_signal(int signal) {
    (void)signal;
    atomic_int *posted = mailbox[sim_cpu_current()];
    for (int source = 0; source < NATIVE_IRQS_MAX; source++)
        for (int taken = atomic_exchange(&posted[source], 0); taken > 0; taken--) {
            native_interrupt_raise(source);
            native_work_add(-1);
        }
}

static void post_signal_mask(int how) {
    sigset_t post;
    sigemptyset(&post);
    sigaddset(&post, POST_SIGNAL);
    pthread_sigmask(how, &post, NULL);
}

void native_interrupts_post_setup(void) {
    struct sigaction action = {.sa_handler = on_post_signal};
    sigemptyset(&action.sa_mask);
    sigaction(POST_SIGNAL, &action, NULL);
    post_signal_mask(SIG_BLOCK);
}

void native_cpu_bind(int cpu) {
    SIM_ASSERT(cpu >= 0 && cpu < NATIVE_CPUS_MAX);
    native_ctx_bind(cpu);
    cpu_threads[cpu] = pthread_self();
    post_signal_mask(SIG_UNBLOCK);
}

void native_interrupt_post(int cpu, int source) {
    if (cpu == sim_cpu_current()) {
        native_interrupt_raise(source);
        return;
    }
    native_work_add(1);
    atomic_fetch_add(&mailbox[cpu][source], 1);
    pthread_kill(cpu_threads[cpu], POST_SIGNAL);
}
