/* machine.c: scenarios that exercise the machine alone, through the atomic
 * layer and without locks/: known interleaving counts, ordering bugs of
 * depth 2 and 3, a minimal test-and-set lock for deadlocks, and driver code that
 * overflows its stack or loops without a scheduling point. */
#include "machine_scenarios.h"

#include "internal.h"

/* ---- two threads of two atomic steps each: C(4,2) = 6 interleavings ----- */

static void two_steps(PVOID context) {
    volatile LONG *counter = context;
    sim_atomic_fetch_add(counter, 1, 4);
    sim_atomic_fetch_add(counter, 1, 4);
}

static void check_four(PVOID context) { SIM_CHECK(*(volatile LONG *)context == 4); }

SIM_SCENARIO(m_two_by_two, "machine: two threads of two atomic steps on two CPUs") {
    volatile LONG *counter = sim_alloc(sizeof *counter);
    sim_name((const void *)counter, "counter");
    sim_thread(0, two_steps, (PVOID)counter);
    sim_thread(1, two_steps, (PVOID)counter);
    sim_at_end(check_four, (PVOID)counter);
}

/* Two threads of two atomic steps, each on its own counter: every order is
 * one class for partial-order reduction (test_reduction.c). */
SIM_SCENARIO(m_two_by_two_disjoint, "machine: two threads of two atomic steps on their own words") {
    volatile LONG *counters = sim_alloc(2 * sizeof *counters);
    sim_thread(0, two_steps, (PVOID)&counters[0]);
    sim_thread(1, two_steps, (PVOID)&counters[1]);
}

/* ---- an ordering bug of depth 2: B must read between A's two stores ------- */

typedef struct order_state {
    volatile LONG flag;
    LONG padding;
} order_state;

static void order_writer(PVOID context) {
    order_state *state = context;
    sim_atomic_store(&state->flag, 1, 4);
    for (int i = 0; i < M_ORDER_WINDOW; i++)
        sim_yield_step("window");
    sim_atomic_store(&state->flag, 0, 4);
}

static void order_reader(PVOID context) {
    order_state *state = context;
    for (int64_t i = 0; i < sim_param("reader_delay", 0); i++)
        sim_yield_step("delay");
    SIM_CHECK(sim_atomic_load(&state->flag, 4) == 0);
}

SIM_SCENARIO(m_order_bug, "machine: a reader must not see the writer's transient flag (depth 2)") {
    order_state *state = sim_alloc(sizeof *state);
    sim_name((const void *)&state->flag, "flag");
    sim_thread(0, order_writer, state);
    sim_thread(1, order_reader, state);
    sim_expect(SIM_FINDING_INVARIANT);
}

/* ---- an ordering bug of depth 3: B's first read between A's two stores,
 * and A's second store between B's two reads (two ordered preemptions).
 * A random walk almost never stalls B for A's whole window; PCT depth 3
 * needs one change point in the window and one between the reads. ------- */

enum { TWICE_WINDOW = 20 };

static void twice_writer(PVOID context) {
    volatile LONG *phase = context;
    sim_atomic_store(phase, 1, 4);
    for (int i = 0; i < TWICE_WINDOW; i++)
        sim_yield_step("window");
    sim_atomic_store(phase, 2, 4);
}

static void twice_reader(PVOID context) {
    volatile LONG *phase = context;
    LONG first = (LONG)sim_atomic_load(phase, 4);
    LONG second = (LONG)sim_atomic_load(phase, 4);
    SIM_CHECK(!(first == 1 && second == 2));
}

SIM_SCENARIO(m_depth3_bug, "machine: a reader must not see both of the writer's stores (depth 3)") {
    volatile LONG *phase = sim_alloc(sizeof *phase);
    sim_name((const void *)phase, "phase");
    sim_thread(0, twice_writer, (PVOID)phase);
    sim_thread(1, twice_reader, (PVOID)phase);
    sim_expect(SIM_FINDING_INVARIANT);
}

/* ---- a minimal test-and-set lock over the atomic layer -------------------- */

void m_lock(volatile uint64_t *lock) {
    while (sim_atomic_fetch_or(lock, 1, 8) & 1)
        while (sim_atomic_load(lock, 8) & 1)
            sim_spin_wait(lock, (const void *)lock);
    sim_lock_set_owner((const void *)lock, sim_ctx_current_id());
}

/* The owner is forgotten after the releasing store: until that step runs
 * the lock is still held, and a spinner must see who holds it. */
void m_unlock(volatile uint64_t *lock) {
    sim_atomic_store(lock, 0, 8);
    sim_lock_clear_owner((const void *)lock);
}

