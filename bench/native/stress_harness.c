/* stress_harness.c: `build/native-scenario/NAME SEED BUDGET_MS`, stress
 * testing as a driver's own test would do it, for the time-to-bug table
 * (bench/stress_vs_sim.sh): the scenario's very code, compiled against the
 * native backend, run again and again on real threads until something
 * observable goes wrong (native_observe.c: Driver Verifier's owner check,
 * the scenario's own invariants, the kernel's IRQL check when a routine
 * returns, a bug check), a run stops making progress, or the wall-time
 * budget is spent. Each run sets the scenario up afresh and starts one
 * thread per CPU, which waits until every CPU is up, then a random time,
 * then runs that CPU's threads, then idles taking interrupts. A device
 * thread posts, in a random order and each after a random time, each
 * interrupt source as often as it fires, on a random CPU (sim_interrupt's
 * ISRs, sim_dpc_later's inserts), and the DPC queue of every CPU that a DPC
 * was queued on in setup (sim_dpc), as the IPI. The random times are drawn
 * log-uniform up to 2^14 pauses from a xorshift seeded by SEED. A run is
 * over when its threads are done and every interrupt and DPC they and the
 * device caused has run; then its end-of-run checks (sim_at_end) run. A
 * run that has not ended WATCHDOG_MS after it started is a deadlock (no
 * progress): the kernel's watchdog would bug-check. Prints one line,
 *   found KIND in run N after S s    or    none in N runs after S s
 * and exits 0; bad usage exits 2. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../clock.h"
#include "native.h"
#include "sim_machine.h"

enum { WATCHDOG_MS = 1000, DELAY_BITS_MAX = 14, POSTS_MAX = 64 };

static const char *scenario_name;
static native_roles roles;
static atomic_int cpus_up, threads_done;
static atomic_bool device_done, run_over;
static atomic_int observed = -1; /* the first observation's sim_kind */
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

static void on_observed(sim_kind kind) {
    int none = -1;
    atomic_compare_exchange_strong(&observed, &none, (int)kind);
}

/* Every CPU is up, and can be posted to, before any runs driver code. */
static void wait_for_cpus(void) {
    while (atomic_load(&cpus_up) < roles.cpus)
        sched_yield();
}

typedef struct cpu_start {
    int cpu;
    uint64_t random;
} cpu_start;

static void *run_cpu(void *arg) {
    cpu_start *start = arg;
    native_cpu_bind(start->cpu);
    atomic_fetch_add(&cpus_up, 1);
    wait_for_cpus();
    random_delay(&start->random);
    for (int t = 0; t < roles.thread_count; t++)
        if (roles.threads[t].cpu == start->cpu) {
            roles.threads[t].entry(roles.threads[t].context);
            native_check_return(SIM_IRQL_PASSIVE);
        }
    atomic_fetch_add(&threads_done, 1);
    /* Idle, as a CPU does: still taking what is posted to it. */
    while (!atomic_load(&run_over))
        sched_yield();
    return NULL;
}

typedef struct post {
    int cpu, source;
} post;

/* What the device posts in a run, in its order. */
static post posts[POSTS_MAX];
static int post_count;

static void plan_post(int cpu, int source) {
    if (post_count == POSTS_MAX) {
        fprintf(stderr, "native-scenario: %s posts more than %d interrupts and DPCs\n", scenario_name, POSTS_MAX);
        exit(2);
    }
    posts[post_count++] = (post){cpu, source};
}

/* Each CPU's DPCs queued in setup, and each source as often as it fires on
 * a random CPU, shuffled. */
static void plan_posts(uint64_t *random) {
    post_count = 0;
    for (int cpu = 0; cpu < roles.cpus; cpu++)
        if (native_dpcs_queued(cpu))
            plan_post(cpu, native_dpc_source());
    for (int source = 0; source < native_interrupt_sources(); source++)
        for (int fire = 0; fire < native_interrupt_fires(source); fire++)
            plan_post((int)(next_random(random) % (uint64_t)roles.cpus), source);
    for (int i = post_count - 1; i > 0; i--) {
        const int j = (int)(next_random(random) % (uint64_t)(i + 1));
        const post swap = posts[i];
        posts[i] = posts[j], posts[j] = swap;
    }
}

static void *run_device(void *arg) {
    uint64_t *random = arg;
    /* The device is no CPU: what it posts goes by signal. */
    native_ctx_bind(-1);
    wait_for_cpus();
    for (int i = 0; i < post_count; i++) {
        random_delay(random);
        native_interrupt_post(posts[i].cpu, posts[i].source);
    }
    atomic_store(&device_done, true);
    return NULL;
}

static bool run_over_now(void) {
    return atomic_load(&threads_done) == roles.cpus && atomic_load(&device_done) && native_work_owed() == 0;
}

/* One run: true when it ended, false when something was observed or it
 * made no progress for WATCHDOG_MS. */
static bool run_once(void) {
    if (!native_roles_setup(scenario_name, &roles)) {
        fprintf(stderr, "native-scenario: no scenario %s in this binary\n", scenario_name);
        exit(2);
    }
    native_owner_reset();
    uint64_t device_random = next_random(&rng) | 1;
    plan_posts(&device_random);
    atomic_store(&cpus_up, 0);
    atomic_store(&threads_done, 0);
    atomic_store(&device_done, false);
    atomic_store(&run_over, false);
    pthread_t cpu_threads[NATIVE_CPUS_MAX];
    cpu_start starts[NATIVE_CPUS_MAX];
    for (int c = 0; c < roles.cpus; c++) {
        starts[c] = (cpu_start){c, next_random(&rng) | 1};
        pthread_create(&cpu_threads[c], NULL, run_cpu, &starts[c]);
    }
    pthread_t device;
    pthread_create(&device, NULL, run_device, &device_random);
    const double started = bench_now_ns();
    while (!run_over_now()) {
        if (atomic_load(&observed) >= 0 || bench_now_ns() - started > WATCHDOG_MS * 1e6)
            return false;
        sched_yield();
    }
    pthread_join(device, NULL);
    atomic_store(&run_over, true);
    for (int c = 0; c < roles.cpus; c++)
        pthread_join(cpu_threads[c], NULL);
    for (int i = 0; i < roles.end_check_count; i++)
        roles.end_checks[i].check(roles.end_checks[i].context);
    return atomic_load(&observed) < 0;
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
    native_interrupts_post_setup();
    native_observe_with(on_observed);
    const double start = bench_now_ns();
    for (long run = 1;; run++) {
        const bool ended = run_once();
        const double seconds = (bench_now_ns() - start) / 1e9;
        if (!ended) {
            const int kind = atomic_load(&observed);
            /* Threads may spin forever on what went wrong: leave them. */
            printf("found %s in run %ld after %.6f s\n", sim_kind_token(kind >= 0 ? kind : SIM_FINDING_DEADLOCK), run,
                   seconds);
            fflush(stdout);
            _exit(0);
        }
        if (seconds * 1e3 >= budget_ms) {
            printf("none in %ld runs after %.6f s\n", run, seconds);
            return 0;
        }
    }
}
