/* report.c writes the text report of a finding (format in report.h). Every
 * name in it comes from the run (context labels, object names, sites), never
 * an address, so reports diff cleanly between runs and variants. */
#include "report.h"

#include <string.h>

static const char *replay_program = "sim";

void sim_report_set_program(const char *program) { replay_program = program; }

static const char *const ctx_kinds[] = {
    [SIM_CTX_THREAD] = "thread", [SIM_CTX_DPC] = "DPC", [SIM_CTX_THREADED_DPC] = "threaded DPC", [SIM_CTX_ISR] = "ISR"};

static void print_site(FILE *out, const char *label, const sim_site *site) {
    if (site != NULL)
        fprintf(out, "  %-11s %s:%d (%s)\n", label, site->file, site->line, site->func);
}

void sim_report_describe(char *text, size_t size, const char *scenario, const sim_finding *finding) {
    FILE *out = fmemopen(text, size, "w");
    if (out == NULL) {
        snprintf(text, size, "spinsim: %s\n", sim_kind_token(finding->info.kind));
        return;
    }
    const sim_finding_info *info = &finding->info;
    fprintf(out, "spinsim: %s (%s) in scenario %s\n", sim_kind_token(info->kind),
            info->severity == SIM_SEV_ERROR ? "error" : "rule", scenario);
    fprintf(out, "  %-11s %s\n", "what", info->message);
    fprintf(out, "  %-11s %s\n", "windows", sim_kind_analogue(info->kind));
    if (finding->ctx >= 0) {
        const sim_ctx *ctx = &sim_R->ctxs[finding->ctx];
        fprintf(out, "  %-11s step %llu, cpu%d, %s %s:%s\n", "where", (unsigned long long)finding->step, finding->cpu,
                ctx_kinds[ctx->kind], ctx->label, ctx->func);
    }
    print_site(out, "site", finding->site);
    if (info->lock != NULL)
        fprintf(out, "  %-11s %s\n", "lock", sim_object_name(info->lock));
    print_site(out, "other site", info->other_site);
    if (info->other_ctx >= 0) {
        const sim_ctx *other = &sim_R->ctxs[info->other_ctx];
        fprintf(out, "  %-11s %s %s:%s\n", "other", ctx_kinds[other->kind], other->label, other->func);
    }
    if (finding->chain[0] != '\0')
        fprintf(out, "  %-11s %s\n", "wait-for", finding->chain);
    fclose(out);
}

void sim_report_text(FILE *out, const char *scenario, const char *text, const char *tail, const char *schedule_path) {
    fputs(text, out);
    if (schedule_path != NULL) {
        fprintf(out, "  %-11s %s\n", "schedule", schedule_path);
        fprintf(out, "  %-11s %s replay %s %s --trace\n", "replay", replay_program, scenario, schedule_path);
    }
    if (tail[0] != '\0')
        fprintf(out, "  last steps:\n%s", tail);
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
