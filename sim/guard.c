/* guard.c keeps driver code from taking the tool down with it:
 * - a fault in a context (SIGSEGV, SIGBUS, SIGFPE, SIGILL, or abort()) is a
 *   `crash` finding at the faulting line, with the analogue Windows would
 *   bug-check with; a stack overflow on a fiber hits its guard page and is
 *   `stack-overflow`. Both happen at the same step of the same schedule
 *   every time, so they replay;
 * - code that runs without any scheduling point (a pure loop) is caught by a
 *   CPU-time watchdog as `hang`. That finding depends on host time, so it is
 *   reported but not replayable, and says so.
 * A handler does only the plainest work (signal context): it notes what
 * happened and makes the interrupted context resume in guard_landing, on a
 * stack of its own (the faulting fiber's may be full). The landing records
 * the finding, which stops the run as every `error` does: the context is
 * abandoned and the host takes over, with no longjmp across fibers.
 * Outside a run, or while no context runs, a signal goes to whoever handled
 * it before (libFuzzer, the sanitizers) or its default action: a fault in
 * the machine itself is not the driver's. The handlers run on an alternate
 * stack. */
#define _GNU_SOURCE /* REG_RIP, REG_RSP */
#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "internal.h"
#include "sanitizer.h"
#include "symbolize.h"

enum { SIGNAL_STACK_SIZE = 256 * 1024, LANDING_STACK_SIZE = 256 * 1024, TICK_MS = 100, NULL_PAGES = 0x10000 };

static bool installed;
static volatile sig_atomic_t armed;
static uint64_t last_step;
static int idle_ticks;

/* The signals turned into findings, and what was installed before. */
static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
enum { FAULT_SIGNALS = sizeof fault_signals / sizeof fault_signals[0] };
static struct sigaction previous[FAULT_SIGNALS];

/* What a guard saw, kept from the handler to the landing. */
enum { FRAMES_MAX = 32 };
static struct {
    sim_kind kind;
    uintptr_t pcs[FRAMES_MAX + 1]; /* the faulting instruction, then return addresses - 1 */
    int pc_count;
    const sim_site *site; /* when known already */
    char what[160];
    const char *analogue;  /* the bug check, for a crash */
    const char *exception; /* the exception it names, if any */
} pending;

/* Records the pending finding for the current context, which stops the run
 * (sim_finding_record_for does not return for an `error`). */
_Noreturn static void report_pending(void) {
    sim_run *run = sim_R;
    sim_ctx *ctx = run->current;
    armed = 0;
    const sim_site *site = pending.site;
    if (site == NULL) {
        site = sim_site_of_driver_frame(pending.pcs, pending.pc_count);
        if (site == NULL)
            site = ctx->site;
    }
    sim_finding_info info = {.kind = pending.kind, .severity = SIM_SEV_ERROR, .other_ctx = -1, .site = site};
    if (pending.exception != NULL)
        snprintf(info.message, sizeof info.message, "%s (%s) %s: %s, exception %s", ctx->label, ctx->func, pending.what,
                 pending.analogue, pending.exception);
    else if (pending.analogue != NULL)
        snprintf(info.message, sizeof info.message, "%s (%s) %s: %s", ctx->label, ctx->func, pending.what,
                 pending.analogue);
    else
        snprintf(info.message, sizeof info.message, "%s", pending.what);
    /* An allowed kind is not recorded: the context cannot go on anyway. */
    run->allowed[pending.kind] = false;
    sim_finding_record_for(ctx, &info, NULL);
    sim_panic("a guard's finding did not stop the run");
}

/* Where a handler sends the interrupted context: a plain function, on the
 * landing stack, with no frame to return to. */
static char landing_stack[LANDING_STACK_SIZE] __attribute__((aligned(16)));

SIM_SAN_NO_ASAN static void guard_landing(void) { report_pending(); }

/* Makes the interrupted context continue in guard_landing when the handler
 * returns, as if called there with an empty stack. */
static void land(ucontext_t *uc) {
    armed = 0;
    uintptr_t top = ((uintptr_t)(landing_stack + LANDING_STACK_SIZE)) & ~(uintptr_t)15;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(top - 8); /* as right after a call */
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)guard_landing;
}

/* ---- faults -------------------------------------------------------------------- */

/* What Windows does with the same fault in the same place: the bug check,
 * and for an unhandled exception, the exception it names (else NULL). */
static const char *fault_analogue(int signo, uint8_t irql, sim_ctx_kind kind, const char **exception) {
    *exception = NULL;
    if (signo == SIGABRT)
        return "abort() has no kernel counterpart: the code could not go on (KeBugCheck in a driver)";
    if ((signo == SIGSEGV || signo == SIGBUS) && irql >= SIM_IRQL_DISPATCH)
        return "0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL (a page fault at DISPATCH_LEVEL or above)";
    *exception = signo == SIGFPE   ? "C0000094 (integer divide by zero)"
                 : signo == SIGILL ? "C000001D (illegal instruction)"
                                   : "C0000005 (access violation)";
    return kind == SIM_CTX_THREAD ? "0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED" : "0x1E KMODE_EXCEPTION_NOT_HANDLED";
}

/* The faulting access as a report may print it: an offset into the NULL
 * pages is the same in every run, any other address is not. */
