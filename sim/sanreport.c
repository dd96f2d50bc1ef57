/* sanreport.c turns what a sanitizer reports about driver code into a
 * finding of the run, so build/sim-asan and build/sim-tsan answer 0, 1 or 2
 * like build/sim, with a report and a schedule:
 * - ASan (build/sim-asan, the fuzz targets): driver code is built to
 *   recover (-fsanitize-recover=address), ASan is told not to halt, and its
 *   report callback notes the error; the machine's own code still halts.
 *   The machine's checks see most memory errors first (freed pool, dead
 *   queue handles, NULL); ASan adds overflows and the like: `memory-error`,
 *   or `use-after-scope` / `use-after-free` by its description.
 * - TSan (build/sim-tsan): its report hook takes over each data race that
 *   driver code runs into: TSan neither prints nor counts it, so the exit
 *   status stays the run's, and the race is noted as a `data-race` unless
 *   race detection is off (`race_detection=0`: neither detector reports
 *   races). The machine's detector sees a race before its second access
 *   executes, so TSan only speaks for what that one does not check (a
 *   context's own stack).
 * A report arrives inside the sanitizer's machinery, where nothing but
 * noting it is safe; the note becomes a finding at the current context's
 * next access or scheduling point (sim_sanitizer_report_due). A report
 * outside a run, or in the machine itself, is left to the sanitizer. */
#include <string.h>

#include "internal.h"
#include "race.h"
#include "sanitizer.h"
#include "symbolize.h"

bool sim_sanitizer_report_pending;

#if defined(SIM_ASAN) || defined(SIM_TSAN)

enum { FRAMES_MAX = 16 };

static struct {
    volatile bool due;
    sim_kind kind;
    uintptr_t pcs[FRAMES_MAX]; /* the access, then its callers */
    int pc_count;
    uintptr_t other_pcs[FRAMES_MAX]; /* TSan: the conflicting access */
    int other_count;
    char what[160];
} noted;

static bool in_driver_run(void) { return sim_R != NULL && sim_R->current != NULL; }

static void note(sim_kind kind, const char *what) {
    noted.kind = kind;
    snprintf(noted.what, sizeof noted.what, "%s", what);
    noted.due = true;
    sim_sanitizer_report_pending = true;
}

void sim_sanitizer_report_drop(void) {
    noted.due = false;
    sim_sanitizer_report_pending = false;
}

void sim_sanitizer_report_due(void) {
    if (!noted.due || !in_driver_run())
        return;
    sim_sanitizer_report_drop(); /* taken: the finding below */
    sim_ctx *self = sim_R->current;
    const sim_site *site = sim_site_of_driver_frame(noted.pcs, noted.pc_count);
    const sim_site *other = noted.other_count > 0 ? sim_site_of_driver_frame(noted.other_pcs, noted.other_count) : NULL;
    sim_finding_info info = {.kind = noted.kind,
                             .severity = SIM_SEV_ERROR,
                             .site = site != NULL ? site : self->site,
                             .other_site = other,
                             .other_ctx = -1};
    snprintf(info.message, sizeof info.message, "%s (%s): %s", self->label, self->func, noted.what);
    sim_report(&info);
}

#if defined(SIM_ASAN)
#include <sanitizer/asan_interface.h>

const char *__asan_default_options(void);
/* Every occurrence reports: a replay must see the error its run saw.
 * Freed memory waits in a quarantine of 16 MB, not ASan's 256: a use after
 * free lies within one execution, whose pool blocks take kilobytes, and
 * a quarantine that never fills hands out fresh pages to every allocation
 * of the first few hundred thousand executions, a page fault each (a
 * fuzzing campaign ran 1.6 times slower with it). ASAN_OPTIONS overrides. */
const char *__asan_default_options(void) { return "halt_on_error=0:suppress_equal_pcs=0:quarantine_size_mb=16"; }

static sim_kind asan_kind(const char *description) {
    if (strstr(description, "use-after-scope") != NULL || strstr(description, "use-after-return") != NULL)
        return SIM_FINDING_USE_AFTER_SCOPE;
    if (strstr(description, "use-after-free") != NULL || strstr(description, "use-after-poison") != NULL)
        return SIM_FINDING_USE_AFTER_FREE;
    return SIM_FINDING_MEMORY_ERROR;
}

