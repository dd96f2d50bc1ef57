/* report.h: what a report says of a finding, and the text report, shaped
 * like a lockdep splat: banner, where it broke, the lock and its other
 * site, the wait-for chain, how to replay it, and the last steps of the
 * trace. The JSON and SARIF reports (report_json.h) say the same from the
 * same snapshot. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>

#include "check.h"
#include "internal.h"
#include "json.h"
#include "schedule.h"

enum { SIM_REPORT_LOCKS_MAX = 16 };

/* A context kind as reports name it: "thread", "DPC", "threaded DPC", "ISR". */
const char *sim_report_ctx_kind(sim_ctx_kind kind);

/* A context as reports name it: "thread T0:TmrResetThread". */
typedef struct sim_report_context {
    const char *kind; /* "thread", "DPC", "threaded DPC", "ISR" */
    char label[12];   /* "T0" */
    const char *func; /* its entry function */
} sim_report_context;

/* One step of the run's last steps. */
typedef struct sim_report_step {
    char what[320]; /* what it did: "or ext->Lock 0x0->0x1", "decide dpc cpu1" */
    uint64_t step;
    int cpu;              /* -1: a decision, by no CPU */
    int irql;             /* the CPU's IRQL after the step; -1 for a decision */
    char context[12];     /* the context's label; "" for a decision */
    const char *func;     /* the context's entry function; NULL for a decision */
    const sim_site *site; /* NULL: none */
    bool finding;         /* the step that reported a finding */
} sim_report_step;

/* The step as `replay --trace` prints it. */
void sim_report_step_line(const sim_report_step *step, char *out, size_t size);

/* A lock the run acquired, with its fairness. */
typedef struct sim_report_lock {
    char name[64];
    sim_fairness fairness;
} sim_report_lock;

/* What a report needs of a finding's run besides the finding itself, taken
 * when the run ends (the next run reuses the machine): names of the
 * contexts and the lock, the last steps, the locks' fairness. */
typedef struct sim_report_snapshot {
    bool has_ctx, has_other;
    sim_report_context ctx, other;
    char lock[64];     /* "" when the finding names no lock */
    char holder[96];   /* its holder when the run ended, "T0:Func (cpu0)"; "" if none */
    char waiters[256]; /* the contexts inside an acquire of it, the same way, ", " between */
    int step_count;
    sim_report_step steps[SIM_TAIL_MAX];
    int lock_count; /* the first SIM_REPORT_LOCKS_MAX locks acquired */
    sim_report_lock locks[SIM_REPORT_LOCKS_MAX];
} sim_report_snapshot;

/* Takes the snapshot of `finding` from the run that just ended (sim_R),
 * with its last steps when `with_steps` (a rule finding does not end its
 * run, so the run's last steps are not its own). */
void sim_report_snapshot_take(sim_report_snapshot *snapshot, const sim_finding *finding, bool with_steps);
/* An empty snapshot (no contexts, lock, steps or locks), without clearing
 * its arrays, which are read only below their counts. */
void sim_report_snapshot_clear(sim_report_snapshot *snapshot);

/* The `sim` binary a report's replay line names, as the user invokes it
 * (the command line's argv[0]); "sim" until set. */
void sim_report_set_program(const char *program);
const char *sim_report_program(void);

/* The facts a report gives of a finding, in order: what, windows, where,
 * site, lock, holder, waiters, other site, other, wait-for, schedule and
 * replay, each present one handed to `fact` as a name and a value, or for
 * the two sites as a name and the site. */
typedef void sim_report_fact_fn(void *user, const char *name, const char *value, const sim_site *site);
void sim_report_facts(const sim_finding *finding, const sim_report_snapshot *snapshot, const char *scenario,
                      const char *schedule_path, sim_report_fact_fn *fact, void *user);
/* The command that replays the schedule: "PROGRAM replay SCENARIO PATH --trace". */
void sim_report_replay_command(char *out, size_t size, const char *scenario, const char *schedule_path);

/* The text report: the description of the finding, then where the
 * schedule is and how to replay it (unless `schedule_path` is NULL: no
 * schedule file was written), then the last steps, if any, one column per
 * CPU (report_columns.c). */
