/* source_pct.c: probabilistic concurrency testing. Each context gets a
 * random priority when first seen (all >= depth); the runnable context with
 * the highest priority runs. At each of depth-1 change points, drawn
 * uniformly from steps 1..k, the running context's priority drops to the
 * change point's rank (below every initial priority). A bug of depth d among
 * n contexts and k steps is found with probability >= 1/(n * k^(d-1)). */
#include <string.h>

#include "sources.h"

static void pct_begin(sim_source *self) {
    sim_pct_state *state = self->state;
    state->prng = sim_prng_for_run(state->seed, state->run_index++);
    memset(state->priority, 0, sizeof state->priority);
    for (int i = 0; i < state->depth - 1; i++)
        state->change_steps[i] = 1 + sim_prng_next(&state->prng) % state->k;
    state->changes_done = 0;
}

static uint32_t priority_of(sim_pct_state *state, int ctx) {
    if (state->priority[ctx] == 0)
        state->priority[ctx] = (uint32_t)state->depth + 1 + (uint32_t)(sim_prng_next(&state->prng) >> 34);
    return state->priority[ctx];
}

static int pct_choose(sim_source *self, const sim_choice *choice) {
    sim_pct_state *state = self->state;
    /* Injections are not contexts with priorities yet: take them at random. */
    if (sim_prng_below(&state->prng, state->inject_one_in) == 0) {
        int injected = sim_random_choose_with(&state->prng, 1, choice);
        if (choice->options[injected].kind != SIM_OPT_RUN)
            return injected;
    }
    /* A change point lowers whoever is running now. */
    for (int i = 0; i < state->depth - 1; i++) {
        if (state->change_steps[i] == choice->step && choice->current_cpu >= 0) {
            for (int o = 0; o < choice->count; o++)
                if (choice->options[o].kind == SIM_OPT_RUN && choice->options[o].cpu == choice->current_cpu)
                    state->priority[choice->options[o].target] = (uint32_t)(state->depth - 1 - i);
            state->change_steps[i] = 0;
        }
    }
    int best = -1;
    uint32_t best_priority = 0;
    for (int o = 0; o < choice->count; o++) {
        if (choice->options[o].kind != SIM_OPT_RUN)
            continue;
        uint32_t priority = priority_of(state, choice->options[o].target);
        if (best < 0 || priority > best_priority) {
            best = o;
            best_priority = priority;
        }
    }
    return best >= 0 ? best : choice->default_index;
}

static bool pct_end(sim_source *self) {
    (void)self;
    return true;
}

void sim_source_pct(sim_source *source, sim_pct_state *state, uint64_t seed, int depth, uint64_t k) {
    SIM_ASSERT(depth >= 1 && depth <= SIM_PCT_DEPTH_MAX);
    SIM_ASSERT(k >= 1);
    memset(state, 0, sizeof *state);
    state->seed = seed;
    state->depth = depth;
    state->k = k;
    state->inject_one_in = 8;
    *source =
        (sim_source){.name = "pct", .run_begin = pct_begin, .choose = pct_choose, .run_end = pct_end, .state = state};
}
