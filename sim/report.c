/* report.c writes the text report of a finding (format in report.h) from
 * its snapshot, and the key that tells findings apart. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *replay_program = "sim";

void sim_report_set_program(const char *program) { replay_program = program; }

const char *sim_report_program(void) { return replay_program; }

static void print_site(FILE *out, const char *label, const sim_site *site) {
    if (site == NULL)
        return;
    fprintf(out, "  %-11s %s:%d (%s)\n", label, site->file, site->line, site->func);
    sim_report_source(out, site);
}

/* Colour only on a terminal, and not when NO_COLOR is set to anything
 * (no-color.org): files and pipes get the same bytes everywhere. */
static bool colour_on(FILE *out) {
    const char *no_colour = getenv("NO_COLOR");
    return isatty(fileno(out)) && (no_colour == NULL || no_colour[0] == '\0');
}

void sim_report_text(FILE *out, const char *scenario, const sim_finding *finding, const sim_report_snapshot *snapshot,
                     const char *schedule_path) {
    const sim_finding_info *info = &finding->info;
    bool error = info->severity == SIM_SEV_ERROR;
    /* bold red for an error, bold yellow for a rule */
    const char *start = colour_on(out) ? (error ? "\033[1;31m" : "\033[1;33m") : "", *end = start[0] ? "\033[0m" : "";
    fprintf(out, "%sspinsim: %s (%s) in scenario %s%s\n", start, sim_kind_token(info->kind), error ? "error" : "rule",
            scenario, end);
    fprintf(out, "  %-11s %s\n", "what", info->message);
    fprintf(out, "  %-11s %s\n", "windows", sim_kind_analogue(info->kind));
    if (snapshot->has_ctx)
        fprintf(out, "  %-11s step %llu, cpu%d, %s %s:%s\n", "where", (unsigned long long)finding->step, finding->cpu,
                snapshot->ctx.kind, snapshot->ctx.label, snapshot->ctx.func);
    print_site(out, "site", finding->site);
    if (snapshot->lock[0] != '\0')
        fprintf(out, "  %-11s %s\n", "lock", snapshot->lock);
    if (snapshot->holder[0] != '\0')
        fprintf(out, "  %-11s %s\n", "holder", snapshot->holder);
    if (snapshot->waiters[0] != '\0')
        fprintf(out, "  %-11s %s\n", "waiters", snapshot->waiters);
    print_site(out, "other site", info->other_site);
    if (snapshot->has_other)
        fprintf(out, "  %-11s %s %s:%s\n", "other", snapshot->other.kind, snapshot->other.label, snapshot->other.func);
    if (finding->chain[0] != '\0')
        fprintf(out, "  %-11s %s\n", "wait-for", finding->chain);
    if (schedule_path != NULL) {
        fprintf(out, "  %-11s %s\n", "schedule", schedule_path);
        fprintf(out, "  %-11s %s replay %s %s --trace\n", "replay", replay_program, scenario, schedule_path);
    }
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
