/* internal.h declares the state of one simulated execution (a "run") and the
 * functions sim/ modules share. Nothing here survives a run: sim_run_execute()
 * resets it all, so a run is a pure function of scenario, parameters and
 * decisions.
 *
 * Invariants of the machine:
 * - Each CPU has a stack of contexts: stack[0] is a thread (or the CPU is
 *   idle, depth 0); DPCs and ISRs sit above it as they preempt. Only the top
 *   context of a CPU runs. A context is on at most one stack.
 * - Exactly one context executes at any time (`run->current`); the others are
 *   suspended inside sim_sched_point() or FRESH.
 * - A CPU's IRQL < DISPATCH_LEVEL belongs to its thread (saved on a switch);
 *   IRQL >= DISPATCH_LEVEL belongs to the CPU: no thread switch, no DPC.
 * - A SLEEPING context waits for a write to `wait_addr`; it is never chosen
 *   until a step writes there.
 * - DONE contexts are on no stack and on no queue. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fiber.h"
#include "sim.h"
#include "sim_check.h"
#include "sim_machine.h"

enum {
    SIM_CTX_MAX = 4096,    /* contexts per run (threads + every DPC/ISR run) */
    SIM_THREADS_MAX = 64,  /* threads per scenario */
    SIM_DEPTH_MAX = 24,    /* contexts stacked on one CPU */
    SIM_DPCQ_MAX = 64,     /* queued DPCs per CPU */
    SIM_IRQS_MAX = 16,     /* interrupt sources per scenario */
    SIM_PARAMS_MAX = 32,   /* parameters per run */
    SIM_LOCKS_MAX = 1024,  /* named objects and locks per run */
    SIM_FINDINGS_MAX = 32, /* findings recorded per run */
    SIM_TAIL_MAX = 32,     /* trace events kept for a report's tail */
    SIM_END_CHECKS_MAX = 8,
    SIM_FIBER_STACK = 256 * 1024,
};

typedef enum ctx_state { CTX_READY, CTX_SLEEPING, CTX_DONE } ctx_state;

enum { SIM_HELD_MAX = 16, SIM_RAISES_MAX = 4 };

/* One lock a context holds, as its acquire left it: the Old IRQL token the
 * release must hand back and the variable the acquire wrote it into, the
 * family the release must match, the queue handle, and where it was taken. */
typedef struct sim_held {
    const void *lock;
    sim_lock_family family;
    const void *handle;
    uint8_t irql_old;                   /* IRQL before the acquire (the Old token) */
    uint8_t irql_held;                  /* IRQL right after owning */
    const void *old_irql_out;           /* the KIRQL variable holding the token, or NULL (sim_lock_op) */
    const sim_site *old_overwritten_at; /* where this context's later acquire wrote over that variable */
    const void *old_overwritten_by;     /* the lock that acquire took */
    const sim_site *site;
    const char *routine;
} sim_held;

/* When a thread of the scenario starts (sim.h): placed at the start, the
 * initialization that runs first and alone, or when a decision starts it. */
typedef enum sim_role { SIM_ROLE_AT_START, SIM_ROLE_INIT, SIM_ROLE_LATER } sim_role;

typedef struct sim_ctx {
    int id;
    /* Its name in footprints (footprint.c), which must hold across runs
     * that reorder independent steps: a thread's is its id; an interrupt's
     * or DPC's counts the contexts delivered to its CPU before it, as
     * deliveries to different CPUs create their ids in either order. */
    uint32_t footprint_name;
    sim_ctx_kind kind;
    sim_role role; /* threads */
    ctx_state state;
    bool started;          /* its fiber has been entered */
    bool chosen;           /* a decision chose it for its next step (fresh start, wake-up) */
    char label[12];        /* "T1", "D4", "I2": kind letter + id */
    const char *func;      /* entry function name, for reports */
    int cpu;               /* CPU whose stack holds it; -1 for a ready thread off-CPU */
    int pinned_cpu;        /* threads: a CPU or SIM_ANY_CPU */
    uint8_t irql_entry;    /* CPU IRQL when it was pushed (restored on exit) */
    uint8_t irql_thread;   /* threads: IRQL kept while switched out */
    int irq_source;        /* ISR: the source it serves */
    void (*entry)(void *); /* threads */
    void *arg;
    sim_dpc_request dpc; /* DPCs: copied at dequeue; the KDPC is never touched again */
    const volatile void *wait_addr;
    const void *wait_lock;
    const sim_site *site; /* the driver call in progress */
    uint64_t steps;       /* steps this context executed */
    uint64_t steps_idle;  /* of those, the last ones in a row that changed no shared word */
    /* The context whose write last woke it, and that context's step count
     * at which the write reaches this one in the fair phase (sched.c). */
    const struct sim_ctx *woken_by;
    uint64_t visible_at;
    sim_fiber *fiber;
    sim_held held[SIM_HELD_MAX]; /* locks held, in acquisition order */
    int held_count;
    /* KeRaiseIrql-family calls still in effect, latest last (past
     * SIM_RAISES_MAX the oldest go): the IRQL each raised from, and where. */
    struct {
        uint8_t from;
        const sim_site *site;
    } raises[SIM_RAISES_MAX];
    int raise_count;
    volatile int32_t ended; /* set to 1 by the machine when it ends (sim_ctx_ended_word) */
} sim_ctx;

