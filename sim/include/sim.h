/* sim.h is what a scenario uses beyond the WDK: declare CPUs, threads,
 * interrupt sources and DPCs, read parameters, allocate per-run state, name
 * objects for reports, state invariants and the expected verdict.
 *
 * A scenario is one setup function, run once at the start of every
 * execution. Driver code stays plain WDK C against wdm.h:
 *
 *     SIM_SCENARIO(ring_rx, "receive ring shared by an ISR, a DPC and two threads") {
 *         DEVICE_EXTENSION *ext = sim_alloc(sizeof *ext);   // zeroed, reset every run
 *         KeInitializeSpinLock(&ext->Lock);
 *         sim_name(&ext->Lock, "ext->Lock");
 *         sim_thread(0, Worker, ext);
 *         sim_expect(SIM_FINDING_NONE);
 *     }
 */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
#include <stdint.h>

#include "sim_kind.h"
#include "wdm.h"

typedef struct sim_scenario sim_scenario;
struct sim_scenario {
    const char *name;
    const char *description;
    void (*setup)(void);
    const char *file;
    sim_scenario *next;
};

void sim_scenario_register(sim_scenario *scenario);
/* The registered scenarios, sorted by name. */
const sim_scenario *sim_scenario_first(void);
const sim_scenario *sim_scenario_find(const char *name);

/* Defines and registers a scenario; the braces that follow are its setup. */
#define SIM_SCENARIO(name_, description_)                                                                              \
    static void sim_setup_##name_(void);                                                                               \
    static sim_scenario sim_scenario_##name_ = {#name_, description_, sim_setup_##name_, __FILE__, NULL};              \
    __attribute__((constructor)) static void sim_register_##name_(void) {                                              \
        sim_scenario_register(&sim_scenario_##name_);                                                                  \
    }                                                                                                                  \
    static void sim_setup_##name_(void)

#define SIM_ANY_CPU (-1)

/* Number of virtual CPUs (1..64) unless `--cpus`/`param cpus` overrides it;
 * call before declaring threads. Default 2. */
void sim_cpus(int count);
/* A scenario parameter: the value given on the command line or in the
 * schedule file, else `default_value`. Every parameter read is recorded in
 * the schedule, so a replay runs the same configuration. */
int64_t sim_param(const char *name, int64_t default_value);

/* Zeroed memory that lives for one execution. */
void *sim_alloc(size_t size);
/* How reports and traces name `object` (a lock, a counter, a handle). */
void sim_name(const void *object, const char *name);

/* A thread on `cpu` (or SIM_ANY_CPU) running `entry(context)` at PASSIVE_LEVEL. */
void sim_thread_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name);
#define sim_thread(cpu, entry, context) sim_thread_named((cpu), (entry), (context), #entry)

/* An interrupt object whose ISR may be delivered up to `fires` times, at any
 * scheduling point, on any CPU whose IRQL is below `dirql`. The ISR runs at
 * `synchronize_irql` holding the object's interrupt spin lock. */
PKINTERRUPT sim_interrupt_named(PKSERVICE_ROUTINE isr, PVOID context, KIRQL dirql, KIRQL synchronize_irql, int fires,
                                const char *name);
#define sim_interrupt(isr, context, dirql, synchronize_irql, fires)                                                    \
    sim_interrupt_named((isr), (context), (dirql), (synchronize_irql), (fires), #isr)

/* A DPC queued on `cpu` at the start of the run (delivered when the
 * scheduler chooses, as if by an IPI). Returns its KDPC for re-queueing. */
PKDPC sim_dpc_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, const char *name);
#define sim_dpc(cpu, routine, context) sim_dpc_named((cpu), (routine), (context), #routine)

/* DriverEntry-style initialization: entry(context) runs first and alone, on
 * CPU 0 at PASSIVE_LEVEL, as a thread checked like any other (its IRQL
 * rules, and what it holds when it returns). The other threads start once
 * it returns, DPCs and interrupts are delivered only then, and everything
 * it did happens before all of them. At most one. */
void sim_init_named(void (*entry)(PVOID), PVOID context, const char *name);
#define sim_init(entry, context) sim_init_named((entry), (context), #entry)

/* A thread on `cpu` (or SIM_ANY_CPU) that the scheduler starts at a step
 * it chooses, as it delivers an interrupt (a schedule line `switch T cpuN`);
 * by default, once nothing else can run. E.g. the I/O manager cancelling an
 * IRP (sim_cancel_irp_later, sim_io.h). */
void sim_thread_later_named(int cpu, void (*entry)(PVOID), PVOID context, const char *name);
#define sim_thread_later(cpu, entry, context) sim_thread_later_named((cpu), (entry), (context), #entry)

/* A threaded DPC (KeInitializeThreadedDpc) queued on `cpu` at the start,
 * as sim_dpc: it runs at PASSIVE_LEVEL. */
PKDPC sim_threaded_dpc_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, const char *name);
#define sim_threaded_dpc(cpu, routine, context) sim_threaded_dpc_named((cpu), (routine), (context), #routine)

/* A DPC inserted into `cpu`'s queue at steps the scheduler chooses, up to
 * `fires` times, as the device's ISR would queue it: the insert is an
 * interrupt source named ROUTINE.insert (DIRQL 12, any CPU), and the DPC
 * then runs on `cpu` once its IRQL is below DISPATCH_LEVEL. Returns the
 * KDPC. */
PKDPC sim_dpc_later_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, int fires, const char *name);
#define sim_dpc_later(cpu, routine, context, fires) sim_dpc_later_named((cpu), (routine), (context), (fires), #routine)

/* For a scenario's thread waiting on driver state: returns once *word
 * equals value. Each look is a step; between looks the thread sleeps until
 * the word is written. Only below DISPATCH_LEVEL, only in a thread. */
void sim_wait_until_at(const volatile LONG *word, LONG value, const sim_site *site);
#define sim_wait_until(word, value) sim_wait_until_at((word), (value), SIM_SITE_HERE)

/* A function run after every context has finished, for end-of-run invariants. */
void sim_at_end(void (*check)(PVOID), PVOID context);

/* The verdict this scenario is expected to produce (SIM_FINDING_NONE when
 * correct); `run --all` compares against it. */
void sim_expect(sim_kind kind);
/* Silences one finding kind for this scenario. */
void sim_allow(sim_kind kind);

/* An invariant of the driver's state: false is an `invariant` finding at this line. */
void sim_check_at(int condition, const char *text, const sim_site *site);
#define SIM_CHECK(condition) sim_check_at(!!(condition), #condition, SIM_SITE_HERE)

#endif
