/* api.c implements the scenario API of sim.h that belongs to the machine
 * (CPUs, parameters, threads, expectations, invariants) and the small
 * queries lock code makes about the current context, DPC queues and
 * interrupt sources. */
#include <string.h>

#include "check.h"
#include "footprint.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"

static sim_scenario *scenarios;

void sim_scenario_register(sim_scenario *scenario) {
    /* Keep the list sorted by name so `list` and `--all` are stable. */
    sim_scenario **at = &scenarios;
    while (*at != NULL && strcmp((*at)->name, scenario->name) < 0)
        at = &(*at)->next;
    scenario->next = *at;
    *at = scenario;
}

const sim_scenario *sim_scenario_first(void) { return scenarios; }

const sim_scenario *sim_scenario_find(const char *name) {
    for (const sim_scenario *s = scenarios; s != NULL; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

static void require_setup(const char *what) {
    if (!sim_R->in_setup)
        sim_run_bad_scenario("%s may only be called from the scenario's setup", what);
}

int64_t sim_param(const char *name, int64_t default_value) {
    sim_run *run = sim_R;
    for (int i = 0; i < run->param_count; i++)
        if (sim_same_name(run->params[i].name, name))
            return run->params[i].value;
    if (run->param_count == SIM_PARAMS_MAX || strlen(name) >= sizeof run->params[0].name) {
        sim_run_bad_scenario("too many parameters, or parameter name '%s' too long", name);
        return default_value;
    }
    sim_param_value *value = &run->params[run->param_count++];
    sim_copy_text(value->name, sizeof value->name, name);
    value->value = default_value;
    value->given = false;
    for (int i = 0; i < run->config->param_count; i++)
        if (sim_same_name(run->config->params[i].name, name)) {
            value->value = run->config->params[i].value;
            value->given = true;
        }
    return value->value;
}

void sim_cpus(int count) {
    require_setup("sim_cpus");
    sim_run *run = sim_R;
    int64_t cpus = sim_param("cpus", count);
    if (cpus < 1 || cpus > SIM_CPUS_MAX) {
        sim_run_bad_scenario("cpus must be 1..%d, not %lld", SIM_CPUS_MAX, (long long)cpus);
        cpus = 1;
    }
    run->cpu_count = (int)cpus;
}

/* A new thread context, or NULL when the context table is full (a
 * finding has been recorded). */
static sim_ctx *thread_new(int cpu, void (*entry)(PVOID), PVOID context, const char *name, sim_role role) {
    sim_run *run = sim_R;
    SIM_ASSERT(run->thread_count < SIM_THREADS_MAX);
    sim_ctx *t = sim_ctx_new_thread(name);
    if (t == NULL)
        return NULL;
    t->role = role;
    t->pinned_cpu = cpu;
    t->entry = entry;
    t->arg = context;
    t->irql_thread = SIM_IRQL_PASSIVE;
    run->threads[run->thread_count++] = t->id;
    sim_race_ctx_begin(t, SIM_IRQL_PASSIVE);
    return t;
}

/* A thread the scenario declares, in its setup. */
static void scenario_thread(const char *what, int cpu, void (*entry)(PVOID), PVOID context, const char *name,
                            sim_role role) {
    require_setup(what);
    if (sim_R->thread_count == SIM_THREADS_MAX) {
        sim_run_bad_scenario("more than %d threads", SIM_THREADS_MAX);
        return;
    }
    thread_new(cpu, entry, context, name, role);
}

void sim_thread_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name) {
    scenario_thread("sim_thread", cpu, entry, context, name, SIM_ROLE_AT_START);
}

void sim_thread_later_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name) {
    scenario_thread("sim_thread_later", cpu, entry, context, name, SIM_ROLE_LATER);
}

void sim_init_named(void (*entry)(PVOID), PVOID context, const char *name) {
    if (sim_R->init_running) {
        sim_run_bad_scenario("sim_init %s: a scenario has one initialization", name);
        return;
    }
    scenario_thread("sim_init", 0, entry, context, name, SIM_ROLE_INIT);
    sim_R->init_running = true;
    sim_options_stale();
}

