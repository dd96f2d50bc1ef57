/* source_replay.c: follows a schedule's events over the default policy. An
 * event applies at the decision taken before its step; when the choice it
 * names is not on offer there (the scenario changed), or its step has passed
 * unused, replay says where it diverged and goes on with the default. */
#include <string.h>

#include "sources.h"

static void replay_begin(sim_source *self) {
    sim_replay_state *state = self->state;
    state->next = 0;
    state->divergences = 0;
}

static bool matches(const sim_schedule_event *event, const sim_option *option) {
    if (event->kind != option->kind || event->cpu != option->cpu)
        return false;
    switch (option->kind) {
    case SIM_OPT_IRQ:
        return strcmp(event->name, sim_R->irqs[option->target].name) == 0;
    case SIM_OPT_SWITCH:
        return strcmp(event->name, sim_R->ctxs[option->target].label) == 0;
    case SIM_OPT_RUN:
    case SIM_OPT_DPC:
        return true;
    }
    return false;
}

static void diverged(sim_replay_state *state, const sim_schedule_event *event, uint64_t step, const char *why) {
    state->divergences++;
    if (state->warn == NULL)
        return;
    static const char *const words[] = {"run", "irq", "dpc", "switch"};
    fprintf(state->warn,
            "replay: %s:%d: '%llu %s%s%s cpu%d' diverged at step %llu: %s; continuing on the default policy\n",
            state->file, event->line, (unsigned long long)event->step, words[event->kind], event->name[0] ? " " : "",
            event->name, event->cpu, (unsigned long long)step, why);
}

static int replay_choose(sim_source *self, const sim_choice *choice) {
    sim_replay_state *state = self->state;
    const sim_schedule *schedule = state->schedule;
    while (state->next < schedule->event_count && schedule->events[state->next].step < choice->step) {
        diverged(state, &schedule->events[state->next], choice->step, "its step passed with no decision left for it");
        state->next++;
    }
    if (state->next == schedule->event_count || schedule->events[state->next].step != choice->step)
        return choice->default_index;
    const sim_schedule_event *event = &schedule->events[state->next++];
    for (int i = 0; i < choice->count; i++)
        if (matches(event, &choice->options[i]))
            return i;
    diverged(state, event, choice->step, "that choice is not available there");
    return choice->default_index;
}

static uint64_t replay_next_choice_step(sim_source *self) {
    const sim_replay_state *state = self->state;
    return state->next == state->schedule->event_count ? UINT64_MAX : state->schedule->events[state->next].step;
}

static bool replay_end(sim_source *self) {
    sim_replay_state *state = self->state;
    const sim_schedule *schedule = state->schedule;
    /* Events never reached: the run ended earlier than when recorded. */
    for (; state->next < schedule->event_count; state->next++)
        diverged(state, &schedule->events[state->next], sim_R->step, "the run ended before it");
    return true;
}

void sim_source_replay(sim_source *source, sim_replay_state *state, const sim_schedule *schedule, const char *file,
                       FILE *warn) {
    *state = (sim_replay_state){.schedule = schedule, .file = file, .warn = warn};
    *source = (sim_source){.name = "replay",
                           .run_begin = replay_begin,
                           .choose = replay_choose,
                           .run_end = replay_end,
                           .next_choice_step = replay_next_choice_step,
                           .state = state};
}
