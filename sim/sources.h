/* sources.h: constructors of the decision sources. Each is a sim_source
 * (internal.h) that answers choose(options) -> index; all live in their own
 * file (source_*.c). A source's state is owned by the caller's storage. */
#ifndef SIM_SOURCES_H
#define SIM_SOURCES_H

#include <stdio.h>

#include "decode.h"
#include "internal.h"
#include "prng.h"
#include "schedule.h"

/* Random walk: every step a uniformly chosen runnable CPU; with probability
 * 1/inject_one_in, an injection (interrupt, DPC, thread switch) instead. */
typedef struct sim_random_state {
    uint64_t seed, run_index;
    uint32_t inject_one_in;
    sim_prng prng;
} sim_random_state;
void sim_source_random(sim_source *source, sim_random_state *state, uint64_t seed);
/* One random-walk choice with `prng` (shared with PCT's injections). */
int sim_random_choose_with(sim_prng *prng, uint32_t inject_one_in, const sim_choice *choice);

/* PCT (Burckhardt et al., ASPLOS 2010): random priorities per context, the
 * highest-priority runnable context runs; at depth-1 random change points in
 * steps 1..k the running context drops below all others. Injections are
 * taken with probability 1/inject_one_in, as in the random walk. */
enum { SIM_PCT_DEPTH_MAX = 16 };
typedef struct sim_pct_state {
    uint64_t seed, run_index;
    int depth;
    uint64_t k;
    uint32_t inject_one_in;
    sim_prng prng;
    uint64_t change_steps[SIM_PCT_DEPTH_MAX];
    int changes_done;
    uint32_t priority[SIM_CTX_MAX]; /* 0 = not assigned yet */
} sim_pct_state;
void sim_source_pct(sim_source *source, sim_pct_state *state, uint64_t seed, int depth, uint64_t k);

/* The default strategy: run 1 is the default schedule, then the random walk
 * and PCT at depths 1, 2, 3 and 5 take turns, run by run; each run is the one
 * its member would make alone with the same seed and run index. k: PCT's
 * steps per run, 0 to take the length of run 1. */
typedef struct sim_portfolio_state {
    uint64_t seed, run_index, k;
    sim_source member; /* the current run's */
    sim_random_state random;
    sim_pct_state pct;
} sim_portfolio_state;
void sim_source_portfolio(sim_source *source, sim_portfolio_state *state, uint64_t seed, uint64_t k);
/* Who makes run `run_index` (from 0): "the default schedule", "random" or "pct depth D". */
void sim_portfolio_member(uint64_t run_index, char *out, size_t size);

/* Exhaustive DFS over decisions with a preemption bound (CHESS): reruns the
 * scenario once per schedule, replaying a prefix and branching at its end.
 * With `reduce`, partial-order reduction with sleep sets (source_dfs.c)
 * skips schedules that only reorder independent steps of other CPUs. */
enum { SIM_DFS_DEPTH_MAX = 1 << 16 };
typedef struct sim_dfs_frame {
    int ordinal; /* which alternative: 0 = the default, then the others in order */
    int count;
    int default_index;
    int preempt_before; /* preemptions used before this decision */
    bool cur_continues; /* non-default choices here are preemptions */
    int ctx_next;       /* the id of the context a delivery here creates */
    int level;          /* where the context its choice runs sits on its CPU's stack: 0 the thread */
    /* Reduction: where its options and its sleep set (then the done
     * alternatives) sit in the source's arenas, and whether the bound cut
     * schedules from the subtree of the alternative being explored
     * (cut_here) or of any alternative so far (cut_any). */
    int options_at, sleep_at, sleep_count, done_count;
    bool cut_here, cut_any;
} sim_dfs_frame;
typedef struct sim_dfs_state {
    int bound; /* -1: unbounded */
    bool reduce;
    bool count_classes; /* of equivalent schedules explored (dfs_classes.h) */
    int len, pos, preemptions;
    uint64_t schedules;
    uint64_t pruned; /* runs stopped early: every choice left was asleep */
    bool exhausted, truncated;
    sim_dfs_frame frames[SIM_DFS_DEPTH_MAX];
} sim_dfs_state;
void sim_source_dfs(sim_source *source, sim_dfs_state *state, int preemption_bound, bool reduce, bool count_classes);
/* A choice other than the default at `frame` is within the preemption bound. */
bool sim_dfs_alternative_allowed(const sim_dfs_state *state, const sim_dfs_frame *frame);
/* An estimate of the share of the search tree explored so far, 0..1. */
double sim_dfs_explored(const sim_dfs_state *state);

/* Replay of a schedule's events over the default policy. Where a named
 * choice is not available it warns (file, line, step) on `warn` and goes on
 * with the default. */
typedef struct sim_replay_state {
    const sim_schedule *schedule;
    const char *file; /* for messages */
    FILE *warn;       /* NULL: silent */
    int next;
    int divergences;
} sim_replay_state;
void sim_source_replay(sim_source *source, sim_replay_state *state, const sim_schedule *schedule, const char *file,
                       FILE *warn);

/* A fuzzer input's events (fuzz/decode.h) over the default policy. */
typedef struct sim_fuzz_state {
    const sim_fuzz_event *events;
    int count;
    int next;
    int applied; /* events that took effect in the last run */
} sim_fuzz_state;
void sim_source_fuzz(sim_source *source, sim_fuzz_state *state, const sim_fuzz_event *events, int count);
/* The events that make the decisions of the run that just ended; -1 when
 * they do not fit in `max` events or a choice is past the 256th of its kind. */
int sim_fuzz_events_of_run(sim_fuzz_event *out, int max);

#endif