typedef struct sim_cpu {
    int id;
    uint8_t irql;
    int depth;
    sim_ctx *stack[SIM_DEPTH_MAX];
    int dpc_count;
    bool dpc_requested; /* DISPATCH software interrupt pending (local insert or delivered IPI) */
    sim_dpc_request dpcq[SIM_DPCQ_MAX];
    int delivered; /* contexts created for it this run: interrupts and DPCs */
} sim_cpu;

typedef struct sim_irq {
    char name[48];
    uint8_t dirql;
    int fires_left;
    void (*service)(void *);
    void *arg;
} sim_irq;

typedef struct sim_object {
    const void *addr;
    char name[48]; /* empty: unnamed, printed as lock#N */
    int owner;     /* owning context id or -1 */
} sim_object;

/* One allow (docs/design.md, Decisions: "Severity and stopping"): a finding
 * kind silenced at every site (`line` 0, `file` empty) or at one site, FILE
 * and LINE as reports print a finding's own site. */
enum { SIM_ALLOWS_MAX = 16, SIM_ALLOW_FILE_MAX = 256 };
typedef struct sim_allowance {
    sim_kind kind;
    int line;
    char file[SIM_ALLOW_FILE_MAX];
} sim_allowance;

typedef struct sim_allowances {
    sim_allowance items[SIM_ALLOWS_MAX];
    int count;
} sim_allowances;

typedef struct sim_param_value {
    char name[32];
    int64_t value;
    bool given; /* set by the caller, not the default */
} sim_param_value;

/* ---- decisions ------------------------------------------------------------ */

typedef enum sim_option_kind { SIM_OPT_RUN, SIM_OPT_IRQ, SIM_OPT_DPC, SIM_OPT_SWITCH } sim_option_kind;

typedef struct sim_option {
    sim_option_kind kind;
    int cpu;
    int target; /* IRQ: source id; SWITCH: thread ctx id; RUN: top ctx id; DPC: -1 */
} sim_option;

/* The same choice: same kind, CPU and target. */
static inline bool sim_option_same(const sim_option *a, const sim_option *b) {
    return a->kind == b->kind && a->cpu == b->cpu && a->target == b->target;
}

/* The choice delivers an interrupt or a DPC, which runs in a new context. */
static inline bool sim_option_delivers(const sim_option *option) {
    return option->kind == SIM_OPT_IRQ || option->kind == SIM_OPT_DPC;
}

typedef struct sim_choice {
    uint64_t step;
    int current_cpu; /* -1 before the first decision */
    const sim_option *options;
    int count;
    int runs; /* options[0..runs) run a CPU; the rest are injections */
    int default_index;
    /* The running context could go on (after the initialization): then
     * choosing anything but the default preempts it (sim_choice_preempts). */
    bool preemptive;
} sim_choice;

/* Choosing option `i` preempts a context that could continue (the DFS
 * bound counts these); after it slept or ended, every choice is free. */
static inline bool sim_choice_preempts(const sim_choice *choice, int i) {
    return choice->preemptive && i != choice->default_index;
}

typedef struct sim_source sim_source;
struct sim_source {
    const char *name;
    void (*run_begin)(sim_source *self);
    int (*choose)(sim_source *self, const sim_choice *choice);
    /* DFS: true while more schedules remain. Others: always true. */
    bool (*run_end)(sim_source *self);
    /* Optional: the first step at which it may choose other than the
     * default whatever is on offer (replay and fuzz sources: their next
     * event's; UINT64_MAX: none), so that before it the scheduler need not
     * list the options. Asked when a run starts and after each choose.
     * NULL: asked at every step. */
    uint64_t (*next_choice_step)(sim_source *self);
    void *state;
};

/* source->next_choice_step, or 0 (asked at every step) when it has none. */
static inline uint64_t sim_source_next_choice_step(sim_source *source) {
    return source->next_choice_step != NULL ? source->next_choice_step(source) : 0;
}

