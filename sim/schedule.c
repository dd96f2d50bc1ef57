/* schedule.c reads and writes `.sched` files (format in schedule.h), and the
 * text of an allow that both a schedule's `allow` lines and --allow use. The
 * reader is strict: an unknown version, a missing scenario line or any
 * malformed line is an error naming the line. */
#include "schedule.h"

#include "grow.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const option_words[] = {
    [SIM_OPT_RUN] = "run", [SIM_OPT_IRQ] = "irq", [SIM_OPT_DPC] = "dpc", [SIM_OPT_SWITCH] = "switch"};

bool sim_schedule_add(sim_schedule *schedule, const sim_schedule_event *event) {
    sim_schedule_event *events =
        sim_grow(schedule->events, &schedule->event_cap, schedule->event_count + 1, sizeof *events, 32);
    if (events == NULL)
        return false;
    schedule->events = events;
    schedule->events[schedule->event_count++] = *event;
    return true;
}

void sim_schedule_clear(sim_schedule *schedule) {
    schedule->scenario[0] = '\0';
    schedule->param_count = 0;
    schedule->allows.count = 0;
    schedule->has_expect = false;
    schedule->expect = SIM_FINDING_NONE;
    schedule->events = NULL;
    schedule->event_count = schedule->event_cap = 0;
}

void sim_schedule_free(sim_schedule *schedule) {
    free(schedule->events);
    sim_schedule_clear(schedule);
}

