/* report_columns.c prints a finding's last steps as the terminal report
 * shows them: one column per CPU, so what ran side by side reads side by
 * side. A cell is CONTEXT@IRQL, what the step did, and its line (with the
 * file's name when it is not the finding's file); a decision, which no CPU
 * takes, spans the row; ">>" marks the step that reported the finding.
 * Columns share about 100 characters; as a row holds one cell, a longer
 * cell runs on past its column. The full lines, with every site's path,
 * are in `replay --trace` and the JSON report. */
#include <string.h>

#include "report.h"

enum { COLUMNS_WIDTH = 100, COLUMN_WIDTH_MIN = 26 };

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void format_cell(char *out, size_t size, const sim_report_step *step, const sim_site *finding_site) {
    char where[128] = "";
    if (step->site != NULL) {
        bool same_file = finding_site != NULL && strcmp(step->site->file, finding_site->file) == 0;
        snprintf(where, sizeof where, " %s:%d", same_file ? "" : base_name(step->site->file), step->site->line);
    }
    snprintf(out, size, "%s@%d %s%s", step->context[0] ? step->context : "-", step->irql, step->what, where);
}

void sim_report_columns(FILE *out, const sim_finding *finding, const sim_report_snapshot *snapshot) {
    int cpus = 0;
    for (int i = 0; i < snapshot->step_count; i++)
        if (snapshot->steps[i].cpu + 1 > cpus)
            cpus = snapshot->steps[i].cpu + 1;
    int width = cpus > 0 && COLUMNS_WIDTH / cpus > COLUMN_WIDTH_MIN ? COLUMNS_WIDTH / cpus : COLUMN_WIDTH_MIN;
    fprintf(out, "  last steps, a column per CPU (CONTEXT@IRQL what :line; >> the finding):\n");
    fprintf(out, "  %8s   ", "step");
    for (int c = 0; c < cpus; c++) {
        char name[16];
        snprintf(name, sizeof name, "cpu%d", c);
        fprintf(out, "%-*s", c == cpus - 1 ? 0 : width, name);
    }
    fputc('\n', out);
    for (int i = 0; i < snapshot->step_count; i++) {
        const sim_report_step *step = &snapshot->steps[i];
        fprintf(out, "  %s%6llu   ", step->finding ? ">>" : "  ", (unsigned long long)step->step);
        if (step->cpu < 0) {
            fprintf(out, "-- %s --\n", step->what);
            continue;
        }
        for (int c = 0; c < step->cpu; c++)
            fprintf(out, "%*s", width, "");
        char cell[600];
        format_cell(cell, sizeof cell, step, finding->site);
        fprintf(out, "%s\n", cell);
    }
}