int sim_thread_spawn(void (*entry)(void *), void *context, const char *name) {
    SIM_BOUNDARY();
    sim_run *run = sim_R;
    if (run->current == NULL) {
        sim_thread_named(SIM_ANY_CPU, entry, context, name);
        return run->thread_count > 0 ? run->threads[run->thread_count - 1] : -1;
    }
    if (run->thread_count == SIM_THREADS_MAX) {
        sim_reportf(SIM_FINDING_HANG, SIM_SEV_ERROR, NULL, NULL, "more than %d threads in one execution",
                    SIM_THREADS_MAX);
        return -1;
    }
    sim_footprint_global();
    sim_ctx *t = thread_new(SIM_ANY_CPU, entry, context, name, SIM_ROLE_AT_START);
    return t != NULL ? t->id : -1;
}

const volatile int32_t *sim_ctx_ended_word(int id) {
    SIM_ASSERT(id >= 0 && id < sim_R->ctx_count);
    return &sim_R->ctxs[id].ended;
}

void sim_at_end(void (*check)(PVOID), PVOID context) {
    require_setup("sim_at_end");
    sim_run *run = sim_R;
    if (run->end_check_count == SIM_END_CHECKS_MAX) {
        sim_run_bad_scenario("more than %d end-of-run checks", SIM_END_CHECKS_MAX);
        return;
    }
    run->end_checks[run->end_check_count] = check;
    run->end_check_args[run->end_check_count++] = context;
}

void sim_expect(sim_kind kind) {
    sim_R->expected = kind;
    sim_R->expected_set = true;
}

void sim_allow(sim_kind kind) {
    SIM_ASSERT(kind < SIM_KIND_COUNT);
    sim_R->allowed[kind] = true;
}

void sim_check_at(int condition, const char *text, const sim_site *site) {
    SIM_BOUNDARY();
    if (condition)
        return;
    sim_finding_info info = {.kind = SIM_FINDING_INVARIANT, .severity = SIM_SEV_ERROR, .site = site, .other_ctx = -1};
    snprintf(info.message, sizeof info.message, "invariant failed: %s", text);
    sim_report(&info);
}

void sim_wait_until_at(const volatile LONG *word, LONG value, const sim_site *site) {
    SIM_BOUNDARY();
    sim_ctx *self = sim_R->current;
    if (self == NULL) {
        sim_run_bad_scenario("sim_wait_until may only be called by the scenario's threads, not by its setup");
        return;
    }
    sim_site_set(site);
    if (self->kind != SIM_CTX_THREAD)
        sim_reportf(SIM_FINDING_WAIT_AT_DISPATCH, SIM_SEV_ERROR, NULL, NULL,
                    "sim_wait_until in %s (%s): a DPC or an ISR cannot wait (0xB8 ATTEMPTED_SWITCH_FROM_DPC)",
                    self->label, self->func);
    sim_check_wait("sim_wait_until", false, site);
    /* Each look is a step; between looks, sleep until the word is written. */
    while ((LONG)sim_atomic_load(word, (int)sizeof *word) != value)
        sim_spin_wait(word, NULL);
}

/* ---- queries from lock code -------------------------------------------- */

int sim_cpu_current(void) { return sim_R->current != NULL ? sim_R->current->cpu : 0; }
int sim_cpu_count(void) { return sim_R->cpu_count; }
int sim_ctx_current_id(void) { return sim_R->current != NULL ? sim_R->current->id : -1; }

sim_ctx_kind sim_ctx_current_kind(void) { return sim_R->current != NULL ? sim_R->current->kind : SIM_CTX_THREAD; }

