/* json.c writes JSON as json.h describes: each value down to the lines
 * depth starts on its own line at its depth, after a comma when its
 * container already has one; deeper values follow ", " on that line. */
#include "json.h"

#include <math.h>

#include "internal.h"

void sim_json_start_lines(sim_json *json, FILE *out, int lines_depth) {
    json->out = out;
    json->depth = 0;
    json->lines_depth = lines_depth;
    json->has_items[0] = false;
}

void sim_json_start(sim_json *json, FILE *out) { sim_json_start_lines(json, out, SIM_JSON_DEPTH_MAX); }

void sim_json_finish(sim_json *json) {
    SIM_ASSERT(json->depth == 0);
    fputc('\n', json->out);
}

static void write_string(FILE *out, const char *text) {
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        switch (*c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*c < 0x20)
                fprintf(out, "\\u%04x", *c);
            else
                fputc(*c, out);
        }
    }
    fputc('"', out);
}

/* Starts a value: separator, newline and indent, then the key if any. */
static void begin_value(sim_json *json, const char *key) {
    if (json->depth > json->lines_depth) {
        if (json->has_items[json->depth])
            fputs(", ", json->out);
    } else if (json->depth > 0) {
        fputs(json->has_items[json->depth] ? ",\n" : "\n", json->out);
        fprintf(json->out, "%*s", 2 * json->depth, "");
    }
    json->has_items[json->depth] = true;
    if (key != NULL) {
        write_string(json->out, key);
        fputs(": ", json->out);
    }
}

static void open_container(sim_json *json, const char *key, char bracket) {
    begin_value(json, key);
    fputc(bracket, json->out);
    SIM_ASSERT(json->depth + 1 < SIM_JSON_DEPTH_MAX);
    json->has_items[++json->depth] = false;
}

static void close_container(sim_json *json, char bracket) {
    SIM_ASSERT(json->depth > 0);
    bool had_items = json->has_items[json->depth--];
    if (had_items && json->depth < json->lines_depth)
        fprintf(json->out, "\n%*s", 2 * json->depth, "");
    fputc(bracket, json->out);
}

void sim_json_object(sim_json *json, const char *key) { open_container(json, key, '{'); }
void sim_json_object_end(sim_json *json) { close_container(json, '}'); }
void sim_json_array(sim_json *json, const char *key) { open_container(json, key, '['); }
void sim_json_array_end(sim_json *json) { close_container(json, ']'); }

void sim_json_string(sim_json *json, const char *key, const char *value) {
    begin_value(json, key);
    if (value == NULL)
        fputs("null", json->out);
    else
        write_string(json->out, value);
}

void sim_json_uint(sim_json *json, const char *key, uint64_t value) {
    begin_value(json, key);
    fprintf(json->out, "%llu", (unsigned long long)value);
}

void sim_json_int(sim_json *json, const char *key, int64_t value) {
    begin_value(json, key);
    fprintf(json->out, "%lld", (long long)value);
}

void sim_json_number(sim_json *json, const char *key, double value) {
    begin_value(json, key);
    if (isfinite(value))
        fprintf(json->out, "%.6g", value);
    else
        fputs("null", json->out);
}

void sim_json_bool(sim_json *json, const char *key, bool value) {
    begin_value(json, key);
    fputs(value ? "true" : "false", json->out);
}
