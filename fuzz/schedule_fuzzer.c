/* schedule_fuzzer.c: fuzzes the `.sched` reader (sim/schedule.c). Any bytes
 * must parse or fail with a message, never crash; what parses must write
 * back to text that parses to the same schedule, so writes the same text. */
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    sim_schedule first, second;
    char error[256];
    if (!sim_schedule_parse((const char *)data, size, &first, error, sizeof error)) {
        if (error[0] == '\0')
            abort(); /* a rejection must say why */
        return 0;
    }
    size_t first_size, second_size = 0;
    char *first_text = sim_schedule_text(&first, &first_size), *second_text = NULL;
    /* What the writer writes, the reader must read back. */
    if (first_text == NULL || !sim_schedule_parse(first_text, first_size, &second, error, sizeof error))
        abort();
    second_text = sim_schedule_text(&second, &second_size);
    if (second_text == NULL || second_size != first_size || memcmp(first_text, second_text, first_size) != 0)
        abort();
    sim_schedule_free(&first);
    sim_schedule_free(&second);
    free(first_text);
    free(second_text);
    return 0;
}
