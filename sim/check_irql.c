/* check_irql.c judges the IRQL of every routine (docs/windows-contract.md):
 * - R1 caller IRQL: a raising acquire above DISPATCH_LEVEL (C4/0x42, DDI
 *   IrqlKeDispatchLte C4/0x20011); AtDpcLevel/FromDpcLevel below it (C4/0x40,
 *   C4/0x41, checked 0x9) and above it (only the DDI rule IrqlDispatch,
 *   C4/0x20003: severity `rule`); a raising release away from DISPATCH_LEVEL
 *   (C4/0x32); an interrupt lock's release away from its SynchronizeIrql
 *   (R10); ForDpc outside PASSIVE/DISPATCH (R9, `rule`); any other routine
 *   against the range its lock code states.
 * - R2 direction: KeRaiseIrql to a lower level (C4/0x30, checked 0x9),
 *   KeLowerIrql to a higher one (C4/0x31 P4=0), below DISPATCH_LEVEL inside
 *   a DPC (C4/0x31 P4=1).
 * - R6 lowering while holding: below DISPATCH_LEVEL (below SynchronizeIrql
 *   for an interrupt lock) with a lock still held, the second cause of 0xF;
 *   when the release of an outer lock does it with an inner one still held,
 *   R8d `release-order` (C4/0x40007, DV C4/0x1003).
 * - R12 PAGED_CODE() at DISPATCH_LEVEL or above (0xA, 0xD1) and a wait that
 *   can block there (C4/0x120-0x122, 0xB8 in a DPC). */
#include <string.h>

#include "check.h"

/* The AtDpcLevel forms: below DISPATCH_LEVEL the holder can be preempted on
 * its own CPU; above it only the DDI rule is broken (sect. 1 ruling). */
static void require_dispatch(const sim_lock_op *op, uint8_t irql, const char *analogue) {
    if (irql < SIM_IRQL_DISPATCH)
        check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, op->lock, NULL, -1,
                     "%s at %s: needs DISPATCH_LEVEL, else a thread or DPC can preempt the holder on its CPU "
                     "(%s, DDI IrqlDispatch C4/0x20003)",
                     op->routine, check_irql_name(irql), analogue);
    else if (irql > SIM_IRQL_DISPATCH)
        check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_RULE, op->lock, NULL, -1,
                     "%s at %s: the DDI rule IrqlDispatch wants exactly DISPATCH_LEVEL (C4/0x20003)", op->routine,
                     check_irql_name(irql));
}

void check_irql_acquire(const sim_lock_op *op) {
    uint8_t irql = sim_irql_get();
    switch (check_family_mode(op->family)) {
    case CHECK_MODE_RAISING:
        if (irql > SIM_IRQL_DISPATCH)
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, op->lock, NULL, -1,
                         "%s at %s: it raises to DISPATCH_LEVEL, so its caller must be at or below it "
                         "(C4/0x42, DDI IrqlKeDispatchLte C4/0x20011)",
                         op->routine, check_irql_name(irql));
        return;
    case CHECK_MODE_AT_DPC:
        require_dispatch(op, irql, "C4/0x40, checked 0x9");
        return;
    case CHECK_MODE_FOR_DPC:
        if (irql != SIM_IRQL_PASSIVE && irql != SIM_IRQL_DISPATCH)
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_RULE, op->lock, NULL, -1,
                         "%s at %s: meant for PASSIVE_LEVEL (threaded DPC) or DISPATCH_LEVEL (R9)", op->routine,
                         check_irql_name(irql));
        return;
    case CHECK_MODE_ABOVE_DISPATCH:
        /* Its bound is the object's SynchronizeIrql, or DIRQL for the
         * ExInterlocked list routines: the lock code states it through
         * sim_check_caller_irql. */
        return;
    }
}

static void check_release_caller(const sim_lock_op *op, const sim_held *held, uint8_t irql) {
    switch (check_family_mode(op->family)) {
    case CHECK_MODE_RAISING:
        if (irql != SIM_IRQL_DISPATCH)
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, op->lock, held->site, -1,
                         "%s at %s: it must run at DISPATCH_LEVEL, where the acquire left the CPU; "
                         "a double or out-of-order release? (C4/0x32, P2 IRQL, P3 lock)",
                         op->routine, check_irql_name(irql));
        return;
    case CHECK_MODE_AT_DPC:
        require_dispatch(op, irql, "C4/0x41");
        return;
    case CHECK_MODE_FOR_DPC:
        require_dispatch(op, irql, "R9");
        return;
    case CHECK_MODE_ABOVE_DISPATCH:
        /* Only an interrupt lock can get here: the ExInterlocked list
         * routines release their lock themselves, where they took it. */
        if (irql != held->irql_held)
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, op->lock, held->site, -1,
                         "%s at %s: the interrupt lock was taken at SynchronizeIrql %s and must be released there "
                         "(R10)",
                         op->routine, check_irql_name(irql), check_irql_name(held->irql_held));
        return;
    }
}

