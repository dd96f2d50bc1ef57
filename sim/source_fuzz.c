/* source_fuzz.c: the decision source of a fuzzer input. Its events (decoded
 * by fuzz/decode.c) apply in order over the default policy: at the first
 * decision at or after an event's step where a choice of its kind is on
 * offer, the event takes the `which`-th of them (modulo their number). An
 * event whose kind stays unavailable for SIM_FUZZ_PENDING_STEPS lapses.
 * The other way round, the decisions of a run become the events that make
 * them again, so any schedule can seed a fuzzer corpus. */
#include "sources.h"

static void fuzz_begin(sim_source *self) {
    sim_fuzz_state *state = self->state;
    state->next = 0;
    state->applied = 0;
}

/* The step of the next event: until then the default is taken. */
static uint64_t fuzz_next_choice_step(sim_source *self) {
    const sim_fuzz_state *state = self->state;
    return state->next == state->count ? UINT64_MAX : state->events[state->next].step;
}

static int fuzz_choose(sim_source *self, const sim_choice *choice) {
    sim_fuzz_state *state = self->state;
    while (fuzz_next_choice_step(self) <= choice->step) {
        const sim_fuzz_event *event = &state->events[state->next];
        int offered = 0;
        for (int i = 0; i < choice->count; i++)
            offered += choice->options[i].kind == event->kind;
        if (offered == 0) {
            if (choice->step - event->step < SIM_FUZZ_PENDING_STEPS)
                break;
            state->next++;
            continue;
        }
        state->next++;
        state->applied++;
        int pick = event->which % offered;
        for (int i = 0; i < choice->count; i++)
            if (choice->options[i].kind == event->kind && pick-- == 0)
                return i;
    }
    return choice->default_index;
}

static bool fuzz_end(sim_source *self) {
    (void)self;
    return true;
}

void sim_source_fuzz(sim_source *source, sim_fuzz_state *state, const sim_fuzz_event *events, int count) {
    *state = (sim_fuzz_state){.events = events, .count = count};
    *source = (sim_source){.name = "fuzz",
                           .run_begin = fuzz_begin,
                           .choose = fuzz_choose,
                           .run_end = fuzz_end,
                           .next_choice_step = fuzz_next_choice_step,
                           .state = state};
}

int sim_fuzz_events_of_run(sim_fuzz_event *out, int max) {
    const sim_run *run = sim_R;
    if (run->decision_count > max)
        return -1;
    for (int i = 0; i < run->decision_count; i++) {
        const sim_decision *decision = &run->decisions[i];
        out[i] = (sim_fuzz_event){
            .step = decision->step, .kind = decision->option.kind, .which = (uint8_t)decision->of_kind};
        if (decision->of_kind > UINT8_MAX)
            return -1;
    }
    return run->decision_count;
}
