/* test_reduction.c: partial-order reduction of the DFS source (sleep sets,
 * source_dfs.c): exact schedule counts with and without it, the same
 * verdict on every bundled scenario, and bugs that need one order of
 * dependent steps are still found. */
#include <string.h>

#include "check.h"
#include "explore.h"
#include "scenarios/reduction_scenarios.h"

/* A DFS of `scenario`, `runs` schedules at most. */
static void dfs_config(sim_explore_config *config, const char *scenario, int bound, uint64_t runs, bool reduction) {
    sim_explore_defaults(config, sim_scenario_find(scenario));
    config->strategy = SIM_STRATEGY_DFS;
    config->preemption_bound = bound;
    config->runs = runs;
    config->reduction = reduction;
}

static sim_explore_result explore_freed(sim_explore_config *config) {
    sim_explore_result result;
    sim_explore(config, &result);
    sim_schedule_free(&result.schedule);
    return result;
}

/* A DFS of `scenario` with the `count` parameters `params` given. */
static sim_explore_result search_with(const char *scenario, int bound, uint64_t runs, bool reduction,
                                      const sim_param_value *params, int count) {
    sim_explore_config config;
    dfs_config(&config, scenario, bound, runs, reduction);
    for (int i = 0; i < count; i++)
        test_config_param(&config, params[i].name, params[i].value);
    return explore_freed(&config);
}

/* A DFS of `scenario` that counts the classes of equivalent schedules. */
static sim_explore_result classes_search(const char *scenario, int bound, bool reduction) {
    sim_explore_config config;
    dfs_config(&config, scenario, bound, 20000, reduction);
    config.count_classes = true;
    return explore_freed(&config);
}

static sim_explore_result search(const char *scenario, int bound, uint64_t runs, bool reduction) {
    return search_with(scenario, bound, runs, reduction, NULL, 0);
}

/* Disjoint words: every order is one class, and no race calls for another
 * schedule, with a bound or without: the first run is the only one. One
 * shared word: every order differs, and reduction explores them all. An
 * interrupt, a DPC or a thread switch is a choice of the CPU it happens
 * on, ordered only with what it touches (reduction.c's scenarios). Three
 * CPUs appending twice each to one log: the 90 orders of the six slot
 * increments, each once, against thousands of schedules within a bound.
 * The classes of equivalent schedules each search explored
 * (dfs_classes.c) are the same with and without reduction on these,
 * within a bound or not: the reduced search explores every class, in far
 * fewer schedules (it promises the outcomes only, and some random
 * programs reach a class's outcome through another). Each row: scenario,
 * bound, schedules without and with reduction, classes. */
TEST(reduction_counts_schedules_and_classes_exactly) {
    static const struct {
        const char *scenario;
        int bound;
        uint64_t plain, reduced, classes;
    } table[] = {
        {"m_two_by_two_disjoint", -1, 6, 1, 1},   {"m_two_by_two", -1, 6, 6, 6},
        {"m_two_by_two_disjoint", 1, 4, 1, 1},    {"red_lock_order", -1, 1171, 52, 46},
        {"red_lock_order", 2, 147, 45, 36},       {"red_dpc_position", -1, 28, 7, 6},
        {"red_isr_either_cpu", -1, 1320, 16, 6},  {"red_thread_placement", -1, 11624, 1104, 1104},
        {"red_three_appenders", 2, 1056, 60, 60}, {"red_three_appenders", 3, 7806, 90, 90},
        {"red_irql_window", -1, 3131, 37, 35},    {"red_dpc_stacks", -1, 532, 68, 68},
        {"fordpc_threaded", -1, 8683, 194, 182},  {"nested_documented_order", 2, 4677, 764, 451},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_result plain = classes_search(table[i].scenario, table[i].bound, false);
        sim_explore_result reduced = classes_search(table[i].scenario, table[i].bound, true);
        CHECK(plain.exhausted && reduced.exhausted);
        CHECK(!plain.found && !reduced.found);
        CHECK_INT(plain.runs, table[i].plain);
        CHECK_INT(reduced.runs, table[i].reduced);
        CHECK_INT(plain.classes, table[i].classes);
        CHECK_INT(reduced.classes, table[i].classes);
    }
    CHECK_INT(search("red_three_appenders", -1, 20000, true).runs, 90);
}