typedef struct isr_state {
    volatile uint64_t lock;
    volatile LONG data;
} isr_state;

static isr_state *isr_shared;

static void isr_service(void *arg) {
    isr_state *state = arg;
    m_lock(&state->lock);
    sim_atomic_fetch_add(&state->data, 1, 4);
    m_unlock(&state->lock);
}

/* The thread holds the lock at PASSIVE; with param raise=1 it first raises
 * above the interrupt's DIRQL, so the ISR cannot preempt the holder. */
static void isr_thread(PVOID context) {
    isr_state *state = context;
    bool raise = sim_param("raise", 0) != 0;
    uint8_t before = sim_irql_get();
    if (raise)
        sim_irql_set(M_ISR_DIRQL);
    m_lock(&state->lock);
    sim_atomic_fetch_add(&state->data, 1, 4);
    m_unlock(&state->lock);
    if (raise)
        sim_irql_set(before);
}

SIM_SCENARIO(m_isr_self_deadlock, "machine: an ISR spins on a lock its own CPU's thread holds") {
    sim_cpus(1);
    isr_shared = sim_alloc(sizeof *isr_shared);
    sim_name((const void *)&isr_shared->lock, "dev->Lock");
    sim_irq_register("DevIsr", M_ISR_DIRQL, (int)sim_param("fires", 1), isr_service, isr_shared);
    sim_thread(0, isr_thread, isr_shared);
    sim_expect(SIM_FINDING_IRQ_UNSAFE_LOCK);
}

/* ---- AB-BA on two CPUs: a wait-for cycle across CPUs ---------------------- */

typedef struct abba_state {
    volatile uint64_t a, b;
} abba_state;

static void take_ab(PVOID context) {
    abba_state *state = context;
    m_lock(&state->a);
    m_lock(&state->b);
    m_unlock(&state->b);
    m_unlock(&state->a);
}

static void take_ba(PVOID context) {
    abba_state *state = context;
    m_lock(&state->b);
    m_lock(&state->a);
    m_unlock(&state->a);
    m_unlock(&state->b);
}

SIM_SCENARIO(m_abba, "machine: two CPUs take two locks in opposite orders") {
    abba_state *state = sim_alloc(sizeof *state);
    sim_name((const void *)&state->a, "A");
    sim_name((const void *)&state->b, "B");
    sim_thread(0, take_ab, state);
    sim_thread(1, take_ba, state);
    sim_expect(SIM_FINDING_DEADLOCK);
}

/* ---- driver code that would take the tool down ---------------------------- */

/* The limit is far beyond any stack: recursion ends only at the guard page. */
static volatile int recursion_limit = 1 << 30;

static int recurse(int depth) {
    volatile char frame[512];
    frame[0] = (char)depth;
    if (depth < recursion_limit)
        return recurse(depth + 1) + frame[0];
    return frame[0];
}

static void overflow(PVOID context) {
    sim_yield_step("before");
    *(volatile int *)context = recurse(0);
}

SIM_SCENARIO(m_stack_overflow, "machine: unbounded recursion in driver code") {
    sim_thread(0, overflow, sim_alloc(sizeof(int)));
    sim_expect(SIM_FINDING_STACK_OVERFLOW);
}

static void pure_loop(PVOID context) {
    volatile LONG *flag = context;
    sim_yield_step("before");
    while (*flag == 0) {
    }
}

SIM_SCENARIO(m_pure_loop, "machine: a loop with no scheduling point") {
    sim_thread(0, pure_loop, sim_alloc(sizeof(LONG)));
    sim_expect(SIM_FINDING_HANG);
}

static void busy_spin(PVOID context) {
    volatile LONG *flag = context;
    while (sim_atomic_load(flag, 4) == 0)
        sim_yield_step("poll");
}

SIM_SCENARIO(m_busy_spin, "machine: polling a flag nobody sets, with scheduling points") {
    sim_thread(0, busy_spin, sim_alloc(sizeof(LONG)));
    sim_expect(SIM_FINDING_HANG);
}

static VOID noop_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    UNREFERENCED_PARAMETER(dpc);
    UNREFERENCED_PARAMETER(context);
    UNREFERENCED_PARAMETER(arg1);
    UNREFERENCED_PARAMETER(arg2);
}

SIM_SCENARIO(m_dpc_beyond_cpus, "machine: a DPC queued on a CPU the scenario does not have") {
    sim_cpus(2);
    sim_dpc(3, noop_dpc, NULL);
}
