/* trace.c records what every step did: into a ring that keeps a report's
 * tail, and, when a sink is set, as one text line per event. Lines name
 * CPUs, contexts, objects and sites by ids and names, never addresses, so the
 * same scenario and decisions give the same bytes in every build variant.
 *
 * Line format (columns separated by spaces):
 *   STEP CPU CONTEXT:FUNCTION OP OBJECT VALUES SITE
 * e.g. "    17 cpu1 T1:Worker xchg ext->Lock 0x0->0x3 scenarios/ring.c:41".
 * Decisions that are not "run" appear as "STEP ---- decide irq rx cpu0".
 * A value that is an address (a queued lock's tail, a queue entry's Next)
 * is printed as the object it points at, "&name" or "&name|0x1" with flag
 * bits, never as its digits. */
#include <string.h>

#include "internal.h"
#include "symbolize.h"

static const char *const op_names[] = {
    [SIM_OP_LOAD] = "load", [SIM_OP_STORE] = "store",   [SIM_OP_XCHG] = "xchg",       [SIM_OP_CMPXCHG] = "cmpxchg",
    [SIM_OP_ADD] = "add",   [SIM_OP_OR] = "or",         [SIM_OP_AND] = "and",         [SIM_OP_XOR] = "xor",
    [SIM_OP_IRQL] = "irql", [SIM_OP_YIELD] = "yield",   [SIM_OP_SLEEP] = "sleep",     [SIM_OP_START] = "start",
    [SIM_OP_END] = "end",   [SIM_OP_DECIDE] = "decide", [SIM_OP_FINDING] = "finding", [SIM_OP_PRINT] = "print",
};

static void emit(const sim_trace_event *event) {
    const sim_config *config = sim_R->config;
    if (config->trace_sink != NULL || config->event_sink != NULL)
        sim_site_resolve(event->site);
    if (config->trace_sink != NULL) {
        char line[512];
        sim_trace_format(event, line, sizeof line);
        config->trace_sink(config->trace_user, line);
    }
    if (config->event_sink != NULL)
        config->event_sink(config->event_user, event);
}

/* Values at or above 4 GiB are addresses on x86-64 Linux (heap and stacks);
 * lock words and counters stay below. Resolved when the step happens, so
 * the full trace and a report's tail name an address alike. */
static int pointee(sim_trace_op op, uint64_t value) {
    if (op > SIM_OP_XOR || value >> 32 == 0)
        return 0;
    return 1 + (int)(sim_object_get((const void *)(uintptr_t)(value & ~(uint64_t)7)) - sim_R->objects);
}

/* The IRQL of `cpu`, or 0 for a context off every CPU (cpu -1). */
static uint8_t irql_of(int cpu) { return cpu >= 0 ? sim_R->cpus[cpu].irql : 0; }

/* The next event, by the running context, built in the ring's slot field
 * by field: building it elsewhere and copying it in would cost an ASan
 * range check on every step. */
static sim_trace_event *append(sim_trace_op op, int object, uint64_t before, uint64_t after, const char *text) {
    sim_run *run = sim_R;
    sim_ctx *self = run->current;
    sim_trace_event *event = &run->tail[run->tail_count++ % SIM_TAIL_MAX];
    event->step = run->step;
    event->op = op;
    event->cpu = self ? self->cpu : -1;
    event->ctx = self ? self->id : -1;
    event->object = object;
    event->before = before;
    event->after = after;
    event->before_pointee = pointee(op, before);
    event->after_pointee = pointee(op, after);
    event->site = self ? self->site : NULL;
    event->text = text;
    event->option = (sim_option){0};
    event->irql = irql_of(event->cpu);
    return event;
}

void sim_trace(sim_trace_op op, int object, uint64_t before, uint64_t after, const char *text) {
    emit(append(op, object, before, after, text));
}

/* A finding's line names the finding's context and its own site (a
 * faulting or racing line may lie below the context's last wdm.h call). */
