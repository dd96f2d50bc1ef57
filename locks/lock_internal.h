/* lock_internal.h: what the lock families in locks/ share privately. The
 * test-and-test-and-set word of an ordinary KSPIN_LOCK (spinlock.c) is also
 * the word behind an interrupt object's ActualLock (interrupt.c) and the lock
 * of the ExInterlocked list routines (exlist.c), so those take it through
 * the same code. Nothing here is driver-visible; the native backend
 * (locks/native/) compiles spinlock.c and queued.c against the same header. */
#ifndef LOCKS_LOCK_INTERNAL_H
#define LOCKS_LOCK_INTERNAL_H

#include "sim_check.h"
#include "sim_machine.h"
#include "wdm.h"

/* Spins until the word is owned by the current context (no IRQL change, no
 * checker call: callers report around it). */
void locks_spin_acquire(PKSPIN_LOCK lock);
/* One attempt without spinning: TRUE when the word is now owned. */
BOOLEAN locks_spin_try(PKSPIN_LOCK lock);
/* Frees the word; the caller owns it. */
void locks_spin_release(PKSPIN_LOCK lock);

/* KDPC.Inserted, the DPC's queued flag (dpc.c). */
enum { LOCKS_DPC_IDLE = 0, LOCKS_DPC_QUEUED = 1 };

/* The CPU an insert of `dpc` queues on: its target, else `cpu_default`.
 * False, after a finding, when the machine has no such CPU. */
bool locks_dpc_target(const KDPC *dpc, int cpu_default, int *cpu);

/* Queues `dpc` on `cpu` with its routine and context as they are now and
 * the two arguments given; its queued flag (`queued_flag`, which the
 * machine clears at dequeue) is already won. `run` is the DPC context's
 * body (dpc.c). */
void locks_dpc_enqueue(PRKDPC dpc, int cpu, volatile LONG *queued_flag, void (*run)(const sim_dpc_request *),
                       PVOID arg1, PVOID arg2);

/* Sets the current CPU's IRQL. Setting the level already in force changes
 * nothing and is skipped, so it costs no step. */
static inline void locks_irql_set(uint8_t irql) {
    if (sim_irql_get() != irql)
        sim_irql_set(irql);
}

/* The lock operation every checker hook takes; old_irql_out is NULL (an
 * acquire that writes its Old through a pointer sets it after). */
static inline sim_lock_op locks_op(const char *routine, const void *lock, sim_lock_family family, const void *handle,
                                   uint8_t irql, const sim_site *site) {
    return (sim_lock_op){
        .routine = routine, .lock = lock, .family = family, .handle = handle, .irql = irql, .site = site};
}

#endif
