/* check.h: what the checkers share (sim/check_*.c, one file per rule family
 * of docs/windows-contract.md sect. 3). check_hold.c owns the state they read:
 * each context's held locks (sim_ctx.held, in acquisition order, with the
 * Old token, family, handle and site), the lock owners the wait-for graph
 * follows, which contexts hold anything and which are inside an acquire. It
 * also dispatches every hook of sim_check.h to the rule files, in a fixed
 * order per hook, so one event gets one verdict (docs/design.md, Decisions). All
 * of it is per run: sim_check_run_begin() starts every run empty.
 *
 * Each rule file reports through check_report(): kind, severity, the lock by
 * its scenario name, the current site (the lock routine's call site, set by
 * the hook) and the other site (where the conflicting lock was acquired). */
#ifndef SIM_CHECK_INTERNAL_H
#define SIM_CHECK_INTERNAL_H

#include "internal.h"

/* ---- lock families (R7) --------------------------------------------------- */

/* What a family's acquire does to the IRQL, and so what its release restores. */
typedef enum check_mode {
    CHECK_MODE_RAISING,        /* raises to DISPATCH_LEVEL; Old is the token its release lowers to */
    CHECK_MODE_AT_DPC,         /* at DISPATCH_LEVEL or above; no token, no IRQL change */
    CHECK_MODE_FOR_DPC,        /* raises from PASSIVE, else AtDpcLevel; its release restores an Old below DISPATCH */
    CHECK_MODE_ABOVE_DISPATCH, /* raises to a level of its own above DISPATCH_LEVEL (an interrupt's
                                * SynchronizeIrql; HIGH_LEVEL, interrupts off, for the ExInterlocked
                                * list routines) and is released there; Old is the token */
} check_mode;

/* The lock word and protocol a family works on. Families of one class may
 * be mixed with at most a `rule` finding; across classes never (R7). */
typedef enum check_class {
    CHECK_CLASS_SPIN,
    CHECK_CLASS_QUEUED,
    CHECK_CLASS_INTERRUPT,
    CHECK_CLASS_EX_SHARED,
    CHECK_CLASS_EX_EXCLUSIVE,
    CHECK_CLASS_EX_LIST, /* a KSPIN_LOCK the ExInterlocked list routines take themselves */
    CHECK_CLASS_COUNT
} check_class;

check_mode check_family_mode(sim_lock_family family);
check_class check_family_class(sim_lock_family family);
/* The IRQL a release of `mode` leaves: its IRQL argument (NewIrql, Old),
 * or the current IRQL where it does not lower. */
uint8_t check_release_result(check_mode mode, uint8_t irql_arg, uint8_t irql_now);
/* The lowest IRQL at which holding `held` stays safe (R6): DISPATCH_LEVEL,
 * or the level a lock taken above it was taken at (an interrupt lock's
 * SynchronizeIrql). */
uint8_t check_held_floor(const sim_held *held);
/* A Try routine attempts once and never waits, so it orders nothing. */
bool check_op_is_try(const sim_lock_op *op);

/* ---- who holds, who acquires ------------------------------------------------ */

/* A set of context ids. Membership is checked against the dense list, so a
 * new run empties it by setting count to 0. */
typedef struct check_ctx_set {
    int count;
    int ids[SIM_CTX_MAX];   /* dense, any order */
    int index[SIM_CTX_MAX]; /* position of an id in ids[], valid only for members */
} check_ctx_set;

/* An acquire in progress: opened by sim_check_acquire, closed when the
 * context owns the lock, starts another acquire or ends. A Try that failed
 * leaves it open but no longer current (the context's site moved on). */
typedef struct check_acquiring {
    const void *lock;
    const void *handle;
    const sim_site *site;
    uint64_t since_step;    /* global step of the first attempt: a sleeping spinner ages with it */
    uint64_t arrival;       /* order of first attempts in this run: who came first */
    bool arrived_fair;      /* the first attempt was in the liveness phase */
    uint64_t bypassed;      /* later arrivals that acquired the lock first (check_starvation.c) */
    uint64_t bypassed_fair; /* of those, the ones in the liveness phase */
} check_acquiring;

const check_ctx_set *check_holders(void);   /* contexts holding at least one lock */
const check_ctx_set *check_acquirers(void); /* contexts with an acquire open */
/* The acquire `ctx` is executing right now, or NULL. */
check_acquiring *check_acquiring_of(const sim_ctx *ctx);
/* The index in ctx->held of the entry `op` names (by handle when it has
 * one, else by lock), latest first; -1 when none. */
int check_held_find(const sim_ctx *ctx, const sim_lock_op *op);
/* The index in ctx->held of its latest entry of `lock`; -1 when none. */
int check_held_lock(const sim_ctx *ctx, const void *lock);
/* A context other than `self` (NULL: any context) holding an entry with
 * that handle (when not NULL) or that lock; NULL when none. `*index` gets
 * the entry. */
