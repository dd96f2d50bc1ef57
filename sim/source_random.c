/* source_random.c: the seeded random walk. Run i of a campaign with seed S
 * uses its own generator derived from (S, i), so any run can be redone
 * alone. The first run is the default schedule instead: the machine left to
 * itself, CPU by CPU, until the liveness phase makes it fair. It is the
 * schedule where one busy CPU keeps going longest, so a lock it re-takes
 * back to back starves a waiter there first, and a random walk, which
 * gives every CPU its turn, would never show that. */
#include "sources.h"

static void random_begin(sim_source *self) {
    sim_random_state *state = self->state;
    state->prng = sim_prng_for_run(state->seed, state->run_index++);
}

/* Picks uniformly among the options of one class: runs (the first
 * choice->runs options), or injections (the rest); -1 when it has none. */
static int pick_of_class(sim_prng *prng, const sim_choice *choice, bool injections) {
    int first = injections ? choice->runs : 0, matching = injections ? choice->count - choice->runs : choice->runs;
    if (matching == 0)
        return -1;
    return first + (int)sim_prng_below(prng, (uint32_t)matching);
}

int sim_random_choose_with(sim_prng *prng, uint32_t inject_one_in, const sim_choice *choice) {
    bool inject = sim_prng_below(prng, inject_one_in) == 0;
    int chosen = pick_of_class(prng, choice, inject);
    if (chosen < 0)
        chosen = pick_of_class(prng, choice, !inject);
    return chosen;
}

/* run_index counts runs begun: 1 during the first. */
static bool in_default_run(const sim_random_state *state) { return state->run_index == 1; }

static int random_choose(sim_source *self, const sim_choice *choice) {
    sim_random_state *state = self->state;
    if (in_default_run(state))
        return choice->default_index;
    return sim_random_choose_with(&state->prng, state->inject_one_in, choice);
}

static uint64_t random_next_choice_step(sim_source *self) { return in_default_run(self->state) ? UINT64_MAX : 0; }

static bool random_end(sim_source *self) {
    (void)self;
    return true;
}

void sim_source_random(sim_source *source, sim_random_state *state, uint64_t seed) {
    *state = (sim_random_state){.seed = seed, .inject_one_in = 8};
    *source = (sim_source){.name = "random",
                           .run_begin = random_begin,
                           .choose = random_choose,
                           .run_end = random_end,
                           .next_choice_step = random_next_choice_step,
                           .state = state};
}
