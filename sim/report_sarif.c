/* report_sarif.c writes a finding as a SARIF 2.1.0 log (report.h), the
 * format code-scanning services read: one run of the tool "spinsim" whose
 * driver lists a rule per finding kind (help text and Windows analogue),
 * and one result at the driver's file and line (level error for an `error`
 * finding, warning for a `rule` finding), with the other site as a related
 * location and the last steps as a code flow: a thread flow per context,
 * each step in global order (executionOrder). Paths stay as the build gave
 * them, relative to the source root (uriBaseId SRCROOT). */
#include <string.h>

#include "json.h"
#include "report.h"

/* What each kind means, for the rule's help. */
static const char *const kind_help[SIM_KIND_COUNT] = {
    [SIM_FINDING_IRQL_VIOLATION] = "A routine was called at an IRQL its contract forbids, or the IRQL was raised to a "
                                   "lower level or lowered to a higher one.",
    [SIM_FINDING_WRONG_NEW_IRQL] = "A release was given an IRQL other than the one its acquire returned.",
    [SIM_FINDING_IRQL_LEAK] = "A thread, DPC, ISR or callback returned at another IRQL than it entered at.",
    [SIM_FINDING_LOCK_LEAK] = "A lock was still held when the routine that acquired it returned.",
    [SIM_FINDING_RELEASE_NOT_OWNED] = "A lock nobody holds was released.",
    [SIM_FINDING_RELEASE_WRONG_OWNER] = "A lock another context holds was released.",
    [SIM_FINDING_RELEASE_WRONG_FAMILY] = "A lock was released by a routine of another family than its acquire, or one "
                                         "KSPIN_LOCK was taken through APIs that must not share it.",
    [SIM_FINDING_RELEASE_ORDER] = "A release lowered the IRQL while a lock acquired later was still held.",
    [SIM_FINDING_HANDLE_MISUSE] = "A KLOCK_QUEUE_HANDLE was shared, reused while queued, or is not the acquiring one.",
    [SIM_FINDING_RECURSIVE_ACQUIRE] = "A context acquired a spin lock it already holds.",
    [SIM_FINDING_DEADLOCK] = "Contexts wait for each other in a cycle, or every context waits.",
    [SIM_FINDING_LOCK_ORDER_CYCLE] = "Locks are acquired in orders that deadlock when contexts on different CPUs meet.",
    [SIM_FINDING_IRQ_UNSAFE_LOCK] = "A lock is taken in an ISR or DPC and also at a lower IRQL without holding that "
                                    "level off.",
    [SIM_FINDING_PAGED_AT_DISPATCH] = "Pageable code ran at DISPATCH_LEVEL or above.",
    [SIM_FINDING_WAIT_AT_DISPATCH] = "A blocking wait at DISPATCH_LEVEL or above.",
    [SIM_FINDING_STARVATION] = "A waiter was overtaken on one lock more often than a fair lock allows.",
    [SIM_FINDING_DPC_WATCHDOG] = "A DPC or ISR, or a CPU at DISPATCH_LEVEL or above, ran past the watchdog's limit.",
    [SIM_FINDING_DATA_RACE] = "Two accesses to the same bytes, one a write, that nothing orders.",
    [SIM_FINDING_USE_AFTER_SCOPE] = "A stack object (a queued lock's handle) was used after its frame returned.",
    [SIM_FINDING_LOCK_IN_FREED_MEMORY] = "Pool holding a held or awaited lock, or a queued KDPC, was freed.",
    [SIM_FINDING_USE_AFTER_FREE] = "Driver code accessed pool it had freed.",
    [SIM_FINDING_MEMORY_ERROR] = "A memory error in driver code, such as an overflow past a pool block.",
    [SIM_FINDING_CRASH] = "Driver code faulted or aborted.",
    [SIM_FINDING_STACK_OVERFLOW] = "Driver code overflowed its context's stack.",
    [SIM_FINDING_ASSERTION_FAILURE] = "An assertion in driver code failed.",
    [SIM_FINDING_BUG_CHECK] = "Driver code called KeBugCheck or KeBugCheckEx.",
    [SIM_FINDING_IRP_MISUSE] = "An IRP was completed twice, completed with its cancel routine set, or otherwise "
                               "handled against the I/O model.",
    [SIM_FINDING_HANG] = "The run made no progress.",
    [SIM_FINDING_INVARIANT] = "A scenario's invariant failed.",
};

static const char *level_of(sim_severity severity) { return severity == SIM_SEV_ERROR ? "error" : "warning"; }

static void write_message(sim_json *json, const char *key, const char *text) {
    sim_json_object(json, key);
    sim_json_string(json, "text", text);
    sim_json_object_end(json);
}

