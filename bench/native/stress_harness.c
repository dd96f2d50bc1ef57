/* stress_harness.c: `build/native-scenario/NAME SEED BUDGET_MS`, stress
 * testing as a driver's own test would do it, for the time-to-bug table
 * (bench/stress_vs_sim.sh): the scenario's very code, compiled against the
 * native backend, run again and again on real threads until the owner check
 * (native_owner.c, Driver Verifier's) sees a misuse, a run stops making
 * progress, or the wall-time budget is spent. Each run sets the scenario up
 * afresh and starts one thread per CPU, which waits a random time and then
 * runs that CPU's threads; a device thread queues each DPC on its CPU after
 * a random time, by a signal whose handler raises the DPC there (it runs at
 * once, or once that CPU drops below DISPATCH_LEVEL). The random times are
 * drawn log-uniform up to 2^14 pauses from a xorshift seeded by SEED. A run
 * that has not ended WATCHDOG_MS after it started is a deadlock (no
 * progress): the kernel's watchdog would bug-check. Prints one line,
 *   found KIND in run N after S s    or    none in N runs after S s
 * and exits 0; bad usage exits 2. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../clock.h"
#include "native.h"
#include "sim_machine.h"

enum { WATCHDOG_MS = 1000, DELAY_BITS_MAX = 14 };

static const char *scenario_name;
static native_roles roles;
static pthread_t cpu_threads[NATIVE_CPUS_MAX];
static _Atomic uint32_t mailbox[NATIVE_CPUS_MAX]; /* sources to raise on each CPU */
static _Thread_local int this_cpu;
static atomic_int threads_done;
static atomic_bool run_over;
static atomic_int misuse = -1; /* the first misuse's sim_kind */
static uint64_t rng;

static uint64_t next_random(uint64_t *state) {
    *state ^= *state << 13, *state ^= *state >> 7, *state ^= *state << 17;
    return *state;
}

/* Log-uniform: up to 2^DELAY_BITS_MAX pauses, often few. */
static void random_delay(uint64_t *state) {
    const uint64_t bits = next_random(state) % (DELAY_BITS_MAX + 1);
    for (uint64_t n = next_random(state) & ((1ull << bits) - 1); n > 0; n--)
        __builtin_ia32_pause();
}

static void on_misuse(sim_kind kind) {
    int none = -1;
    atomic_compare_exchange_strong(&misuse, &none, (int)kind);
}

/* The DPCs queued on this CPU are raised here, in its thread. */
static void on_queue_signal(int signal) {
    (void)signal;
    const uint32_t sources = atomic_exchange(&mailbox[this_cpu], 0);
    for (int source = 0; source < 32; source++)
        if (sources >> source & 1)
            native_interrupt_raise(source);
}

typedef struct cpu_start {
    int cpu;
    uint64_t random;
} cpu_start;

static void *run_cpu(void *arg) {
    cpu_start *start = arg;
    this_cpu = start->cpu;
    sim_ctx_current_id();
    /* Now a queued DPC has a CPU to run on: take the signals (a pending one at once). */
    sigset_t queue_signal;
    sigemptyset(&queue_signal);
    sigaddset(&queue_signal, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &queue_signal, NULL);
    random_delay(&start->random);
    for (int t = 0; t < roles.thread_count; t++)
        if (roles.threads[t].cpu == start->cpu)
            roles.threads[t].entry(roles.threads[t].context);
    atomic_fetch_add(&threads_done, 1);
    /* Idle, as a CPU does: still taking the DPCs queued on it. */
    while (!atomic_load(&run_over))
        sched_yield();
    return NULL;
}

static void *run_device(void *arg) {
    uint64_t *random = arg;
    for (int d = 0; d < roles.dpc_count; d++)
        for (int fire = 0; fire < roles.dpcs[d].fires; fire++) {
            random_delay(random);
            atomic_fetch_or(&mailbox[roles.dpcs[d].cpu], 1u << roles.dpcs[d].source);
            pthread_kill(cpu_threads[roles.dpcs[d].cpu], SIGUSR1);
        }
    return NULL;
}

static int dpcs_queued(void) {
    int total = 0;
    for (int d = 0; d < roles.dpc_count; d++)
        total += roles.dpcs[d].fires;
    return total;
}

/* One run: true when it ended, false when it made no progress for WATCHDOG_MS. */
static bool run_once(void) {
    if (!native_roles_setup(scenario_name, &roles)) {
        fprintf(stderr, "native-scenario: no scenario %s in this binary\n", scenario_name);
        exit(2);
    }
    native_owner_reset();
    atomic_store(&threads_done, 0);
    atomic_store(&run_over, false);
    const long dpcs_before = native_dpcs_run();
    cpu_start starts[NATIVE_CPUS_MAX];
    for (int c = 0; c < roles.cpus; c++) {
        starts[c] = (cpu_start){c, next_random(&rng) | 1};
        pthread_create(&cpu_threads[c], NULL, run_cpu, &starts[c]);
    }
    uint64_t device_random = next_random(&rng) | 1;
    pthread_t device;
    pthread_create(&device, NULL, run_device, &device_random);
    const double started = bench_now_ns();
    while (atomic_load(&threads_done) < roles.cpus || native_dpcs_run() - dpcs_before < dpcs_queued()) {
        if (atomic_load(&misuse) >= 0 || bench_now_ns() - started > WATCHDOG_MS * 1e6)
            return atomic_load(&misuse) >= 0;
        sched_yield();
    }
    pthread_join(device, NULL);
    atomic_store(&run_over, true);
    for (int c = 0; c < roles.cpus; c++)
        pthread_join(cpu_threads[c], NULL);
    return true;
}

int main(int argc, char **argv) {
    char *end = NULL;
    const double budget_ms = argc == 4 ? strtod(argv[3], &end) : 0;
    if (argc != 4 || *end != '\0' || budget_ms <= 0 || sim_scenario_find(argv[1]) == NULL) {
        fprintf(stderr, "usage: native-scenario SCENARIO SEED BUDGET_MS (a scenario built in, a budget > 0)\n");
        return 2;
    }
    scenario_name = argv[1];
    rng = strtoull(argv[2], NULL, 10) * 0x9e3779b97f4a7c15ull | 1;
    struct sigaction action = {.sa_handler = on_queue_signal};
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    /* Blocked here, and so in every thread started from here, until a CPU
     * thread knows its CPU. */
    sigset_t queue_signal;
    sigemptyset(&queue_signal);
    sigaddset(&queue_signal, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &queue_signal, NULL);
    native_owner_check(on_misuse);
    const double start = bench_now_ns();
    for (long run = 1;; run++) {
        const bool ended = run_once();
        const double seconds = (bench_now_ns() - start) / 1e9;
        const int kind = atomic_load(&misuse);
        if (kind >= 0 || !ended) {
            /* Threads may spin forever on what the misuse left: leave them. */
            printf("found %s in run %ld after %.6f s\n",
                   kind == SIM_FINDING_RELEASE_NOT_OWNED     ? "release-not-owned"
                   : kind == SIM_FINDING_RELEASE_WRONG_OWNER ? "release-wrong-owner"
                                                             : "deadlock",
                   run, seconds);
            fflush(stdout);
            _exit(0);
        }
        if (seconds * 1e3 >= budget_ms) {
            printf("none in %ld runs after %.6f s\n", run, seconds);
            return 0;
        }
    }
}