/* Under a sanitizer, which checks the machine's memory and threads on
 * every path it takes, a tenth of the random programs below: the plain
 * build compares them all. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PROGRAM_SHARE 10
#endif
#endif
#ifndef PROGRAM_SHARE
#define PROGRAM_SHARE 1
#endif

/* The random programs compared: how many of each level, and the
 * schedules a plain search of one may take at a bound it is compared at.
 * Wide 6, where periodic timers and a spawned thread meet every other
 * feature, gets three times the others: wider sweeps found all three of
 * its pinned programs past its first 100. */
enum {
    OUTCOMES_MAX = 4096,
    PROGRAMS = 300 / PROGRAM_SHARE,
    WIDE_PROGRAMS = 100 / PROGRAM_SHARE,
    WIDE6_PROGRAMS = 300 / PROGRAM_SHARE,
    UNBOUNDED_PROGRAMS = 150 / PROGRAM_SHARE,
    PROGRAM_RUNS_MAX = 3000
};

typedef struct outcome_set {
    uint64_t items[OUTCOMES_MAX]; /* sorted */
    int count;
} outcome_set;

static outcome_set *collecting;

/* A run's outcome (red_program_outcome), into the set collecting. */
static void collect(uint64_t outcome) {
    int at = 0;
    while (at < collecting->count && collecting->items[at] < outcome)
        at++;
    if (at < collecting->count && collecting->items[at] == outcome)
        return;
    CHECK(collecting->count < OUTCOMES_MAX);
    memmove(&collecting->items[at + 1], &collecting->items[at], (size_t)(collecting->count - at) * sizeof outcome);
    collecting->items[at] = outcome;
    collecting->count++;
}

/* The outcomes of a search of red_random_program `program` at level
 * `wide`, into `set`; false when it did not exhaust within
 * PROGRAM_RUNS_MAX schedules. */
static bool program_outcomes(int program, int wide, int bound, bool reduction, outcome_set *set) {
    const sim_param_value params[] = {{.name = "program", .value = program, .given = true},
                                      {.name = "wide", .value = wide, .given = true}};
    set->count = 0;
    collecting = set;
    red_program_outcome = collect;
    sim_explore_result result = search_with("red_random_program", bound, PROGRAM_RUNS_MAX, reduction, params, 2);
    red_program_outcome = NULL;
    CHECK(!result.found);
    return result.exhausted;
}

/* Compares the outcomes of programs `first` to `last` at each bound the
 * plain search exhausts, 0 to 3, or without a bound when `unbounded`;
 * returns how many searches it compared. */
static int compare_programs(int wide, int first, int last, bool unbounded) {
    static outcome_set plain, reduced;
    const int lowest = unbounded ? -1 : 0, highest = unbounded ? -1 : 3;
    int compared = 0;
    for (int program = first; program <= last; program++)
        for (int bound = lowest; bound <= highest && program_outcomes(program, wide, bound, false, &plain); bound++) {
            CHECK(program_outcomes(program, wide, bound, true, &reduced));
            if (plain.count != reduced.count ||
                memcmp(plain.items, reduced.items, (size_t)plain.count * sizeof plain.items[0]) != 0)
                test_fail(__FILE__, __LINE__,
                          "red_random_program %d, wide %d, at bound %d: %d outcomes without reduction, %d with it",
                          program, wide, bound, plain.count, reduced.count);
            compared++;
        }
    return compared;
}

/* Random programs (reduction_random.c), at each `wide` level: the
 * reduced search reaches exactly the outcomes the plain one reaches. The
 * pinned ones each found a case dfs_races.c once got wrong: 2129 needed a
 * race the bound refuses to be passed over; 38 and 96 one at a frame with
 * no choice of the CPU, or with its choices asleep; 7303 a choice there
 * that can run the racing context, not any of its CPU's (the DPC was
 * queued later, by another CPU). Among the wide ones, 76 needed a DPC that
 * never ran wanted where its block started too, under a bound; 617 and
 * 1168 the choices of the CPU that queued the later context's DPC wanted
 * where two contexts of one CPU conflict and the later could not run yet.
 * Wide 6's 1766 lost outcomes while KeRemoveQueueDpc that found nothing
 * queued recorded no footprint (a periodic timer's next expiry, queued
 * concurrently, decides what it finds); 3610 while two contexts of one CPU
 * were reordered only at their latest conflict, which a timer's third
 * expiry cannot go before; 135, in the range, by the first hole too, once
 * the sleep sets under a bound kept the default where the running context
 * could go on. 150 programs of three levels are also compared without a
 * bound, where putting deliveries to sleep lost program 129's outcome
 * while a CPU's contexts shared one program order (dfs_races.c's lanes).
 * The count of comparisons keeps the test from passing by comparing
 * nothing. */
