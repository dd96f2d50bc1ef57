/* check_recursion.c enforces R5 of docs/windows-contract.md: a lock acquired
 * again on the CPU that holds it, by its holder or by a DPC or ISR stacked
 * above the holder, can never be released: 0xF SPIN_LOCK_ALREADY_OWNED
 * (checked kernels), DV C4/0x1000; a free kernel spins until 0x133/0x101.
 * Reported at the acquire itself, before it spins, with the kind
 * sim/deadlock.c gives the spinner when it sleeps (docs/design.md, Decisions:
 * "One event, one verdict"). A Try on an owned lock counts too (checked
 * 0xF), and so does a shared EX_SPIN_LOCK taken twice, which hangs as soon
 * as a writer waits between the two (sect. 2: "any recursion -> hang"). */
#include "check.h"

static void report_recursion(const sim_lock_op *op, const sim_ctx *self, const sim_ctx *holder, const sim_held *held) {
    if (holder == self)
        check_report(SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, op->lock, held->site, holder->id,
                     "%s: %s acquires %s, which it already holds: it would spin on itself forever "
                     "(0xF SPIN_LOCK_ALREADY_OWNED, DV C4/0x1000)",
                     op->routine, self->label, check_lock_name(op->lock));
    else
        check_report(SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR, op->lock, held->site, holder->id,
                     "%s: %s acquires %s, which %s holds below it on cpu%d: the holder cannot run until %s "
                     "returns (0xF SPIN_LOCK_ALREADY_OWNED, DV C4/0x1000)",
                     op->routine, self->label, check_lock_name(op->lock), holder->label, self->cpu, self->label);
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
