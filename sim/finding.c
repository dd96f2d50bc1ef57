/* finding.c turns a rule broken by driver code into a finding: it applies
 * the allows (the scenario's sim_allow, and --allow or the schedule's `allow`
 * lines, by kind or by site), stamps where and when (step, CPU, context,
 * site), and ends the run at an `error` (docs/design.md, Decisions: "Severity and
 * stopping"). A broken simulator invariant is not a finding: sim_panic. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sanitizer.h"
#include "symbolize.h"

static const char *const kind_tokens[] = {
#define SIM_KIND_TOKEN(name, token, severity, analogue) token,
    SIM_KIND_LIST(SIM_KIND_TOKEN)
#undef SIM_KIND_TOKEN
};

static const char *const kind_analogues[] = {
#define SIM_KIND_ANALOGUE(name, token, severity, analogue) analogue,
    SIM_KIND_LIST(SIM_KIND_ANALOGUE)
#undef SIM_KIND_ANALOGUE
};

const char *sim_kind_token(sim_kind kind) { return kind < SIM_KIND_COUNT ? kind_tokens[kind] : "?"; }
const char *sim_kind_analogue(sim_kind kind) { return kind < SIM_KIND_COUNT ? kind_analogues[kind] : "?"; }

int sim_kind_parse(const char *token) {
    for (int k = 0; k < SIM_KIND_COUNT; k++)
        if (strcmp(kind_tokens[k], token) == 0)
            return k;
    return -1;
}

bool sim_kind_allowable(sim_kind kind) {
    return kind != SIM_FINDING_CRASH && kind != SIM_FINDING_STACK_OVERFLOW && kind != SIM_FINDING_HANG;
}

/* `file` is `path`, or `path` ends with '/' and then `file`. */
static bool names_file(const char *file, const char *path) {
    size_t file_length = strlen(file), path_length = strlen(path);
    if (file_length > path_length || strcmp(path + path_length - file_length, file) != 0)
        return false;
    return file_length == path_length || path[path_length - file_length - 1] == '/';
}

bool sim_allowance_matches(const sim_allowance *allow, sim_kind kind, const sim_site *site) {
    if (allow->kind != kind)
        return false;
    if (allow->line == 0)
        return true;
    return site != NULL && site->line == allow->line && names_file(allow->file, site->file);
}

static bool allowed(const sim_run *run, sim_kind kind, const sim_site *site) {
    if (!sim_kind_allowable(kind))
        return false;
    if (run->allowed[kind])
        return true;
    const sim_allowances *allows = &run->config->allows;
    for (int i = 0; i < allows->count; i++)
        if (sim_allowance_matches(&allows->items[i], kind, site))
            return true;
    return false;
}

void sim_finding_record_for(sim_ctx *ctx, const sim_finding_info *info, const char *chain) {
    sim_run *run = sim_R;
    const sim_site *site = sim_site_resolve(info->site != NULL ? info->site : ctx != NULL ? ctx->site : NULL);
    sim_site_resolve(info->other_site);
    if (allowed(run, info->kind, site))
        return;
    if (run->finding_count < SIM_FINDINGS_MAX) {
        sim_finding *finding = &run->findings[run->finding_count++];
        memset(finding, 0, sizeof *finding);
        finding->info = *info;
        finding->step = run->step;
        finding->cpu = ctx != NULL ? ctx->cpu : -1;
        finding->ctx = ctx != NULL ? ctx->id : -1;
        finding->site = site;
        snprintf(finding->chain, sizeof finding->chain, "%s", chain != NULL ? chain : "");
    }
    sim_trace_finding(ctx, info->lock != NULL ? sim_lock_id(info->lock) : -1, sim_kind_token(info->kind), info->site);
    if (info->severity == SIM_SEV_ERROR && run->current != NULL) {
        run->end = SIM_END_FINDING;
        sim_run_stop();
    }
}

void sim_finding_record(const sim_finding_info *info, const char *chain) {
    sim_finding_record_for(sim_R->current, info, chain);
}

void sim_report(const sim_finding_info *info) {
    SIM_BOUNDARY();
    sim_finding_record(info, NULL);
}

void sim_reportf(sim_kind kind, sim_severity severity, const void *lock, const sim_site *other_site, const char *format,
                 ...) {
    SIM_BOUNDARY();
    sim_finding_info info = {
        .kind = kind, .severity = severity, .lock = lock, .other_site = other_site, .other_ctx = -1};
    va_list args;
    va_start(args, format);
    vsnprintf(info.message, sizeof info.message, format, args);
    va_end(args);
    sim_report(&info);
}

_Noreturn void sim_panic(const char *format, ...) {
    /* The machine's own failure is not a driver crash. */
    sim_guard_disarm();
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spinsim: internal error: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}
