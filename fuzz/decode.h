/* decode.h: the fuzzer's input format (fuzz/README.md). libFuzzer's bytes are
 * read as a short list of schedule events, four bytes each:
 *
 *     byte 0-1  delay: steps after the previous event's step (little endian)
 *     byte 2    what: run a CPU, deliver an interrupt, deliver a DPC, or
 *               switch threads (the value modulo 4)
 *     byte 3    which: picks one of the offered choices of that kind
 *               (the value modulo their number)
 *
 * Between events the default policy decides. A trailing partial event and
 * events past SIM_FUZZ_EVENTS_MAX are ignored, so every byte string decodes
 * to a valid schedule and no input is rejected. */
#ifndef SIM_FUZZ_DECODE_H
#define SIM_FUZZ_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

enum {
    SIM_FUZZ_EVENT_BYTES = 4,
    SIM_FUZZ_EVENTS_MAX = 256,
    /* An event whose kind of choice is not on offer at its step waits this
     * many steps for it (an interrupt waits for the IRQL to drop), then lapses. */
    SIM_FUZZ_PENDING_STEPS = 64,
};

typedef struct sim_fuzz_event {
    uint64_t step; /* absolute: the sum of the delays so far */
    sim_option_kind kind;
    uint8_t which;
} sim_fuzz_event;

/* Decodes `data` into at most `max` events; returns how many. */
int sim_fuzz_decode(const uint8_t *data, size_t size, sim_fuzz_event *out, int max);
/* The bytes of `events` (steps must not decrease and must be at most 65535
 * apart); returns the size written, or 0 when `capacity` is too small. */
size_t sim_fuzz_encode(const sim_fuzz_event *events, int count, uint8_t *out, size_t capacity);

#endif
