/* decode_fuzzer.c: fuzzes the fuzzer-input decoder (fuzz/decode.c). Every
 * byte string decodes; the events encode back to bytes that decode to the
 * same events, and steps never decrease. */
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static sim_fuzz_event events[SIM_FUZZ_EVENTS_MAX], again[SIM_FUZZ_EVENTS_MAX];
    static uint8_t bytes[SIM_FUZZ_EVENTS_MAX * SIM_FUZZ_EVENT_BYTES];
    int count = sim_fuzz_decode(data, size, events, SIM_FUZZ_EVENTS_MAX);
    if (count < 0 || count > SIM_FUZZ_EVENTS_MAX ||
        ((size_t)count != size / SIM_FUZZ_EVENT_BYTES && count != SIM_FUZZ_EVENTS_MAX))
        abort();
    for (int i = 1; i < count; i++)
        if (events[i].step < events[i - 1].step)
            abort();
    size_t written = sim_fuzz_encode(events, count, bytes, sizeof bytes);
    if (written != (size_t)count * SIM_FUZZ_EVENT_BYTES ||
        sim_fuzz_decode(bytes, written, again, SIM_FUZZ_EVENTS_MAX) != count)
        abort();
    for (int i = 0; i < count; i++)
        if (events[i].step != again[i].step || events[i].kind != again[i].kind || events[i].which != again[i].which)
            abort();
    return 0;
}
