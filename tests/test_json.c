/* test_json.c: the JSON writer behind the JSON and SARIF reports and the
 * bench results (sim/json.c): exact bytes for nesting, empty containers,
 * null, numbers at their limits, measurements (six digits, null when not
 * finite), the escapes RFC 8259 requires, and the mode that puts each value
 * below a depth on one line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

/* The bytes `write` produces through a sim_json. */
static char *written(void (*write)(sim_json *json)) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    sim_json json;
    sim_json_start(&json, out);
    write(&json);
    sim_json_finish(&json);
    fclose(out);
    return text;
}

static void nested(sim_json *json) {
    sim_json_object(json, NULL);
    sim_json_string(json, "name", "spinsim");
    sim_json_array(json, "empty");
    sim_json_array_end(json);
    sim_json_object(json, "none");
    sim_json_object_end(json);
    sim_json_array(json, "items");
    sim_json_uint(json, NULL, UINT64_MAX);
    sim_json_int(json, NULL, INT64_MIN);
    sim_json_bool(json, NULL, false);
    sim_json_string(json, NULL, NULL);
    sim_json_array_end(json);
    sim_json_object_end(json);
}

TEST(json_nests_with_two_space_indent_and_writes_empty_containers_null_and_limits) {
    char *text = written(nested);
    CHECK_STR(text, "{\n"
                    "  \"name\": \"spinsim\",\n"
                    "  \"empty\": [],\n"
                    "  \"none\": {},\n"
                    "  \"items\": [\n"
                    "    18446744073709551615,\n"
                    "    -9223372036854775808,\n"
                    "    false,\n"
                    "    null\n"
                    "  ]\n"
                    "}\n");
    free(text);
}

static void numbers(sim_json *json) {
    sim_json_array(json, NULL);
    sim_json_number(json, NULL, 12.345678);
    sim_json_number(json, NULL, 2500000.0);
    sim_json_number(json, NULL, -0.5);
    sim_json_number(json, NULL, NAN);
    sim_json_number(json, NULL, INFINITY);
    sim_json_array_end(json);
}

TEST(json_numbers_keep_six_digits_and_write_nan_and_infinity_as_null) {
    char *text = written(numbers);
    CHECK_STR(text, "[\n  12.3457,\n  2.5e+06,\n  -0.5,\n  null,\n  null\n]\n");
    free(text);
}

static void escapes(sim_json *json) { sim_json_string(json, NULL, "a \"quoted\" C:\\path\n\tend\x01\x1f \xc3\xa9"); }

TEST(json_escapes_quotes_backslashes_and_control_characters_and_keeps_utf8) {
    char *text = written(escapes);
    CHECK_STR(text, "\"a \\\"quoted\\\" C:\\\\path\\n\\tend\\u0001\\u001f \xc3\xa9\"\n");
    free(text);
}

static void one_event_per_line(sim_json *json) {
    sim_json_start_lines(json, json->out, 2);
    sim_json_object(json, NULL);
    sim_json_array(json, "events");
    for (int i = 0; i < 2; i++) {
        sim_json_object(json, NULL);
        sim_json_int(json, "ts", i);
        sim_json_object(json, "args");
        sim_json_string(json, "name", "a");
        sim_json_object_end(json);
        sim_json_object_end(json);
    }
    sim_json_array_end(json);
    sim_json_object_end(json);
}

TEST(json_lines_mode_puts_each_value_below_its_depth_on_one_line) {
    char *text = written(one_event_per_line);
    CHECK_STR(text, "{\n"
                    "  \"events\": [\n"
                    "    {\"ts\": 0, \"args\": {\"name\": \"a\"}},\n"
                    "    {\"ts\": 1, \"args\": {\"name\": \"a\"}}\n"
                    "  ]\n"
                    "}\n");
    free(text);
}