TEST(reduction_reaches_every_outcome_of_random_programs) {
    static const struct {
        int wide;
        int first, last;
        bool unbounded;
    } ranges[] = {
        {0, 1, PROGRAMS, false},
        {0, 2129, 2129, false},
        {0, 7303, 7303, false},
        {1, 1, WIDE_PROGRAMS, false},
        {1, 617, 617, false},
        {1, 1168, 1168, false},
        {2, 1, WIDE_PROGRAMS, false},
        {3, 1, WIDE_PROGRAMS, false},
        {4, 1, WIDE_PROGRAMS, false},
        {5, 1, WIDE_PROGRAMS, false},
        {6, 1, WIDE6_PROGRAMS, false},
        {6, 1766, 1766, false},
        {6, 3610, 3610, false},
        {0, 1, UNBOUNDED_PROGRAMS, true},
        {3, 1, UNBOUNDED_PROGRAMS, true},
        {6, 1, UNBOUNDED_PROGRAMS, true},
    };
    int compared = 0;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        compared += compare_programs(ranges[i].wide, ranges[i].first, ranges[i].last, ranges[i].unbounded);
    CHECK_INT(compared, PROGRAM_SHARE == 1 ? 2718 : 300);
}

/* Bugs that need a specific interleaving of dependent steps: the reduced
 * search finds them, with the same kind, exhaustively and unbounded. */
TEST(reduction_keeps_bugs_that_need_an_order) {
    static const struct {
        const char *scenario;
        sim_kind kind;
    } table[] = {{"m_order_bug", SIM_FINDING_INVARIANT},
                 {"m_depth3_bug", SIM_FINDING_INVARIANT},
                 {"m_abba", SIM_FINDING_DEADLOCK},
                 {"m_isr_self_deadlock", SIM_FINDING_IRQ_UNSAFE_LOCK}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_result reduced = search(table[i].scenario, -1, 100000, true);
        CHECK(reduced.found);
        CHECK_INT(reduced.finding.info.kind, table[i].kind);
    }
}

static sim_kind verdict_of(const sim_explore_result *result) {
    return result->found ? result->finding.info.kind : SIM_FINDING_NONE;
}

/* The checkers' records are named apart from what the code touches: a
 * record only read orders nothing, and one written orders what reads it.
 * Two CPUs each take their own lock. With one OldIrql variable for both
 * (only the lock code writes it), the Old each acquire records and each
 * release takes back make the two dependent: the default order runs them
 * one after the other, and the second schedule has the transmit path
 * acquire while the receive path holds. With an Old each, nothing orders
 * them: the locks' first IRQL records are each their own, and a change is
 * judged along lock-order edges, of which there are none. One schedule.
 * Each row: scenario, verdict, schedules. */
TEST(reduction_orders_steps_by_what_the_checkers_record) {
    static const struct {
        const char *scenario;
        sim_kind kind;
        uint64_t runs;
    } table[] = {{"red_shared_old_irql", SIM_FINDING_WRONG_NEW_IRQL, 2}, {"red_own_old_irql", SIM_FINDING_NONE, 1}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sim_explore_result reduced = search(table[i].scenario, -1, 100000, true);
#if defined(TESTS_UNDER_TSAN)
        /* ThreadSanitizer sees the lock code's two writes of the one Old,
         * unordered for it, as a race in the first schedule; it reports a
         * pair of code locations once per process, so an earlier test may
         * have taken that report. */
        if (verdict_of(&reduced) == SIM_FINDING_DATA_RACE)
            continue;
#endif
        CHECK_INT(verdict_of(&reduced), table[i].kind);
        CHECK_INT(reduced.runs, table[i].runs);
    }
}

static bool is_bundled(const sim_scenario *scenario) {
    return scenario->file != NULL && strncmp(scenario->file, "scenarios/", strlen("scenarios/")) == 0;
}

/* Every bundled scenario: the same verdict with and without reduction, at
 * bound 2 within the same budget of schedules, and with the dynamic
 * reduction of the unbounded search. */
