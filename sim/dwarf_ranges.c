/* dwarf_ranges.c: a DIE's address ranges (dwarf_ranges.h). A DWARF 4
 * list (.debug_ranges, DWARF 4 section 2.17.3) is pairs of addresses
 * relative to a base, the unit's, until a pair selecting a new base (the
 * first all ones) or ending the list (both 0). A DWARF 5 list
 * (.debug_rnglists, DWARF 5 section 2.17.3) is entries of DW_RLE_* kinds
 * ending with DW_RLE_end_of_list; DW_FORM_rnglistx names a list by its
 * index in the offsets table at the unit's DW_AT_rnglists_base. Address
 * arithmetic wraps as a target's does. */
#include "dwarf_ranges.h"

#include <stdlib.h>

#include "dwarf.h"
#include "grow.h"
#include "wraps.h"

enum { OFFSET_SIZE = 4 };

void sim_dwarf_note_pc_attr(sim_dwarf_pc_attrs *pc, uint64_t attr, const sim_dwarf_value *value) {
    if (attr == DW_AT_low_pc && !pc->has_low) {
        pc->has_low = true;
        pc->low = *value;
    } else if (attr == DW_AT_high_pc && !pc->has_high) {
        pc->has_high = true;
        pc->high = *value;
    } else if (attr == DW_AT_ranges && !pc->has_ranges) {
        pc->has_ranges = true;
        pc->ranges = *value;
    }
}

static void add(sim_dwarf_ranges *ranges, uint64_t low, uint64_t high) {
    ranges->items =
        sim_grow_or_panic(ranges->items, &ranges->cap, ranges->count + 1, sizeof *ranges->items, 16, "DWARF ranges");
    ranges->items[ranges->count++] = (sim_dwarf_range){low, high};
}

/* [low, high) from DW_AT_low_pc and DW_AT_high_pc; false when they do not
 * give one. */
SIM_WRAPS static bool low_high(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, const sim_dwarf_pc_attrs *pc,
                               uint64_t *low, uint64_t *high) {
    uint64_t offset;
    if (!pc->has_low || !pc->has_high || !sim_dwarf_value_address(&dwarf->sections, &unit->encoding, &pc->low, low))
        return false;
    if (sim_dwarf_value_address(&dwarf->sections, &unit->encoding, &pc->high, high))
        return true;
    if (!sim_dwarf_value_unsigned(&pc->high, &offset))
        return false;
    *high = *low + offset;
    return true;
}

/* The DWARF 4 list at `offset` of .debug_ranges. */
SIM_WRAPS static bool read_ranges(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, uint64_t offset,
                                  sim_dwarf_ranges *ranges) {
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(dwarf->sections.ranges, offset, dwarf->sections.ranges.size);
    bool has_base = unit->has_base_address;
    uint64_t base = unit->base_address;
    for (;;) {
        uint64_t start = sim_dwarf_read(&cursor, 8), end = sim_dwarf_read(&cursor, 8);
        if (cursor.failed)
            return false;
        if (start == 0 && end == 0)
            return true;
        if (start == UINT64_MAX) {
            has_base = true;
            base = end;
        } else if (has_base) {
            add(ranges, base + start, base + end);
        } else {
            add(ranges, start, end);
        }
    }
}

/* The address at index `index` of the unit's .debug_addr entries; fails
 * the cursor when there is none. */
static uint64_t indexed(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, sim_dwarf_cursor *cursor, uint64_t index) {
    uint64_t address = 0;
    if (!sim_dwarf_indexed_address(&dwarf->sections, &unit->encoding, index, &address))
        cursor->failed = true;
    return address;
}

/* The DWARF 5 list at `offset` of .debug_rnglists. */
SIM_WRAPS static bool read_rnglist(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, uint64_t offset,
                                   sim_dwarf_ranges *ranges) {
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(dwarf->sections.rnglists, offset, dwarf->sections.rnglists.size);
    bool has_base = unit->has_base_address;
    uint64_t base = unit->base_address, low, high;
    for (;;) {
        uint64_t kind = sim_dwarf_read(&cursor, 1);
        switch (kind) {
        case DW_RLE_end_of_list:
            return !cursor.failed;
        case DW_RLE_base_addressx:
        case DW_RLE_base_address:
            base = kind == DW_RLE_base_address ? sim_dwarf_read(&cursor, 8)
                                               : indexed(dwarf, unit, &cursor, sim_dwarf_read_uleb(&cursor));
            has_base = true;
            continue;
        case DW_RLE_startx_endx:
            low = indexed(dwarf, unit, &cursor, sim_dwarf_read_uleb(&cursor));
            high = indexed(dwarf, unit, &cursor, sim_dwarf_read_uleb(&cursor));
            break;
        case DW_RLE_startx_length:
            low = indexed(dwarf, unit, &cursor, sim_dwarf_read_uleb(&cursor));
            high = low + sim_dwarf_read_uleb(&cursor);
            break;
        case DW_RLE_offset_pair:
            low = sim_dwarf_read_uleb(&cursor);
            high = sim_dwarf_read_uleb(&cursor);
            if (has_base) {
                low += base;
                high += base;
            }
            break;
        case DW_RLE_start_end:
            low = sim_dwarf_read(&cursor, 8);
            high = sim_dwarf_read(&cursor, 8);
            break;
        case DW_RLE_start_length:
            low = sim_dwarf_read(&cursor, 8);
            high = low + sim_dwarf_read_uleb(&cursor);
            break;
        default:
            return false;
        }
        if (cursor.failed)
            return false;
        add(ranges, low, high);
    }
}

/* The offset in .debug_rnglists of the list that the unit's offsets
 * table gives at `index`. */
static bool rnglist_offset(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, uint64_t index, uint64_t *offset) {
    uint64_t relative, base = unit->encoding.rnglists_base;
    if (!unit->encoding.has_rnglists_base ||
        !sim_dwarf_table_entry(dwarf->sections.rnglists, base, index, OFFSET_SIZE, &relative) ||
        relative > UINT64_MAX - base)
        return false;
    *offset = base + relative;
    return true;
}

bool sim_dwarf_ranges_of(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, const sim_dwarf_pc_attrs *pc,
                         sim_dwarf_ranges *ranges) {
    ranges->count = 0;
    uint64_t low, high, offset;
    if (low_high(dwarf, unit, pc, &low, &high)) {
        add(ranges, low, high);
        return true;
    }
    if (!pc->has_ranges)
        return true;
    if (pc->ranges.form == DW_FORM_rnglistx) {
        if (!rnglist_offset(dwarf, unit, pc->ranges.number, &offset))
            return false;
    } else if (!sim_dwarf_value_offset(&unit->encoding, &pc->ranges, &offset)) {
        return false;
    }
    return unit->encoding.version >= 5 ? read_rnglist(dwarf, unit, offset, ranges)
                                       : read_ranges(dwarf, unit, offset, ranges);
}

void sim_dwarf_ranges_free(sim_dwarf_ranges *ranges) {
    free(ranges->items);
    *ranges = (sim_dwarf_ranges){0};
}

uint64_t sim_dwarf_ranges_max(uint64_t size) { return size < UINT64_MAX / 32 ? 16 * size + 65536 : UINT64_MAX; }
