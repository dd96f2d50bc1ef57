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

enum { DPC_SLOTS = 16 };

typedef enum slot_state { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_TAKEN } slot_state;

typedef struct dpc_slot {
    _Atomic slot_state state;
    long order; /* the smallest runs first */
    sim_dpc_request request;
} dpc_slot;

static dpc_slot queues[NATIVE_CPUS_MAX][DPC_SLOTS];
/* A high-importance DPC goes ahead of every other (the head), the rest
 * after (the tail). */
static atomic_long tail_order, head_order;
static int dispatch_source = -1;

int native_dpc_source(void) { return dispatch_source; }

/* The queued slot of `cpu` to run next, or NULL. */
static dpc_slot *first_queued(int cpu) {
    dpc_slot *first = NULL;
    for (int i = 0; i < DPC_SLOTS; i++) {
        dpc_slot *slot = &queues[cpu][i];
        if (atomic_load(&slot->state) == SLOT_QUEUED && (first == NULL || slot->order < first->order))
            first = slot;
    }
    return first;
}

bool native_dpcs_queued(int cpu) { return first_queued(cpu) != NULL; }

/* Claims a queued slot (against the other CPU's KeRemoveQueueDpc or the
 * drain) and returns its request, freeing the slot. */
static bool take(dpc_slot *slot, sim_dpc_request *request) {
    slot_state queued = SLOT_QUEUED;
    if (!atomic_compare_exchange_strong(&slot->state, &queued, SLOT_TAKEN))
        return false;
    *request = slot->request;
    atomic_store(&slot->state, SLOT_FREE);
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
    for (dpc_slot *slot; (slot = first_queued(sim_cpu_current())) != NULL;)
        if (take(slot, &request))
            run(&request);
}

void native_dpcs_reset(void) {
    for (int cpu = 0; cpu < NATIVE_CPUS_MAX; cpu++)
        for (int i = 0; i < DPC_SLOTS; i++)
            atomic_store(&queues[cpu][i].state, SLOT_FREE);
    atomic_store(&tail_order, 0);
    atomic_store(&head_order, 0);
    dispatch_source = sim_irq_register("DPC queue", SIM_IRQL_DISPATCH, 0, drain, NULL);
}

void sim_dpc_enqueue(int cpu, const sim_dpc_request *request) {
    SIM_ASSERT(cpu >= 0 && cpu < NATIVE_CPUS_MAX);
    for (int i = 0; i < DPC_SLOTS; i++) {
        dpc_slot *slot = &queues[cpu][i];
        slot_state free = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&slot->state, &free, SLOT_FILLING))
            continue;
        slot->request = *request;
        slot->order =
            request->high_importance ? atomic_fetch_sub(&head_order, 1) - 1 : atomic_fetch_add(&tail_order, 1) + 1;
        native_work_add(1);
        atomic_store(&slot->state, SLOT_QUEUED);
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
            if (atomic_load(&slot->state) == SLOT_QUEUED && slot->request.object == object && take(slot, &request)) {
                native_work_add(-1);
                return true;
            }
        }
    return false;
}
