/* native_dpc.c owns the native backend's DPC queues, one per CPU: what
 * dpc.c's inserts queue (sim_dpc_enqueue), what KeRemoveQueueDpc takes back
 * (sim_dpc_dequeue), and the DISPATCH_LEVEL software interrupt that runs a
 * CPU's queued DPCs, in order, on that CPU's thread. An insert on the
 * inserting CPU raises it there, so the DPCs run as soon as that thread's
 * IRQL drops below DISPATCH_LEVEL; an insert aimed at another CPU posts it
 * there, as the IPI does; one made in setup, where there is no CPU yet,
 * waits for the harness to post it, as the machine's waits for the
 * scheduler. As in the machine, the queued flag is cleared before the
 * routine runs, from a copy of the insert's request. A threaded DPC runs at
 * PASSIVE_LEVEL, ahead of the thread it interrupts, as the CPU's real-time
 * DPC thread would. The kernel checks the IRQL each routine returns at.
 * Inserts come from ISRs and DPCs, which run in signal handlers: the queues
 * are lock-free slots. */
#include <stdatomic.h>

#include "native.h"
#include "sim_machine.h"

enum { DPC_SLOTS = 16, STATE_BITS = 2, STATE_MASK = (1 << STATE_BITS) - 1 };

typedef enum slot_state { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_TAKEN } slot_state;

/* A slot's word is its state in the low bits and a generation, counted up
 * at each fill, above them: a look at a slot (the drain's, or
 * KeRemoveQueueDpc's) takes only the request it looked at, never a later
 * one that reused the slot meanwhile. */
typedef struct dpc_slot {
    _Atomic uint64_t word;
    atomic_long order;            /* the smallest runs first */
    _Atomic(const void *) object; /* the queued KDPC, for KeRemoveQueueDpc's look */
    sim_dpc_request request;      /* written while filling, read once taken */
} dpc_slot;

static dpc_slot queues[NATIVE_CPUS_MAX][DPC_SLOTS];
/* A high-importance DPC goes ahead of every other (the head), the rest
 * after (the tail). */
static atomic_long tail_order, head_order;
static int dispatch_source = -1;

int native_dpc_source(void) { return dispatch_source; }

static slot_state state_of(uint64_t word) { return (slot_state)(word & STATE_MASK); }

/* Moves the slot on from the word `seen` to `to`, in a new generation when
 * it is filled; false when the slot is no longer as seen. */
static bool move(dpc_slot *slot, uint64_t seen, slot_state to) {
    const uint64_t generation = (seen >> STATE_BITS) + (to == SLOT_FILLING);
    return atomic_compare_exchange_strong(&slot->word, &seen, generation << STATE_BITS | to);
}

/* The queued slot of `cpu` to run next, and its word in `seen`; or NULL. */
static dpc_slot *first_queued(int cpu, uint64_t *seen) {
    dpc_slot *first = NULL;
    long first_order = 0;
    for (int i = 0; i < DPC_SLOTS; i++) {
        dpc_slot *slot = &queues[cpu][i];
        const uint64_t word = atomic_load(&slot->word);
        const long order = atomic_load(&slot->order);
        if (state_of(word) == SLOT_QUEUED && (first == NULL || order < first_order))
            first = slot, first_order = order, *seen = word;
    }
    return first;
}

bool native_dpcs_queued(int cpu) {
    uint64_t seen;
    return first_queued(cpu, &seen) != NULL;
}

/* Takes the request of a slot still queued as seen (against the other
 * CPU's KeRemoveQueueDpc or the drain), freeing the slot. */
static bool take(dpc_slot *slot, uint64_t seen, sim_dpc_request *request) {
    if (state_of(seen) != SLOT_QUEUED || !move(slot, seen, SLOT_TAKEN))
        return false;
    *request = slot->request;
    atomic_store(&slot->word, (seen & ~(uint64_t)STATE_MASK) | SLOT_FREE);
    return true;
}

static void run(const sim_dpc_request *request) {
    sim_atomic_store(request->queued_flag, 0, (int)sizeof *request->queued_flag);
    if (request->threaded)
        sim_irql_set(SIM_IRQL_PASSIVE);
    request->run(request);
    native_check_return(request->threaded ? SIM_IRQL_PASSIVE : SIM_IRQL_DISPATCH);
    if (request->threaded)
        sim_irql_set(SIM_IRQL_DISPATCH);
    native_work_add(-1);
}

/* The software interrupt's service, at DISPATCH_LEVEL on the CPU raised. */
static void drain(void *arg) {
    (void)arg;
    sim_dpc_request request;
    uint64_t seen;
    for (dpc_slot *slot; (slot = first_queued(sim_cpu_current(), &seen)) != NULL;)
        if (take(slot, seen, &request))
            run(&request);
}

void native_dpcs_reset(void) {
    for (int cpu = 0; cpu < NATIVE_CPUS_MAX; cpu++)
        for (int i = 0; i < DPC_SLOTS; i++)
            atomic_store(&queues[cpu][i].word, SLOT_FREE);
    atomic_store(&tail_order, 0);
    atomic_store(&head_order, 0);
    dispatch_source = sim_irq_register("DPC queue", SIM_IRQL_DISPATCH, 0, drain, NULL);
}

void sim_dpc_enqueue(int cpu, const sim_dpc_request *request) {
    SIM_ASSERT(cpu >= 0 && cpu < NATIVE_CPUS_MAX);
    for (int i = 0; i < DPC_SLOTS; i++) {
        dpc_slot *slot = &queues[cpu][i];
        const uint64_t seen = atomic_load(&slot->word);
        if (state_of(seen) != SLOT_FREE || !move(slot, seen, SLOT_FILLING))
            continue;
        slot->request = *request;
        atomic_store(&slot->object, request->object);
        atomic_store(&slot->order, request->high_importance ? atomic_fetch_sub(&head_order, 1) - 1
                                                            : atomic_fetch_add(&tail_order, 1) + 1);
        native_work_add(1);
        move(slot, atomic_load(&slot->word), SLOT_QUEUED);
        if (sim_cpu_current() >= 0)
            native_interrupt_post(cpu, dispatch_source);
        return;
    }
    sim_panic("more than %d DPCs queued on cpu%d", DPC_SLOTS, cpu);
}

bool sim_dpc_dequeue(const void *object) {
    sim_dpc_request request;
    for (int cpu = 0; cpu < NATIVE_CPUS_MAX; cpu++)
        for (int i = 0; i < DPC_SLOTS; i++) {
            dpc_slot *slot = &queues[cpu][i];
            const uint64_t seen = atomic_load(&slot->word);
            if (state_of(seen) == SLOT_QUEUED && atomic_load(&slot->object) == object && take(slot, seen, &request)) {
                native_work_add(-1);
                return true;
            }
        }
    return false;
}
