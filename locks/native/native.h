/* native.h: what the native backend's files (locks/native/) share, and
 * what a native harness adds to the machine interface: CPUs as threads
 * (native_machine.c), raising and posting interrupts on them
 * (native_interrupt.c), the DPC queues (native_dpc.c), running a
 * scenario's setup to learn its roles (native_roles.c), and what a stress
 * test observes going wrong (native_observe.c, with the owner check of
 * native_owner.c). */
#ifndef LOCKS_NATIVE_H
#define LOCKS_NATIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"
#include "sim_check.h"

enum { NATIVE_CPUS_MAX = 8, NATIVE_ROLES_MAX = 8 };

/* ---- contexts and CPUs (native_machine.c) -------------------------------- */

/* Makes the calling thread context `id` (its CPU too: each thread is a CPU
 * of its own); -1 makes it no context, as setup code is. A thread never
 * bound numbers itself on its first lock operation. */
void native_ctx_bind(int id);
/* How many CPUs sim_cpu_count reports; 0: the host's. */
void native_cpu_count_set(int count);

/* ---- interrupts (native_interrupt.c) ------------------------------------- */

/* Raises interrupt source `source` (as sim_irq_register numbered it) on the
 * calling thread: its service runs now if the thread's IRQL is below the
 * source's DIRQL, else once a lowering unmasks it. Safe in a signal
 * handler, which is how a harness interrupts another thread. */
void native_interrupt_raise(int source);

/* The thread's IRQL has just been set to `irql`: delivers the pending
 * interrupts it no longer masks. */
void native_interrupts_unmasked(uint8_t irql);

/* Forgets every interrupt source, for a harness that runs a setup again. */
void native_interrupts_reset(void);

/* The sources connected so far, and how often the device raises each one
 * in a run (`fires` of sim_irq_register; 0 for a software interrupt such
 * as the DPC queues'). */
int native_interrupt_sources(void);
int native_interrupt_fires(int source);

/* Posting: one thread raising a source on another, as a device's line or
 * an IPI does, by a signal whose handler raises it there. Call
 * native_interrupts_post_setup once, before starting any thread: it blocks
 * the signal in the caller, and so in every thread it starts, until
 * native_cpu_bind. */
void native_interrupts_post_setup(void);
/* The calling thread becomes CPU `cpu` (native_ctx_bind) and takes what is
 * posted to that CPU from here on. Every CPU a post names must be bound,
 * and stay alive while posts may come. */
void native_cpu_bind(int cpu);
/* Raises `source` on CPU `cpu`: at once when that is the calling thread,
 * else by the signal. Safe in a signal handler. */
void native_interrupt_post(int cpu, int source);

/* The work the CPUs still owe: raises and posts of sources not yet
 * serviced, and DPCs queued and not yet returned. A run is over when its
 * threads are done and this is 0. */
long native_work_owed(void);
/* native_dpc.c's part of it: +1 per DPC queued, -1 when it has run or was
 * taken back. */
void native_work_add(long delta);

/* ---- DPCs (native_dpc.c) -------------------------------------------------- */

/* Empties every CPU's DPC queue and connects the software interrupt that
 * drains them (after native_interrupts_reset). */
void native_dpcs_reset(void);
/* The DISPATCH_LEVEL software interrupt that runs a CPU's queued DPCs. */
int native_dpc_source(void);
/* Whether a DPC waits on `cpu`'s queue: one queued in setup waits there for
 * the harness's post of native_dpc_source, as the machine's waits for the
 * scheduler. */
bool native_dpcs_queued(int cpu);

/* ---- a scenario's roles (native_roles.c) ---------------------------------- */

typedef struct native_thread_role {
    int cpu;
    void (*entry)(PVOID context);
    PVOID context;
} native_thread_role;

typedef struct native_end_check {
    void (*check)(PVOID context);
    PVOID context;
} native_end_check;

/* What a setup declared beyond its interrupt sources and DPCs, which the
 * interrupt controller and the DPC queues hold. */
typedef struct native_roles {
    int cpus;
    int thread_count, end_check_count;
    native_thread_role threads[NATIVE_ROLES_MAX];
    native_end_check end_checks[NATIVE_ROLES_MAX];
} native_roles;

/* Runs the setup of scenario `name` afresh (after freeing what the last one
 * allocated, connected and queued) and fills `roles` with what it
 * declared; false when there is no such scenario. A role the native
 * backend lacks (sim_init, timers, ...) is a link error, not a run. */
bool native_roles_setup(const char *name, native_roles *roles);

/* Frees every sim_alloc block (native_objects.c). */
void native_objects_free(void);

/* ---- what a stress test observes (native_observe.c, native_owner.c) ------ */

/* Hears of each thing that went wrong, by the finding kind nearest to it. */
typedef void native_observer(sim_kind kind);

/* Starts observing: the owner check (native_owner.c), failed invariants of
 * the scenario (sim_check_at), a routine returning at the wrong IRQL
 * (native_check_return) and bug checks each call `observer`. Before this,
 * the owner check is off and the rest is an internal error. */
void native_observe_with(native_observer *observer);
/* Whether a harness observes, and telling it. */
bool native_observing(void);
void native_observe(sim_kind kind);
/* The kernel's check of the IRQL a routine returns to it at: a DPC at its
 * entry IRQL (0xC8 IRQL_UNEXPECTED_VALUE), a thread's code at
 * PASSIVE_LEVEL (0xE1 from a work item, 0x4A from a system service). Any
 * other IRQL is observed as an irql-leak, and `irql` restored. */
void native_check_return(uint8_t irql);

/* Forgets every owner (between runs of a setup). */
void native_owner_reset(void);
/* The hooks native_machine.c calls: no-ops until native_observe_with. */
void native_owner_acquired(const sim_lock_op *op);
void native_owner_release(const sim_lock_op *op);

#endif
