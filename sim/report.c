/* report.c writes the text report of a finding (format in report.h) from
 * its snapshot, and the key that tells findings apart. */
#include "report.h"

#include <string.h>

static const char *replay_program = "sim";

void sim_report_set_program(const char *program) { replay_program = program; }

const char *sim_report_program(void) { return replay_program; }

static void print_site(FILE *out, const char *label, const sim_site *site) {
    if (site != NULL)
        fprintf(out, "  %-11s %s:%d (%s)\n", label, site->file, site->line, site->func);
}

void sim_report_text(FILE *out, const char *scenario, const sim_finding *finding, const sim_report_snapshot *snapshot,
                     const char *schedule_path) {
    const sim_finding_info *info = &finding->info;
    fprintf(out, "spinsim: %s (%s) in scenario %s\n", sim_kind_token(info->kind),
            info->severity == SIM_SEV_ERROR ? "error" : "rule", scenario);
    fprintf(out, "  %-11s %s\n", "what", info->message);
    fprintf(out, "  %-11s %s\n", "windows", sim_kind_analogue(info->kind));
    if (snapshot->has_ctx)
        fprintf(out, "  %-11s step %llu, cpu%d, %s %s:%s\n", "where", (unsigned long long)finding->step, finding->cpu,
                snapshot->ctx.kind, snapshot->ctx.label, snapshot->ctx.func);
    print_site(out, "site", finding->site);
    if (snapshot->lock[0] != '\0')
        fprintf(out, "  %-11s %s\n", "lock", snapshot->lock);
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
