/* dwarf_units.c: units and which one holds an address (dwarf_units.h). A
 * unit header is DWARF 5 section 7.5.1's (or DWARF 4's, with the
 * abbreviation offset before the address size); a .debug_aranges set is
 * section 6.1.2's. An address that one unit's ranges cover is that unit's.
 * Where units overlap (code a linker discarded, all at address 0), a map
 * built as llvm-symbolizer builds its own says: every range's ends sorted,
 * each stretch between two ends goes to the unit that had the stretch
 * before it when that unit still covers it, else to the covering unit that
 * comes first in .debug_info. */
#include "dwarf_units.h"

#include <stdlib.h>

#include "dwarf.h"
#include "dwarf_die.h"
#include "dwarf_ranges.h"
#include "grow.h"
#include "internal.h"

enum { OFFSET_SIZE = 4, UNIT_LENGTH_RESERVED = 0xfffffff0 };

/* Reads the header of the unit at `offset` of .debug_info. */
static bool read_header(sim_dwarf_bytes info, uint64_t offset, sim_dwarf_unit *unit) {
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(info, offset, info.size);
    uint64_t length = sim_dwarf_read(&cursor, 4);
    if (cursor.failed || length >= UNIT_LENGTH_RESERVED || !sim_dwarf_within(cursor.at, length, info.size))
        return false;
    *unit = (sim_dwarf_unit){.end = cursor.at + length};
    cursor.end = unit->end;
    unit->encoding.unit_offset = offset;
    unit->encoding.version = (uint16_t)sim_dwarf_read(&cursor, 2);
    uint64_t type = DW_UT_compile;
    if (unit->encoding.version >= 5) {
        type = sim_dwarf_read(&cursor, 1);
        unit->encoding.address_size = (uint8_t)sim_dwarf_read(&cursor, 1);
        unit->abbrev_offset = sim_dwarf_read(&cursor, OFFSET_SIZE);
        if (type == DW_UT_skeleton || type == DW_UT_split_compile)
            sim_dwarf_skip(&cursor, 8); /* the DWO id */
        else if (type == DW_UT_type || type == DW_UT_split_type)
            sim_dwarf_skip(&cursor, 8 + OFFSET_SIZE); /* the type's signature and offset */
        else if (type != DW_UT_compile && type != DW_UT_partial)
            return false;
    } else {
        unit->abbrev_offset = sim_dwarf_read(&cursor, OFFSET_SIZE);
        unit->encoding.address_size = (uint8_t)sim_dwarf_read(&cursor, 1);
    }
    unit->split = type == DW_UT_skeleton || type == DW_UT_split_compile || type == DW_UT_split_type;
    unit->die_offset = cursor.at;
    return !cursor.failed && unit->encoding.version >= 2 && unit->encoding.version <= 5 &&
           unit->encoding.address_size == 8;
}

/* Whether the string offsets table at `base` has a header (DWARF 5
 * section 7.26) that says it holds what follows it. */
static bool str_offsets_table(sim_dwarf_bytes section, uint64_t base) {
    if (base < 8)
        return false;
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(section, base - 8, section.size);
    uint64_t length = sim_dwarf_read(&cursor, 4);
    return !cursor.failed && length >= 4 && sim_dwarf_within(base, length - 4, section.size);
}

/* An offset attribute's value, when it is the first of its kind. */
static void note_offset(const sim_dwarf_encoding *encoding, const sim_dwarf_value *value, bool *has, uint64_t *offset) {
    if (!*has)
        *has = sim_dwarf_value_offset(encoding, value, offset);
}

/* Reads the unit DIE's bases, line table and base address, and keeps its
 * address attributes in `pc`. */
