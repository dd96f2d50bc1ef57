/* native_roles.c: a scenario's roles on the native backend. The scenarios
 * register themselves (SIM_SCENARIO) as they do in the machine; running a
 * setup here records its CPU count, its threads and its DPCs
 * (native_roles) for a harness to start on real threads, instead of
 * handing them to a scheduler. A DPC becomes an interrupt source at
 * DISPATCH_LEVEL (native_interrupt.c) whose service runs the routine, so
 * that raising it on a thread runs the routine there at once, or once that
 * thread drops below DISPATCH_LEVEL, as a queued DPC runs on Windows. What
 * a scenario expects is the machine's business: ignored here. */
#include <stdatomic.h>
#include <string.h>

#include "internal.h"
#include "native.h"

static sim_scenario *scenarios;
static native_roles *current;
static atomic_long dpcs_run;

void sim_scenario_register(sim_scenario *scenario) {
    scenario->next = scenarios;
    scenarios = scenario;
}

const sim_scenario *sim_scenario_find(const char *name) {
    for (const sim_scenario *s = scenarios; s != NULL; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

bool native_roles_setup(const char *name, native_roles *roles) {
    const sim_scenario *scenario = sim_scenario_find(name);
    if (scenario == NULL)
        return false;
    native_objects_free();
    native_interrupts_reset();
    *roles = (native_roles){.cpus = 2};
    current = roles;
    scenario->setup();
    current = NULL;
    return true;
}

void sim_cpus(int count) {
    if (count < 1 || count > NATIVE_CPUS_MAX)
        sim_run_bad_scenario("cpus must be 1..%d natively, not %d", NATIVE_CPUS_MAX, count);
    current->cpus = count;
}

void sim_expect(sim_kind kind) { (void)kind; }

void sim_thread_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name) {
    (void)name;
    if (cpu < 0 || current->thread_count == NATIVE_ROLES_MAX)
        sim_run_bad_scenario("thread %s: only pinned threads, at most %d, natively", name, NATIVE_ROLES_MAX);
    current->threads[current->thread_count++] = (native_thread_role){cpu, entry, context};
}

typedef struct native_dpc {
    KDPC dpc;
    PKDEFERRED_ROUTINE routine;
    PVOID context;
} native_dpc;

static void run_dpc(void *arg) {
    native_dpc *dpc = arg;
    dpc->routine(&dpc->dpc, dpc->context, NULL, NULL);
    atomic_fetch_add(&dpcs_run, 1);
}

long native_dpcs_run(void) { return atomic_load(&dpcs_run); }

static PKDPC add_dpc(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, int fires, const char *name) {
    if (cpu < 0 || current->dpc_count == NATIVE_ROLES_MAX)
        sim_run_bad_scenario("DPC %s: only targeted DPCs, at most %d, natively", name, NATIVE_ROLES_MAX);
    native_dpc *dpc = sim_alloc(sizeof *dpc);
    dpc->routine = routine;
    dpc->context = context;
    const int source = sim_irq_register(name, SIM_IRQL_DISPATCH, fires, run_dpc, dpc);
    current->dpcs[current->dpc_count++] = (native_dpc_role){cpu, source, fires};
    return &dpc->dpc;
}

PKDPC sim_dpc_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, const char *name) {
    return add_dpc(cpu, routine, context, 1, name);
}

PKDPC sim_dpc_later_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, int fires, const char *name) {
    return add_dpc(cpu, routine, context, fires, name);
}
