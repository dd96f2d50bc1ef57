/* dwarf_cursor.h: bounded reads of DWARF's encodings (dwarf_cursor.c):
 * little-endian integers, LEB128 numbers and NUL-terminated strings out of
 * a section's bytes. A read that would pass the cursor's end fails the
 * cursor: it stays failed and reads zeros from then on, so a parser checks
 * once after a run of reads instead of before each one. */
#ifndef SIM_DWARF_CURSOR_H
#define SIM_DWARF_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

/* A section's bytes (size 0 and data NULL for a missing section). */
typedef struct sim_dwarf_bytes {
    const uint8_t *data;
    uint64_t size;
} sim_dwarf_bytes;

typedef struct sim_dwarf_cursor {
    sim_dwarf_bytes bytes;
    uint64_t at;  /* offset of the next read */
    uint64_t end; /* reads stop here; at most bytes.size */
    bool failed;
} sim_dwarf_cursor;

/* True when `length` bytes at `offset` lie within `size` bytes. */
static inline bool sim_dwarf_within(uint64_t offset, uint64_t length, uint64_t size) {
    return offset <= size && length <= size - offset;
}

/* A cursor over bytes [at, end) of `bytes`; failed when they are not all
 * within `bytes`. */
sim_dwarf_cursor sim_dwarf_cursor_of(sim_dwarf_bytes bytes, uint64_t at, uint64_t end);
/* An unsigned little-endian integer of `size` bytes (1 to 8). */
uint64_t sim_dwarf_read(sim_dwarf_cursor *cursor, unsigned size);
/* An unsigned LEB128 number; one that needs more than 64 bits fails. */
uint64_t sim_dwarf_read_uleb(sim_dwarf_cursor *cursor);
/* A signed LEB128 number; one outside int64_t fails. */
int64_t sim_dwarf_read_sleb(sim_dwarf_cursor *cursor);
/* A NUL-terminated string, in place; NULL (and failed) when it is not
 * terminated before the end. */
const char *sim_dwarf_read_string(sim_dwarf_cursor *cursor);
/* Steps over `size` bytes and returns where they start; NULL when they
 * pass the end. */
const uint8_t *sim_dwarf_skip(sim_dwarf_cursor *cursor, uint64_t size);
/* Entry `index` of a table of `size`-byte entries at `base` of `bytes`
 * (.debug_str_offsets, .debug_addr, a range list table's offsets). */
bool sim_dwarf_table_entry(sim_dwarf_bytes bytes, uint64_t base, uint64_t index, unsigned size, uint64_t *entry);
/* The NUL-terminated string at `offset` of `bytes`, or NULL. */
const char *sim_dwarf_string_at(sim_dwarf_bytes bytes, uint64_t offset);

#endif