/* Every wdm.h routine starts here, called by the routine itself: the
 * routine's frame pointer plus the saved frame pointer and the return
 * address is the driver's stack pointer at the call, below which nothing of
 * the driver's is alive (check_lifetime.c). Called from elsewhere in the
 * machine, the frame found is deeper, which only sees less; never inlined
 * (the machine is one LTO unit, Makefile), which would find a shallower one. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wframe-address"
__attribute__((noinline)) void sim_site_set(const sim_site *site) {
    sim_ctx *self = sim_R->current;
    if (self == NULL)
        return;
    self->site = site;
    if (self->held_count > 0)
        check_lifetime_call((uintptr_t)__builtin_frame_address(1) + 2 * sizeof(void *));
}
#pragma clang diagnostic pop

const sim_site *sim_site_get(void) { return sim_R->current != NULL ? sim_R->current->site : NULL; }

void sim_dpc_enqueue(int cpu_id, const sim_dpc_request *request) {
    SIM_BOUNDARY();
    sim_run *run = sim_R;
    SIM_ASSERT(cpu_id >= 0 && cpu_id < SIM_CPUS_MAX);
    sim_cpu *cpu = &run->cpus[cpu_id];
    if (cpu->dpc_count == SIM_DPCQ_MAX)
        sim_panic("more than %d DPCs queued on cpu%d", SIM_DPCQ_MAX, cpu_id);
    int at = request->high_importance ? 0 : cpu->dpc_count;
    memmove(&cpu->dpcq[at + 1], &cpu->dpcq[at], (size_t)(cpu->dpc_count - at) * sizeof cpu->dpcq[0]);
    cpu->dpcq[at] = *request;
    cpu->dpc_count++;
    /* The queue is the target CPU's state: its DPC option and dispatch read it. */
    sim_footprint_cpu(cpu_id);
    sim_options_stale();
    /* A local insert requests the DISPATCH software interrupt: the DPC runs
     * as soon as this CPU's IRQL is below DISPATCH_LEVEL. A remote one waits
     * for the scheduler to deliver the IPI. */
    if (run->current != NULL && run->current->cpu == cpu_id)
        cpu->dpc_requested = true;
}

bool sim_dpc_dequeue(const void *object) {
    SIM_BOUNDARY();
    sim_run *run = sim_R;
    for (int c = 0; c < run->cpu_count; c++) {
        sim_cpu *cpu = &run->cpus[c];
        for (int i = 0; i < cpu->dpc_count; i++)
            if (cpu->dpcq[i].object == object) {
                sim_footprint_global();
                memmove(&cpu->dpcq[i], &cpu->dpcq[i + 1], (size_t)(cpu->dpc_count - i - 1) * sizeof cpu->dpcq[0]);
                cpu->dpc_count--;
                sim_options_stale();
                return true;
            }
    }
    /* Not found: the answer still depends on every CPU's queue, which a
     * concurrent insert (a timer's next period) may be writing. */
    sim_footprint_cpus_read();
    return false;
}

int sim_irq_register(const char *name, uint8_t dirql, int fires, void (*service)(void *), void *arg) {
    require_setup("sim_interrupt");
    sim_run *run = sim_R;
    if (run->irq_count == SIM_IRQS_MAX) {
        sim_run_bad_scenario("more than %d interrupt sources", SIM_IRQS_MAX);
        return -1;
    }
    if (dirql < SIM_IRQL_DIRQL_MIN || dirql > SIM_IRQL_DIRQL_MAX) {
        sim_run_bad_scenario("interrupt %s: DIRQL %d is outside %d..%d", name, dirql, SIM_IRQL_DIRQL_MIN,
                             SIM_IRQL_DIRQL_MAX);
        return -1;
    }
    /* A source connected while the CPUs run offers every CPU a new choice. */
    if (run->current != NULL)
        sim_footprint_global();
    sim_irq *irq = &run->irqs[run->irq_count];
    sim_copy_text(irq->name, sizeof irq->name, name);
    irq->dirql = dirql;
    irq->fires_left = fires;
    irq->service = service;
    irq->arg = arg;
    /* One that never fires offers no option at any IRQL. */
    if (fires > 0)
        run->irql_thresholds |= 1u << dirql;
    sim_options_stale();
    return run->irq_count++;
}

int sim_irq_current(void) { return sim_R->current != NULL ? sim_R->current->irq_source : -1; }
