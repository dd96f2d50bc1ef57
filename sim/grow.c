/* grow.c: arrays that grow by doubling (grow.h). */
#include "grow.h"

#include <limits.h>
#include <stdlib.h>

#include "sim_machine.h"

void *sim_grow(void *items, int *cap, int need, size_t size, int first) {
    if (need <= *cap)
        return items;
    int bigger = *cap > 0 ? *cap : first;
    while (bigger < need) {
        if (bigger > INT_MAX / 2)
            return NULL;
        bigger *= 2;
    }
    void *grown = realloc(items, (size_t)bigger * size);
    if (grown != NULL)
        *cap = bigger;
    return grown;
}

void *sim_grow_or_panic(void *items, int *cap, int need, size_t size, int first, const char *what) {
    void *grown = sim_grow(items, cap, need, size, first);
    if (grown == NULL)
        sim_panic("out of memory keeping %s", what);
    return grown;
}
