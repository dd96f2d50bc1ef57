/* report_json.c writes the JSON report of a finding (report.h): the
 * finding with its sites and contexts, the schedule that replays it, and
 * a summary of the exploration and of the finding's run (its last steps,
 * each lock's fairness). The schema is docs/report.schema.json; a change
 * of meaning bumps SIM_REPORT_JSON_VERSION. */
#include "json.h"
#include "report.h"

static void write_site(sim_json *json, const char *key, const sim_site *site) {
    if (site == NULL) {
        sim_json_string(json, key, NULL);
        return;
    }
    sim_json_object(json, key);
    sim_json_string(json, "file", site->file);
    sim_json_int(json, "line", site->line);
    sim_json_string(json, "function", site->func);
    sim_json_object_end(json);
}

static void write_context(sim_json *json, const char *key, bool present, const sim_report_context *ctx) {
    if (!present) {
        sim_json_string(json, key, NULL);
        return;
    }
    sim_json_object(json, key);
    sim_json_string(json, "kind", ctx->kind);
    sim_json_string(json, "label", ctx->label);
    sim_json_string(json, "function", ctx->func);
    sim_json_object_end(json);
}

static void write_finding(sim_json *json, const sim_report_doc *doc) {
    const sim_finding *finding = doc->finding;
    const sim_report_snapshot *snapshot = doc->snapshot;
    sim_json_object(json, NULL);
    sim_json_string(json, "kind", sim_kind_token(finding->info.kind));
    sim_json_string(json, "severity", finding->info.severity == SIM_SEV_ERROR ? "error" : "rule");
    sim_json_string(json, "message", finding->info.message);
    sim_json_string(json, "windows", sim_kind_analogue(finding->info.kind));
    sim_json_uint(json, "step", finding->step);
    sim_json_int(json, "cpu", finding->cpu);
    write_context(json, "context", snapshot->has_ctx, &snapshot->ctx);
    write_site(json, "site", finding->site);
    sim_json_string(json, "lock", snapshot->lock[0] ? snapshot->lock : NULL);
    sim_json_string(json, "lock_holder", snapshot->holder[0] ? snapshot->holder : NULL);
    sim_json_string(json, "lock_waiters", snapshot->waiters[0] ? snapshot->waiters : NULL);
    write_context(json, "other_context", snapshot->has_other, &snapshot->other);
    write_site(json, "other_site", finding->info.other_site);
    sim_json_string(json, "wait_for", finding->chain[0] ? finding->chain : NULL);
    sim_json_uint(json, "first_run", doc->first_run);
    sim_json_uint(json, "runs_with_finding", doc->runs_with);
    sim_json_object(json, "schedule");
    sim_json_string(json, "path", doc->schedule_path);
    char replay[4096];
    if (doc->schedule_path != NULL)
        sim_report_replay_command(replay, sizeof replay, doc->scenario, doc->schedule_path);
    sim_json_string(json, "replay", doc->schedule_path ? replay : NULL);
    sim_json_string(json, "text", doc->schedule_text);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

static void write_steps(sim_json *json, const sim_report_snapshot *snapshot) {
    sim_json_array(json, "last_steps");
    for (int i = 0; i < snapshot->step_count; i++) {
        const sim_report_step *step = &snapshot->steps[i];
        sim_json_object(json, NULL);
        sim_json_uint(json, "step", step->step);
        sim_json_int(json, "cpu", step->cpu);
        sim_json_string(json, "context", step->context[0] ? step->context : NULL);
        write_site(json, "site", step->site);
        char line[600];
        sim_report_step_line(step, line, sizeof line);
        sim_json_string(json, "trace", line);
        sim_json_object_end(json);
    }
    sim_json_array_end(json);
}

static void write_locks(sim_json *json, const sim_report_snapshot *snapshot) {
    sim_json_array(json, "locks");
    for (int i = 0; i < snapshot->lock_count; i++) {
        const sim_report_lock *lock = &snapshot->locks[i];
        sim_json_object(json, NULL);
        sim_json_string(json, "name", lock->name);
        sim_json_uint(json, "acquisitions", lock->fairness.acquisitions);
        sim_json_uint(json, "max_bypass", lock->fairness.bypass_max);
        sim_json_uint(json, "max_wait_steps", lock->fairness.wait_max_steps);
        sim_json_object_end(json);
    }
    sim_json_array_end(json);
}

void sim_report_json(FILE *out, const sim_report_doc *doc) {
    sim_json json;
    sim_json_start(&json, out);
    sim_json_object(&json, NULL);
    sim_json_string(&json, "format", "spinsim-report");
    sim_json_int(&json, "version", SIM_REPORT_JSON_VERSION);
    sim_json_string(&json, "scenario", doc->scenario);
    sim_json_array(&json, "findings");
    write_finding(&json, doc);
    sim_json_array_end(&json);
    sim_json_object(&json, "exploration");
    sim_json_string(&json, "strategy", doc->strategy);
    sim_json_uint(&json, "seed", doc->seed);
    sim_json_uint(&json, "runs", doc->runs);
    sim_json_object_end(&json);
    sim_json_object(&json, "finding_run");
    write_steps(&json, doc->snapshot);
    write_locks(&json, doc->snapshot);
    sim_json_object_end(&json);
    sim_json_object_end(&json);
    sim_json_finish(&json);
}