/* Splits a line into at most `max` whitespace-separated words, in place. */
static int split(char *line, char **words, int max) {
    int count = 0;
    for (char *p = line; *p != '\0';) {
        while (*p != '\0' && isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            break;
        if (count == max)
            return max + 1;
        words[count++] = p;
        while (*p != '\0' && !isspace((unsigned char)*p))
            p++;
        if (*p != '\0')
            *p++ = '\0';
    }
    return count;
}

static bool parse_u64(const char *word, uint64_t *out) {
    if (!isdigit((unsigned char)word[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long value = strtoull(word, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = value;
    return true;
}

static bool parse_i64(const char *word, int64_t *out) {
    errno = 0;
    char *end;
    long long value = strtoll(word, &end, 10);
    if (errno != 0 || *end != '\0' || end == word)
        return false;
    *out = value;
    return true;
}

static bool parse_cpu(const char *word, int *out) {
    uint64_t cpu;
    if (strncmp(word, "cpu", 3) != 0 || !parse_u64(word + 3, &cpu) || cpu >= SIM_CPUS_MAX)
        return false;
    *out = (int)cpu;
    return true;
}

static bool valid_name(const char *word) {
    size_t n = strlen(word);
    return n > 0 && n < SIM_NAME_MAX;
}

bool sim_allowance_parse(const char *text, sim_allowance *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    const char *at = strchr(text, '@');
    int kind_length = at != NULL ? (int)(at - text) : (int)strlen(text);
    char token[32];
    int kind = -1;
    if (kind_length < (int)sizeof token) {
        snprintf(token, sizeof token, "%.*s", kind_length, text);
        kind = sim_kind_parse(token);
    }
    if (kind <= SIM_FINDING_NONE) {
        snprintf(error, error_size, "unknown finding kind '%.*s' (allow KIND or KIND@FILE:LINE)", kind_length, text);
        return false;
    }
    if (!sim_kind_allowable((sim_kind)kind)) {
        snprintf(error, error_size, "%s cannot be allowed: it ends its context, so it is always reported", token);
        return false;
    }
    out->kind = (sim_kind)kind;
    if (at == NULL)
        return true;
    const char *file = at + 1, *colon = strrchr(file, ':');
    size_t file_length = colon != NULL ? (size_t)(colon - file) : 0;
    uint64_t line = 0;
    bool plain = file_length > 0;
    for (size_t i = 0; i < file_length && plain; i++)
        plain = !isspace((unsigned char)file[i]) && file[i] != '#';
    if (!plain || !parse_u64(colon + 1, &line) || line == 0 || line > INT32_MAX) {
        snprintf(error, error_size, "'%s' is not KIND or KIND@FILE:LINE (a file without spaces or '#', a line from 1)",
                 text);
        return false;
    }
    if (file_length >= sizeof out->file) {
        snprintf(error, error_size, "the file of '%.40s...' is longer than %zu characters", text, sizeof out->file - 1);
        return false;
    }
    memcpy(out->file, file, file_length);
    out->line = (int)line;
    return true;
}

void sim_allowance_format(const sim_allowance *allow, char *out, size_t size) {
    if (allow->line == 0)
        snprintf(out, size, "%s", sim_kind_token(allow->kind));
    else
        snprintf(out, size, "%s@%s:%d", sim_kind_token(allow->kind), allow->file, allow->line);
}

bool sim_allowances_add(sim_allowances *allows, const sim_allowance *allow) {
    for (int i = 0; i < allows->count; i++) {
        const sim_allowance *known = &allows->items[i];
        if (known->kind == allow->kind && known->line == allow->line && strcmp(known->file, allow->file) == 0)
            return true;
    }
    if (allows->count == SIM_ALLOWS_MAX)
        return false;
    allows->items[allows->count++] = *allow;
    return true;
}

static bool parse_event(char **words, int count, sim_schedule_event *event) {
    if (count < 3 || !parse_u64(words[0], &event->step))
        return false;
    for (int kind = SIM_OPT_RUN; kind <= SIM_OPT_SWITCH; kind++) {
        if (strcmp(words[1], option_words[kind]) != 0)
            continue;
        event->kind = (sim_option_kind)kind;
        bool named = kind == SIM_OPT_IRQ || kind == SIM_OPT_SWITCH;
        if (count != (named ? 4 : 3) || !parse_cpu(words[count - 1], &event->cpu))
            return false;
        if (named) {
            if (!valid_name(words[2]))
                return false;
            snprintf(event->name, sizeof event->name, "%s", words[2]);
        }
        return true;
    }
    return false;
}

typedef struct parser {
    sim_schedule *out;
    char *error;
    size_t error_size;
    int line;
} parser;

static bool fail(parser *p, const char *what, const char *text) {
    snprintf(p->error, p->error_size, "line %d: %s%s%s%s", p->line, what, text ? " '" : "", text ? text : "",
             text ? "'" : "");
    return false;
}

static bool parse_line(parser *p, char *line) {
    char *hash = strchr(line, '#');
    if (hash != NULL)
        *hash = '\0';
    char *words[6];
    int count = split(line, words, 5);
    sim_schedule *out = p->out;
    if (p->line == 1) {
        uint64_t version;
        if (count != 2 || strcmp(words[0], "spinsim-schedule") != 0 || !parse_u64(words[1], &version))
            return fail(p, "not a spinsim schedule (the first line must be 'spinsim-schedule 1')", NULL);
        if (version != SIM_SCHEDULE_VERSION)
            return fail(p, "unsupported schedule version", words[1]);
        return true;
    }
    if (count == 0)
        return true;
    if (count > 5)
        return fail(p, "too many words", NULL);
    if (strcmp(words[0], "scenario") == 0) {
        if (count != 2 || !valid_name(words[1]) || out->scenario[0] != '\0')
            return fail(p, "expected one 'scenario NAME' line", NULL);
        snprintf(out->scenario, sizeof out->scenario, "%s", words[1]);
        return true;
    }
    if (strcmp(words[0], "param") == 0) {
        int64_t value;
        if (count != 3 || strlen(words[1]) >= sizeof out->params[0].name || !parse_i64(words[2], &value))
            return fail(p, "expected 'param KEY INTEGER'", NULL);
        if (out->param_count == SIM_PARAMS_MAX)
            return fail(p, "too many parameters", NULL);
        sim_param_value *param = &out->params[out->param_count++];
        snprintf(param->name, sizeof param->name, "%s", words[1]);
        param->value = value;
        param->given = true;
        return true;
    }
    if (strcmp(words[0], "allow") == 0) {
        sim_allowance allow;
        char why[SIM_ALLOW_FILE_MAX + 128];
        if (count != 2)
            return fail(p, "expected 'allow KIND' or 'allow KIND@FILE:LINE'", NULL);
        if (!sim_allowance_parse(words[1], &allow, why, sizeof why))
            return fail(p, why, NULL);
        if (!sim_allowances_add(&out->allows, &allow))
            return fail(p, "too many allow lines", NULL);
        return true;
    }
    if (strcmp(words[0], "expect") == 0) {
        int kind = count == 2 ? sim_kind_parse(words[1]) : -1;
        if (kind < 0)
            return fail(p, "unknown finding kind in expect line", count == 2 ? words[1] : NULL);
        out->has_expect = true;
        out->expect = (sim_kind)kind;
        return true;
    }
    sim_schedule_event event = {.line = p->line};
    if (!parse_event(words, count, &event))
        return fail(p, "malformed decision (expected 'STEP run|dpc cpuN' or 'STEP irq|switch NAME cpuN')", NULL);
    if (out->scenario[0] == '\0')
        return fail(p, "decision before the 'scenario' line", NULL);
    if (out->event_count > 0 && event.step < out->events[out->event_count - 1].step)
        return fail(p, "steps must not decrease", words[0]);
    if (!sim_schedule_add(out, &event))
        return fail(p, "out of memory", NULL);
    return true;
}

bool sim_schedule_parse(const char *text, size_t size, sim_schedule *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    parser p = {.out = out, .error = error, .error_size = error_size};
    if (size == 0) {
        snprintf(error, error_size, "empty schedule");
        return false;
    }
    if (memchr(text, '\0', size) != NULL) {
        snprintf(error, error_size, "binary data in a schedule (replay a fuzzer input with --raw)");
        return false;
    }
    size_t start = 0;
    while (start < size) {
        size_t end = start;
        while (end < size && text[end] != '\n')
            end++;
        char line[512];
        p.line++;
        if (end - start >= sizeof line) {
            fail(&p, "line too long", NULL);
            sim_schedule_free(out);
            return false;
        }
        memcpy(line, text + start, end - start);
        line[end - start] = '\0';
        if (!parse_line(&p, line)) {
            sim_schedule_free(out);
            return false;
        }
        start = end + 1;
    }
    if (out->scenario[0] == '\0') {
        snprintf(error, error_size, "line %d: no 'scenario NAME' line", p.line);
        sim_schedule_free(out);
        return false;
    }
    return true;
}

void sim_option_format(const sim_option *option, char *out, size_t size) {
    switch (option->kind) {
    case SIM_OPT_RUN:
    case SIM_OPT_DPC:
        snprintf(out, size, "%s cpu%d", option_words[option->kind], option->cpu);
        return;
    case SIM_OPT_IRQ:
        snprintf(out, size, "irq %s cpu%d", sim_R->irqs[option->target].name, option->cpu);
        return;
    case SIM_OPT_SWITCH:
        snprintf(out, size, "switch %s cpu%d", sim_R->ctxs[option->target].label, option->cpu);
        return;
    }
}

void sim_schedule_event_of(const sim_option *option, uint64_t step, sim_schedule_event *out) {
    memset(out, 0, sizeof *out);
    out->step = step;
    out->kind = option->kind;
    out->cpu = option->cpu;
    if (option->kind == SIM_OPT_IRQ)
        snprintf(out->name, sizeof out->name, "%s", sim_R->irqs[option->target].name);
    else if (option->kind == SIM_OPT_SWITCH)
        snprintf(out->name, sizeof out->name, "%s", sim_R->ctxs[option->target].label);
}

void sim_schedule_from_run(sim_schedule *out, const char *scenario) {
    sim_run *run = sim_R;
    memset(out, 0, sizeof *out);
    snprintf(out->scenario, sizeof out->scenario, "%s", scenario);
    out->param_count = run->param_count;
    memcpy(out->params, run->params, (size_t)run->param_count * sizeof run->params[0]);
    out->allows = run->config->allows;
    out->has_expect = true;
    const sim_finding *verdict = sim_run_verdict(run);
    out->expect = verdict != NULL ? verdict->info.kind : SIM_FINDING_NONE;
    for (int i = 0; i < run->decision_count; i++) {
        sim_schedule_event event;
        sim_schedule_event_of(&run->decisions[i].option, run->decisions[i].step, &event);
        if (!sim_schedule_add(out, &event))
            sim_panic("out of memory writing a schedule");
    }
}

void sim_schedule_write(FILE *out, const sim_schedule *schedule) {
    fprintf(out, "spinsim-schedule %d\n", SIM_SCHEDULE_VERSION);
    fprintf(out, "scenario %s\n", schedule->scenario);
    for (int i = 0; i < schedule->param_count; i++)
        fprintf(out, "param %s %lld\n", schedule->params[i].name, (long long)schedule->params[i].value);
    for (int i = 0; i < schedule->allows.count; i++) {
        char allow[SIM_ALLOW_FILE_MAX + 64];
        sim_allowance_format(&schedule->allows.items[i], allow, sizeof allow);
        fprintf(out, "allow %s\n", allow);
    }
    if (schedule->has_expect)
        fprintf(out, "expect %s\n", sim_kind_token(schedule->expect));
    for (int i = 0; i < schedule->event_count; i++) {
        const sim_schedule_event *e = &schedule->events[i];
        if (e->name[0] != '\0')
            fprintf(out, "%llu %s %s cpu%d\n", (unsigned long long)e->step, option_words[e->kind], e->name, e->cpu);
        else
            fprintf(out, "%llu %s cpu%d\n", (unsigned long long)e->step, option_words[e->kind], e->cpu);
    }
}

char *sim_schedule_text(const sim_schedule *schedule, size_t *size) {
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    if (out == NULL)
        return NULL;
    sim_schedule_write(out, schedule);
    return fclose(out) == 0 ? text : (free(text), NULL);
}