/* R6: `self` drops to `irql_new`; every lock it keeps (all but
 * held[releasing]) must stay at or above its floor. */
static void check_lowering_with_held(const sim_ctx *self, const char *routine, uint8_t irql_new, int releasing) {
    for (int j = 0; j < self->held_count; j++) {
        const sim_held *kept = &self->held[j];
        if (j == releasing || irql_new >= check_held_floor(kept))
            continue;
        if (releasing >= 0 && j > releasing)
            check_report(SIM_FINDING_RELEASE_ORDER, SIM_SEV_ERROR, self->held[releasing].lock, kept->site, -1,
                         "%s releases %s before %s, which was acquired after it and is still held: the IRQL drops "
                         "to %s; release in reverse order (R8d, C4/0x40007, DV C4/0x1003)",
                         routine, check_lock_name(self->held[releasing].lock), check_lock_name(kept->lock),
                         check_irql_name(irql_new));
        else
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, kept->lock, kept->site, -1,
                         "%s lowers the IRQL to %s while %s is held: a thread or DPC on this CPU can now preempt "
                         "its holder and spin on it forever (R6, the second cause of 0xF)",
                         routine, check_irql_name(irql_new), check_lock_name(kept->lock));
        return;
    }
}

void check_irql_release(const sim_lock_op *op, int held_index) {
    const sim_ctx *self = sim_R->current;
    SIM_ASSERT(held_index >= 0 && held_index < self->held_count);
    uint8_t irql = sim_irql_get();
    check_release_caller(op, &self->held[held_index], irql);
    uint8_t irql_new = check_release_result(check_family_mode(op->family), op->irql, irql);
    if (irql_new >= irql)
        return;
    check_lowering_with_held(self, op->routine, irql_new, held_index);
    check_order_lowered(self, irql_new, held_index);
}

static const char *caller_analogue(const char *routine) {
    static const struct {
        const char *prefix;
        const char *analogue;
    } table[] = {
        {"KeAcquireInterruptSpinLock", "R10: the acquire would lower a caller above SynchronizeIrql"},
        {"KeSynchronizeExecution", "R10: the routine would run below the caller's IRQL"},
        {"KeSetEvent", "C4/0x80 above DISPATCH_LEVEL"},
        {"ExAllocatePool", "C4/0x02 above DISPATCH_LEVEL, DDI IrqlExAllocatePool C4/0x20004"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strncmp(routine, table[i].prefix, strlen(table[i].prefix)) == 0)
            return table[i].analogue;
    return "R1, docs/windows-contract.md sect. 2";
}

/* The IRQL whose restrictions bind the current context: a threaded DPC runs
 * at PASSIVE_LEVEL but obeys DISPATCH_LEVEL's (R9): no waits, no paging, no
 * PASSIVE-only routines. Lower bounds still compare the real IRQL. */
static uint8_t restricted_irql(uint8_t irql) {
    bool threaded_dpc = sim_R->current != NULL && sim_R->current->kind == SIM_CTX_THREADED_DPC;
    return threaded_dpc && irql < SIM_IRQL_DISPATCH ? SIM_IRQL_DISPATCH : irql;
}

static const char *threaded_note(uint8_t irql) {
    return restricted_irql(irql) != irql ? " in a threaded DPC, which obeys DISPATCH_LEVEL's restrictions (R9)" : "";
}

void check_irql_caller(const char *routine, uint8_t irql_min, uint8_t irql_max) {
    uint8_t irql = sim_irql_get();
    if (irql >= irql_min && restricted_irql(irql) <= irql_max)
        return;
    check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, NULL, NULL, -1, "%s at %s%s: allowed from %s to %s (%s)",
                 routine, check_irql_name(irql), threaded_note(irql), check_irql_name(irql_min),
                 check_irql_name(irql_max), caller_analogue(routine));
}

