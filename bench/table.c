/* table.c prints the bench table (table.h) and keeps its rows for
 * results.json: each row is printed aligned and appended to $BENCH_ROWS as
 * SECTION, NAME, VALUE, UNIT, GOAL, RATIO, NOTE separated by tabs, values
 * with six significant digits and "-" for none. */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char section_title[128] = "";

void bench_section(const char *title) {
    snprintf(section_title, sizeof section_title, "%s", title);
    printf("\n%s\n%-56s %14s %-8s %10s %10s  %s\n", title, "measure", "value", "unit", "goal", "ratio", "note");
}

/* Tabs and newlines would break the row file's columns. */
static void put_field(FILE *out, const char *text) {
    for (const char *c = text; *c != '\0'; c++)
        fputc(*c == '\t' || *c == '\n' ? ' ' : *c, out);
}

static void append_row(const char *name, double value, const char *unit, const char *goal, double ratio,
                       const char *note) {
    const char *path = getenv("BENCH_ROWS");
    if (path == NULL || *path == '\0')
        return;
    FILE *rows = fopen(path, "a");
    if (rows == NULL) {
        perror(path);
        exit(2);
    }
    const char *fields[] = {section_title, name};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        put_field(rows, fields[i]);
        fputc('\t', rows);
    }
    isfinite(value) ? fprintf(rows, "%.6g\t", value) : fputs("-\t", rows);
    put_field(rows, unit);
    fputc('\t', rows);
    put_field(rows, goal);
    fputc('\t', rows);
    isfinite(ratio) ? fprintf(rows, "%.6g\t", ratio) : fputs("-\t", rows);
    put_field(rows, note);
    fputc('\n', rows);
    fclose(rows);
}

void bench_row(const char *name, double value, const char *unit, const char *goal, double ratio, const char *note) {
    char shown[32] = "-", ratio_shown[32] = "-";
    if (isfinite(value) && (fabs(value) >= 100 || value == floor(value)))
        snprintf(shown, sizeof shown, "%.0f", value);
    else if (isfinite(value))
        snprintf(shown, sizeof shown, fabs(value) >= 1 ? "%.2f" : "%.3g", value);
    if (isfinite(ratio))
        snprintf(ratio_shown, sizeof ratio_shown, "%.2fx", ratio);
    printf("%-56s %14s %-8s %10s %10s  %s\n", name, shown, unit, goal, ratio_shown, note);
    fflush(stdout);
    append_row(name, value, unit, goal, ratio, note);
}

/* "-" or a number, else exit 2. */
static double parse_measure(const char *text) {
    if (strcmp(text, "-") == 0)
        return NAN;
    char *end;
    const double value = strtod(text, &end);
    if (end == text || *end != '\0') {
        fprintf(stderr, "bench row: '%s' is not a number or -\n", text);
        exit(2);
    }
    return value;
}

int bench_row_command(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: bench row SECTION NAME VALUE UNIT GOAL RATIO NOTE\n");
        return 2;
    }
    snprintf(section_title, sizeof section_title, "%s", argv[2]);
    bench_row(argv[3], parse_measure(argv[4]), argv[5], argv[6], parse_measure(argv[7]), argv[8]);
    return 0;
}