static bool read_unit_die(sim_dwarf *dwarf, sim_dwarf_unit *unit, sim_dwarf_pc_attrs *pc) {
    sim_dwarf_die die;
    if (!sim_dwarf_die_at(dwarf, unit, unit->die_offset, &die))
        return false;
    sim_dwarf_encoding *encoding = &unit->encoding;
    sim_dwarf_attrs attrs = sim_dwarf_attrs_of(dwarf, &die);
    sim_dwarf_value value, entry_pc;
    bool has_entry_pc = false, has_gnu_addr_base = false;
    uint64_t attr, gnu_addr_base = 0;
    sim_dwarf_step step;
    while ((step = sim_dwarf_next_attr(&attrs, &attr, &value)) == SIM_DWARF_ATTR) {
        if (attr == DW_AT_str_offsets_base)
            note_offset(encoding, &value, &encoding->has_str_offsets_base, &encoding->str_offsets_base);
        else if (attr == DW_AT_addr_base)
            note_offset(encoding, &value, &encoding->has_addr_base, &encoding->addr_base);
        else if (attr == DW_AT_GNU_addr_base)
            note_offset(encoding, &value, &has_gnu_addr_base, &gnu_addr_base);
        else if (attr == DW_AT_rnglists_base)
            note_offset(encoding, &value, &encoding->has_rnglists_base, &encoding->rnglists_base);
        else if (attr == DW_AT_stmt_list)
            note_offset(encoding, &value, &unit->has_stmt_list, &unit->stmt_list);
        else if (attr == DW_AT_dwo_name || attr == DW_AT_GNU_dwo_name)
            unit->split = true;
        if (attr == DW_AT_entry_pc && !has_entry_pc) {
            has_entry_pc = true;
            entry_pc = value;
        }
        sim_dwarf_note_pc_attr(pc, attr, &value);
    }
    if (!encoding->has_addr_base) {
        encoding->has_addr_base = has_gnu_addr_base;
        encoding->addr_base = gnu_addr_base;
    }
    /* Range lists are relative to DW_AT_low_pc, else DW_AT_entry_pc. */
    if (pc->has_low || has_entry_pc)
        unit->has_base_address = sim_dwarf_value_address(&dwarf->sections, encoding, pc->has_low ? &pc->low : &entry_pc,
                                                         &unit->base_address);
    /* A unit whose string offsets table is broken is one the reader does
     * not answer for, as llvm-symbolizer reads none of its DIEs. */
    if (encoding->has_str_offsets_base && !str_offsets_table(dwarf->sections.str_offsets, encoding->str_offsets_base))
        unit->split = true;
    return step == SIM_DWARF_END;
}

typedef struct offsets {
    uint64_t *items;
    int count, cap;
} offsets;