static void on_asan_report(const char *text) {
    (void)text;
    if (!in_driver_run() || noted.due)
        return;
    const char *description = __asan_get_report_description();
    /* The instruction after the call into ASan: the access is one byte back. */
    noted.pcs[0] = (uintptr_t)__asan_get_report_pc() - 1;
    noted.pc_count = 1;
    noted.other_count = 0;
    char what[160];
    snprintf(what, sizeof what, "AddressSanitizer: %s, a %s of %zu bytes", description != NULL ? description : "error",
             __asan_get_report_access_type() ? "write" : "read", __asan_get_report_access_size());
    note(asan_kind(description != NULL ? description : ""), what);
}

void sim_sanitizer_reports_install(void) { __asan_set_error_report_callback(on_asan_report); }

#elif defined(SIM_TSAN)

const char *__tsan_default_options(void);
/* Every race, not one per stack; a report TSan keeps (about spinsim
 * itself) fails the process with 1, never TSan's 66; and no second of sleep
 * at exit for other threads to finish: contexts are fibers, and the
 * machine's own thread is the only one. */
const char *__tsan_default_options(void) {
    return "suppress_equal_stacks=0:suppress_equal_addresses=0:exitcode=1:atexit_sleep_ms=0";
}

int __tsan_get_report_data(void *report, const char **description, int *count, int *stack_count, int *mop_count,
                           int *loc_count, int *mutex_count, int *thread_count, int *unique_tid_count,
                           void **sleep_trace, unsigned long trace_size);
int __tsan_get_report_mop(void *report, unsigned long idx, int *tid, void **addr, int *size, int *write, int *atomic,
                          void **trace, unsigned long trace_size);
/* TSan asks this hook about every report before it prints it: the C++
 * function `bool __tsan::OnReport(const ReportDesc *, bool suppressed)`,
 * weak in the runtime so that a tool can take reports over. Returning true
 * takes the report: TSan neither prints nor counts it, nor halts on it. */
bool sim_tsan_on_report(void *report, bool suppressed) __asm__("_ZN6__tsan8OnReportEPKNS_10ReportDescEb");

/* The frames of access `idx`: return addresses (TSan records where each
 * call returns to), so each is taken one byte back, into its call. */
static int mop_frames(void *report, unsigned long idx, uintptr_t *pcs, int *write, int *size) {
    void *trace[FRAMES_MAX] = {0};
    int tid = 0, atomic = 0;
    void *addr = NULL;
    if (!__tsan_get_report_mop(report, idx, &tid, &addr, size, write, &atomic, trace, FRAMES_MAX))
        return 0;
    int count = 0;
    while (count < FRAMES_MAX && trace[count] != NULL) {
        pcs[count] = (uintptr_t)trace[count] - 1;
        count++;
    }
    return count;
}

bool sim_tsan_on_report(void *report, bool suppressed) {
    const char *description = NULL;
    int count = 0, stacks = 0, mops = 0, locs = 0, mutexes = 0, threads = 0, tids = 0;
    void *sleep = NULL;
    if (suppressed || !in_driver_run() ||
        !__tsan_get_report_data(report, &description, &count, &stacks, &mops, &locs, &mutexes, &threads, &tids, &sleep,
                                1) ||
        description == NULL || strcmp(description, "data-race") != 0 || mops < 2)
        return suppressed;
    /* Taken even when not noted: with race detection off no detector
     * reports races, and a race behind one not yet a finding adds nothing. */
    if (!sim_race_enabled() || noted.due)
        return true;
    int write = 0, size = 0, other_write = 0, other_size = 0;
    noted.pc_count = mop_frames(report, 0, noted.pcs, &write, &size);
    noted.other_count = mop_frames(report, 1, noted.other_pcs, &other_write, &other_size);
    char what[160];
    snprintf(what, sizeof what, "ThreadSanitizer: a data race: a %s of %d bytes against an earlier %s",
             write ? "write" : "read", size, other_write ? "write" : "read");
    note(SIM_FINDING_DATA_RACE, what);
    return true;
}

void sim_sanitizer_reports_install(void) {}

#endif

#else

/* Without a sanitizer nothing is ever noted. */
void sim_sanitizer_report_due(void) {}
void sim_sanitizer_report_drop(void) {}
void sim_sanitizer_reports_install(void) {}

#endif
