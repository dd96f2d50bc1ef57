/* native_roles.c: a scenario's roles on the native backend. The scenarios
 * register themselves (SIM_SCENARIO) as they do in the machine; running a
 * setup here records its CPU count, its threads and its end-of-run checks
 * (native_roles) for a harness to start on real threads and run after
 * them, instead of handing them to a scheduler. The setup's interrupt
 * sources (sim_interrupt, sim_dpc_later's inserts) stay with the interrupt
 * controller and its DPCs (sim_dpc, sim_threaded_dpc) on the DPC queues,
 * through the same interrupt.c and dpc.c as in the machine. What a
 * scenario expects is the machine's business: ignored here. */
#include <string.h>

#include "internal.h"
#include "native.h"

static sim_scenario *scenarios;
static native_roles *current;

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
    native_dpcs_reset();
    *roles = (native_roles){.cpus = 2};
    native_cpu_count_set(roles->cpus);
    /* The setup runs on no CPU, as in the machine: its DPCs wait to be posted. */
    native_ctx_bind(-1);
    current = roles;
    scenario->setup();
    current = NULL;
    return true;
}

void sim_cpus(int count) {
    if (count < 1 || count > NATIVE_CPUS_MAX)
        sim_run_bad_scenario("cpus must be 1..%d natively, not %d", NATIVE_CPUS_MAX, count);
    current->cpus = count;
    native_cpu_count_set(count);
}

void sim_expect(sim_kind kind) { (void)kind; }

void sim_thread_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name) {
    if (cpu < 0 || cpu >= current->cpus || current->thread_count == NATIVE_ROLES_MAX)
        sim_run_bad_scenario("thread %s: only threads pinned to one of the %d CPUs, at most %d, natively", name,
                             current->cpus, NATIVE_ROLES_MAX);
    current->threads[current->thread_count++] = (native_thread_role){cpu, entry, context};
}

void sim_at_end(void (*check)(PVOID), PVOID context) {
    if (current->end_check_count == NATIVE_ROLES_MAX)
        sim_run_bad_scenario("more than %d end-of-run checks natively", NATIVE_ROLES_MAX);
    current->end_checks[current->end_check_count++] = (native_end_check){check, context};
}