static void add_offset(offsets *list, uint64_t offset) {
    list->items = sim_grow_or_panic(list->items, &list->cap, list->count + 1, sizeof *list->items, 16, "DWARF units");
    list->items[list->count++] = offset;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static bool listed(const offsets *list, uint64_t offset) {
    return list->count > 0 && bsearch(&offset, list->items, (size_t)list->count, sizeof *list->items, by_value) != NULL;
}

/* Appends [low, high) of unit `unit` (an index) to `ranges`; empty ones
 * are dropped. */
static void add_range(sim_dwarf_arange **ranges, int *count, int *cap, uint64_t low, uint64_t high, int unit) {
    if (low >= high)
        return;
    *ranges = sim_grow_or_panic(*ranges, cap, *count + 1, sizeof **ranges, 64, "DWARF units");
    (*ranges)[(*count)++] = (sim_dwarf_arange){low, high, unit};
}

/* A .debug_aranges tuple: [low, high) of the unit at `unit`. */
typedef struct tuple {
    uint64_t low, high, unit;
} tuple;

typedef struct tuples {
    tuple *items;
    int count, cap;
} tuples;

/* The tuples of .debug_aranges, and the units its sets are for. */
static bool read_aranges(sim_dwarf_bytes aranges, tuples *found, offsets *units) {
    for (uint64_t offset = 0; offset < aranges.size;) {
        sim_dwarf_cursor cursor = sim_dwarf_cursor_of(aranges, offset, aranges.size);
        uint64_t length = sim_dwarf_read(&cursor, 4);
        if (cursor.failed || length >= UNIT_LENGTH_RESERVED || !sim_dwarf_within(cursor.at, length, aranges.size))
            return false;
        cursor.end = cursor.at + length;
        uint64_t version = sim_dwarf_read(&cursor, 2), unit = sim_dwarf_read(&cursor, OFFSET_SIZE);
        uint64_t address_size = sim_dwarf_read(&cursor, 1), segment_size = sim_dwarf_read(&cursor, 1);
        if (cursor.failed || version != 2 || address_size != 8 || segment_size != 0)
            return false;
        /* Tuples are aligned to their size from the set's start. */
        cursor.at = offset + 16;
        add_offset(units, unit);
        for (;;) {
            uint64_t start = sim_dwarf_read(&cursor, 8), size = sim_dwarf_read(&cursor, 8);
            if (cursor.failed)
                return false;
            if (start == 0 && size == 0)
                break;
            if (size > UINT64_MAX - start)
                continue; /* one that wraps ends before it starts: empty */
            found->items =
                sim_grow_or_panic(found->items, &found->cap, found->count + 1, sizeof *found->items, 16, "DWARF units");
            found->items[found->count++] = (tuple){start, start + size, unit};
        }
        offset = cursor.end;
    }
    return true;
}

/* The index of the unit whose header is at `offset`, -1 when none is. */
static int unit_index(const sim_dwarf *dwarf, uint64_t offset) {
    const sim_dwarf_unit *unit = sim_dwarf_unit_at(dwarf, offset);
    return unit != NULL && unit->encoding.unit_offset == offset ? (int)(unit - dwarf->units) : -1;
}

/* A range's start or end, for the map. */
typedef struct endpoint {
    uint64_t address;
    int unit;
    bool start;
} endpoint;

static int by_address(const void *a, const void *b) {
    uint64_t x = ((const endpoint *)a)->address, y = ((const endpoint *)b)->address;
    return (x > y) - (x < y);
}

/* The units covering a stretch: how many of each one's ranges do, and the
 * units that do in a heap with the first on top (a unit that no longer
 * covers leaves it when it comes to the top). */
typedef struct covering {
    int *count, *heap;
    int heap_size;
} covering;

static void cover(covering *covering, int unit) {
    if (covering->count[unit]++ > 0)
        return;
    int at = covering->heap_size++;
    for (; at > 0 && covering->heap[(at - 1) / 2] > unit; at = (at - 1) / 2)
        covering->heap[at] = covering->heap[(at - 1) / 2];
    covering->heap[at] = unit;
}

/* The first unit that covers the stretch, -1 when none does. */
static int first_covering(covering *covering) {
    int *heap = covering->heap;
    while (covering->heap_size > 0 && covering->count[heap[0]] == 0) {
        int moved = heap[--covering->heap_size], at = 0;
        for (;;) {
            int child = 2 * at + 1;
            if (child >= covering->heap_size)
                break;
            if (child + 1 < covering->heap_size && heap[child + 1] < heap[child])
                child++;
            if (moved <= heap[child])
                break;
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = moved;
    }
    return covering->heap_size > 0 ? heap[0] : -1;
}

/* The map of where units overlap (the header comment says how). */
static void build_map(sim_dwarf *dwarf) {
    int count = 2 * dwarf->range_count, cap = 0;
    endpoint *ends = malloc(((size_t)count + 1) * sizeof *ends);
    covering covering = {calloc((size_t)dwarf->unit_count + 1, sizeof *covering.count),
                         malloc(((size_t)count + 1) * sizeof *covering.heap), 0};
    if (ends == NULL || covering.count == NULL || covering.heap == NULL)
        sim_panic("out of memory reading DWARF units");
    for (int i = 0; i < dwarf->range_count; i++) {
        ends[2 * i] = (endpoint){dwarf->ranges[i].low, dwarf->ranges[i].unit, true};
        ends[2 * i + 1] = (endpoint){dwarf->ranges[i].high, dwarf->ranges[i].unit, false};
    }
    if (count > 1)
        qsort(ends, (size_t)count, sizeof *ends, by_address);
    uint64_t previous = UINT64_MAX;
    for (int i = 0; i < count; i++) {
        int first = previous < ends[i].address ? first_covering(&covering) : -1;
        sim_dwarf_arange *last = dwarf->map_count > 0 ? &dwarf->map[dwarf->map_count - 1] : NULL;
        if (first >= 0 && last != NULL && last->high == previous && covering.count[last->unit] > 0)
            last->high = ends[i].address;
        else if (first >= 0)
            add_range(&dwarf->map, &dwarf->map_count, &cap, previous, ends[i].address, first);
        if (ends[i].start)
            cover(&covering, ends[i].unit);
        else if (covering.count[ends[i].unit] > 0)
            covering.count[ends[i].unit]--;
        previous = ends[i].address;
    }
    dwarf->mapped = true;
    free(ends);
    free(covering.count);
    free(covering.heap);
}

bool sim_dwarf_open(sim_dwarf *dwarf, const sim_dwarf_sections *sections) {
    *dwarf = (sim_dwarf){.sections = *sections};
    tuples aranges = {0};
    int unit_cap = 0, range_cap = 0;
    offsets in_aranges = {0};
    sim_dwarf_ranges ranges = {0};
    uint64_t ranges_left = sim_dwarf_ranges_max(sections->info.size);
    bool ok = read_aranges(sections->aranges, &aranges, &in_aranges);
    if (in_aranges.count > 1)
        qsort(in_aranges.items, (size_t)in_aranges.count, sizeof *in_aranges.items, by_value);
    for (uint64_t offset = 0; ok && offset < sections->info.size;) {
        sim_dwarf_unit unit;
        ok = read_header(sections->info, offset, &unit);
        if (!ok)
            break;
        dwarf->units =
            sim_grow_or_panic(dwarf->units, &unit_cap, dwarf->unit_count + 1, sizeof *dwarf->units, 64, "DWARF units");
        int index = dwarf->unit_count++;
        dwarf->units[index] = unit;
        offset = unit.end;
        if (unit.die_offset == unit.end)
            continue; /* a unit without a DIE: nothing it covers */
        sim_dwarf_pc_attrs pc = {0};
        ok = read_unit_die(dwarf, &dwarf->units[index], &pc);
        if (!ok || listed(&in_aranges, unit.encoding.unit_offset))
            continue; /* .debug_aranges gives its ranges */
        ok = sim_dwarf_ranges_of(dwarf, &dwarf->units[index], &pc, &ranges) && (uint64_t)ranges.count <= ranges_left;
        ranges_left -= ok ? (uint64_t)ranges.count : 0;
        for (int r = 0; ok && r < ranges.count; r++)
            add_range(&dwarf->ranges, &dwarf->range_count, &range_cap, ranges.items[r].low, ranges.items[r].high,
                      index);
    }
    /* A set of .debug_aranges must be for a unit (llvm-symbolizer would
     * take the unit it falls in). */
    for (int t = 0; ok && t < aranges.count; t++) {
        int index = unit_index(dwarf, aranges.items[t].unit);
        ok = index >= 0;
        if (ok)
            add_range(&dwarf->ranges, &dwarf->range_count, &range_cap, aranges.items[t].low, aranges.items[t].high,
                      index);
    }
    free(aranges.items);
    free(in_aranges.items);
    sim_dwarf_ranges_free(&ranges);
    if (!ok)
        sim_dwarf_close(dwarf);
    return ok;
}

void sim_dwarf_close(sim_dwarf *dwarf) {
    for (int i = 0; i < dwarf->abbrev_table_count; i++) {
        sim_dwarf_abbrevs_free(dwarf->abbrev_tables[i]);
        free(dwarf->abbrev_tables[i]);
    }
    free(dwarf->abbrev_tables);
    free(dwarf->units);
    free(dwarf->ranges);
    free(dwarf->map);
    *dwarf = (sim_dwarf){0};
}

sim_dwarf_unit *sim_dwarf_unit_at(const sim_dwarf *dwarf, uint64_t offset) {
    int low = 0, high = dwarf->unit_count;
    while (low < high) {
        int middle = low + (high - low) / 2;
        if (dwarf->units[middle].end <= offset)
            low = middle + 1;
        else
            high = middle;
    }
    if (low < dwarf->unit_count && dwarf->units[low].encoding.unit_offset <= offset)
        return &dwarf->units[low];
    return NULL;
}

sim_dwarf_unit *sim_dwarf_unit_of_address(sim_dwarf *dwarf, uint64_t address) {
    /* One unit covers it: that one. */
    int found = -1;
    bool overlap = false;
    for (int i = 0; i < dwarf->range_count && !overlap; i++) {
        const sim_dwarf_arange *range = &dwarf->ranges[i];
        if (range->low <= address && address < range->high) {
            overlap = found >= 0 && found != range->unit;
            found = range->unit;
        }
    }
    if (!overlap)
        return found >= 0 ? &dwarf->units[found] : NULL;
    /* Units overlap: the map says. */
    if (!dwarf->mapped)
        build_map(dwarf);
    int low = 0, high = dwarf->map_count;
    while (low < high) {
        int middle = low + (high - low) / 2;
        if (dwarf->map[middle].high <= address)
            low = middle + 1;
        else
            high = middle;
    }
    if (low < dwarf->map_count && dwarf->map[low].low <= address)
        return &dwarf->units[dwarf->map[low].unit];
    return NULL;
}
