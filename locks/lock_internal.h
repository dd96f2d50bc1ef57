/* lock_internal.h: what the lock families in locks/ share privately. The
 * test-and-test-and-set word of an ordinary KSPIN_LOCK (spinlock.c) is also
 * the word behind an interrupt object's ActualLock (interrupt.c), the lock
 * of the ExInterlocked list routines (exlist.c), the cancel spin lock
 * (irp.c) and the KMDF and NDIS spin locks (wdf.c, ndis.c), so those take
 * it through the same code; the NDIS reader/writer lock is exlock.c's
 * EX_SPIN_LOCK. Each passes its own routine name, which reports show.
 * Nothing here is driver-visible; the native backend (locks/native/)
 * compiles spinlock.c and queued.c against the same header. */
#ifndef LOCKS_LOCK_INTERNAL_H
#define LOCKS_LOCK_INTERNAL_H

#include "sim_check.h"
#include "sim_machine.h"
#include "wdm.h"

/* ---- the KSPIN_LOCK word (spinlock.c) ------------------------------------ */

/* Spins until the word is owned by the current context (no IRQL change, no
 * checker call: callers report around it). */
void locks_spin_acquire(PKSPIN_LOCK lock);
/* One attempt without spinning: TRUE when the word is now owned. */
BOOLEAN locks_spin_try(PKSPIN_LOCK lock);
/* Frees the word; the caller owns it. */
void locks_spin_release(PKSPIN_LOCK lock);

/* The checked routines behind KeAcquireSpinLock and its kin, under another
 * routine's name. The raising acquire sets DISPATCH_LEVEL and hands out the
 * entry IRQL (returned, and written to `old_out` once owned unless NULL);
 * the AtDpcLevel acquire leaves the IRQL alone. The release's op carries
 * `op_irql` (the Old it hands back, or SIM_IRQL_NONE) and then sets
 * `irql_new` unless it is SIM_IRQL_NONE. */
KIRQL locks_spin_acquire_raising(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, PKIRQL old_out,
                                 const sim_site *site);
void locks_spin_acquire_at_dpc(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, uint8_t irql_old,
                               const sim_site *site);
void locks_spin_release_as(PKSPIN_LOCK lock, const char *routine, sim_lock_family family, uint8_t op_irql,
                           uint8_t irql_new, const sim_site *site);

/* ---- EX_SPIN_LOCK (exlock.c) ----------------------------------------------- */

/* A checked shared or exclusive acquire under `routine`: raising (returns
 * the entry IRQL) or at DISPATCH_LEVEL (returns SIM_IRQL_NONE). */
KIRQL locks_ex_acquire(PEX_SPIN_LOCK lock, bool exclusive, bool at_dpc, const char *routine, const sim_site *site);
/* Its release: lowers to `old` unless the acquire was at DISPATCH_LEVEL. */
void locks_ex_release(PEX_SPIN_LOCK lock, bool exclusive, bool at_dpc, KIRQL old, const char *routine,
                      const sim_site *site);

/* ---- the interlocked list routines (exlist.c) ------------------------------ */

typedef enum locks_list_op {
    LOCKS_LIST_INSERT_HEAD, /* LIST_ENTRY; returns the old first entry */
    LOCKS_LIST_INSERT_TAIL, /* LIST_ENTRY; returns the old first entry */
    LOCKS_LIST_REMOVE_HEAD, /* LIST_ENTRY; returns the removed entry */
    LOCKS_LIST_PUSH,        /* SINGLE_LIST_ENTRY; returns the old first entry */
    LOCKS_LIST_POP,         /* SINGLE_LIST_ENTRY; returns the removed entry */
} locks_list_op;

/* The list operation under `lock`, taken as ExInterlocked*List take it
 * (with interrupts off), reported under `routine`. NULL: the list was empty. */
PVOID locks_list_locked(const char *routine, locks_list_op op, PVOID head, PVOID entry, PKSPIN_LOCK lock,
                        const sim_site *site);

/* ---- interrupt objects (interrupt.c) --------------------------------------- */

/* A connected interrupt object whose ISR is `isr(interrupt, context)`; NULL
 * when the machine refused the source (it has recorded why). */
PKINTERRUPT locks_interrupt_create(PKSERVICE_ROUTINE isr, PVOID context, PKSPIN_LOCK lock, KIRQL dirql,
                                   KIRQL synchronize_irql, int fires, const char *name);
/* Raises to SynchronizeIrql and takes ActualLock, for a caller at
 * PASSIVE_LEVEL..caller_max (at most SynchronizeIrql); returns the entry
 * IRQL. */
KIRQL locks_interrupt_lock(PKINTERRUPT interrupt, const char *routine, KIRQL caller_max, const sim_site *site);
void locks_interrupt_unlock(PKINTERRUPT interrupt, KIRQL irql_new, const char *routine, const sim_site *site);
/* Runs `callback(context)` holding the interrupt lock, as a SynchCritSection
 * routine named `callback_name`; returns its value. */
