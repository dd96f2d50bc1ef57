/* main.c runs the registered tests: all of them, or those whose name
 * contains one of the arguments. `--digest` instead prints one hash over the
 * traces of the determinism corpus, for comparing build variants;
 * `--symbolize MODULE` answers the addresses on stdin as llvm-symbolizer
 * would (tests/symbolize.sh). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

enum { TESTS_MAX = 512 };

static struct {
    const char *name;
    void (*body)(void);
} tests[TESTS_MAX];
static int test_count;
static int failures_in_current;
static const char *current_name;

void test_register(const char *name, void (*body)(void)) {
    if (test_count == TESTS_MAX) {
        fprintf(stderr, "too many tests\n");
        exit(2);
    }
    tests[test_count].name = name;
    tests[test_count].body = body;
    test_count++;
}

void test_fail(const char *file, int line, const char *format, ...) {
    if (failures_in_current++ > 0)
        return; /* the first failure says enough */
    printf("FAIL %s: %s:%d: ", current_name, file, line);
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf("\n");
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const typeof(tests[0]) *)a)->name, ((const typeof(tests[0]) *)b)->name);
}

/* With arguments, only the tests whose name contains one of them run. */
static bool selected(const char *name, int argc, char **argv) {
    for (int a = 1; a < argc; a++)
        if (strstr(name, argv[a]) != NULL)
            return true;
    return argc <= 1;
}

int main(int argc, char **argv) {
    /* Every decision of every test checks the option list the scheduler
     * keeps between decisions against a fresh one. */
    sim_sched_verify_options = true;
    if (argc > 1 && strcmp(argv[1], "--digest") == 0)
        return test_digest_main();
    if (argc == 3 && strcmp(argv[1], "--symbolize") == 0)
        return test_symbolize_main(argv[2]);
    qsort(tests, (size_t)test_count, sizeof tests[0], by_name);
    int passed = 0, failed = 0;
    for (int i = 0; i < test_count; i++) {
        if (!selected(tests[i].name, argc, argv))
            continue;
        current_name = tests[i].name;
        failures_in_current = 0;
        tests[i].body();
        fflush(stdout);
        if (failures_in_current == 0) {
            printf("PASS %s\n", tests[i].name);
            passed++;
        } else {
            failed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
