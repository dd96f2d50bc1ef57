/* sim_machine.h is the machine's interface for lock code (locks/): the atomic
 * layer through which every access to shared lock state goes, the current
 * context and its IRQL, DPC and interrupt plumbing, the lock-ownership
 * registry the wait-for graph reads, and findings. Driver code never includes
 * it; it sees wdm.h and sim.h only.
 *
 * Every sim_atomic_* call and every IRQL change is one step and one
 * scheduling point: before it executes, the scheduler may run another CPU,
 * deliver an interrupt or a DPC, or switch threads. Plain memory accesses are
 * not scheduling points. */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_kind.h"
#include "sim_site.h"

enum {
    SIM_CPUS_MAX = 64,
    SIM_IRQL_PASSIVE = 0,
    SIM_IRQL_APC = 1,
    SIM_IRQL_DISPATCH = 2,
    SIM_IRQL_DIRQL_MIN = 3,
    SIM_IRQL_DIRQL_MAX = 12,
    SIM_IRQL_HIGH = 15,
};

typedef enum sim_ctx_kind { SIM_CTX_THREAD, SIM_CTX_DPC, SIM_CTX_THREADED_DPC, SIM_CTX_ISR } sim_ctx_kind;

/* ---- the current context ---------------------------------------------- */

int sim_cpu_current(void);
int sim_cpu_count(void);
int sim_ctx_current_id(void);
sim_ctx_kind sim_ctx_current_kind(void);
/* Records the driver call site the current context is executing; steps and
 * findings name it. Lock routines call it on entry. */
void sim_site_set(const sim_site *site);
const sim_site *sim_site_get(void);

/* IRQL of the current CPU. sim_irql_set is one step; it does no checking (the
 * lock layer and the checkers judge direction and provenance). Lowering below
 * DISPATCH_LEVEL lets pending DPCs run. */
uint8_t sim_irql_get(void);
void sim_irql_set(uint8_t irql);

/* A thread the driver starts (PsCreateSystemThread): ready at once, at
 * PASSIVE_LEVEL, on any CPU. Returns its context id, or -1 when the
 * scenario already has SIM_THREADS_MAX threads (reported as a finding). */
int sim_thread_spawn(void (*entry)(void *), void *context, const char *name);
/* A word the machine sets to 1 when context `id` ends, so a waiter can
 * sleep on it with sim_spin_wait. */
const volatile int32_t *sim_ctx_ended_word(int id);

/* ---- the atomic layer --------------------------------------------------- */
/* size is 1, 2, 4 or 8 bytes; values are zero-extended. RMW operations return
 * the old value. A step that writes wakes every context sleeping on an
 * overlapping address. */
uint64_t sim_atomic_load(const volatile void *addr, int size);
void sim_atomic_store(volatile void *addr, uint64_t value, int size);
uint64_t sim_atomic_exchange(volatile void *addr, uint64_t value, int size);
uint64_t sim_atomic_compare_exchange(volatile void *addr, uint64_t expected, uint64_t desired, int size);
uint64_t sim_atomic_fetch_add(volatile void *addr, uint64_t value, int size);
uint64_t sim_atomic_fetch_or(volatile void *addr, uint64_t value, int size);
uint64_t sim_atomic_fetch_and(volatile void *addr, uint64_t value, int size);
uint64_t sim_atomic_fetch_xor(volatile void *addr, uint64_t value, int size);

/* A spin loop's pause: the context sleeps until some step writes `watch`.
 * `lock` names the lock being waited for (for the wait-for graph); it may
 * equal `watch` (test-and-set locks) or differ (MCS waiters watch their own
 * queue node). Closing a wait-for cycle is reported here. */
void sim_spin_wait(const volatile void *watch, const void *lock);
/* A scheduling point that changes no state (YieldProcessor,
 * KeStallExecutionProcessor): counts as a step. */
