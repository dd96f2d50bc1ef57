/* run.c executes one run: reset every piece of simulation state, call the
 * scenario's setup, place the first thread of each CPU, let the scheduler
 * drive the contexts until nothing can run or a finding stops it, then run
 * the end-of-run checks and free the run's memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "grow.h"
#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "shadow.h"

static sim_run run_storage;
sim_run *sim_R;

static void reset(const sim_config *config) {
    sim_run *run = &run_storage;
    sim_R = run;
    /* Reset only what the last run used: the context table alone is large,
     * and a fuzzer pays for every byte on every execution. A CPU's context
     * stack and DPC queue are read only below their counts, so the counts
     * are all a CPU needs. A scenario that could not be set up may have
     * queued DPCs on any CPU. */
    int dirty_cpus = run->end == SIM_END_BAD_SCENARIO ? SIM_CPUS_MAX : run->cpu_count;
    for (int c = 0; c < dirty_cpus; c++) {
        sim_cpu *cpu = &run->cpus[c];
        cpu->irql = SIM_IRQL_PASSIVE;
        cpu->depth = 0;
        cpu->dpc_count = 0;
        cpu->dpc_requested = false;
        cpu->delivered = 0;
    }
    for (int c = 0; c < SIM_CPUS_MAX; c++)
        run->cpus[c].id = c;
    run->config = config;
    run->cpu_count = 0;
    run->ctx_count = 0;
    run->thread_count = 0;
    run->current = NULL;
    run->sleeper_count = 0;
    run->step = 0;
    run->preemptions = 0;
    run->irq_count = 0;
    run->param_count = 0;
    run->decision_count = 0; /* the buffer is kept for the next run */
    run->finding_count = 0;
    memset(run->allowed, 0, sizeof run->allowed);
    run->expected = SIM_FINDING_NONE;
    run->expected_set = false;
    run->end = SIM_END_DONE;
    run->bad_scenario[0] = '\0';
    run->tail_count = 0;
    run->end_check_count = 0;
    run->init_running = false;
    run->options_stale = true;
    run->irql_thresholds = 1u << SIM_IRQL_DISPATCH;
    run->allocation_count = 0;
    run->prints_used = 0;
    sim_objects_reset();
    sim_fiber_init_host(&run->host);
    /* Read before setup: the scenario's threads start their timelines as
     * they are declared. */
    sim_race_run_begin(sim_param("race_detection", 1) != 0);
    sim_shadow_run_begin();
}

void sim_run_bad_scenario(const char *format, ...) {
    sim_run *run = sim_R;
    if (run->bad_scenario[0] == '\0') {
        va_list args;
        va_start(args, format);
        vsnprintf(run->bad_scenario, sizeof run->bad_scenario, format, args);
        va_end(args);
        run->end = SIM_END_BAD_SCENARIO;
    }
    /* Found by a context (a setup-only call from sim_init, say): the run
     * cannot go on as the scenario meant it. */
    if (run->current != NULL)
        sim_run_stop();
}

/* Where a setup that cannot go on returns to. */
static jmp_buf setup_abandoned;

_Noreturn void sim_scenario_cannot_go_on(const char *why) {
    sim_run_bad_scenario("%s", why); /* stops a running context */
    SIM_ASSERT(sim_R->in_setup);
    longjmp(setup_abandoned, 1);
}

_Noreturn void sim_run_setup_cannot_wait(const char *what) {
    char why[200];
    snprintf(why, sizeof why,
             "%s in the scenario's setup would wait forever: nothing else runs yet (put DriverEntry-style code "
             "that waits in sim_init)",
             what);
    sim_scenario_cannot_go_on(why);
}

static void setup(void) {
    sim_run *run = sim_R;
    run->in_setup = true;
    int scopes = sim_san_boundary_depth();
    if (setjmp(setup_abandoned) == 0)
        run->config->scenario->setup();
    else
        sim_san_boundary_close_to(scopes);
    if (run->cpu_count == 0)
        sim_cpus(2);
    run->in_setup = false;
    for (int c = run->cpu_count; c < SIM_CPUS_MAX; c++)
        if (run->cpus[c].dpc_count > 0)
            sim_run_bad_scenario("DPC %s is queued on cpu%d but the scenario has %d CPUs", run->cpus[c].dpcq[0].name, c,
                                 run->cpu_count);
    for (int i = 0; i < run->thread_count; i++) {
        const sim_ctx *t = &run->ctxs[run->threads[i]];
        if (t->pinned_cpu != SIM_ANY_CPU && (t->pinned_cpu < 0 || t->pinned_cpu >= run->cpu_count))
            sim_run_bad_scenario("thread %s is pinned to cpu%d but the scenario has %d CPUs", t->func, t->pinned_cpu,
                                 run->cpu_count);
    }
    if (run->thread_count == 0 && run->irq_count == 0) {
        bool any_dpc = false;
        for (int c = 0; c < run->cpu_count; c++)
            any_dpc |= run->cpus[c].dpc_count > 0;
        if (!any_dpc)
            sim_run_bad_scenario("the scenario declares no thread, DPC or interrupt");
    }
}

static void free_allocations(void) {
    sim_run *run = sim_R;
    for (int i = 0; i < run->allocation_count; i++)
        free(run->allocations[i].memory);
    run->allocation_count = 0;
}

sim_run *sim_run_execute(const sim_config *config) {
    reset(config);
    sim_run *run = sim_R;
    setup();
    if (run->end == SIM_END_BAD_SCENARIO) {
        free_allocations();
        return run;
    }
    sim_sched_place_threads();
    sim_check_run_begin();
    config->source->run_begin(config->source);
    sim_san_release(&run->san_setup);
    sim_guard_arm();
    sim_sched_start();
    sim_guard_disarm();
    sim_san_acquire(&run->san_end);
    run->current = NULL;
    if (run->end == SIM_END_DONE)
        for (int i = 0; i < run->end_check_count; i++)
            run->end_checks[i](run->end_check_args[i]);
    sim_fibers_release();
    free_allocations();
    return run;
}

const sim_finding *sim_run_verdict(const sim_run *run) {
    if (run->finding_count == 0)
        return NULL;
    for (int i = 0; i < run->finding_count; i++)
        if (run->findings[i].info.severity == SIM_SEV_ERROR)
            return &run->findings[i];
    return &run->findings[0];
}

_Noreturn void sim_run_stop(void) {
    sim_run *run = sim_R;
    SIM_ASSERT(run->current != NULL);
    sim_ctx_switch_to(NULL, true);
    sim_panic("a stopped run was resumed");
}

void *sim_alloc(size_t size) {
    sim_run *run = sim_R;
    /* Blocks are named by allocation index (footprint.c): one more shifts
     * the names of those after it. */
    sim_footprint_global();
    struct sim_allocation *allocations =
        sim_grow(run->allocations, &run->allocation_cap, run->allocation_count + 1, sizeof *allocations, 32);
    if (allocations == NULL)
        sim_panic("out of memory");
    run->allocations = allocations;
    void *memory = calloc(1, size ? size : 1);
    if (memory == NULL)
        sim_panic("out of memory");
    run->allocations[run->allocation_count++] = (struct sim_allocation){.memory = memory, .size = size};
    return memory;
}
