/* dwarf_cursor.c: bounded reads of DWARF's encodings (dwarf_cursor.h).
 * LEB128 as DWARF 5 section 7.6 defines it: seven bits a byte, least
 * significant first, the high bit set on every byte but the last; a signed
 * number's sign is bit 6 of its last byte. Padding bytes beyond 64 bits
 * are accepted as long as they carry no bits the value lacks. */
#include "dwarf_cursor.h"

#include <string.h>

sim_dwarf_cursor sim_dwarf_cursor_of(sim_dwarf_bytes bytes, uint64_t at, uint64_t end) {
    sim_dwarf_cursor cursor = {.bytes = bytes, .at = at, .end = end};
    cursor.failed = at > end || end > bytes.size;
    return cursor;
}

/* One byte, or 0 and failed at the end. */
static uint8_t next_byte(sim_dwarf_cursor *cursor) {
    if (cursor->failed || cursor->at >= cursor->end) {
        cursor->failed = true;
        return 0;
    }
    return cursor->bytes.data[cursor->at++];
}

uint64_t sim_dwarf_read(sim_dwarf_cursor *cursor, unsigned size) {
    if (cursor->failed || size > 8 || !sim_dwarf_within(cursor->at, size, cursor->end)) {
        cursor->failed = true;
        return 0;
    }
    uint64_t value = 0;
    for (unsigned i = 0; i < size; i++)
        value |= (uint64_t)cursor->bytes.data[cursor->at + i] << (8 * i);
    cursor->at += size;
    return value;
}

uint64_t sim_dwarf_read_uleb(sim_dwarf_cursor *cursor) {
    uint64_t value = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
        byte = next_byte(cursor);
        uint64_t bits = byte & 0x7f;
        if (shift < 64) {
            if ((bits << shift) >> shift != bits)
                cursor->failed = true; /* bits past bit 63 */
            value |= bits << shift;
        } else if (bits != 0) {
            cursor->failed = true;
        }
        shift = shift < 64 ? shift + 7 : shift;
    } while ((byte & 0x80) != 0 && !cursor->failed);
    return cursor->failed ? 0 : value;
}

int64_t sim_dwarf_read_sleb(sim_dwarf_cursor *cursor) {
    uint64_t value = 0;
    unsigned shift = 0;
    /* Whether any bit at position 63 or above is set, or clear: a value
     * fits when they all equal its sign. Bytes start at multiples of 7, so
     * those bits are all of the bytes from bit 63 on. */
    bool high_set = false, high_clear = false;
    uint8_t byte;
    do {
        byte = next_byte(cursor);
        uint64_t bits = byte & 0x7f;
        if (shift < 64)
            value |= bits << shift;
        if (shift >= 63) {
            high_set = high_set || bits != 0;
            high_clear = high_clear || bits != 0x7f;
        }
        shift = shift < 64 ? shift + 7 : shift;
    } while ((byte & 0x80) != 0 && !cursor->failed);
    bool negative = (byte & 0x40) != 0;
    if (cursor->failed || (negative ? high_clear : high_set)) {
        cursor->failed = true;
        return 0;
    }
    if (negative && shift < 64)
        value |= ~UINT64_C(0) << shift;
    return (int64_t)value;
}

const char *sim_dwarf_read_string(sim_dwarf_cursor *cursor) {
    if (cursor->failed || cursor->at >= cursor->end) {
        cursor->failed = true;
        return NULL;
    }
    const char *start = (const char *)cursor->bytes.data + cursor->at;
    const char *nul = memchr(start, '\0', cursor->end - cursor->at);
    if (nul == NULL) {
        cursor->failed = true;
        return NULL;
    }
    cursor->at += (uint64_t)(nul - start) + 1;
    return start;
}

const uint8_t *sim_dwarf_skip(sim_dwarf_cursor *cursor, uint64_t size) {
    if (cursor->failed || !sim_dwarf_within(cursor->at, size, cursor->end)) {
        cursor->failed = true;
        return NULL;
    }
    const uint8_t *start = cursor->bytes.data + cursor->at;
    cursor->at += size;
    return start;
}

const char *sim_dwarf_string_at(sim_dwarf_bytes bytes, uint64_t offset) {
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(bytes, offset, bytes.size);
    return sim_dwarf_read_string(&cursor);
}

bool sim_dwarf_table_entry(sim_dwarf_bytes bytes, uint64_t base, uint64_t index, unsigned size, uint64_t *entry) {
    if (size == 0 || base > bytes.size || index >= (bytes.size - base) / size)
        return false;
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(bytes, base + index * size, bytes.size);
    *entry = sim_dwarf_read(&cursor, size);
    return !cursor.failed;
}