TEST(reduction_gives_the_same_verdict_on_every_bundled_scenario) {
    int compared = 0;
    for (const sim_scenario *scenario = sim_scenario_first(); scenario != NULL; scenario = scenario->next) {
        if (!is_bundled(scenario))
            continue;
        sim_explore_result plain = search(scenario->name, 2, 2000, false);
        sim_explore_result reduced = search(scenario->name, 2, 2000, true);
        sim_explore_result dynamic = search(scenario->name, -1, 2000, true);
        if (verdict_of(&plain) != verdict_of(&reduced) || verdict_of(&plain) != verdict_of(&dynamic))
            test_fail(__FILE__, __LINE__, "%s: %s without reduction, %s with it, %s unbounded with it", scenario->name,
                      sim_kind_token(verdict_of(&plain)), sim_kind_token(verdict_of(&reduced)),
                      sim_kind_token(verdict_of(&dynamic)));
        compared++;
    }
    CHECK_INT(compared, 56); /* one per pinned schedule in scenarios/ */
}

/* Scenarios whose runs end in outcomes a reduced search must all reach:
 * the DPC taken back ran or did not (0x3); the three took the lock in
 * each of their six orders (0xee); the DPC struck after 0, 1 or 2 of its
 * CPU's steps, before or after the other CPU's (0x7e); the interrupt
 * struck either CPU after 0, 1 or 2 of its steps (0x7e); the three
 * threads ended on six of the eight CPU assignments (0x2c34000); DPCs
 * queued by an interrupt on either CPU, or overtaken by a high-importance
 * one, saw what they saw in each order (red_dpc_later, red_dpc_importance:
 * each run's sightings folded into a bit); an interrupt and its DPC saw
 * the CPU 0 thread in each of the 18 ways its DISPATCH_LEVEL window
 * allows (red_irql_window); DPCs on two CPUs took a queued lock in each
 * order, with one or both at the lock (red_dpc_stacks). Each row: scenario, the
 * outcomes of every schedule. */
static const struct {
    const char *scenario;
    uint64_t outcomes;
} outcome_table[] = {{"red_dpc_taken_back", 0x3},         {"red_lock_order", 0xee},
                     {"red_dpc_position", 0x7e},          {"red_isr_either_cpu", 0x7e},
                     {"red_thread_placement", 0x2c34000}, {"red_dpc_later", 0x80c0e0e},
                     {"red_dpc_importance", 0x88c4e200},  {"red_irql_window", 0x218c6b7042141},
                     {"red_dpc_stacks", 0x21021000000}};
enum { OUTCOME_SCENARIOS = sizeof outcome_table / sizeof outcome_table[0] };

/* The outcomes of an exhausted search of `scenario`. */
static uint64_t outcomes_of(const char *scenario, int bound, bool reduction) {
    red_outcomes_seen = 0;
    sim_explore_result result = search(scenario, bound, 20000, reduction);
    CHECK(result.exhausted && !result.found);
    return red_outcomes_seen;
}

/* Every outcome the full search reaches, the reduced one reaches too. */
TEST(reduction_reaches_every_outcome) {
    for (int i = 0; i < OUTCOME_SCENARIOS; i++)
        for (int reduction = 0; reduction < 2; reduction++)
            CHECK_INT(outcomes_of(outcome_table[i].scenario, -1, reduction), outcome_table[i].outcomes);
}

static void check_outcomes_within(const char *scenario, int bound) {
    uint64_t plain = outcomes_of(scenario, bound, false);
    uint64_t reduced = outcomes_of(scenario, bound, true);
    if (plain != reduced)
        test_fail(__FILE__, __LINE__, "%s at bound %d: outcomes 0x%llx without reduction, 0x%llx with it", scenario,
                  bound, (unsigned long long)plain, (unsigned long long)reduced);
}

/* With a preemption bound the reduced search reaches every outcome the
 * plain one reaches within the same bound: a race is also reversed where
 * the context that took its step started running, which costs no more
 * preemptions (reversing it only at the racing step, red_lock_order loses
 * outcomes at bound 0; taking the CPU for the context, red_dpc_importance
 * at bound 1). Also on three CPUs, to bound 2 or 3, where plain DFS stays
 * small. */
TEST(reduction_reaches_every_outcome_within_the_bound) {
    static const struct {
        const char *scenario;
        int bound_max;
    } three_cpus[] = {{"red_three_appenders", 3}, {"red_three_cpus_two_locks", 2}};
    for (int i = 0; i < OUTCOME_SCENARIOS; i++)
        for (int bound = 0; bound <= 3; bound++)
            check_outcomes_within(outcome_table[i].scenario, bound);
    for (size_t i = 0; i < sizeof three_cpus / sizeof three_cpus[0]; i++)
        for (int bound = 0; bound <= three_cpus[i].bound_max; bound++)
            check_outcomes_within(three_cpus[i].scenario, bound);
}