void sim_yield_step(const char *what);
/* DbgPrint and its kin: one step that puts `text` (formatted by the
 * caller) into the trace, as "print" followed by the text. */
void sim_print_step(const char *text);

/* A wdm.h routine reads (or writes) [addr, addr + size) of driver memory
 * plainly for the driver code that called it, `caller` being that call's
 * return address (__builtin_return_address(0) in the routine the driver
 * calls): checked for data races and use after free as the driver's own
 * accesses are, and named by the caller's site. Not a step. */
void sim_driver_access(const volatile void *addr, size_t size, bool write, const void *caller);

/* ---- lock ownership (read by the wait-for graph and the checkers) -------- */

/* Returns the registry id of the lock at `addr`, registering it on first use.
 * Ids are assigned in first-use order, so they are deterministic. */
int sim_lock_id(const void *addr);
void sim_lock_set_owner(const void *addr, int ctx_id);
void sim_lock_clear_owner(const void *addr);
/* The owning context id, or -1 when free or unknown. */
int sim_lock_owner(const void *addr);
/* The name a scenario gave `addr` with sim_name(), else "lock#N"/"obj#N". */
const char *sim_object_name(const void *addr);

/* ---- DPCs ----------------------------------------------------------------- */

typedef struct sim_dpc_request sim_dpc_request;
struct sim_dpc_request {
    const void *object;                          /* identity: the KDPC */
    volatile int32_t *queued_flag;               /* cleared at dequeue, before the routine runs */
    void (*run)(const sim_dpc_request *request); /* runs the routine in the DPC context */
    void *routine, *context, *arg1, *arg2;
    const char *name;
    bool threaded;
    bool high_importance;
};
/* Queues a copy of `request` on `cpu`. The caller has already won the
 * queued flag. A queue on the current CPU is a local request: it runs as soon
 * as the IRQL drops below DISPATCH_LEVEL; a remote one waits for the
 * scheduler to deliver it. */
void sim_dpc_enqueue(int cpu, const sim_dpc_request *request);
/* Removes a queued request for `object`; true if one was removed. */
bool sim_dpc_dequeue(const void *object);

/* ---- interrupts --------------------------------------------------------- */

/* Registers an interrupt source: `service` runs as the ISR context, entered
 * at `dirql` (the source raises further itself). fires = how many times the
 * scheduler may deliver it. Returns the source id. */
int sim_irq_register(const char *name, uint8_t dirql, int fires, void (*service)(void *arg), void *arg);
/* The interrupt source the current ISR context is serving, or -1. */
int sim_irq_current(void);

/* ---- findings ------------------------------------------------------------- */

typedef struct sim_finding_info {
    sim_kind kind;
    sim_severity severity;
    const void *lock;           /* may be NULL */
    const sim_site *site;       /* the site that broke the rule; NULL = current */
    const sim_site *other_site; /* e.g. where the lock was acquired; may be NULL */
    int other_ctx;              /* context of other_site, or -1 */
    char message[256];
} sim_finding_info;

/* Reports a finding. An `error` (unless allowed) ends the run at once and
 * does not return; a `rule` is recorded and the run goes on. Both are
 * `cold`: a step's path that may report keeps the report out of its way. */
__attribute__((cold)) void sim_report(const sim_finding_info *info);
__attribute__((cold)) void sim_reportf(sim_kind kind, sim_severity severity, const void *lock,
                                       const sim_site *other_site, const char *format, ...)
    __attribute__((format(printf, 5, 6)));

/* The scenario cannot go on as it was written (`why`, one line): the run
 * ends as a bad scenario (exit status 2), from its setup or a context. */
_Noreturn void sim_scenario_cannot_go_on(const char *why);

/* Reports a broken simulator invariant (not a driver bug) and aborts. */
_Noreturn void sim_panic(const char *format, ...) __attribute__((format(printf, 1, 2)));
#define SIM_ASSERT(cond) ((cond) ? (void)0 : sim_panic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #cond))

#endif
