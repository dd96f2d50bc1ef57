/* results_json.c: `build/bench json ROWS MODE` writes the bench table kept
 * in the row file ROWS (table.c) as JSON on stdout, through sim/json.c:
 *   {"mode": "full" or "quick",
 *    "rows": [{"section", "name", "value", "unit", "goal", "ratio", "note"}]}
 * in the order measured; a value or ratio not measured is null. */
#include "results_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum { ROW_FIELDS = 7, ROW_LINE_MAX = 1024 };

static const char *const field_names[ROW_FIELDS] = {"section", "name", "value", "unit", "goal", "ratio", "note"};
static const bool field_is_number[ROW_FIELDS] = {[2] = true, [5] = true};

/* Splits `line` at its tabs into `fields`; false unless there are exactly ROW_FIELDS. */
static bool split_row(char *line, char *fields[ROW_FIELDS]) {
    line[strcspn(line, "\n")] = '\0';
    int count = 0;
    for (char *field = line;; field++) {
        if (count == ROW_FIELDS)
            return false;
        fields[count++] = field;
        field = strchr(field, '\t');
        if (field == NULL)
            return count == ROW_FIELDS;
        *field = '\0';
    }
}

static void write_row(sim_json *json, char *fields[ROW_FIELDS]) {
    sim_json_object(json, NULL);
    for (int f = 0; f < ROW_FIELDS; f++) {
        if (field_is_number[f])
            sim_json_number(json, field_names[f], strcmp(fields[f], "-") == 0 ? NAN : strtod(fields[f], NULL));
        else
            sim_json_string(json, field_names[f], fields[f]);
    }
    sim_json_object_end(json);
}

int bench_json_command(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[3], "full") != 0 && strcmp(argv[3], "quick") != 0)) {
        fprintf(stderr, "usage: bench json ROWS full|quick\n");
        return 2;
    }
    FILE *rows = fopen(argv[2], "r");
    if (rows == NULL) {
        fprintf(stderr, "bench json: cannot read %s\n", argv[2]);
        return 2;
    }
    sim_json json;
    sim_json_start_lines(&json, stdout, 2);
    sim_json_object(&json, NULL);
    sim_json_string(&json, "mode", argv[3]);
    sim_json_array(&json, "rows");
    char line[ROW_LINE_MAX];
    for (int number = 1; fgets(line, sizeof line, rows) != NULL; number++) {
        char *fields[ROW_FIELDS];
        if (!split_row(line, fields)) {
            fprintf(stderr, "bench json: %s:%d is not a row of %d fields\n", argv[2], number, ROW_FIELDS);
            fclose(rows);
            return 2;
        }
        write_row(&json, fields);
    }
    fclose(rows);
    sim_json_array_end(&json);
    sim_json_object_end(&json);
    sim_json_finish(&json);
    return 0;
}
