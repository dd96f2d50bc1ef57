/* json.h: a small streaming JSON writer for the machine-readable reports.
 * Output is indented two spaces per level, members in the order written,
 * strings escaped per RFC 8259, so the same calls give the same bytes. A
 * member takes its key; an array element or the top value takes NULL. */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { SIM_JSON_DEPTH_MAX = 24 };

typedef struct sim_json {
    FILE *out;
    int depth;
    bool has_items[SIM_JSON_DEPTH_MAX]; /* a value was written at this depth */
} sim_json;

void sim_json_start(sim_json *json, FILE *out);
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

#endif
