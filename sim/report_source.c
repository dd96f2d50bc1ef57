/* report_source.c reads the source lines around a site for the reports,
 * so the two colliding lines of driver code are on screen without opening
 * an editor: two lines before the site, the site, one after, each cut at
 * 100 characters. The file is read by the path the build recorded,
 * relative to where the command runs; a file that cannot be read gives no
 * lines. */
#include <string.h>

#include "report.h"

enum { SOURCE_BEFORE = 2, SOURCE_AFTER = 1 };

int sim_report_source_lines(const sim_site *site, sim_source_line *lines, int max) {
    if (site == NULL || site->line <= 0)
        return 0;
    FILE *source = fopen(site->file, "r");
    if (source == NULL)
        return 0;
    int count = 0, number = 0;
    char text[4096];
    while (number < site->line + SOURCE_AFTER && count < max && fgets(text, sizeof text, source) != NULL) {
        size_t length = strlen(text);
        bool whole = length > 0 && text[length - 1] == '\n';
        number++;
        if (number >= site->line - SOURCE_BEFORE) {
            text[strcspn(text, "\r\n")] = '\0';
            lines[count].number = number;
            snprintf(lines[count].text, sizeof lines[count].text, "%s", text);
            count++;
        }
        /* The rest of a line longer than the buffer is not another line. */
        while (!whole && fgets(text, sizeof text, source) != NULL) {
            length = strlen(text);
            whole = length > 0 && text[length - 1] == '\n';
        }
    }
    fclose(source);
    return count;
}

void sim_report_source(FILE *out, const sim_site *site) {
    sim_source_line lines[SIM_SOURCE_LINES_MAX];
    int count = sim_report_source_lines(site, lines, SIM_SOURCE_LINES_MAX);
    for (int i = 0; i < count; i++)
        fprintf(out, "  %12s %5d | %s\n", lines[i].number == site->line ? ">" : "", lines[i].number, lines[i].text);
}