typedef struct sim_decision {
    uint64_t step;
    sim_option option;
    int of_kind; /* its position among the options of its kind (a fuzzer event's `which`) */
} sim_decision;

/* ---- findings and outcome --------------------------------------------------- */

typedef struct sim_finding {
    sim_finding_info info;
    uint64_t step;
    int cpu;
    int ctx; /* context that broke the rule, -1 if none */
    const sim_site *site;
    char chain[512]; /* wait-for chain for deadlocks */
} sim_finding;

/* ---- trace ---------------------------------------------------------------- */

typedef enum sim_trace_op {
    SIM_OP_LOAD,
    SIM_OP_STORE,
    SIM_OP_XCHG,
    SIM_OP_CMPXCHG,
    SIM_OP_ADD,
    SIM_OP_OR,
    SIM_OP_AND,
    SIM_OP_XOR,
    SIM_OP_IRQL,
    SIM_OP_YIELD,
    SIM_OP_PRINT,
    SIM_OP_SLEEP,
    SIM_OP_START,
    SIM_OP_END,
    SIM_OP_DECIDE,
    SIM_OP_FINDING,
} sim_trace_op;

typedef struct sim_trace_event {
    uint64_t step;
    sim_trace_op op;
    int cpu;
    int ctx;
    int object; /* object id, or -1 */
    uint64_t before, after;
    /* When before/after hold an address: 1 + the id of the object it points
     * at (its low 3 bits are flags), so traces name it; 0 for numbers. */
    int before_pointee, after_pointee;
    const sim_site *site;
    const char *text;  /* static text: a yield reason, a decision kind */
    sim_option option; /* DECIDE */
    uint8_t irql;      /* the CPU's IRQL after the step (not for DECIDE) */
} sim_trace_event;

typedef void (*sim_trace_sink)(void *user, const char *line);
/* Receives each event as it happens, while the run's names are valid. */
typedef void (*sim_event_sink)(void *user, const sim_trace_event *event);

/* ---- the run -------------------------------------------------------------- */

typedef struct sim_config {
    const sim_scenario *scenario;
    sim_source *source;
    int cpus;    /* 0: the scenario's choice */
    int hang_ms; /* host CPU time without a step before `hang` (not a parameter: host time) */
    sim_param_value params[SIM_PARAMS_MAX];
    int param_count;
    sim_allowances allows;     /* from --allow and the schedule's `allow` lines */
    sim_trace_sink trace_sink; /* NULL: no full trace */
    void *trace_user;
    sim_event_sink event_sink; /* NULL: none */
    void *event_user;
    uint8_t *cover;    /* interleaving coverage counters (cover.c); NULL: none */
    size_t cover_size; /* a power of two: a feature's counter is its hash masked */
} sim_config;

/* PRUNED: the decision source stopped the run, its rest being covered by
 * another run (partial-order reduction, source_dfs.c); no end checks. */
typedef enum sim_end { SIM_END_DONE, SIM_END_FINDING, SIM_END_BAD_SCENARIO, SIM_END_PRUNED } sim_end;

