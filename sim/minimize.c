/* minimize.c owns schedule minimization: delta debugging (Zeller's ddmin)
 * over a failing schedule's decisions, then moving each remaining decision
 * earlier, repeated until neither changes anything. A candidate is kept only
 * when its replay gives a finding with the same key (kind and both sites).
 *
 * What must stay true: `current` always replays to the target key, and it
 * never grows. After each kept candidate we continue from the schedule that
 * replay recorded (only the non-default decisions actually taken, so lines
 * that diverged fall away) unless it would be longer than the candidate. */
#include "minimize.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A bound on replays so minimization always ends; each replay is one run. */
enum { MINIMIZE_REPLAYS_MAX = 20000 };

typedef struct minimizer {
    sim_explore_config *config;
    char key[1024];         /* the target */
    sim_schedule current;   /* replays to `key`; its header is the output's */
    sim_schedule candidate; /* scratch: events only */
    uint64_t runs;
} minimizer;

static bool budget_left(const minimizer *m) { return m->runs < MINIMIZE_REPLAYS_MAX; }

/* Replays `schedule` once, warnings off; fills `result` (free its schedule). */
static void replay(minimizer *m, const sim_schedule *schedule, sim_explore_result *result) {
    sim_explore_config *config = m->config;
    config->strategy = SIM_STRATEGY_REPLAY;
    config->runs = 1;
    config->keep_going = false;
    config->collect_rules = false;
    config->replay = schedule;
    config->replay_file = "minimize";
    config->replay_warn = NULL;
    m->runs++;
    sim_explore(config, result);
    SIM_ASSERT(result->runs <= 1);
}

static bool same_key(const minimizer *m, const sim_explore_result *result) {
    if (!result->found)
        return false;
    char key[sizeof m->key];
    sim_finding_key(key, sizeof key, &result->finding);
    return strcmp(key, m->key) == 0;
}

/* Adds the parameters of `from` that `to` does not name yet, in order, so
 * the output names every value the replays ran with. */
static void merge_params(sim_schedule *to, const sim_schedule *from) {
    for (int i = 0; i < from->param_count; i++) {
        bool known = false;
        for (int j = 0; j < to->param_count && !known; j++)
            known = strcmp(to->params[j].name, from->params[i].name) == 0;
        if (!known && to->param_count < SIM_PARAMS_MAX)
            to->params[to->param_count++] = from->params[i];
    }
    SIM_ASSERT(to->param_count <= SIM_PARAMS_MAX);
}

/* Makes the decisions of `from` those of `current`, taking ownership of them. */
static void take_events(minimizer *m, sim_schedule *from) {
    SIM_ASSERT(from->event_count <= m->current.event_count);
    free(m->current.events);
    m->current.events = from->events;
    m->current.event_count = from->event_count;
    m->current.event_cap = from->event_cap;
    from->events = NULL;
    from->event_count = from->event_cap = 0;
}

static void copy_events(sim_schedule *to, const sim_schedule_event *events, int count) {
    for (int i = 0; i < count; i++)
        if (!sim_schedule_add(to, &events[i]))
            sim_panic("out of memory minimizing a schedule");
}

/* Replays m->candidate; keeps it (or what its replay recorded, when that is
 * not longer) as `current` when the key holds. */
static bool try_candidate(minimizer *m) {
    if (!budget_left(m))
        return false;
    SIM_ASSERT(m->candidate.event_count <= m->current.event_count);
    sim_explore_result result;
    replay(m, &m->candidate, &result);
    bool keep = same_key(m, &result);
    if (keep) {
        merge_params(&m->current, &result.schedule);
        if (result.schedule.event_count <= m->candidate.event_count) {
            take_events(m, &result.schedule);
        } else {
            sim_schedule copy = {0};
            copy_events(&copy, m->candidate.events, m->candidate.event_count);
            take_events(m, &copy);
        }
    }
    sim_schedule_free(&result.schedule);
    SIM_ASSERT(!keep || m->current.event_count <= m->candidate.event_count);
    return keep;
}

/* Candidate: `current` without its events [start, end). */
static bool try_without(minimizer *m, int start, int end) {
    SIM_ASSERT(0 <= start && start < end && end <= m->current.event_count);
    m->candidate.event_count = 0;
    copy_events(&m->candidate, m->current.events, start);
    copy_events(&m->candidate, m->current.events + end, m->current.event_count - end);
    return try_candidate(m);
}

