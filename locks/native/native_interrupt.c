/* native_interrupt.c is the native backend's interrupt controller: the
 * sources interrupt.c connects (sim_irq_register) and their delivery to a
 * thread, each thread being a CPU of its own. A harness raises a source on
 * a thread (native_interrupt_raise), from a signal handler as a device's
 * line would, or by a direct call: the source's service runs at once when
 * the thread's IRQL is below its DIRQL, else the source stays pending on
 * that thread until a lowering unmasks it (native_interrupts_unmasked).
 * Delivery enters at the DIRQL and restores the interrupted IRQL after the
 * service (the EOI), which delivers what that lowering unmasks in turn. A
 * source fires as often as it is raised: `fires` bounds only the simulated
 * machine's choices. Sources are connected before the threads that take
 * them start (and forgotten only after those end), so the table needs no
 * lock. */
#include <stdatomic.h>

#include "native.h"
#include "sim_machine.h"

enum { NATIVE_IRQS_MAX = 16 };

typedef struct native_irq {
    uint8_t dirql;
    void (*service)(void *arg);
    void *arg;
} native_irq;

static native_irq irqs[NATIVE_IRQS_MAX];
static atomic_int irq_count;

/* Per thread. Lock-free atomics and volatile, as a signal handler updates
 * them between any two instructions of the thread. */
static _Thread_local volatile int irq_current = -1;
static _Thread_local _Atomic uint32_t irq_pending; /* a bit per source */

int sim_irq_register(const char *name, uint8_t dirql, int fires, void (*service)(void *arg), void *arg) {
    (void)name, (void)fires;
    const int source = atomic_fetch_add(&irq_count, 1);
    if (source >= NATIVE_IRQS_MAX)
        sim_panic("more than %d interrupt sources", NATIVE_IRQS_MAX);
    irqs[source] = (native_irq){.dirql = dirql, .service = service, .arg = arg};
    return source;
}

int sim_irq_current(void) { return irq_current; }

void native_interrupts_reset(void) { atomic_store(&irq_count, 0); }

static void deliver(int source) {
    const native_irq *irq = &irqs[source];
    const uint8_t interrupted = sim_irql_get();
    const int outer = irq_current;
    sim_irql_set(irq->dirql);
    irq_current = source;
    irq->service(irq->arg);
    irq_current = outer;
    sim_irql_set(interrupted);
}

void native_interrupt_raise(int source) {
    SIM_ASSERT(source >= 0 && source < atomic_load(&irq_count));
    if (irqs[source].dirql > sim_irql_get())
        deliver(source);
    else
        atomic_fetch_or(&irq_pending, 1u << source);
}

/* The pending source of the highest DIRQL above `irql`, or -1. */
static int unmasked_pending(uint8_t irql) {
    const uint32_t pending = atomic_load(&irq_pending);
    int best = -1;
    for (int source = 0; source < NATIVE_IRQS_MAX; source++)
        if ((pending >> source & 1) && irqs[source].dirql > irql && (best < 0 || irqs[source].dirql > irqs[best].dirql))
            best = source;
    return best;
}

void native_interrupts_unmasked(uint8_t irql) {
    if (atomic_load(&irq_pending) == 0)
        return;
    for (int source; (source = unmasked_pending(irql)) >= 0;) {
        atomic_fetch_and(&irq_pending, ~(1u << source));
        deliver(source);
        irql = sim_irql_get();
    }
}
