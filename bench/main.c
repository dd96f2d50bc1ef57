/* main.c: build/bench, the C side of `./build.sh bench` (bench/run.sh):
 *   bench [--quick]           the machine's sections (bench.h), in order
 *   bench section TITLE       a section's heading, for the shell scripts
 *   bench row SECTION NAME VALUE UNIT GOAL RATIO NOTE
 *                             one line of the table in SECTION, for them too
 *   bench json ROWS full|quick
 *                             the table's rows as JSON (results.json)
 * Bad usage: one line on stderr, exit 2. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "results_json.h"
#include "table.h"

/* native-pairs sits beside this binary. */
static void native_path_beside(const char *self, char *path, size_t size) {
    const char *slash = strrchr(self, '/');
    const int dir_length = slash != NULL ? (int)(slash - self + 1) : 0;
    snprintf(path, size, "%.*snative-pairs", dir_length, self);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "section") == 0) {
        bench_section(argv[2]);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "row") == 0)
        return bench_row_command(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "json") == 0)
        return bench_json_command(argc, argv);
    bench_options options = {.quick = argc == 2 && strcmp(argv[1], "--quick") == 0};
    if (argc > 2 || (argc == 2 && !options.quick)) {
        fprintf(stderr, "usage: bench [--quick] | bench section TITLE | bench row ... | bench json ROWS full|quick\n");
        return 2;
    }
    char native_path[1024];
    native_path_beside(argv[0], native_path, sizeof native_path);
    options.native_path = native_path;
    bench_machine(&options);
    bench_reduction(&options);
    bench_vs_native(&options);
    bench_scale(&options);
    return 0;
}
