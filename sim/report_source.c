/* report_source.c prints the source lines around a site in the text
 * report, so the two colliding lines of driver code are on screen without
 * opening an editor: two lines before the site, the site marked ">", one
 * after, each cut at 100 characters. The file is read by the path the
 * build recorded, relative to where the command runs; a file that cannot
 * be read prints nothing. */
#include <string.h>

#include "report.h"

enum { SOURCE_BEFORE = 2, SOURCE_AFTER = 1, SOURCE_WIDTH = 100 };

void sim_report_source(FILE *out, const sim_site *site) {
    if (site == NULL || site->line <= 0)
        return;
    FILE *source = fopen(site->file, "r");
    if (source == NULL)
        return;
    char text[4096];
    int line = 0;
    while (line < site->line + SOURCE_AFTER && fgets(text, sizeof text, source) != NULL) {
        size_t length = strlen(text);
        bool whole = length > 0 && text[length - 1] == '\n';
        line++;
        if (line >= site->line - SOURCE_BEFORE) {
            text[strcspn(text, "\r\n")] = '\0';
            fprintf(out, "  %12s %5d | %.*s\n", line == site->line ? ">" : "", line, SOURCE_WIDTH, text);
        }
        /* The rest of a line longer than the buffer is not another line. */
        while (!whole && fgets(text, sizeof text, source) != NULL) {
            length = strlen(text);
            whole = length > 0 && text[length - 1] == '\n';
        }
    }
    fclose(source);
}