void sim_trace_finding(const sim_ctx *ctx, int object, const char *kind, const sim_site *site) {
    sim_trace_event *event = append(SIM_OP_FINDING, object, 0, 0, kind);
    if (ctx != NULL) {
        event->cpu = ctx->cpu;
        event->ctx = ctx->id;
        event->irql = irql_of(ctx->cpu);
    }
    if (site != NULL)
        event->site = site;
    emit(event);
}

/* Decisions belong to no context. */
void sim_trace_decision(const sim_option *option) {
    sim_trace_event *event = append(SIM_OP_DECIDE, -1, 0, 0, NULL);
    event->cpu = event->ctx = -1;
    event->site = NULL;
    event->option = *option;
    emit(event);
}

static void format_site(const sim_site *site, char *out, size_t size) {
    if (site == NULL)
        snprintf(out, size, "-");
    else
        snprintf(out, size, "%s:%d", site->file, site->line);
}

static void format_value(uint64_t value, int pointee_plus_one, char *out, size_t size) {
    if (pointee_plus_one == 0) {
        snprintf(out, size, "0x%llx", (unsigned long long)value);
        return;
    }
    char name[64];
    sim_object_label(pointee_plus_one - 1, name, sizeof name);
    if ((value & 7) != 0)
        snprintf(out, size, "&%s|0x%llx", name, (unsigned long long)(value & 7));
    else
        snprintf(out, size, "&%s", name);
}

/* DbgPrint text in double quotes, on one line: control characters (the
 * trailing newline drivers print) become spaces. */
static void format_print(const char *text, char *out, size_t size) {
    size_t at = 0;
    out[at++] = '"';
    for (; *text != '\0' && at + 2 < size; text++)
        out[at++] = (unsigned char)*text < ' ' ? ' ' : *text;
    out[at++] = '"';
    out[at] = '\0';
}

void sim_trace_what(const sim_trace_event *event, char *out, size_t size) {
    if (event->op == SIM_OP_DECIDE) {
        char option[96];
        sim_option_format(&event->option, option, sizeof option);
        snprintf(out, size, "decide %s", option);
        return;
    }
    char object[64], values[240] = "";
    sim_object_label(event->object, object, sizeof object);
    switch (event->op) {
    case SIM_OP_LOAD:
        format_value(event->after, event->after_pointee, values, sizeof values);
        break;
    case SIM_OP_IRQL:
        snprintf(values, sizeof values, "%llu->%llu", (unsigned long long)event->before,
                 (unsigned long long)event->after);
        break;
    case SIM_OP_YIELD:
    case SIM_OP_FINDING:
        snprintf(values, sizeof values, "%s", event->text ? event->text : "-");
        break;
    case SIM_OP_PRINT:
        format_print(event->text, values, sizeof values);
        break;
    case SIM_OP_SLEEP:
    case SIM_OP_START:
    case SIM_OP_END:
    case SIM_OP_DECIDE:
        snprintf(values, sizeof values, "-");
        break;
    default: {
        char before[64], after[64];
        format_value(event->before, event->before_pointee, before, sizeof before);
        format_value(event->after, event->after_pointee, after, sizeof after);
        snprintf(values, sizeof values, "%s->%s", before, after);
        break;
    }
    }
    snprintf(out, size, "%s %s %s", op_names[event->op], object, values);
}

void sim_trace_line(char *out, size_t size, uint64_t step, int cpu, const char *label, const char *func,
                    const char *what, const sim_site *site) {
    if (cpu < 0) {
        snprintf(out, size, "%6llu ---- %s", (unsigned long long)step, what);
        return;
    }
    char where[160];
    format_site(site, where, sizeof where);
    snprintf(out, size, "%6llu cpu%d %s:%s %s %s", (unsigned long long)step, cpu, label ? label : "-",
             func ? func : "-", what, where);
}

void sim_trace_format(const sim_trace_event *event, char *out, size_t size) {
    char what[400];
    sim_trace_what(event, what, sizeof what);
    const sim_ctx *ctx = event->ctx >= 0 ? &sim_R->ctxs[event->ctx] : NULL;
    sim_trace_line(out, size, event->step, event->op == SIM_OP_DECIDE ? -1 : event->cpu, ctx ? ctx->label : NULL,
                   ctx ? ctx->func : NULL, what, event->site);
}
