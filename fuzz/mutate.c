/* mutate.c: the custom mutator and cross-over of the scenario targets. They
 * edit an input as the schedule events it decodes to (decode.h), four bytes
 * at a time, where libFuzzer's own byte insertions and erasures shift every
 * later event out of its frame. Most edits keep the other events at their
 * absolute steps: an inserted or removed decision does not move the rest of
 * the schedule. One mutation in four is still libFuzzer's own, which brings
 * the dictionary and the comparisons it traced. `./build.sh bench` compares
 * targets with and without this file. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "prng.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2, size_t size2, uint8_t *out,
                                 size_t max_out_size, unsigned int seed);

enum { BYTES = SIM_FUZZ_EVENT_BYTES, DELAY_MAX = 0xffff };

typedef enum edit { INSERT, ERASE, SHIFT, KIND, WHICH, DUPLICATE, SWAP, EDIT_COUNT } edit;

static unsigned delay_of(const uint8_t *event) { return event[0] | (unsigned)event[1] << 8; }

static void set_delay(uint8_t *event, unsigned delay) {
    event[0] = (uint8_t)delay;
    event[1] = (uint8_t)(delay >> 8);
}

/* Mostly short: few steps separate the decisions that matter. */
static unsigned random_delay(sim_prng *prng) { return sim_prng_below(prng, 1u << sim_prng_below(prng, 12)); }

/* Mostly small: `which` counts modulo the choices on offer, rarely many. */
static uint8_t random_which(sim_prng *prng) {
    return (uint8_t)(sim_prng_below(prng, 4) != 0 ? sim_prng_below(prng, 8) : sim_prng_below(prng, 256));
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Adds `delta` steps to the event at `at`, if there is one, within 0..DELAY_MAX. */
static void stretch(uint8_t *events, int count, int at, long delta) {
    if (at >= count)
        return;
    long delay = (long)delay_of(events + at * BYTES) + delta;
    set_delay(events + at * BYTES, (unsigned)(delay < 0 ? 0 : delay > DELAY_MAX ? DELAY_MAX : delay));
}

/* Applies one edit (it is applicable: there is room for one more event
 * where it adds one); returns the new event count. */
static int apply(edit what, uint8_t *events, int count, sim_prng *prng) {
    /* Where: any event; also past the last for an insertion; not the last
     * for a swap with the next. */
    int places = what == INSERT ? count + 1 : what == SWAP ? count - 1 : count;
    int at = (int)sim_prng_below(prng, (uint32_t)places);
    uint8_t *event = events + at * BYTES;
    switch (what) {
    case INSERT: {
        /* Half the time it takes its delay from the next event's, so every
         * later event keeps its step. */
        bool keep_later = at < count && sim_prng_below(prng, 2) == 0;
        unsigned delay = keep_later ? sim_prng_below(prng, delay_of(event) + 1) : random_delay(prng);
        memmove(event + BYTES, event, (size_t)(count - at) * BYTES);
        set_delay(event, delay);
        event[2] = (uint8_t)sim_prng_below(prng, 4);
        event[3] = random_which(prng);
        if (keep_later)
            stretch(events, count + 1, at + 1, -(long)delay);
        return count + 1;
    }
    case ERASE: {
        unsigned delay = delay_of(event);
        memmove(event, event + BYTES, (size_t)(count - at - 1) * BYTES);
        stretch(events, count - 1, at, delay);
        return count - 1;
    }
    case SHIFT: {
        /* One decision a few steps earlier or later; the next stays put. */
        long delay = (long)delay_of(event), distance = 1 + (long)sim_prng_below(prng, 8);
        bool earlier = delay == DELAY_MAX || (delay > 0 && sim_prng_below(prng, 2) == 0);
        long delta = earlier ? -(distance < delay ? distance : delay)
                             : (distance < DELAY_MAX - delay ? distance : DELAY_MAX - delay);
        set_delay(event, (unsigned)(delay + delta));
        stretch(events, count, at + 1, -delta);
        return count;
    }
    case KIND: /* one of the three others */
        event[2] = (uint8_t)((event[2] % 4 + 1 + sim_prng_below(prng, 3)) % 4);
        return count;
    case WHICH:
        event[3] = sim_prng_below(prng, 2) ? (uint8_t)(event[3] + 1) : random_which(prng);
        return count;
    case DUPLICATE: {
        /* The same choice again a few steps later: another interrupt,
         * another preemption of the same kind. */
        unsigned delay = 1 + sim_prng_below(prng, 8);
        memmove(event + BYTES, event, (size_t)(count - at) * BYTES);
        set_delay(event + BYTES, delay);
        stretch(events, count + 1, at + 2, -(long)delay);
        return count + 1;
    }
    case SWAP: {
        /* Two neighbouring decisions trade places (kind and choice). */
        uint8_t *next = event + BYTES;
        uint8_t kind = event[2], which = event[3];
        event[2] = next[2], event[3] = next[3];
        next[2] = kind, next[3] = which;
        return count;
    }
    case EDIT_COUNT:
        break;
    }
    return count;
}

/* Whether `what` can apply to `count` events with room for `cap`. */
static bool applicable(edit what, int count, int cap) {
    switch (what) {
    case INSERT:
        return count < cap;
    case DUPLICATE:
        return count > 0 && count < cap;
    case SWAP:
        return count > 1;
    default:
        return count > 0;
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
    sim_prng prng = sim_prng_for_run(seed, 0);
    int cap = (int)min_size(max_size / BYTES, SIM_FUZZ_EVENTS_MAX);
    int count = (int)min_size(size / BYTES, (size_t)cap);
    if (sim_prng_below(&prng, 4) == 0 || cap == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    edit what;
    do
        what = (edit)sim_prng_below(&prng, EDIT_COUNT);
    while (!applicable(what, count, cap));
    return (size_t)apply(what, data, count, &prng) * BYTES;
}

/* The events of the first input up to a point, then those of the second
 * from a point: a schedule's start with another's end. */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2, size_t size2, uint8_t *out,
                                 size_t max_out_size, unsigned int seed) {
    sim_prng prng = sim_prng_for_run(seed, 0);
    size_t cap = min_size(max_out_size / BYTES, SIM_FUZZ_EVENTS_MAX);
    size_t head = sim_prng_below(&prng, (uint32_t)(size1 / BYTES) + 1);
    size_t tail_from = sim_prng_below(&prng, (uint32_t)(size2 / BYTES) + 1);
    head = min_size(head, cap);
    size_t tail = min_size(size2 / BYTES - tail_from, cap - head);
    memcpy(out, data1, head * BYTES);
    memcpy(out + head * BYTES, data2 + tail_from * BYTES, tail * BYTES);
    return (head + tail) * BYTES;
}
