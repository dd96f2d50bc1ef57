/* decode.c: libFuzzer bytes <-> schedule events (format in decode.h). */
#include "decode.h"

int sim_fuzz_decode(const uint8_t *data, size_t size, sim_fuzz_event *out, int max) {
    int count = 0;
    uint64_t step = 0;
    for (size_t at = 0; at + SIM_FUZZ_EVENT_BYTES <= size && count < max; at += SIM_FUZZ_EVENT_BYTES) {
        step += (uint64_t)data[at] | (uint64_t)data[at + 1] << 8;
        out[count++] =
            (sim_fuzz_event){.step = step, .kind = (sim_option_kind)(data[at + 2] % 4), .which = data[at + 3]};
    }
    return count;
}

size_t sim_fuzz_encode(const sim_fuzz_event *events, int count, uint8_t *out, size_t capacity) {
    if ((size_t)count * SIM_FUZZ_EVENT_BYTES > capacity)
        return 0;
    uint64_t step = 0;
    for (int i = 0; i < count; i++) {
        uint64_t delay = events[i].step - step;
        if (events[i].step < step || delay > 0xffff)
            return 0;
        uint8_t *at = out + (size_t)i * SIM_FUZZ_EVENT_BYTES;
        at[0] = (uint8_t)delay;
        at[1] = (uint8_t)(delay >> 8);
        at[2] = (uint8_t)events[i].kind;
        at[3] = events[i].which;
        step = events[i].step;
    }
    return (size_t)count * SIM_FUZZ_EVENT_BYTES;
}
