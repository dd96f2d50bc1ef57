/* source_random.c: the seeded random walk. Run i of a campaign with seed S
 * uses its own generator derived from (S, i), so any run can be redone alone. */
#include "sources.h"

static void random_begin(sim_source *self) {
    sim_random_state *state = self->state;
    state->prng = sim_prng_for_run(state->seed, state->run_index++);
}

/* Picks uniformly among the options of one class: runs, or injections. */
static int pick_of_class(sim_prng *prng, const sim_choice *choice, bool injections) {
    int matching = 0;
    for (int i = 0; i < choice->count; i++)
        matching += (choice->options[i].kind != SIM_OPT_RUN) == injections;
    if (matching == 0)
        return -1;
    uint32_t nth = sim_prng_below(prng, (uint32_t)matching);
    for (int i = 0; i < choice->count; i++)
        if ((choice->options[i].kind != SIM_OPT_RUN) == injections && nth-- == 0)
            return i;
    sim_panic("random choice out of range");
}

int sim_random_choose_with(sim_prng *prng, uint32_t inject_one_in, const sim_choice *choice) {
    bool inject = sim_prng_below(prng, inject_one_in) == 0;
    int chosen = pick_of_class(prng, choice, inject);
    if (chosen < 0)
        chosen = pick_of_class(prng, choice, !inject);
    return chosen;
}

static int random_choose(sim_source *self, const sim_choice *choice) {
    sim_random_state *state = self->state;
    return sim_random_choose_with(&state->prng, state->inject_one_in, choice);
}

static bool random_end(sim_source *self) {
    (void)self;
    return true;
}

void sim_source_random(sim_source *source, sim_random_state *state, uint64_t seed) {
    *state = (sim_random_state){.seed = seed, .inject_one_in = 8};
    *source = (sim_source){
        .name = "random", .run_begin = random_begin, .choose = random_choose, .run_end = random_end, .state = state};
}
