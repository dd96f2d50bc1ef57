/* check.h: the test harness. A test is a function declared with TEST(name);
 * CHECK* macros record a failure with file and line and let the test go on.
 * tests/main.c runs every test (or those whose name contains argv[1]) and
 * prints `PASS name` / `FAIL name: why`, then `N passed, N failed`. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void test_register(const char *name, void (*body)(void));
/* Prints one digest of the determinism corpus (tests --digest). */
int test_digest_main(void);
/* Answers the addresses on stdin about MODULE as llvm-symbolizer prints
 * them (tests --symbolize MODULE). */
int test_symbolize_main(const char *module);
void test_fail(const char *file, int line, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* Explores a registered scenario: `runs` executions at most under `strategy`
 * (DFS with preemption `bound`, -1 unbounded), stopping at the first finding.
 * A missing scenario is a test failure. Free result.schedule when done. */
#include "explore.h"
sim_explore_result test_explore(const char *scenario, sim_strategy strategy, uint64_t runs, int bound);
/* Gives `config`'s runs the parameter `name` = `value`, as --param does. */
void test_config_param(sim_explore_config *config, const char *name, int64_t value);
/* Parses .sched `text` and replays it once on `scenario`, with its
 * parameters and allows, divergence warnings on `warn` (may be NULL), as the
 * file "test.sched". */
sim_explore_result test_replay_text(const char *scenario, const char *text, size_t size, FILE *warn);

/* TESTS_UNDER_TSAN: built with ThreadSanitizer, whose runtime sees what
 * driver and lock code do to memory apart from spinsim's ordering, and
 * cannot deliver a signal to a loop that never calls into it. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TESTS_UNDER_TSAN 1
#endif
#endif

#define TEST(name)                                                                                                     \
    static void test_##name(void);                                                                                     \
    __attribute__((constructor)) static void test_register_##name(void) { test_register(#name, test_##name); }         \
    static void test_##name(void)

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            test_fail(__FILE__, __LINE__, "%s", #cond);                                                                \
    } while (0)

#define CHECK_INT(actual, expected)                                                                                    \
    do {                                                                                                               \
        long long actual_ = (long long)(actual), expected_ = (long long)(expected);                                    \
        if (actual_ != expected_)                                                                                      \
            test_fail(__FILE__, __LINE__, "%s is %lld, expected %lld", #actual, actual_, expected_);                   \
    } while (0)

#define CHECK_STR(actual, expected)                                                                                    \
    do {                                                                                                               \
        const char *actual_ = (actual), *expected_ = (expected);                                                       \
        if (strcmp(actual_, expected_) != 0)                                                                           \
            test_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #actual, actual_, expected_);               \
    } while (0)

#endif
