/* check_scenarios.h: what the checker tests (tests/test_checks.c) share with
 * their scenarios (tests/scenarios/check_*.c).
 *
 * Every buggy scenario puts its offending call in a CHECK_CALL: one source
 * line that defines both a small static function making the call and the
 * constant check_line_NAME holding that line, so a test can compare a
 * finding's site with it. Each scenario has a correct twin, NAME_ok, that
 * must yield nothing. */
#ifndef CHECK_SCENARIOS_H
#define CHECK_SCENARIOS_H

#include <stdbool.h>

#include "sim.h"

#define CHECK_CAT(a, b) CHECK_CAT_(a, b)
#define CHECK_CAT_(a, b) a##_##b
#define CHECK_XSTR(x) CHECK_XSTR_(x)
#define CHECK_XSTR_(x) #x

#define CHECK_CALL(name, params, ...) CHECK_CALL_(name, params, __VA_ARGS__)
#define CHECK_CALL_(name, params, ...)                                                                                 \
    const int check_line_##name = __LINE__;                                                                            \
    static void name params { __VA_ARGS__; }

enum {
    CHECK_LOCKS = 4,        /* A, B, C, D */
    CHECK_DIRQL = 5,        /* the scenarios' device interrupt */
    CHECK_DIRQL_HIGHER = 6, /* a second, higher one */
    CHECK_STATS = 6,        /* counters in a row (check_race.c) */
};

/* A device extension with everything the scenarios lock: named locks A..D,
 * an EX_SPIN_LOCK X, a queue handle in shared memory (the R8a bug), an
 * event, a flag, interrupt objects and a DPC. `buggy` tells a scenario body
 * which twin it runs. */
typedef struct check_ext {
    bool buggy;
    KSPIN_LOCK lock[CHECK_LOCKS];
    EX_SPIN_LOCK ex;
    KLOCK_QUEUE_HANDLE shared_handle; /* the bug R8a: one handle for every caller */
    KEVENT event;
    volatile LONG flag;
    PKINTERRUPT irq, irq_higher;
    KDPC dpc;
    /* Plain data for the race scenarios (check_race.c). */
    LONG counter;
    LONG data;
    LONG status;
    LIST_ENTRY list;
    LIST_ENTRY entries[4];
    LONG per_cpu[2];
    LONG stats[CHECK_STATS], snapshot[CHECK_STATS];
    /* A name a thread renames under lock D, and a copy of it: counted
     * strings the Rtl string routines read and write (check_race.c). */
    UNICODE_STRING name, name_copy, new_name;
    WCHAR name_buffer[8], copy_buffer[8];
} check_ext;

/* Allocates and initialises the extension: locks named "A".."D", "X". */
check_ext *check_ext_new(bool buggy);
/* The correct twin waits for ext->event (another role's hand-over); the
 * buggy one goes on without it. */
void check_wait_unless_buggy(check_ext *ext);

/* A buggy scenario NAME expecting `kind` and its correct twin NAME_ok, both
 * set up by `setup(ext)` with ext->buggy telling them apart. */
#define CHECK_PAIR(name, kind, description, setup) CHECK_PAIR_(name, kind, description, setup)
#define CHECK_PAIR_(name, kind, description, setup)                                                                    \
    SIM_SCENARIO(name, description) {                                                                                  \
        sim_expect(kind);                                                                                              \
        setup(check_ext_new(true));                                                                                    \
    }                                                                                                                  \
    SIM_SCENARIO(name##_ok, description ": the correct twin") {                                                        \
        sim_expect(SIM_FINDING_NONE);                                                                                  \
        setup(check_ext_new(false));                                                                                   \
    }

/* The same, set up as two threads, `first` on CPU 0 and `second` on CPU 1,
 * each given the extension. */
#define CHECK_PAIR_THREADS(name, kind, description, first, second)                                                     \
    static void name##_threads(check_ext *ext) {                                                                       \
        sim_thread(0, first, ext);                                                                                     \
        sim_thread(1, second, ext);                                                                                    \
    }                                                                                                                  \
    CHECK_PAIR(name, kind, description, name##_threads)

#endif
