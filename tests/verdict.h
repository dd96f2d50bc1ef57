/* verdict.h: the checker-table pattern the rule tests share
 * (tests/test_checks.c, tests/test_ddi.c). Each row names a buggy scenario
 * that must yield exactly its finding kind and severity at the offending
 * call's line (and, where one exists, the conflicting call's line), in a
 * scenario file whose path contains the table's `scenario_files`, and
 * whose schedule must replay to the same finding; its correct twin NAME_ok
 * must yield nothing under random (1000 runs), PCT (1000 runs) and DFS
 * (preemption bound 2, exhausted). Lines come from CHECK_CALL
 * (tests/scenarios/check_scenarios.h). */
#ifndef TESTS_VERDICT_H
#define TESTS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_kind.h"

/* How a buggy scenario is searched: its default schedule (one DFS run with
 * no preemption), or a random search that stops at the first finding (for
 * bugs that need two contexts to overlap). A wait-for cycle closes at
 * whichever of its waits comes last, which depends on the schedule: for
 * RANDOM_SEARCH_CYCLE the finding's site is either of the row's two lines
 * (a `deadlock` names no other site; its chain names every context). */
typedef enum search { DEFAULT_SCHEDULE, RANDOM_SEARCH, RANDOM_SEARCH_CYCLE } search;

typedef struct verdict_row {
    const char *scenario;
    sim_kind kind;
    sim_severity severity;
    const int *line;       /* the offending call */
    const int *other_line; /* the acquisition it conflicts with, or NULL; for a cycle, its other wait */
    search how;
    /* For a leak: the routine whose return is the finding's site (after
     * `line`, the acquire or raise that leaks); NULL when the site is `line`. */
    const char *returns_from;
} verdict_row;

#define LINE(name) (&check_line_##name)

/* Checks every row and its twin. */
void verdict_table(const verdict_row *rows, size_t count, const char *scenario_files);
/* Checks one row alone (its twin too big for verdict_table's DFS). */
void verdict_expect_row(const verdict_row *row, const char *scenario_files);
/* The scenario yields nothing under random and PCT (1000 runs each) and DFS
 * with preemption bound 2, which must exhaust its space within `dfs_runs`
 * runs unless `dfs_exhausts` is false (a scenario too long to search
 * exhaustively). */
void verdict_expect_silent(const char *scenario, uint64_t dfs_runs, bool dfs_exhausts);
/* The same, DFS exhausting within 100000 runs. */
void verdict_expect_clean(const char *scenario);

#endif