static void write_physical(sim_json *json, const sim_site *site) {
    sim_json_object(json, "physicalLocation");
    sim_json_object(json, "artifactLocation");
    sim_json_string(json, "uri", site->file);
    sim_json_string(json, "uriBaseId", "SRCROOT");
    sim_json_object_end(json);
    sim_json_object(json, "region");
    sim_json_int(json, "startLine", site->line > 0 ? site->line : 1);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

/* A location in an array: the site, its function, and a message. */
static void write_location(sim_json *json, const sim_site *site, const char *message) {
    sim_json_object(json, NULL);
    write_physical(json, site);
    sim_json_array(json, "logicalLocations");
    sim_json_object(json, NULL);
    sim_json_string(json, "name", site->func);
    sim_json_string(json, "kind", "function");
    sim_json_object_end(json);
    sim_json_array_end(json);
    if (message != NULL)
        write_message(json, "message", message);
    sim_json_object_end(json);
}

/* Kind k is rule k - 1: `none` is no rule. */
static void write_rule(sim_json *json, sim_kind kind) {
    char help[1024];
    snprintf(help, sizeof help, "%s Windows analogue: %s.", kind_help[kind], sim_kind_analogue(kind));
    sim_json_object(json, NULL);
    sim_json_string(json, "id", sim_kind_token(kind));
    write_message(json, "shortDescription", kind_help[kind]);
    write_message(json, "help", help);
    sim_json_object(json, "defaultConfiguration");
    sim_json_string(json, "level", "error");
    sim_json_object_end(json);
    sim_json_object(json, "properties");
    sim_json_string(json, "windowsAnalogue", sim_kind_analogue(kind));
    sim_json_object_end(json);
    sim_json_object_end(json);
}

/* One thread flow per context that took one of the last steps, in order of
 * first appearance; decisions and steps without a site are left out. */
static void write_code_flow(sim_json *json, const sim_report_snapshot *snapshot) {
    const sim_report_step *steps = snapshot->steps;
    sim_json_array(json, "codeFlows");
    sim_json_object(json, NULL);
    write_message(json, "message", "the last steps of the run, per context");
    sim_json_array(json, "threadFlows");
    for (int i = 0; i < snapshot->step_count; i++) {
        bool first = steps[i].context[0] != '\0';
        for (int j = 0; j < i && first; j++)
            first = strcmp(steps[j].context, steps[i].context) != 0;
        if (!first)
            continue;
        sim_json_object(json, NULL);
        sim_json_string(json, "id", steps[i].context);
        sim_json_array(json, "locations");
        for (int j = i; j < snapshot->step_count; j++) {
            if (strcmp(steps[j].context, steps[i].context) != 0 || steps[j].site == NULL)
                continue;
            sim_json_object(json, NULL);
            sim_json_object(json, "location");
            write_physical(json, steps[j].site);
            char line[600];
            sim_report_step_line(&steps[j], line, sizeof line);
            write_message(json, "message", line);
            sim_json_object_end(json);
            sim_json_uint(json, "executionOrder", steps[j].step);
            sim_json_object_end(json);
        }
        sim_json_array_end(json);
        sim_json_object_end(json);
    }
    sim_json_array_end(json);
    sim_json_object_end(json);
    sim_json_array_end(json);
}

static void write_result(sim_json *json, const sim_report_doc *doc) {
    const sim_finding *finding = doc->finding;
    char key[1024];
    sim_finding_key(key, sizeof key, finding);
    sim_json_object(json, NULL);
    sim_json_string(json, "ruleId", sim_kind_token(finding->info.kind));
    sim_json_int(json, "ruleIndex", (int)finding->info.kind - 1);
    sim_json_string(json, "level", level_of(finding->info.severity));
    write_message(json, "message", finding->info.message);
    if (finding->site != NULL) {
        sim_json_array(json, "locations");
        write_location(json, finding->site, NULL);
        sim_json_array_end(json);
    }
    if (finding->info.other_site != NULL) {
        sim_json_array(json, "relatedLocations");
        write_location(json, finding->info.other_site, "the other site");
        sim_json_array_end(json);
    }
    bool has_flow = false;
    for (int i = 0; i < doc->snapshot->step_count && !has_flow; i++)
        has_flow = doc->snapshot->steps[i].site != NULL && doc->snapshot->steps[i].context[0] != '\0';
    if (has_flow)
        write_code_flow(json, doc->snapshot);
    sim_json_object(json, "partialFingerprints");
    sim_json_string(json, "spinsimFindingKey/v1", key);
    sim_json_object_end(json);
    sim_json_object(json, "properties");
    sim_json_string(json, "scenario", doc->scenario);
    sim_json_string(json, "schedule", doc->schedule_path);
    sim_json_object_end(json);
    sim_json_object_end(json);
}

void sim_report_sarif(FILE *out, const sim_report_doc *doc) {
    sim_json json;
    sim_json_start(&json, out);
    sim_json_object(&json, NULL);
    sim_json_string(&json, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    sim_json_string(&json, "version", "2.1.0");
    sim_json_array(&json, "runs");
    sim_json_object(&json, NULL);
    sim_json_object(&json, "tool");
    sim_json_object(&json, "driver");
    sim_json_string(&json, "name", "spinsim");
    sim_json_array(&json, "rules");
    for (int kind = SIM_FINDING_NONE + 1; kind < SIM_KIND_COUNT; kind++)
        write_rule(&json, (sim_kind)kind);
    sim_json_array_end(&json);
    sim_json_object_end(&json);
    sim_json_object_end(&json);
    sim_json_array(&json, "results");
    write_result(&json, doc);
    sim_json_array_end(&json);
    sim_json_object_end(&json);
    sim_json_array_end(&json);
    sim_json_object_end(&json);
    sim_json_finish(&json);
}