static void describe_fault(int signo, uintptr_t addr, char *out, size_t size) {
    switch (signo) {
    case SIGSEGV:
    case SIGBUS:
        if (addr < NULL_PAGES)
            snprintf(out, size, "touched address 0x%llx (a NULL pointer, offset 0x%llx)", (unsigned long long)addr,
                     (unsigned long long)addr);
        else
            snprintf(out, size, "touched an address that maps nothing (a wild or freed pointer)");
        return;
    case SIGFPE:
        snprintf(out, size, "divided by zero (or overflowed a division)");
        return;
    case SIGILL:
        snprintf(out, size, "executed an illegal instruction");
        return;
    default:
        snprintf(out, size, "called abort()");
        return;
    }
}

/* Notes a crash of the current context. */
static void note_crash(int signo, uintptr_t addr) {
    const sim_ctx *ctx = sim_R->current;
    pending.kind = SIM_FINDING_CRASH;
    describe_fault(signo, addr, pending.what, sizeof pending.what);
    pending.analogue = fault_analogue(signo, sim_R->cpus[ctx->cpu].irql, ctx->kind, &pending.exception);
}

void sim_guard_check_access(uintptr_t addr, uintptr_t return_address) {
    if (addr >= NULL_PAGES)
        return;
    pending.site = sim_site_of_return(return_address);
    pending.pc_count = 0;
    note_crash(SIGSEGV, addr);
    report_pending();
}

/* The faulting line of driver code is found by the landing: the faulting
 * instruction when it is the driver's, else the innermost driver frame
 * below it (abort(), or a fault in the C library or in spinsim's code on
 * what the driver passed), else the driver's last wdm.h call. */
static void note_frames(int signo, const ucontext_t *uc) {
    void *frames[FRAMES_MAX];
    pending.site = NULL;
    pending.pc_count = 0;
    if (signo != SIGABRT)
        pending.pcs[pending.pc_count++] = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    int depth = backtrace(frames, FRAMES_MAX);
    for (int i = 0; i < depth; i++)
        pending.pcs[pending.pc_count++] = (uintptr_t)frames[i] - 1; /* the call is one byte back */
}

static void on_fault(int signo, siginfo_t *info, void *ucontext) {
    sim_run *run = sim_R;
    sim_ctx *ctx = run != NULL ? run->current : NULL;
    if (armed && ctx != NULL && ctx->fiber != NULL) {
        if (signo == SIGSEGV && sim_fiber_guard_hit(ctx->fiber, info->si_addr)) {
            pending.kind = SIM_FINDING_STACK_OVERFLOW;
            pending.site = ctx->site;
            pending.analogue = pending.exception = NULL;
            snprintf(pending.what, sizeof pending.what, "%s (%s) overflowed its %d KiB stack", ctx->label, ctx->func,
                     SIM_FIBER_STACK / 1024);
        } else {
            note_frames(signo, ucontext);
            note_crash(signo, (uintptr_t)info->si_addr);
        }
        land(ucontext);
        return;
    }
    /* Not ours: the previous handler, or the default action, has it. A
     * fault re-executes and faults again; abort() is raised again. */
    for (int i = 0; i < FAULT_SIGNALS; i++)
        if (fault_signals[i] == signo)
            sigaction(signo, &previous[i], NULL);
    if (signo == SIGABRT)
        raise(SIGABRT);
}

/* ---- code with no scheduling point --------------------------------------------- */

static void on_tick(int signo, siginfo_t *info, void *ucontext) {
    (void)signo, (void)info;
    sim_run *run = sim_R;
    if (!armed || run == NULL || run->current == NULL)
        return;
    if (run->step != last_step) {
        last_step = run->step;
        idle_ticks = 0;
        return;
    }
    if (++idle_ticks * TICK_MS < run->config->hang_ms)
        return;
    pending.kind = SIM_FINDING_HANG;
    pending.site = run->current->site;
    pending.analogue = pending.exception = NULL;
    snprintf(pending.what, sizeof pending.what,
             "no scheduling point for the host-time limit: a loop with no wdm.h call, YieldProcessor or "
             "KeStallExecutionProcessor (not replayable: host time)");
    land(ucontext);
}

/* The signal handlers' stack: the overflowing fiber's own stack is full. */
static char alt_stack[SIGNAL_STACK_SIZE];

static void install(void) {
    sim_sanitizer_reports_install();
    /* backtrace() loads its unwinder on first use: not in a signal handler. */
    void *warm[1];
    backtrace(warm, 1);
    stack_t alt = {.ss_sp = alt_stack, .ss_size = SIGNAL_STACK_SIZE};
    if (sigaltstack(&alt, NULL) != 0)
        sim_panic("cannot set up the signal stack");
    struct sigaction fault = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
    sigemptyset(&fault.sa_mask);
    for (int i = 0; i < FAULT_SIGNALS; i++)
        sigaction(fault_signals[i], &fault, &previous[i]);
    struct sigaction tick = {.sa_sigaction = on_tick, .sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK};
    sigemptyset(&tick.sa_mask);
    sigaction(SIGVTALRM, &tick, NULL);
    struct itimerval every = {.it_interval = {0, TICK_MS * 1000}, .it_value = {0, TICK_MS * 1000}};
    setitimer(ITIMER_VIRTUAL, &every, NULL);
    installed = true;
}

void sim_guard_arm(void) {
    if (!installed)
        install();
    sim_sanitizer_report_drop();
    last_step = ~(uint64_t)0;
    idle_ticks = 0;
    armed = 1;
}

void sim_guard_disarm(void) { armed = 0; }
