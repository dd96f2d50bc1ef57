/* json.h: a small streaming JSON writer for the machine-readable reports.
 * Output is indented two spaces per level down to a depth (then each value
 * at that depth is on one line), members in the order written, strings
 * escaped per RFC 8259, so the same calls give the same bytes. A member
 * takes its key; an array element or the top value takes NULL. */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { SIM_JSON_DEPTH_MAX = 24 };

typedef struct sim_json {
    FILE *out;
    int depth;
    int lines_depth;                    /* values deeper than this stay on their container's line */
    bool has_items[SIM_JSON_DEPTH_MAX]; /* a value was written at this depth */
} sim_json;

/* Indents every level. */
void sim_json_start(sim_json *json, FILE *out);
/* Indents down to `lines_depth` only: 2 puts each element of a top-level
 * member array on one line, as a trace of many events wants. */
void sim_json_start_lines(sim_json *json, FILE *out, int lines_depth);
/* Ends the document with a newline. */
void sim_json_finish(sim_json *json);

void sim_json_object(sim_json *json, const char *key);
void sim_json_object_end(sim_json *json);
void sim_json_array(sim_json *json, const char *key);
void sim_json_array_end(sim_json *json);

/* A NULL `value` writes null. */
void sim_json_string(sim_json *json, const char *key, const char *value);
void sim_json_uint(sim_json *json, const char *key, uint64_t value);
void sim_json_int(sim_json *json, const char *key, int64_t value);
void sim_json_bool(sim_json *json, const char *key, bool value);
/* A measurement: six significant digits (%.6g, which JSON accepts as is);
 * NaN or an infinity, which JSON cannot spell, writes null. */
void sim_json_number(sim_json *json, const char *key, double value);

#endif
