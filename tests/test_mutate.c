/* test_mutate.c: the scenario targets' custom mutator and cross-over
 * (fuzz/mutate.c), against a stand-in for libFuzzer's byte mutator. Over
 * many seeds and input shapes: the output fits max_size and the 256-event
 * limit; an event edit yields whole events, one more, one fewer or as many,
 * and changes the input; about one call in four goes to libFuzzer's own
 * mutator; most event edits leave every other event at its step; a
 * cross-over is a head of the first input's events and a tail of the
 * second's. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"
#include "prng.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2, size_t size2, uint8_t *out,
                                 size_t max_out_size, unsigned int seed);

enum { CAP = 1100, BYTES = SIM_FUZZ_EVENT_BYTES, CALLS = 40000 };

static int byte_mutations;

/* libFuzzer's byte mutator, as far as these tests care: it was called. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) {
    (void)max_size;
    byte_mutations++;
    if (size > 0)
        data[0] ^= 1;
    return size;
}

static size_t random_input(sim_prng *prng, uint8_t *data, size_t limit) {
    size_t size = sim_prng_below(prng, (uint32_t)limit + 1);
    for (size_t i = 0; i < size; i++)
        data[i] = (uint8_t)sim_prng_next(prng);
    return size;
}

/* How many of the `before` events are still in `after` at the same step,
 * with the same kind and choice. */
static int kept_in_place(const uint8_t *before, size_t before_size, const uint8_t *after, size_t after_size) {
    sim_fuzz_event a[SIM_FUZZ_EVENTS_MAX], b[SIM_FUZZ_EVENTS_MAX];
    int na = sim_fuzz_decode(before, before_size, a, SIM_FUZZ_EVENTS_MAX);
    int nb = sim_fuzz_decode(after, after_size, b, SIM_FUZZ_EVENTS_MAX);
    int kept = 0;
    for (int i = 0, j = 0; i < na; i++) {
        while (j < nb && b[j].step < a[i].step)
            j++;
        for (int k = j; k < nb && b[k].step == a[i].step; k++)
            if (b[k].kind == a[i].kind && b[k].which == a[i].which) {
                kept++;
                break;
            }
    }
    return kept;
}

TEST(mutate_fits_the_limits_and_edits_whole_events) {
    static const size_t max_sizes[] = {0, 3, 4, 8, 64, 256, 1024, CAP};
    sim_prng prng = {1};
    uint8_t before[CAP], data[CAP];
    int failures = 0, unchanged = 0, edits = 0, room = 0, room_bytes = 0;
    for (unsigned seed = 0; seed < CALLS; seed++) {
        size_t max_size = max_sizes[seed % (sizeof max_sizes / sizeof max_sizes[0])];
        size_t size = random_input(&prng, before, max_size);
        memcpy(data, before, size);
        int bytes_before = byte_mutations;
        size_t out = LLVMFuzzerCustomMutator(data, size, max_size, seed);
        failures += out > max_size;
        room += max_size >= BYTES;
        if (byte_mutations != bytes_before) {
            room_bytes += max_size >= BYTES;
            continue;
        }
        edits++;
        size_t in_events = size / BYTES < SIM_FUZZ_EVENTS_MAX ? size / BYTES : SIM_FUZZ_EVENTS_MAX;
        long delta = (long)(out / BYTES) - (long)in_events;
        if (out % BYTES != 0 || out / BYTES > SIM_FUZZ_EVENTS_MAX || delta < -1 || delta > 1)
            failures++;
        unchanged += out == size && memcmp(data, before, size) == 0;
    }
    CHECK_INT(failures, 0);
    /* One call in four is libFuzzer's, and every call where no event fits. */
    CHECK(room_bytes * 5 > room && room_bytes * 10 < room * 3);
    /* An edit that changes nothing wastes an execution: only a swap of two
     * equal neighbours may. */
    CHECK(unchanged * 100 < edits);
}

TEST(mutate_leaves_the_other_events_at_their_steps) {
    enum { EVENTS = 64 };
    sim_prng prng = {2};
    uint8_t before[EVENTS * BYTES], data[EVENTS * BYTES + BYTES];
    int edits = 0, in_place = 0;
    for (unsigned seed = 0; seed < CALLS; seed++) {
        /* Delays of 16 steps or more: no edit clamps one at zero. */
        for (int i = 0; i < EVENTS; i++) {
            uint8_t *event = before + i * BYTES;
            event[0] = (uint8_t)(16 + sim_prng_below(&prng, 200));
            event[1] = 0;
            event[2] = (uint8_t)sim_prng_below(&prng, 4);
            event[3] = (uint8_t)sim_prng_below(&prng, 8);
        }
        memcpy(data, before, sizeof before);
        int bytes_before = byte_mutations;
        size_t out = LLVMFuzzerCustomMutator(data, sizeof before, sizeof data, seed);
        if (byte_mutations != bytes_before)
            continue;
        edits++;
        in_place += kept_in_place(before, sizeof before, data, out) >= EVENTS - 2;
    }
    /* All but an insertion with a delay of its own (one edit kind in 14)
     * keep every event they do not edit or swap. */
    CHECK(in_place * 100 >= edits * 90);
}

TEST(crossover_joins_a_head_of_one_input_to_a_tail_of_the_other) {
    sim_prng prng = {3};
    uint8_t one[CAP], two[CAP], out[CAP];
    int failures = 0;
    for (unsigned seed = 0; seed < CALLS / 4; seed++) {
        size_t size1 = random_input(&prng, one, CAP), size2 = random_input(&prng, two, CAP);
        size_t max_out = sim_prng_below(&prng, CAP + 1);
        size_t n = LLVMFuzzerCustomCrossOver(one, size1, two, size2, out, max_out, seed);
        /* The head: the longest run of whole events `one` starts with. */
        size_t head = 0;
        while (head + BYTES <= n && head + BYTES <= size1 && memcmp(out + head, one + head, BYTES) == 0)
            head += BYTES;
        bool joined = head == n;
        for (size_t from = 0; !joined && from + (n - head) <= size2; from += BYTES)
            joined = memcmp(out + head, two + from, n - head) == 0;
        failures += n > max_out || n % BYTES != 0 || n / BYTES > SIM_FUZZ_EVENTS_MAX || !joined;
    }
    CHECK_INT(failures, 0);
}