typedef struct sim_run {
    const sim_config *config;
    int cpu_count;
    sim_cpu cpus[SIM_CPUS_MAX];
    sim_ctx ctxs[SIM_CTX_MAX];
    int ctx_count;
    int threads[SIM_THREADS_MAX]; /* context ids of the threads, in creation order */
    int thread_count;
    sim_ctx *current;
    sim_ctx *sleepers[SIM_CTX_MAX]; /* SLEEPING contexts, any order */
    int sleeper_count;
    uint64_t step;
    int preemptions;
    uint64_t fair_from_step; /* the liveness phase starts here (sched.c) */
    bool init_running;       /* the scenario's initialization runs alone (sim_init) */
    /* The option list sched.c keeps between decisions no longer holds:
     * whatever it follows from changed (a context's state, a CPU's stack,
     * IRQL or DPC queue, an interrupt's fires left, the threads, the
     * initialization's end). Every such change sets it (sim_options_stale). */
    bool options_stale;
    /* Bit L set: the options may change when a CPU's IRQL crosses L, from
     * below it to L or above or back (DISPATCH_LEVEL, the DIRQL of each
     * interrupt that may fire). A change of IRQL that crosses none leaves
     * them as they were; one that crosses DISPATCH_LEVEL alone changes
     * them only when the CPU has DPCs queued or a thread waits to be
     * switched in (sched.c). */
    uint32_t irql_thresholds;
    /* The bounds a run is held to, parameters read when it starts (sched.c). */
    uint64_t steps_max;          /* steps in the whole run; 0: no bound */
    uint64_t progress_steps_max; /* steps of one context in a row that change no shared word; 0: no bound */
    uint64_t fair_wake_latency;  /* steps of a writer before a woken context sees the write (fair phase) */
    bool in_setup;

    sim_irq irqs[SIM_IRQS_MAX];
    int irq_count;
    sim_object objects[SIM_LOCKS_MAX];
    int object_count;
    sim_param_value params[SIM_PARAMS_MAX];
    int param_count;

    sim_decision *decisions; /* non-default decisions, in order */
    int decision_count, decision_cap;

    sim_finding findings[SIM_FINDINGS_MAX];
    int finding_count;
    bool allowed[SIM_KIND_COUNT];
    sim_kind expected;
    bool expected_set;
    sim_end end;
    char bad_scenario[200]; /* why the scenario could not be set up */

    sim_trace_event tail[SIM_TAIL_MAX]; /* ring of the last events */
    uint64_t tail_count;

    void (*end_checks[SIM_END_CHECKS_MAX])(void *);
    void *end_check_args[SIM_END_CHECKS_MAX];
    int end_check_count;

    struct sim_allocation {
        char *memory;
        size_t size;
    } * allocations; /* sim_alloc blocks, freed when the run ends */
    int allocation_count, allocation_cap;
    char *prints; /* DbgPrint text the trace points into; kept across runs, emptied per run */
    size_t prints_used, prints_cap;
    sim_fiber host;
    /* TSan's view of a run (sanitizer.h): the host releases `san_setup`
     * before the contexts start, each acquires it on entry; every context
     * releases `san_end` whenever it stops running, the host acquires it
     * after the run. Two words, so contexts do not order each other. */
    char san_setup, san_end;
} sim_run;

extern sim_run *sim_R;

/* `text` into `out` (`size` bytes), cut to fit and NUL-terminated, as
 * snprintf's "%s" would; names are copied at every run's setup, where a
 * fuzzer pays for snprintf on every execution. */
static inline void sim_copy_text(char *out, size_t size, const char *text) {
    size_t length = strnlen(text, size - 1);
    memcpy(out, text, length);
    out[length] = '\0';
}

/* Whether two names are the same. Not strcmp: a fuzz target's libFuzzer
 * intercepts it and records both strings of every call for its
 * dictionary, at a cost on each of the dozens of parameter lookups of
 * every execution, for names that are never fuzzer input. */
static inline bool sim_same_name(const char *a, const char *b) {
    for (; *a == *b; a++, b++)
        if (*a == '\0')
            return true;
    return false;
}

/* run.c */
sim_run *sim_run_execute(const sim_config *config);
void sim_run_release(void);
_Noreturn void sim_run_stop(void);
/* The finding a run is reported by: its first `error` (the one that ended
 * it), else its first `rule`, so a rule never hides an error; NULL if none. */
