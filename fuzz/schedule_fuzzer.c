/* schedule_fuzzer.c: fuzzes the `.sched` reader (sim/schedule.c). Any bytes
 * must parse or fail with a message, never crash; what parses must write
 * back to text that parses to the same schedule. */
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const sim_schedule *a, const sim_schedule *b) {
    if (strcmp(a->scenario, b->scenario) != 0 || a->param_count != b->param_count || a->has_expect != b->has_expect ||
        (a->has_expect && a->expect != b->expect) || a->event_count != b->event_count)
        return false;
    for (int i = 0; i < a->param_count; i++)
        if (strcmp(a->params[i].name, b->params[i].name) != 0 || a->params[i].value != b->params[i].value)
            return false;
    for (int i = 0; i < a->event_count; i++) {
        const sim_schedule_event *x = &a->events[i], *y = &b->events[i];
        if (x->step != y->step || x->kind != y->kind || x->cpu != y->cpu || strcmp(x->name, y->name) != 0)
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    sim_schedule first, second;
    char error[256];
    if (!sim_schedule_parse((const char *)data, size, &first, error, sizeof error)) {
        if (error[0] == '\0')
            abort(); /* a rejection must say why */
        return 0;
    }
    char *text = NULL;
    size_t text_size = 0;
    FILE *out = open_memstream(&text, &text_size);
    sim_schedule_write(out, &first);
    fclose(out);
    if (!sim_schedule_parse(text, text_size, &second, error, sizeof error) || !same(&first, &second))
        abort(); /* what the writer writes, the reader must read back */
    sim_schedule_free(&first);
    sim_schedule_free(&second);
    free(text);
    return 0;
}
