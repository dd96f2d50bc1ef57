/* report.c lists what a report says of a finding (its facts, in the order
 * every human-readable format gives them), writes the text report from
 * them, and makes the key that tells findings apart. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *replay_program = "sim";

void sim_report_set_program(const char *program) { replay_program = program; }

const char *sim_report_program(void) { return replay_program; }

/* Colour only on a terminal, and not when NO_COLOR is set to anything
 * (no-color.org): files and pipes get the same bytes everywhere. */
static bool colour_on(FILE *out) {
    const char *no_colour = getenv("NO_COLOR");
    return isatty(fileno(out)) && (no_colour == NULL || no_colour[0] == '\0');
}

void sim_report_replay_command(char *out, size_t size, const char *scenario, const char *schedule_path) {
    snprintf(out, size, "%s replay %s %s --trace", replay_program, scenario, schedule_path);
}

void sim_report_facts(const sim_finding *finding, const sim_report_snapshot *snapshot, const char *scenario,
                      const char *schedule_path, sim_report_fact_fn *fact, void *user) {
    const sim_finding_info *info = &finding->info;
    char text[4200];
    fact(user, "what", info->message, NULL);
    fact(user, "windows", sim_kind_analogue(info->kind), NULL);
    if (snapshot->has_ctx) {
        snprintf(text, sizeof text, "step %llu, cpu%d, %s %s:%s", (unsigned long long)finding->step, finding->cpu,
                 snapshot->ctx.kind, snapshot->ctx.label, snapshot->ctx.func);
        fact(user, "where", text, NULL);
    }
    if (finding->site != NULL)
        fact(user, "site", NULL, finding->site);
    if (snapshot->lock[0] != '\0')
        fact(user, "lock", snapshot->lock, NULL);
    if (snapshot->holder[0] != '\0')
        fact(user, "holder", snapshot->holder, NULL);
    if (snapshot->waiters[0] != '\0')
        fact(user, "waiters", snapshot->waiters, NULL);
    if (info->other_site != NULL)
        fact(user, "other site", NULL, info->other_site);
    if (snapshot->has_other) {
        snprintf(text, sizeof text, "%s %s:%s", snapshot->other.kind, snapshot->other.label, snapshot->other.func);
        fact(user, "other", text, NULL);
    }
    if (finding->chain[0] != '\0')
        fact(user, "wait-for", finding->chain, NULL);
    if (schedule_path != NULL) {
        fact(user, "schedule", schedule_path, NULL);
        sim_report_replay_command(text, sizeof text, scenario, schedule_path);
        fact(user, "replay", text, NULL);
    }
}

/* A fact as a line of the text report; a site with its source lines. */
static void print_fact(void *user, const char *name, const char *value, const sim_site *site) {
    FILE *out = user;
    if (site == NULL) {
        fprintf(out, "  %-11s %s\n", name, value);
        return;
    }
    fprintf(out, "  %-11s %s:%d (%s)\n", name, site->file, site->line, site->func);
    sim_report_source(out, site);
}

void sim_report_text(FILE *out, const char *scenario, const sim_finding *finding, const sim_report_snapshot *snapshot,
                     const char *schedule_path) {
    const sim_finding_info *info = &finding->info;
    bool error = info->severity == SIM_SEV_ERROR;
    /* bold red for an error, bold yellow for a rule */
    const char *start = colour_on(out) ? (error ? "\033[1;31m" : "\033[1;33m") : "", *end = start[0] ? "\033[0m" : "";
    fprintf(out, "%sspinsim: %s (%s) in scenario %s%s\n", start, sim_kind_token(info->kind), error ? "error" : "rule",
            scenario, end);
    sim_report_facts(finding, snapshot, scenario, schedule_path, print_fact, out);
    if (snapshot->step_count > 0)
        sim_report_columns(out, finding, snapshot);
}

static int key_site(char *out, size_t size, const sim_site *site) {
    return site == NULL ? snprintf(out, size, "-")
                        : snprintf(out, size, "%s:%d:%s", site->file, site->line, site->func);
}

void sim_finding_key(char *out, size_t size, const sim_finding *finding) {
    int used = snprintf(out, size, "%s ", sim_kind_token(finding->info.kind));
    if (used >= 0 && (size_t)used < size)
        used += key_site(out + used, size - (size_t)used, finding->site);
    if (used >= 0 && (size_t)used + 3 < size) {
        memcpy(out + used, " < ", 4);
        key_site(out + used + 3, size - (size_t)used - 3, finding->info.other_site);
    }
}