const sim_finding *sim_run_verdict(const sim_run *run);
void sim_run_bad_scenario(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* A wait (`what`) in the scenario's setup: a bad scenario, and setup ends
 * there (it would never be woken). */
_Noreturn void sim_run_setup_cannot_wait(const char *what);

/* sched.c */
/* The state the scheduler's options follow from changed (sim_run.options_stale). */
static inline void sim_options_stale(void) { sim_R->options_stale = true; }
/* Tests set it: every decision also lists the options afresh and panics
 * when the kept list differs. */
extern bool sim_sched_verify_options;
void sim_sched_point(void);
void sim_sched_start(void);
_Noreturn void sim_sched_exit_current(void);
void sim_option_format(const sim_option *option, char *out, size_t size);
/* True in the liveness phase: the CPUs run round robin (sched.c). */
bool sim_sched_fair(void);

/* Puts every thread that may start now on an idle CPU it may run on. */
void sim_sched_place_threads(void);
/* `cpu`'s IRQL goes from `from` to `to`: marks the options stale when
 * that changes them (sim_run.irql_thresholds). */
void sim_sched_irql_change(const sim_cpu *cpu, uint8_t from, uint8_t to);

/* ctx.c */
/* A new context, or NULL when the table is full (a finding has been
 * recorded): a thread's, or an interrupt's or DPC's about to run on `cpu`. */
sim_ctx *sim_ctx_new_thread(const char *func);
sim_ctx *sim_ctx_new_on(sim_cpu *cpu, sim_ctx_kind kind, const char *func);
void sim_ctx_push(sim_cpu *cpu, sim_ctx *ctx);
void sim_ctx_pop(sim_cpu *cpu, sim_ctx *ctx);
static inline bool sim_ctx_runnable(const sim_ctx *ctx) { return ctx != NULL && ctx->state == CTX_READY; }
/* The IRQL a context is pushed at: a thread's own, DISPATCH_LEVEL for a DPC,
 * PASSIVE_LEVEL for a threaded DPC, the line's DIRQL for an ISR. */
uint8_t sim_ctx_entry_irql(const sim_ctx *ctx);
static inline sim_ctx *sim_cpu_top(const sim_cpu *cpu) { return cpu->depth > 0 ? cpu->stack[cpu->depth - 1] : NULL; }
void sim_fibers_release(void);
void sim_ctx_switch_to(sim_ctx *to, bool from_dies);

/* atomic.c (the machine's only access to driver memory) */
/* A store the machine makes for the hardware (a KDPC's queued flag cleared
 * at dequeue): not a step, but it wakes whoever spins on the word. */
void sim_machine_store(volatile void *addr, uint64_t value, int size);
/* The context suspended right before a step that writes the word at
 * `watch` (a store or read-modify-write overlapping it), or NULL. */
sim_ctx *sim_poised_writer(const volatile void *watch);

/* objects.c */
sim_object *sim_object_get(const void *addr);
sim_object *sim_object_find(const void *addr);
void sim_object_label(int id, char *out, size_t size);
/* Names a driver address for a report: a named object, a place in a
 * sim_alloc block (by the block's first named object), or a global. */
void sim_describe_address(uintptr_t addr, char *out, size_t size);
void sim_objects_reset(void);

/* trace.c */
void sim_trace(sim_trace_op op, int object, uint64_t before, uint64_t after, const char *text);
void sim_trace_decision(const sim_option *option);
void sim_trace_finding(const sim_ctx *ctx, int object, const char *kind, const sim_site *site);
void sim_trace_format(const sim_trace_event *event, char *out, size_t size);
/* A trace line from its parts (the format at the top of trace.c); `cpu`
 * -1 makes it a decision's line; NULL label, function or site print "-". */
void sim_trace_line(char *out, size_t size, uint64_t step, int cpu, const char *label, const char *func,
                    const char *what, const sim_site *site);
/* What the event did, as its line says it: "or ext->Lock 0x0->0x1", "decide dpc cpu1". */
void sim_trace_what(const sim_trace_event *event, char *out, size_t size);

/* deadlock.c */
void sim_deadlock_check_cycle(sim_ctx *sleeper);
_Noreturn void sim_deadlock_all_asleep(void);

/* finding.c */
/* False for crash, stack-overflow and hang: they end their context, so no
 * allow can let the run go on. */
bool sim_kind_allowable(sim_kind kind);
/* Whether `allow` silences a finding of `kind` at `site`: same kind, and
 * either every site or the same line in a file named as the allow names it
 * (the whole path, or its last components after a '/'). */
bool sim_allowance_matches(const sim_allowance *allow, sim_kind kind, const sim_site *site);
void sim_finding_record(const sim_finding_info *info, const char *chain);
void sim_finding_record_for(sim_ctx *ctx, const sim_finding_info *info, const char *chain);

/* check_*.c: the checkers' entry points the machine calls */
void sim_check_run_begin(void);
void sim_check_ctx_exit(sim_ctx *ctx);
/* Before every step of the current context (the watchdogs). */
void sim_check_step(void);

/* cover.c: interleaving coverage features */
void sim_cover_contended(const sim_ctx *waiter, int object);
void sim_cover_acquired(const sim_ctx *owner, int object);
void sim_cover_order_edge(int from, int to);
void sim_cover_preempted(const sim_option *option, const sim_ctx *preempted);

/* sanreport.c: sanitizer reports about driver code, noted when the
 * sanitizer reports and made a finding at the next access or scheduling
 * point of the running context. */
extern bool sim_sanitizer_report_pending;
void sim_sanitizer_report_due(void);
/* A run starts: a report noted in an earlier run that a finding stopped
 * before the report's turn came belongs to that run, and goes. */
void sim_sanitizer_report_drop(void);
void sim_sanitizer_reports_install(void);

/* guard.c: host-side guards (faults, stack overflow, code with no
 * scheduling point) */
void sim_guard_arm(void);
void sim_guard_disarm(void);
/* A plain access of the current context about to touch `addr` (from the
 * instrumentation, `return_address` right after it): a NULL pointer is a
 * `crash` at once, found before the fault rather than by its signal. */
void sim_guard_check_access(uintptr_t addr, uintptr_t return_address);

#endif
