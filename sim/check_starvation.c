/* check_starvation.c enforces R15 of docs/windows-contract.md, in steps:
 * - `dpc-watchdog`: one DPC or ISR executing more than dpc_watchdog_steps
 *   steps (0x133 DPC_WATCHDOG_VIOLATION, P1=0), or a CPU staying at
 *   DISPATCH_LEVEL or above for more than dpc_watchdog_cumulative_steps
 *   (P1=1). A CPU's time is the steps it executes there: the decision
 *   sources may starve any CPU, so global steps would accuse a CPU the
 *   schedule never ran. A spinner asleep up there is not charged: it sleeps
 *   only while another CPU holds its lock at DISPATCH_LEVEL or above, and
 *   that CPU's own steps reach the bound first (a holder on the spinner's
 *   own CPU is `recursive-acquire`, one that lowered or left is R6/R13).
 * - `starvation`: a waiter overtaken more than starvation_bypass times by
 *   later arrivals that acquire the same lock (0x133/0x101: a waiter never
 *   served). Judged only in the liveness phase (sched.c), where the CPUs run
 *   round robin: random, PCT and DFS are unfair on purpose (docs/design.md,
 *   Decisions: "Starvation without false alarms"). Plain spin locks show
 *   their real unfairness there; queued locks are FIFO and never trip it.
 * Every bound is a scenario parameter; 0 turns the check off. Per lock, the
 * fairness of the run (acquisitions, most bypasses, longest wait) is kept
 * for the run summary: sim_check_fairness(). */
#include <string.h>

#include "check.h"

enum {
    WATCHDOG_STEPS_DEFAULT = 20000,
    /* Windows allows ~6x the single DPC for the cumulative watchdog (20 s /
     * 120 s, unverified); 3x keeps it inside the per-context step budget, so
     * the precise verdict comes before `hang`. */
    CUMULATIVE_FACTOR = 3,
    BYPASS_DEFAULT = 50,
};

static struct { uint64_t single, cumulative, bypass; } bounds;
static uint64_t cpu_steps[SIM_CPUS_MAX]; /* steps executed since the CPU last ran below DISPATCH_LEVEL */
static sim_fairness fairness[SIM_LOCKS_MAX];
static int fairness_ready; /* ids below it are initialised for this run */

static uint64_t bound_param(const char *name, int64_t default_value) {
    int64_t value = sim_param(name, default_value);
    return value > 0 ? (uint64_t)value : UINT64_MAX;
}

void check_starvation_run_begin(void) {
    bounds.single = bound_param("dpc_watchdog_steps", WATCHDOG_STEPS_DEFAULT);
    bounds.cumulative = bound_param("dpc_watchdog_cumulative_steps",
                                    bounds.single == UINT64_MAX ? 0 : (int64_t)bounds.single * CUMULATIVE_FACTOR);
    bounds.bypass = bound_param("starvation_bypass", BYPASS_DEFAULT);
    memset(cpu_steps, 0, sizeof cpu_steps);
    fairness_ready = 0;
}

static sim_fairness *fairness_of(int id) {
    SIM_ASSERT(id >= 0 && id < SIM_LOCKS_MAX);
    for (; fairness_ready <= id; fairness_ready++)
        fairness[fairness_ready] = (sim_fairness){0};
    return &fairness[id];
}

sim_fairness sim_check_fairness(int lock_id) {
    return lock_id >= 0 && lock_id < fairness_ready ? fairness[lock_id] : (sim_fairness){0};
}

/* ---- starvation -------------------------------------------------------------------- */

static void report_starved(const sim_ctx *waiter, const check_acquiring *wait, const sim_lock_op *op) {
    const sim_ctx *self = sim_R->current;
    sim_finding_info info = {.kind = SIM_FINDING_STARVATION,
                             .severity = SIM_SEV_ERROR,
                             .lock = op->lock,
                             .site = wait->site,
                             .other_site = op->site,
                             .other_ctx = self->id};
    snprintf(info.message, sizeof info.message,
             "%s has waited %llu steps for %s and was overtaken %llu times (bound %llu) by later arrivals while "
             "the CPUs ran round robin, %s the last: the lock never serves it (0x133/0x101)",
             waiter->label, (unsigned long long)(sim_R->step - wait->since_step), check_lock_name(op->lock),
             (unsigned long long)wait->bypassed_fair, (unsigned long long)bounds.bypass, self->label);
    sim_finding_record_for((sim_ctx *)waiter, &info, NULL);
}