sim_ctx *check_other_holder(const sim_ctx *self, const void *lock, const void *handle, int *index);

/* ---- reports ------------------------------------------------------------------ */

const char *check_irql_name(uint8_t irql);
const char *check_lock_name(const void *lock);
/* Reports at the current site; `other_site`/`other_ctx` name the
 * acquisition the event conflicts with (NULL/-1 when none). A `rule` is
 * reported once per kind and site in a run. Both are `cold`, as
 * sim_report is. */
__attribute__((cold)) void check_report(sim_kind kind, sim_severity severity, const void *lock,
                                        const sim_site *other_site, int other_ctx, const char *format, ...)
    __attribute__((format(printf, 6, 7)));
/* The same at `site` (NULL: the current site). */
__attribute__((cold)) void check_report_at(const sim_site *site, sim_kind kind, sim_severity severity, const void *lock,
                                           const sim_site *other_site, int other_ctx, const char *format, ...)
    __attribute__((format(printf, 7, 8)));

/* ---- the rule files, in the order the hooks call them ------------------------ */

/* check_irql.c: R1 caller IRQL, R2 direction, R6 lowering while holding, R12 paging and waits. */
void check_irql_acquire(const sim_lock_op *op);
void check_irql_release(const sim_lock_op *op, int held_index);
void check_irql_caller(const char *routine, uint8_t irql_min, uint8_t irql_max);
void check_irql_change(const char *routine, uint8_t irql_from, uint8_t irql_to);
/* The call of the latest KeRaiseIrql-family raise of `ctx` still in effect,
 * when it raised from `irql_from_min` or above (within the routine that
 * entered there); else NULL. */
const sim_site *check_irql_raised_at(const sim_ctx *ctx, uint8_t irql_from_min);
void check_irql_paged(void);
void check_irql_wait(const char *routine, bool timeout_zero);

/* check_recursion.c: R5 re-acquire on the same CPU. */
void check_recursion_acquire(const sim_lock_op *op);

/* check_release.c: R4 ownership, R7 family, R3 Old token, R8 queue handles.
 * check_release_match returns the index of the released entry in the
 * current context's held locks, or -1 when there is none (the finding was
 * allowed). */
void check_release_run_begin(void);
int check_release_match(const sim_lock_op *op);
/* R7 across acquisitions: a KSPIN_LOCK the ExInterlocked list routines use
 * must serve no other API in the run. */
void check_release_class_acquire(const sim_lock_op *op);
void check_release_handle_acquire(const sim_lock_op *op);
/* check_handle_reuse.c: R8a across time, a handle passed between contexts
 * with nothing ordering its uses. */
void check_handle_reuse_run_begin(void);
void check_handle_reuse_acquire(const sim_lock_op *op);
/* `held`, an acquisition of the current context, was just released. */
void check_handle_reuse_released(const sim_held *held);
/* R3 at an acquire that owns its lock and is about to write its Old
 * through op->old_irql_out: that variable must not hold the Old of an
 * acquisition still held (another context's: reported now; this
 * context's: marked, and judged at that acquisition's release). */
void check_release_token_acquired(const sim_lock_op *op);

/* check_order.c: R14 lock-order cycles, R11 IRQL consistency. */
void check_order_run_begin(void);
void check_order_acquire(const sim_lock_op *op);
void check_order_acquired(const sim_ctx *self, const sim_held *held);
/* The current context lowers to `irql` while holding its locks except
 * held[except_index] (the one being released, or -1). */
void check_order_lowered(const sim_ctx *self, uint8_t irql, int except_index);

/* check_starvation.c: R15 watchdogs and starvation. */
void check_starvation_run_begin(void);
void check_starvation_acquired(const sim_lock_op *op, const check_acquiring *mine);
void check_starvation_ctx_exit(const sim_ctx *ctx);

/* check_lifetime.c: R16 and R8b, what lives in freed or returned memory.
 * At a wdm.h call whose caller's stack pointer is `caller_sp`. */
void check_lifetime_call(uintptr_t caller_sp);

/* check_exit.c: R13 context and callback exit. */
void check_exit_ctx(const sim_ctx *ctx);
void check_exit_callback(const sim_check_callback *callback);

/* ---- for the run summary --------------------------------------------------------- */

/* How fair one lock was in the run that just ran (valid until the next run
 * begins): acquisitions, the most times one waiter was overtaken by a later
 * arrival, and the longest wait from first attempt to owning, in global
 * steps. */
typedef struct sim_fairness {
    uint64_t acquisitions;
    uint64_t bypass_max;
    uint64_t wait_max_steps;
} sim_fairness;
/* `lock_id` as sim_lock_id() numbers locks. */
sim_fairness sim_check_fairness(int lock_id);

#endif
