/* native.h: what the native backend's files (locks/native/) share, and
 * what a native harness adds to the machine interface: raising an
 * interrupt on the calling thread, as a device's line would; running a
 * scenario's setup to learn its roles (native_roles.c); and the owner
 * check a stress test detects misuse with (native_owner.c). */
#ifndef LOCKS_NATIVE_H
#define LOCKS_NATIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

/* Raises interrupt source `source` (as sim_irq_register numbered it) on the
 * calling thread: its service runs now if the thread's IRQL is below the
 * source's DIRQL, else once a lowering unmasks it. Safe in a signal
 * handler, which is how a harness interrupts another thread. */
void native_interrupt_raise(int source);

/* The thread's IRQL has just been set to `irql`: delivers the pending
 * interrupts it no longer masks (native_interrupt.c). */
void native_interrupts_unmasked(uint8_t irql);

/* Forgets every interrupt source, for a harness that runs a setup again. */
void native_interrupts_reset(void);

/* ---- a scenario's roles, natively (native_roles.c) ---------------------- */

enum { NATIVE_CPUS_MAX = 8, NATIVE_ROLES_MAX = 8 };

typedef struct native_thread_role {
    int cpu;
    void (*entry)(PVOID context);
    PVOID context;
} native_thread_role;

/* A DPC: the interrupt source that runs its routine at DISPATCH_LEVEL on
 * the thread it is raised on, the CPU it is queued on, and how many times
 * it is queued (1 for sim_dpc; `fires` for sim_dpc_later). */
typedef struct native_dpc_role {
    int cpu;
    int source;
    int fires;
} native_dpc_role;

typedef struct native_roles {
    int cpus;
    int thread_count, dpc_count;
    native_thread_role threads[NATIVE_ROLES_MAX];
    native_dpc_role dpcs[NATIVE_ROLES_MAX];
} native_roles;

/* Runs the setup of scenario `name` afresh (after freeing what the last one
 * allocated and connected) and fills `roles` with what it declared; false
 * when there is no such scenario. A role the native backend lacks
 * (sim_init, events, ...) is a link error, not a run. */
bool native_roles_setup(const char *name, native_roles *roles);

/* How many DPC routines have returned since the process started. */
long native_dpcs_run(void);

/* Frees every sim_alloc block (native_objects.c). */
void native_objects_free(void);

/* ---- the owner check (native_owner.c) ------------------------------------ */

/* Called with the kind of misuse (SIM_FINDING_RELEASE_NOT_OWNED,
 * SIM_FINDING_RELEASE_WRONG_OWNER) when a checked release finds it. */
typedef void native_misuse_handler(sim_kind kind);

/* Starts recording which thread owns each lock, as Driver Verifier does,
 * and judging every release by it; `on_misuse` hears of each misuse. */
void native_owner_check(native_misuse_handler *on_misuse);
/* Forgets every owner (between runs of a setup). */
void native_owner_reset(void);
/* The hooks native_machine.c calls: no-ops until native_owner_check. */
void native_owner_acquired(const void *lock);
void native_owner_release(const void *lock);

#endif
