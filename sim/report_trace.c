/* report_trace.c writes a run as Chrome trace-event JSON (report.h), the
 * format Perfetto and chrome://tracing open, from the run's events as they
 * happen:
 *   - process "CPUs": a track per vCPU, a slice for each stretch one
 *     context ran there (named "T0:Func", category its kind), and a
 *     counter "IRQL cpuN";
 *   - process "locks": a track per lock, a slice for each hold, named by
 *     the holder (from the checkers' held locks, read once the step that
 *     took or freed the lock is over: at the next event);
 *   - process "spin-waits": a track per context that spun, a slice for each
 *     wait, named by what it waited for;
 *   - each finding as a global instant event named by its kind, with its
 *     site.
 * A step is one microsecond of trace time. Each event is one line. */
#include <string.h>

#include "report.h"

enum { PID_CPUS = 1, PID_LOCKS = 2, PID_WAITS = 3 };

static void name_track(sim_trace_report *report, int pid, int tid, const char *what, const char *name) {
    sim_json *json = &report->json;
    sim_json_object(json, NULL);
    sim_json_string(json, "ph", "M");
    sim_json_string(json, "name", what);
    sim_json_int(json, "pid", pid);
    sim_json_int(json, "tid", tid);
    sim_json_object(json, "args");
    sim_json_string(json, "name", name);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

static void slice(sim_trace_report *report, int pid, int tid, const char *name, const char *category, uint64_t start,
                  uint64_t end) {
    sim_json *json = &report->json;
    sim_json_object(json, NULL);
    sim_json_string(json, "ph", "X");
    sim_json_string(json, "name", name);
    sim_json_string(json, "cat", category);
    sim_json_int(json, "pid", pid);
    sim_json_int(json, "tid", tid);
    sim_json_uint(json, "ts", start);
    sim_json_uint(json, "dur", end > start ? end - start : 1);
    sim_json_object_end(json);
}

static void context_name(int ctx, char *out, size_t size) {
    const sim_ctx *c = &sim_R->ctxs[ctx];
    snprintf(out, size, "%s:%s", c->label, c->func ? c->func : "-");
}

void sim_trace_report_start(sim_trace_report *report, FILE *out, const char *scenario) {
    memset(report, 0, sizeof *report);
    for (int c = 0; c < SIM_CPUS_MAX; c++) {
        report->running[c] = -1;
        report->irql[c] = -1;
    }
    report->last_ctx = -1;
    sim_json *json = &report->json;
    sim_json_start_lines(json, out, 2);
    sim_json_object(json, NULL);
    sim_json_string(json, "displayTimeUnit", "ns");
    sim_json_object(json, "otherData");
    sim_json_string(json, "tool", "spinsim");
    sim_json_string(json, "scenario", scenario);
    sim_json_string(json, "time", "one step is one microsecond");
    sim_json_object_end(json);
    sim_json_array(json, "traceEvents");
    char process[160];
    snprintf(process, sizeof process, "CPUs (%s)", scenario);
    name_track(report, PID_CPUS, 0, "process_name", process);
    name_track(report, PID_LOCKS, 0, "process_name", "locks");
    name_track(report, PID_WAITS, 0, "process_name", "spin-waits");
}

static void end_running(sim_trace_report *report, int cpu, uint64_t step) {
    int ctx = report->running[cpu];
    if (ctx < 0)
        return;
    char name[96];
    context_name(ctx, name, sizeof name);
    slice(report, PID_CPUS, cpu, name, sim_report_ctx_kind(sim_R->ctxs[ctx].kind), report->since[cpu], step);
    report->running[cpu] = -1;
}

static void count_irql(sim_trace_report *report, int cpu, int irql, uint64_t step) {
    if (report->irql[cpu] == irql)
        return;
    report->irql[cpu] = irql;
    sim_json *json = &report->json;
    char name[32];
    snprintf(name, sizeof name, "IRQL cpu%d", cpu);
    sim_json_object(json, NULL);
    sim_json_string(json, "ph", "C");
    sim_json_string(json, "name", name);
    sim_json_int(json, "pid", PID_CPUS);
    sim_json_uint(json, "ts", step);
    sim_json_object(json, "args");
    sim_json_int(json, "IRQL", irql);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

static void end_hold(sim_trace_report *report, int index, uint64_t step) {
    const sim_trace_span *hold = &report->holds[index];
    char name[96];
    context_name(hold->ctx, name, sizeof name);
    slice(report, PID_LOCKS, hold->track, name, "hold", hold->start, step);
    report->holds[index] = report->holds[--report->hold_count];
}

/* The holds of the context that took the last step, as the checkers see
 * them now that the step is over: a hold ends when its lock left the held
 * list, one starts at `step` for each lock new to it. */
static void follow_holds(sim_trace_report *report, int ctx_id, uint64_t step) {
    if (ctx_id < 0)
        return;
    const sim_ctx *ctx = &sim_R->ctxs[ctx_id];
    for (int i = report->hold_count - 1; i >= 0; i--)
        if (report->holds[i].ctx == ctx_id && check_held_lock(ctx, report->holds[i].lock) < 0)
            end_hold(report, i, step);
    for (int h = 0; h < ctx->held_count; h++) {
        const void *lock = ctx->held[h].lock;
        bool open = false;
        for (int i = 0; i < report->hold_count && !open; i++)
            open = report->holds[i].ctx == ctx_id && report->holds[i].lock == lock;
        if (open || report->hold_count == SIM_TRACE_SPANS_MAX)
            continue;
        int id = sim_lock_id(lock);
        if (!report->lock_named[id]) {
            report->lock_named[id] = true;
            name_track(report, PID_LOCKS, id, "thread_name", sim_object_name(lock));
        }
        report->holds[report->hold_count++] = (sim_trace_span){.track = id, .ctx = ctx_id, .lock = lock, .start = step};
    }
}

/* A context that went to sleep spinning waits until its next event. */
static void follow_waits(sim_trace_report *report, const sim_trace_event *event) {
    for (int i = 0; i < report->wait_count; i++) {
        const sim_trace_span *wait = &report->waits[i];
        if (wait->ctx != event->ctx)
            continue;
        char name[192], context[96], object[64];
        context_name(wait->ctx, context, sizeof context);
        sim_object_label(wait->track, object, sizeof object);
        snprintf(name, sizeof name, "%s waits for %s", context, object);
        slice(report, PID_WAITS, wait->ctx, name, "spin-wait", wait->start, event->step);
        report->waits[i] = report->waits[--report->wait_count];
        break;
    }
    if (event->op == SIM_OP_SLEEP && report->wait_count < SIM_TRACE_SPANS_MAX) {
        char context[96];
        if (!report->wait_named[event->ctx]) {
            report->wait_named[event->ctx] = true;
            context_name(event->ctx, context, sizeof context);
            name_track(report, PID_WAITS, event->ctx, "thread_name", context);
        }
        report->waits[report->wait_count++] =
            (sim_trace_span){.track = event->object, .ctx = event->ctx, .start = event->step};
    }
}

static void finding(sim_trace_report *report, const sim_trace_event *event) {
    sim_json *json = &report->json;
    sim_json_object(json, NULL);
    sim_json_string(json, "ph", "i");
    sim_json_string(json, "s", "g");
    sim_json_string(json, "name", event->text ? event->text : "finding");
    sim_json_string(json, "cat", "finding");
    sim_json_int(json, "pid", PID_CPUS);
    sim_json_int(json, "tid", event->cpu);
    sim_json_uint(json, "ts", event->step);
    sim_json_object(json, "args");
    char site[256] = "-";
    if (event->site != NULL)
        snprintf(site, sizeof site, "%s:%d (%s)", event->site->file, event->site->line, event->site->func);
    sim_json_string(json, "site", site);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

void sim_trace_report_event(void *user, const sim_trace_event *event) {
    sim_trace_report *report = user;
    follow_holds(report, report->last_ctx, report->last_step);
    report->last_step = event->step;
    report->last_ctx = event->ctx;
    if (event->op == SIM_OP_DECIDE || event->cpu < 0 || event->ctx < 0)
        return;
    int cpu = event->cpu;
    while (report->cpus <= cpu) {
        char name[16];
        snprintf(name, sizeof name, "cpu%d", report->cpus);
        name_track(report, PID_CPUS, report->cpus++, "thread_name", name);
    }
    if (report->running[cpu] != event->ctx) {
        end_running(report, cpu, event->step);
        report->running[cpu] = event->ctx;
        report->since[cpu] = event->step;
    }
    count_irql(report, cpu, event->irql, event->step);
    follow_waits(report, event);
    if (event->op == SIM_OP_FINDING)
        finding(report, event);
    if (event->op == SIM_OP_END)
        end_running(report, cpu, event->step + 1);
}

void sim_trace_report_finish(sim_trace_report *report) {
    follow_holds(report, report->last_ctx, report->last_step);
    uint64_t end = report->last_step + 1;
    for (int c = 0; c < report->cpus; c++)
        end_running(report, c, end);
    while (report->hold_count > 0)
        end_hold(report, report->hold_count - 1, end);
    sim_json_array_end(&report->json);
    sim_json_object_end(&report->json);
    sim_json_finish(&report->json);
}