void sim_report_text(FILE *out, const char *scenario, const sim_finding *finding, const sim_report_snapshot *snapshot,
                     const char *schedule_path);

/* The source lines around a site (report_source.c). */
enum { SIM_SOURCE_LINES_MAX = 4, SIM_SOURCE_WIDTH = 100 };
typedef struct sim_source_line {
    int number;
    char text[SIM_SOURCE_WIDTH + 1]; /* cut at SIM_SOURCE_WIDTH characters */
} sim_source_line;
/* Fills `lines` (at most `max`) with the lines around `site`; 0 when its
 * file cannot be read. */
int sim_report_source_lines(const sim_site *site, sim_source_line *lines, int max);
/* Prints them as the text report shows them, the site's line marked ">". */
void sim_report_source(FILE *out, const sim_site *site);
/* The last steps of `snapshot` as columns, one per CPU that took one. */
void sim_report_columns(FILE *out, const sim_finding *finding, const sim_report_snapshot *snapshot);

/* ---- machine-readable reports (report_json.c, report_sarif.c) -------------- */

/* One finding and what is known of the exploration that found it. */
typedef struct sim_report_doc {
    const char *scenario;
    const sim_finding *finding;
    const sim_report_snapshot *snapshot;
    const char *schedule_path;    /* NULL: none written */
    const char *schedule_text;    /* the schedule file's content; NULL: none */
    const sim_schedule *schedule; /* that schedule: the trace report replays it */
    const char *strategy;
    uint64_t seed;
    uint64_t runs;      /* executions the exploration made */
    uint64_t first_run; /* index of the first run with this finding */
    uint64_t runs_with; /* how many runs had it */
} sim_report_doc;

/* The JSON report, schema docs/report.schema.json (version SIM_REPORT_JSON_VERSION). */
enum { SIM_REPORT_JSON_VERSION = 1 };
void sim_report_json(FILE *out, const sim_report_doc *doc);
/* The same as a SARIF 2.1.0 log: one run, one result. */
void sim_report_sarif(FILE *out, const sim_report_doc *doc);

/* ---- the Chrome trace-event report (report_trace.c) ------------------------ */

enum { SIM_TRACE_SPANS_MAX = 256 };

/* An open span: a lock held, or a context spinning. */
typedef struct sim_trace_span {
    int track;        /* the lock's (or awaited word's) object id */
    int ctx;          /* the holder, or the waiter */
    const void *lock; /* a hold's lock */
    uint64_t start;
} sim_trace_span;

/* Writes a run, event by event, as Chrome trace-event JSON, which Perfetto
 * and chrome://tracing open: sim_trace_report_start, then give
 * sim_trace_report_event as the run's event sink, then
 * sim_trace_report_finish once the run has ended. One step is shown as
 * one microsecond. */
typedef struct sim_trace_report {
    sim_json json;
    int cpus;                     /* CPUs named so far */
    int running[SIM_CPUS_MAX];    /* the context on each CPU, or -1 */
    uint64_t since[SIM_CPUS_MAX]; /* since when */
    int irql[SIM_CPUS_MAX];       /* the IRQL last counted, or -1 */
    bool lock_named[SIM_LOCKS_MAX];
    bool wait_named[SIM_CTX_MAX];
    sim_trace_span holds[SIM_TRACE_SPANS_MAX];
    int hold_count;
    sim_trace_span waits[SIM_TRACE_SPANS_MAX]; /* a context spinning, by context */
    int wait_count;
    uint64_t last_step; /* of the last event */
    int last_ctx;       /* its context, or -1 */
} sim_trace_report;

void sim_trace_report_start(sim_trace_report *report, FILE *out, const char *scenario);
void sim_trace_report_event(void *report, const sim_trace_event *event);
void sim_trace_report_finish(sim_trace_report *report);

/* The HTML report: one self-contained page with the finding, its sites'
 * source lines and a zoomable timeline drawn from `trace`, the finding
 * run's trace-event report (report_html.c). */
void sim_report_html(FILE *out, const sim_report_doc *doc, const char *trace, size_t trace_size);

/* The identity of a finding across runs, for deduplication: its kind and
 * both sites (`kind file:line:function < file:line:function`). */
void sim_finding_key(char *out, size_t size, const sim_finding *finding);

#endif
