/* source_portfolio.c: the default strategy, for a user who knows none. Run 1
 * is the default schedule (the random walk's first run: the machine left to
 * itself); the runs after it take turns among the members, the random walk
 * and PCT at depths 1, 2, 3 and 5, one run each. Run i of a campaign with
 * seed S is the run i that its member makes alone (`--strategy random` or
 * `--strategy pct --depth D`, seed S): each member draws from the generator
 * of (S, i), so any run can be redone alone and a seed gives the same
 * exploration. PCT's k is the length of run 1, as `--strategy pct` measures
 * it, unless given. */
#include <stdio.h>

#include "sources.h"

/* The members in turn, by PCT depth; 0 is the random walk. */
static const int member_depths[] = {0, 1, 2, 3, 5};
enum { MEMBER_COUNT = sizeof member_depths / sizeof member_depths[0] };

/* Run 0 is the default schedule, which the random walk makes. */
static int depth_of_run(uint64_t run_index) {
    return run_index == 0 ? 0 : member_depths[(run_index - 1) % MEMBER_COUNT];
}

static void portfolio_begin(sim_source *self) {
    sim_portfolio_state *state = self->state;
    uint64_t run_index = state->run_index++;
    int depth = depth_of_run(run_index);
    if (depth == 0) {
        sim_source_random(&state->member, &state->random, state->seed);
        state->random.run_index = run_index;
    } else {
        sim_source_pct(&state->member, &state->pct, state->seed, depth, state->k);
        state->pct.run_index = run_index;
    }
    state->member.run_begin(&state->member);
}

static int portfolio_choose(sim_source *self, const sim_choice *choice) {
    sim_portfolio_state *state = self->state;
    return state->member.choose(&state->member, choice);
}

static uint64_t portfolio_next_choice_step(sim_source *self) {
    sim_portfolio_state *state = self->state;
    return sim_source_next_choice_step(&state->member);
}

static bool portfolio_end(sim_source *self) {
    sim_portfolio_state *state = self->state;
    if (state->k == 0)
        state->k = sim_R->step > 0 ? sim_R->step : 1;
    return state->member.run_end(&state->member);
}

void sim_source_portfolio(sim_source *source, sim_portfolio_state *state, uint64_t seed, uint64_t k) {
    *state = (sim_portfolio_state){.seed = seed, .k = k};
    *source = (sim_source){.name = "portfolio",
                           .run_begin = portfolio_begin,
                           .choose = portfolio_choose,
                           .run_end = portfolio_end,
                           .next_choice_step = portfolio_next_choice_step,
                           .state = state};
}

void sim_portfolio_member(uint64_t run_index, char *out, size_t size) {
    int depth = depth_of_run(run_index);
    if (run_index == 0)
        snprintf(out, size, "the default schedule");
    else if (depth == 0)
        snprintf(out, size, "random");
    else
        snprintf(out, size, "pct depth %d", depth);
}
