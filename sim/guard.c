/* guard.c keeps driver code from taking the tool down with it:
 * - a stack overflow on a fiber hits its guard page; the SIGSEGV handler
 *   (on an alternate stack) turns it into a `stack-overflow` finding;
 * - code that runs without any scheduling point (a pure loop) is caught by a
 *   CPU-time watchdog as `hang`. That finding depends on host time, so it is
 *   reported but not replayable, and says so.
 * Both abandon the running fiber and jump back to the run on the host stack. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "internal.h"
#include "sanitizer.h"

#if defined(SIM_ASAN)
#include <sanitizer/common_interface_defs.h>
static void forget_stack(void) { __asan_handle_no_return(); }
#else
static void forget_stack(void) {}
#endif

extern sigjmp_buf sim_guard_jump;

enum { ALT_STACK_SIZE = 256 * 1024, TICK_MS = 100 };

static bool installed;
static volatile sig_atomic_t armed;
static uint64_t last_step;
static int idle_ticks;
static struct sigaction previous_segv;

_Noreturn static void abandon_fiber(sim_kind kind, const char *message) {
    sim_run *run = sim_R;
    sim_ctx *ctx = run->current;
    armed = 0;
    /* With no current context the finding is recorded without stopping;
     * this handler does the stopping itself. */
    run->current = NULL;
    sim_finding_info info = {
        .kind = kind, .severity = SIM_SEV_ERROR, .other_ctx = -1, .site = ctx != NULL ? ctx->site : NULL};
    snprintf(info.message, sizeof info.message, "%s", message);
    sim_finding_record_for(ctx, &info, NULL);
    run->end = SIM_END_FINDING;
    sim_san_release(run);
    sim_san_boundary_close_all();
    sim_fiber_restore_depth(&run->host);
    if (run->host.tsan_fiber != NULL)
        sim_san_fiber_enter(run->host.tsan_fiber);
    forget_stack();
    siglongjmp(sim_guard_jump, 1);
}

static void on_segv(int signo, siginfo_t *info, void *ucontext) {
    sim_run *run = sim_R;
    if (armed && run != NULL && run->current != NULL && run->current->fiber != NULL &&
        sim_fiber_guard_hit(run->current->fiber, info->si_addr)) {
        char message[160];
        snprintf(message, sizeof message, "%s (%s) overflowed its %d KiB stack", run->current->label,
                 run->current->func, SIM_FIBER_STACK / 1024);
        abandon_fiber(SIM_FINDING_STACK_OVERFLOW, message);
    }
    /* Not ours: let the previous handler (or the default action) have it. */
    sigaction(SIGSEGV, &previous_segv, NULL);
    (void)signo, (void)ucontext;
}

static void on_tick(int signo) {
    (void)signo;
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
    abandon_fiber(SIM_FINDING_HANG, "no scheduling point for the host-time limit: a loop with no wdm.h call, "
                                    "YieldProcessor or KeStallExecutionProcessor (not replayable: host time)");
}

/* The signal handlers' stack: the overflowing fiber's own stack is full. */
static char alt_stack[ALT_STACK_SIZE];

static void install(void) {
    stack_t alt = {.ss_sp = alt_stack, .ss_size = ALT_STACK_SIZE};
    if (sigaltstack(&alt, NULL) != 0)
        sim_panic("cannot set up the signal stack");
    struct sigaction segv = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
    sigemptyset(&segv.sa_mask);
    sigaction(SIGSEGV, &segv, &previous_segv);
    struct sigaction tick = {.sa_handler = on_tick, .sa_flags = SA_RESTART | SA_ONSTACK};
    sigemptyset(&tick.sa_mask);
    sigaction(SIGVTALRM, &tick, NULL);
    struct itimerval every = {.it_interval = {0, TICK_MS * 1000}, .it_value = {0, TICK_MS * 1000}};
    setitimer(ITIMER_VIRTUAL, &every, NULL);
    installed = true;
}

void sim_guard_arm(void) {
    if (!installed)
        install();
    last_step = ~(uint64_t)0;
    idle_ticks = 0;
    armed = 1;
}

void sim_guard_disarm(void) { armed = 0; }