/* A wait counts when it ends, and while it goes on each time it is
 * overtaken, so a waiter that never gets the lock shows too. */
static void note_wait(sim_fairness *lock, uint64_t bypassed, uint64_t waited) {
    if (bypassed > lock->bypass_max)
        lock->bypass_max = bypassed;
    if (waited > lock->wait_max_steps)
        lock->wait_max_steps = waited;
}

/* `op` acquired by the current context overtakes every waiter on the same
 * lock that arrived before it (`mine`: its own wait, NULL if it never
 * waited, which makes it the latest arrival). An overtaking counts toward
 * the verdict only when both the acquire and its arrival were in the
 * liveness phase: the order of two arrivals before it is one the partial-
 * order reduction may leave unexplored (footprint.h names no arrival
 * order), so no verdict may rest on it. */
void check_starvation_acquired(const sim_lock_op *op, const check_acquiring *mine) {
    const sim_run *run = sim_R;
    uint64_t arrival = mine != NULL ? mine->arrival : UINT64_MAX;
    bool fair = sim_sched_fair() && (mine == NULL || mine->arrived_fair);
    sim_fairness *lock = fairness_of(sim_lock_id(op->lock));
    const check_ctx_set *acquirers = check_acquirers();
    for (int a = 0; a < acquirers->count; a++) {
        const sim_ctx *waiter = &run->ctxs[acquirers->ids[a]];
        check_acquiring *wait = check_acquiring_of(waiter);
        /* A waiter preempted on its own CPU (by an ISR), or off every CPU,
         * could not have competed: overtaking it says nothing about the lock. */
        if (waiter == run->current || wait == NULL || wait->lock != op->lock || wait->arrival >= arrival ||
            waiter->cpu < 0 || sim_cpu_top(&run->cpus[waiter->cpu]) != waiter)
            continue;
        wait->bypassed++;
        wait->bypassed_fair += fair;
        note_wait(lock, wait->bypassed, run->step - wait->since_step);
        if (wait->bypassed_fair > bounds.bypass)
            report_starved(waiter, wait, op);
    }
    lock->acquisitions++;
    note_wait(lock, 0, mine != NULL ? run->step - mine->since_step : 0);
}

/* ---- watchdogs ------------------------------------------------------------------------- */

__attribute__((cold)) static void report_watchdog(const sim_ctx *self, uint64_t steps, uint64_t bound,
                                                  const char *what) {
    const sim_held *held = self->held_count > 0 ? &self->held[self->held_count - 1] : NULL;
    check_report(SIM_FINDING_DPC_WATCHDOG, SIM_SEV_ERROR, held != NULL ? held->lock : NULL,
                 held != NULL ? held->site : NULL, -1, "%s: %llu steps (bound %llu)%s%s", what,
                 (unsigned long long)steps, (unsigned long long)bound, held != NULL ? ", holding " : "",
                 held != NULL ? check_lock_name(held->lock) : "");
}

void sim_check_step(void) {
    const sim_run *run = sim_R;
    const sim_ctx *self = run->current;
    SIM_ASSERT(self != NULL && self->cpu >= 0 && self->cpu < run->cpu_count);
    if ((self->kind == SIM_CTX_DPC || self->kind == SIM_CTX_ISR) && self->steps >= bounds.single)
        report_watchdog(self, self->steps + 1, bounds.single,
                        "one DPC or ISR ran too long (0x133 DPC_WATCHDOG_VIOLATION, P1=0)");
    if (run->cpus[self->cpu].irql < SIM_IRQL_DISPATCH) {
        cpu_steps[self->cpu] = 0;
        return;
    }
    if (++cpu_steps[self->cpu] > bounds.cumulative)
        report_watchdog(self, cpu_steps[self->cpu], bounds.cumulative,
                        "the CPU stayed at DISPATCH_LEVEL or above too long (0x133 DPC_WATCHDOG_VIOLATION, P1=1)");
}

/* A context returning below DISPATCH_LEVEL ends its CPU's time up there. */
void check_starvation_ctx_exit(const sim_ctx *ctx) {
    SIM_ASSERT(ctx->cpu >= 0 && ctx->cpu < SIM_CPUS_MAX);
    if (ctx->kind == SIM_CTX_THREAD || ctx->irql_entry < SIM_IRQL_DISPATCH)
        cpu_steps[ctx->cpu] = 0;
}
