/* native_objects.c is the native backend of what setup code and the lock
 * code's objects ask of the machine outside any atomic step: memory
 * (sim_alloc: zeroed, kept until native_objects_free, as a run keeps it to
 * its end; setup code allocates on one thread only),
 * names (sim_name: nothing reports natively, so nothing is named),
 * parameters (sim_param: each has its default), the symbolizer (no site),
 * thread objects (none can be waited for: the harness's threads are the
 * scenario's roles, and nothing here starts a system thread), and a bad
 * scenario, which aborts as a finding does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "lock_internal.h"
#include "native.h"
#include "symbolize.h"

/* Every block, newest first, behind its header. */
typedef struct block_header {
    struct block_header *next;
    max_align_t align[];
} block_header;

static block_header *blocks;

void *sim_alloc(size_t size) {
    block_header *block = calloc(1, sizeof *block + size);
    if (block == NULL)
        sim_panic("out of memory for %zu bytes", size);
    block->next = blocks;
    blocks = block;
    return block->align;
}

void native_objects_free(void) {
    while (blocks != NULL) {
        block_header *next = blocks->next;
        free(blocks);
        blocks = next;
    }
}

void sim_name(const void *object, const char *name) { (void)object, (void)name; }

int64_t sim_param(const char *name, int64_t default_value) {
    (void)name;
    return default_value;
}

bool locks_thread_waitable(const DISPATCHER_HEADER *header) {
    (void)header;
    return false;
}

const sim_site *sim_site_of_pc_deferred(uintptr_t pc) {
    (void)pc;
    return NULL;
}

void sim_run_bad_scenario(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spinsim-native: bad scenario: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}
