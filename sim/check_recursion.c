/* check_recursion.c enforces R5 of docs/windows-contract.md: a lock acquired
 * again on the CPU that holds it can never be released; a free kernel spins
 * until 0x133/0x101. Reported at the acquire itself, before it spins, with
 * one verdict per cause (docs/design.md, Decisions: "One event, one
 * verdict"):
 * - the holder itself acquires it again: `recursive-acquire` (0xF
 *   SPIN_LOCK_ALREADY_OWNED on checked kernels, DV C4/0x1000). A Try on an
 *   owned lock counts too (checked 0xF), and so does a shared EX_SPIN_LOCK
 *   taken twice, which hangs as soon as a writer waits between the two
 *   (sect. 2: "any recursion -> hang");
 * - an ISR or DPC that interrupted the holder on its CPU acquires it: the
 *   defect is the lock's, taken below the interrupt's level without holding
 *   the interrupt off (R11): `irq-unsafe-lock`, naming the holder's acquire
 *   and the interrupting one, so the author goes to the lock's two uses. */
#include "check.h"

static void report_recursion(const sim_lock_op *op, const sim_ctx *self, const sim_ctx *holder, const sim_held *held) {
    if (holder == self)
        check_report(SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, op->lock, held->site, holder->id,
                     "%s: %s acquires %s, which it already holds: it would spin on itself forever "
                     "(0xF SPIN_LOCK_ALREADY_OWNED, DV C4/0x1000)",
                     op->routine, self->label, check_lock_name(op->lock));
    else
        check_report(SIM_FINDING_IRQ_UNSAFE_LOCK, SIM_SEV_ERROR, op->lock, held->site, holder->id,
                     "%s: %s interrupted %s on cpu%d and acquires %s, which %s holds: the holder cannot run "
                     "until %s returns. The lock is taken at %s here and below it there, without holding %s "
                     "off (%s)",
                     op->routine, self->label, holder->label, self->cpu, check_lock_name(op->lock), holder->label,
                     self->label, check_irql_name(sim_irql_get()), self->kind == SIM_CTX_ISR ? "the interrupt" : "DPCs",
                     self->kind == SIM_CTX_ISR ? "C4/0x42 when the ISR interrupts the holder; take it with "
                                                 "KeSynchronizeExecution or KeAcquireInterruptSpinLock"
                                               : "0xF SPIN_LOCK_ALREADY_OWNED on checked kernels");
}

void check_recursion_acquire(const sim_lock_op *op) {
    const sim_ctx *self = sim_R->current;
    const sim_cpu *cpu = &sim_R->cpus[self->cpu];
    SIM_ASSERT(sim_cpu_top(cpu) == self);
    for (int d = 0; d < cpu->depth; d++) {
        const sim_ctx *holder = cpu->stack[d];
        for (int i = 0; i < holder->held_count; i++)
            if (holder->held[i].lock == op->lock) {
                report_recursion(op, self, holder, &holder->held[i]);
                return;
            }
    }
}