BOOLEAN locks_interrupt_synchronize(PKINTERRUPT interrupt, const char *routine, KIRQL caller_max,
                                    PKSYNCHRONIZE_ROUTINE callback, PVOID context, const char *callback_name,
                                    const sim_site *site);

/* ---- DPCs (dpc.c) ------------------------------------------------------------ */

/* KDPC.Inserted, the DPC's queued flag. */
enum { LOCKS_DPC_IDLE = 0, LOCKS_DPC_QUEUED = 1 };

/* The CPU an insert of `dpc` queues on: its target, else `cpu_default`.
 * False, after a finding, when the machine has no such CPU. */
bool locks_dpc_target(const KDPC *dpc, int cpu_default, int *cpu);
/* Aims the DPC at `cpu`, as KeSetTargetProcessorDpc does (KDPC.Number holds
 * the CPU + 1; 0 means the current one). */
void locks_dpc_aim(PRKDPC dpc, int cpu);

/* Queues `dpc` on `cpu` with its routine and context as they are now and
 * the two arguments given; its queued flag (`queued_flag`, which the
 * machine clears at dequeue) is already won. `run` is the DPC context's
 * body (dpc.c). */
void locks_dpc_enqueue(PRKDPC dpc, int cpu, volatile LONG *queued_flag, void (*run)(const sim_dpc_request *),
                       PVOID arg1, PVOID arg2);
/* KeInsertQueueDpc's insert: FALSE when the DPC was already queued. */
BOOLEAN locks_dpc_insert(PRKDPC dpc, PVOID arg1, PVOID arg2);

/* ---- dispatcher objects (wait.c, thread.c) ------------------------------- */

/* Sets a dispatcher header's Type and empties its wait list (plain writes:
 * the caller stores the initial SignalState). */
void locks_dispatcher_init(PDISPATCHER_HEADER header, UCHAR type);
/* Called right after the step that signaled `header`: wakes the
 * KeWaitForMultipleObjects waiters linked on it, one step each; no step
 * when none is linked. */
void locks_dispatcher_signaled(PDISPATCHER_HEADER header);
/* A thread object a wait may name: one the driver started with
 * PsCreateSystemThread, which is signaled when it ends. */
bool locks_thread_waitable(const DISPATCHER_HEADER *header);

/* ---- findings of the model itself (debug.c) ----------------------------- */

/* The `bug-check` finding of KeBugCheckEx at the current site; if the
 * finding is allowed, the CPU stops here for good. */
_Noreturn void locks_bug_check(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4);
/* The same for a bug check the model raises itself: the message names
 * the routine and why ("WdfDmaTransactionExecute on a transaction that is
 * not initialized"). */
_Noreturn void locks_bug_check_because(ULONG code, const char *routine, const char *why);

/* ---- per-run state of the model (run_state.c) ----------------------------- */

/* True the first time it is called in a run for `key`, a static object of
 * locks/ that must start afresh in every run (the cancel spin lock, the
 * clock, the thread list): the caller then resets it. `name` is how
 * reports and traces name `key`. */
bool locks_first_use_in_run(const volatile void *key, const char *name);

/* ---- pool (pool.c) --------------------------------------------------------- */

/* Frees pool memory as ExFreePoolWithTag does, with reports and the IRQL
 * check naming `routine` (NdisFreeNetBufferList, IoFreeMdl...). */
void locks_pool_free(const char *routine, PVOID P, const sim_site *site);
/* The highest IRQL memory of pool type `type` may be touched at:
 * APC_LEVEL for paged pool, DISPATCH_LEVEL for nonpaged. */
KIRQL locks_pool_irql_max(POOL_TYPE type);

/* ---- MDLs (mdl.c) ------------------------------------------------------------ */

/* Fills `mdl` to describe [address, address + length) as IoAllocateMdl
 * does: StartVa the start of its page, ByteOffset the address within it. */
void locks_mdl_describe(PMDL mdl, PVOID address, ULONG length);

/* ---- small shared helpers ------------------------------------------------ */

/* Marks a function that touches only the model's own bookkeeping (wait
 * lists, the thread list): shared between contexts, but read and written
 * only between steps, never across a scheduling point, so plain accesses
 * are exact. TSan, which cannot know that, is told not to look. */
#define LOCKS_BOOKKEEPING __attribute__((no_sanitize("thread")))

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

/* ---- routines declared but not modelled (unmodelled.c) -------------------- */

/* Stops the run as a bad scenario naming `routine`. */
_Noreturn void spinsim_unmodelled(const char *routine);
/* A weak definition of the declared routine `name` that stops the run when
 * called; a harness's own definition of `name` replaces it at link time. */
#define SPINSIM_UNMODELLED(type, name, params)                                                                         \
    __attribute__((weak)) type name params { spinsim_unmodelled(#name); }

#endif
