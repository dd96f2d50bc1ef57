/* dfs_classes.c counts the classes of equivalent schedules a DFS search
 * explored (dfs_classes.h). A run's class is named by its normal form: of
 * all the orders of its steps that keep each pair of dependent steps (two
 * of one context, or two whose footprints conflict) as they were, the one
 * that at each point takes the least step among those whose dependent
 * predecessors all came before (the lexicographic normal form of a trace),
 * each step called by names that hold in every run of the class. Runs of
 * one class take the same steps with the same footprints, so they have the
 * same normal form; runs of two classes have two. A hash of each run's
 * normal form goes into a set, whose size is the count. */
#include "dfs_classes.h"

#include <stdlib.h>
#include <string.h>

#include "dfs_sleep.h"
#include "grow.h"
#include "internal.h"

static uint64_t *hashes; /* open addressing; 0 marks a free slot */
static size_t hashes_cap, hash_count;
static int *waiting; /* by step: its dependent predecessors not placed yet */
static int waiting_cap;

void sim_dfs_classes_reset(void) {
    if (hashes != NULL)
        memset(hashes, 0, hashes_cap * sizeof *hashes);
    hash_count = 0;
}

uint64_t sim_dfs_classes_count(void) { return hash_count; }

static bool insert(uint64_t *table, size_t cap, uint64_t hash) {
    for (size_t i = hash & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (table[i] == hash)
            return false;
        if (table[i] == 0) {
            table[i] = hash;
            return true;
        }
    }
}

/* Adds `hash` to the set, doubling it when half full. */
static void add(uint64_t hash) {
    hash |= 1; /* never the free mark */
    if (2 * (hash_count + 1) > hashes_cap) {
        const size_t cap = hashes_cap != 0 ? 2 * hashes_cap : 1024;
        uint64_t *table = calloc(cap, sizeof *table);
        if (table == NULL)
            sim_panic("out of memory counting classes of schedules");
        for (size_t i = 0; i < hashes_cap; i++)
            if (hashes[i] != 0)
                insert(table, cap, hashes[i]);
        free(hashes);
        hashes = table;
        hashes_cap = cap;
    }
    hash_count += insert(hashes, hashes_cap, hash);
}

/* What a step is called in every run of its class: its choice's CPU and
 * kind, the interrupt source it delivers, and its context by the name
 * that context's footprints carry (context ids depend on the order
 * contexts were created in, which deliveries to two CPUs may swap). Also
 * the context's id, which tells the run's steps of one context apart. */
typedef struct step_label {
    int cpu;
    sim_option_kind kind;
    int source;
    uint32_t context_name;
    int context;
} step_label;
static step_label *labels; /* by step */
static int labels_cap;

static step_label label_of(const sim_dfs_frame *frame) {
    const sim_option *option = sim_dfs_taken(frame);
    const int context = sim_dfs_taken_context(frame);
    return (step_label){.cpu = option->cpu,
                        .kind = option->kind,
                        .source = option->kind == SIM_OPT_IRQ ? option->target : -1,
                        .context_name = sim_R->ctxs[context].footprint_name,
                        .context = context};
}

/* Steps `a` < `b` of the run keep their order in every run of its class:
 * steps of one context, and steps whose footprints conflict (which include
 * a CPU's IRQL and stack, so the contexts taking turns on one CPU keep
 * their order where it matters). The liveness phase's step (the last,
 * `last_global`) keeps its place. */
static bool ordered(int a, int b, int last_global) {
    return b == last_global || labels[a].context == labels[b].context ||
           !sim_footprints_independent(sim_dfs_footprint(a), sim_dfs_footprint(b));
}

/* `a` comes before `b` in the normal form when both may come next. */
static bool less(const step_label *a, const step_label *b) {
    if (a->cpu != b->cpu)
        return a->cpu < b->cpu;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    if (a->source != b->source)
        return a->source < b->source;
    return a->context_name < b->context_name;
}

static uint64_t mix(uint64_t hash, uint64_t value) { return (hash ^ value) * 1099511628211ull; }

void sim_dfs_classes_note(const sim_dfs_state *state, int len, bool liveness) {
    const int last_global = liveness ? len - 1 : -1;
    waiting = sim_grow_or_panic(waiting, &waiting_cap, len, sizeof *waiting, 256, "classes of schedules");
    labels = sim_grow_or_panic(labels, &labels_cap, len, sizeof *labels, 256, "classes of schedules");
    for (int b = 0; b < len; b++) {
        labels[b] = label_of(&state->frames[b]);
        waiting[b] = 0;
        for (int a = 0; a < b; a++)
            waiting[b] += ordered(a, b, last_global);
    }
    uint64_t hash = 14695981039346656037ull;
    for (int placed = 0; placed < len; placed++) {
        int next = -1;
        for (int s = 0; s < len; s++)
            if (waiting[s] == 0 && (next < 0 || less(&labels[s], &labels[next])))
                next = s;
        const step_label *label = &labels[next];
        hash = mix(mix(mix(mix(hash, (uint64_t)label->kind), (uint64_t)label->cpu), (uint64_t)(label->source + 1)),
                   label->context_name);
        waiting[next] = -1;
        for (int s = next + 1; s < len; s++)
            if (waiting[s] > 0 && ordered(next, s, last_global))
                waiting[s]--;
    }
    add(hash);
}