/* ddmin over the decisions: remove one of `chunks` equal parts at a time,
 * doubling the granularity when no part can go, down to single decisions. */
static bool remove_events(minimizer *m) {
    bool changed = false;
    int chunks = 2;
    while (m->current.event_count > 0 && budget_left(m)) {
        int count = m->current.event_count;
        if (chunks > count)
            chunks = count;
        bool removed = false;
        for (int c = 0; c < chunks && !removed && budget_left(m); c++)
            removed = try_without(m, c * count / chunks, (c + 1) * count / chunks);
        if (removed) {
            changed = true;
            chunks = chunks > 2 ? chunks - 1 : 2;
            continue;
        }
        if (chunks == count)
            break;
        chunks = 2 * chunks < count ? 2 * chunks : count;
    }
    return changed;
}

/* Candidate: `current` with event `index` moved to `step`. */
static bool try_moved(minimizer *m, int index, uint64_t step) {
    SIM_ASSERT(index >= 0 && index < m->current.event_count);
    SIM_ASSERT(step < m->current.events[index].step);
    m->candidate.event_count = 0;
    copy_events(&m->candidate, m->current.events, m->current.event_count);
    m->candidate.events[index].step = step;
    return try_candidate(m);
}

/* Moves event `index` as early as it keeps the key, no earlier than just
 * after the previous decision: a binary search that halves the gap. */
static bool move_earlier(minimizer *m, int index) {
    bool changed = false;
    const sim_schedule_event *events = m->current.events;
    uint64_t low = index == 0 ? 0 : events[index - 1].step + 1;
    uint64_t high = events[index].step; /* known to keep the key */
    while (low < high && budget_left(m)) {
        uint64_t mid = low + (high - low) / 2;
        int count = m->current.event_count;
        if (!try_moved(m, index, mid)) {
            low = mid + 1;
            continue;
        }
        changed = true;
        /* The replay dropped a decision: the indices moved; the next round
         * starts over. */
        if (m->current.event_count != count || m->current.events[index].step != mid)
            break;
        high = mid;
    }
    return changed;
}

static bool move_events_earlier(minimizer *m) {
    bool changed = false;
    for (int i = 0; i < m->current.event_count && budget_left(m); i++)
        changed |= move_earlier(m, i);
    return changed;
}

/* The first replay: the target key, and the schedule it recorded as the
 * starting point (with every parameter the run read, and the allows in
 * effect). */
static bool start(minimizer *m, const sim_schedule *input) {
    sim_explore_config *config = m->config;
    if (!sim_explore_adopt_header(config, input))
        return false;
    sim_explore_result result;
    replay(m, input, &result);
    bool found = result.found && !result.bad_scenario;
    if (found) {
        sim_finding_key(m->key, sizeof m->key, &result.finding);
        snprintf(m->current.scenario, sizeof m->current.scenario, "%s", config->scenario->name);
        m->current.param_count = input->param_count;
        memcpy(m->current.params, input->params, sizeof input->params);
        merge_params(&m->current, &result.schedule);
        m->current.allows = config->machine.allows;
        m->current.has_expect = true;
        m->current.expect = result.finding.info.kind;
        /* The recorded schedule replays the same run; keep the input's own
         * decisions only if it somehow does not. */
        copy_events(&m->current, input->events, input->event_count);
        m->candidate.event_count = 0;
        copy_events(&m->candidate, result.schedule.events, result.schedule.event_count);
        try_candidate(m);
    }
    sim_schedule_free(&result.schedule);
    return found;
}

bool sim_minimize(sim_explore_config *config, const sim_schedule *input, sim_schedule *out,
                  sim_minimize_result *result) {
    SIM_ASSERT(config != NULL && config->scenario != NULL && input != NULL);
    minimizer m = {.config = config};
    memset(out, 0, sizeof *out);
    memset(result, 0, sizeof *result);
    result->events_before = input->event_count;
    bool found = start(&m, input);
    while (found && budget_left(&m)) {
        bool changed = remove_events(&m);
        changed |= move_events_earlier(&m);
        if (!changed)
            break;
    }
    result->runs = m.runs;
    sim_schedule_free(&m.candidate);
    if (!found) {
        sim_schedule_free(&m.current);
        return false;
    }
    *out = m.current;
    result->events_after = out->event_count;
    result->kind = out->expect;
    snprintf(result->key, sizeof result->key, "%s", m.key);
    SIM_ASSERT(result->events_after <= result->events_before);
    return true;
}