/* A raise stays in effect until a lowering to its starting IRQL or below. */
static void raise_push(sim_ctx *self, uint8_t irql_from) {
    if (self->raise_count == SIM_RAISES_MAX) {
        memmove(&self->raises[0], &self->raises[1], (SIM_RAISES_MAX - 1) * sizeof self->raises[0]);
        self->raise_count--;
    }
    self->raises[self->raise_count].from = irql_from;
    self->raises[self->raise_count].site = self->site;
    self->raise_count++;
}

static void raises_end_at(sim_ctx *self, uint8_t irql_to) {
    while (self->raise_count > 0 && self->raises[self->raise_count - 1].from >= irql_to)
        self->raise_count--;
}

const sim_site *check_irql_raised_at(const sim_ctx *ctx, uint8_t irql_from_min) {
    const int last = ctx->raise_count - 1;
    return last >= 0 && ctx->raises[last].from >= irql_from_min ? ctx->raises[last].site : NULL;
}

void check_irql_change(const char *routine, uint8_t irql_from, uint8_t irql_to) {
    sim_ctx *self = sim_R->current;
    if (strstr(routine, "Raise") != NULL) {
        if (irql_to < irql_from || irql_to > SIM_IRQL_HIGH)
            check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, NULL, NULL, -1,
                         "%s from %s to %s: a raise must not lower, nor go above HIGH_LEVEL (C4/0x30, P2 current, "
                         "P3 requested; checked 0x9)",
                         routine, check_irql_name(irql_from), check_irql_name(irql_to));
        else if (irql_to > irql_from)
            raise_push(self, irql_from);
        return;
    }
    raises_end_at(self, irql_to);
    if (irql_to > irql_from)
        check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, NULL, NULL, -1,
                     "%s from %s to %s: a lowering must not raise (C4/0x31, P4=0)", routine, check_irql_name(irql_from),
                     check_irql_name(irql_to));
    if (irql_to >= irql_from)
        return;
    if (self->kind == SIM_CTX_DPC && irql_to < SIM_IRQL_DISPATCH)
        check_report(SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, NULL, NULL, -1,
                     "%s to %s inside a DPC, which runs at DISPATCH_LEVEL throughout (C4/0x31, P4=1)", routine,
                     check_irql_name(irql_to));
    check_lowering_with_held(self, routine, irql_to, -1);
    check_order_lowered(self, irql_to, -1);
}

/* The lock that put the CPU at its IRQL, if any: the latest still held. */
static const sim_held *latest_held(const sim_ctx *self) {
    return self->held_count > 0 ? &self->held[self->held_count - 1] : NULL;
}

void check_irql_paged(void) {
    uint8_t irql = sim_irql_get();
    if (restricted_irql(irql) < SIM_IRQL_DISPATCH)
        return;
    const sim_held *held = latest_held(sim_R->current);
    check_report(SIM_FINDING_PAGED_AT_DISPATCH, SIM_SEV_ERROR, held ? held->lock : NULL, held ? held->site : NULL, -1,
                 "PAGED_CODE() at %s%s%s%s: pageable code must run at APC_LEVEL or below; a page fault here is "
                 "0xA IRQL_NOT_LESS_OR_EQUAL / 0xD1 (P2 IRQL)",
                 check_irql_name(irql), threaded_note(irql), held ? " holding " : "",
                 held ? check_lock_name(held->lock) : "");
}

void check_irql_wait(const char *routine, bool timeout_zero) {
    uint8_t actual = sim_irql_get(), irql = restricted_irql(actual);
    if (irql < SIM_IRQL_DISPATCH || (irql == SIM_IRQL_DISPATCH && timeout_zero))
        return;
    const sim_ctx *self = sim_R->current;
    const sim_held *held = latest_held(self);
    const char *analogue = irql > SIM_IRQL_DISPATCH    ? "C4/0x120"
                           : self->kind == SIM_CTX_DPC ? "0xB8 ATTEMPTED_SWITCH_FROM_DPC, C4/0x121-0x122"
                                                       : "C4/0x121 without a timeout, C4/0x122 with a nonzero one";
    check_report(SIM_FINDING_WAIT_AT_DISPATCH, SIM_SEV_ERROR, held ? held->lock : NULL, held ? held->site : NULL, -1,
                 "%s at %s%s%s%s: a wait that can block needs an IRQL below DISPATCH_LEVEL (%s)", routine,
                 check_irql_name(actual), threaded_note(actual), held ? " holding " : "",
                 held ? check_lock_name(held->lock) : "", analogue);
}
