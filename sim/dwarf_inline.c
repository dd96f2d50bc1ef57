/* dwarf_inline.c: subroutines by address, names and call sites
 * (dwarf_inline.h). A unit's DIEs are walked once, in order; each
 * subroutine's ranges are laid over those of the subroutines before it, as
 * llvm-symbolizer lays them: a range starting inside an earlier span
 * splits it (the earlier one keeps what is left on each side), and takes
 * over from its start. In a tree whose children lie within their parents
 * this names the innermost subroutine; elsewhere it names what
 * llvm-symbolizer names. */
#include "dwarf_inline.h"

#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "dwarf_die.h"
#include "dwarf_ranges.h"
#include "grow.h"

enum {
    /* Spans moved to make room for others, beyond which a unit's ranges
     * are too disordered to map (DIEs ordered by address move none). */
    MOVES_MAX = 1 << 22,
    /* DIEs a name is looked for in, following references. */
    NAME_DIES_MAX = 32,
};

typedef struct builder {
    sim_dwarf_subroutines *map;
    uint64_t moves;
    uint64_t ranges_left; /* ranges it may still lay: DIEs may share one long list */
} builder;

/* The index of the span with the greatest start at or before `address`,
 * -1 when none. */
static int span_before(const sim_dwarf_subroutines *map, uint64_t address) {
    int low = 0, high = map->span_count;
    while (low < high) {
        int middle = low + (high - low) / 2;
        if (map->spans[middle].low <= address)
            low = middle + 1;
        else
            high = middle;
    }
    return low - 1;
}

/* The span starting at `low` becomes [low, high) of `subroutine`. */
static bool set_span(builder *builder, uint64_t low, uint64_t high, int subroutine) {
    sim_dwarf_subroutines *map = builder->map;
    int at = span_before(map, low);
    if (at < 0 || map->spans[at].low != low) {
        at++;
        builder->moves += (uint64_t)(map->span_count - at);
        if (builder->moves > MOVES_MAX)
            return false;
        map->spans = sim_grow_or_panic(map->spans, &map->span_cap, map->span_count + 1, sizeof *map->spans, 256,
                                       "DWARF subroutines");
        memmove(&map->spans[at + 1], &map->spans[at], (size_t)(map->span_count - at) * sizeof *map->spans);
        map->span_count++;
    }
    map->spans[at] = (sim_dwarf_span){low, high, subroutine};
    return true;
}

/* Lays [low, high) of `subroutine` over the spans (the header comment). */
static bool lay(builder *builder, uint64_t low, uint64_t high, int subroutine) {
    if (low == high)
        return true;
    int at = span_before(builder->map, low);
    if (at >= 0 && low < builder->map->spans[at].high) {
        sim_dwarf_span split = builder->map->spans[at];
        if (high < split.high && !set_span(builder, high, split.high, split.subroutine))
            return false;
        if (low > split.low)
            builder->map->spans[span_before(builder->map, split.low)].high = low;
    }
    return set_span(builder, low, high, subroutine);
}

static int add_subroutine(sim_dwarf_subroutines *map, uint64_t offset, int parent, bool inlined) {
    map->items = sim_grow_or_panic(map->items, &map->cap, map->count + 1, sizeof *map->items, 256, "DWARF subroutines");
    map->items[map->count] = (sim_dwarf_subroutine){offset, parent, inlined};
    return map->count++;
}

/* The walk's way down: for each depth, the subroutine enclosing its DIEs. */
typedef struct enclosing {
    int *items;
    int count, cap;
} enclosing;

static void push(enclosing *stack, int subroutine) {
    stack->items =
        sim_grow_or_panic(stack->items, &stack->cap, stack->count + 1, sizeof *stack->items, 32, "DWARF subroutines");
    stack->items[stack->count++] = subroutine;
}

/* Reads `die`: adds it when it is a subroutine, with its ranges laid;
 * `next` is where the next DIE starts. */
static bool read_die(sim_dwarf *dwarf, sim_dwarf_unit *unit, builder *builder, const sim_dwarf_die *die, int parent,
                     int *added, sim_dwarf_ranges *ranges, uint64_t *next) {
    bool subroutine = die->abbrev.tag == DW_TAG_subprogram || die->abbrev.tag == DW_TAG_inlined_subroutine;
    sim_dwarf_pc_attrs pc = {0};
    sim_dwarf_attrs attrs = sim_dwarf_attrs_of(dwarf, die);
    sim_dwarf_value value;
    uint64_t attr;
    sim_dwarf_step step;
    while ((step = sim_dwarf_next_attr(&attrs, &attr, &value)) == SIM_DWARF_ATTR)
        if (subroutine)
            sim_dwarf_note_pc_attr(&pc, attr, &value);
    *next = attrs.values.at;
    *added = -1;
    if (step != SIM_DWARF_END)
        return false;
    if (!subroutine)
        return true;
    *added = add_subroutine(builder->map, die->offset, parent, die->abbrev.tag == DW_TAG_inlined_subroutine);
    if (!sim_dwarf_ranges_of(dwarf, unit, &pc, ranges) || (uint64_t)ranges->count > builder->ranges_left)
        return false;
    builder->ranges_left -= (uint64_t)ranges->count;
    for (int r = 0; r < ranges->count; r++)
        if (!lay(builder, ranges->items[r].low, ranges->items[r].high, *added))
            return false;
    return true;
}

bool sim_dwarf_subroutines_read(sim_dwarf *dwarf, sim_dwarf_unit *unit, sim_dwarf_subroutines *map) {
    *map = (sim_dwarf_subroutines){0};
    builder builder = {.map = map, .ranges_left = sim_dwarf_ranges_max(unit->end - unit->die_offset)};
    enclosing stack = {0};
    sim_dwarf_ranges ranges = {0};
    int parent = -1; /* the subroutine enclosing the DIEs at this depth */
    bool ok = true;
    /* DIEs up to the end of the unit DIE's children, as llvm-symbolizer
     * reads them, or the end of the unit. */
    for (uint64_t offset = unit->die_offset; ok && offset < unit->end;) {
        sim_dwarf_die die;
        ok = sim_dwarf_die_at(dwarf, unit, offset, &die);
        if (!ok)
            break;
        if (die.null) { /* the end of a list of children */
            offset = die.values;
            if (stack.count <= 1)
                break;
            parent = stack.items[--stack.count];
            continue;
        }
        int added;
        ok = read_die(dwarf, unit, &builder, &die, parent, &added, &ranges, &offset);
        if (!die.abbrev.has_children) {
            if (stack.count == 0)
                break; /* a unit DIE without children */
            continue;
        }
        push(&stack, parent);
        parent = added >= 0 ? added : parent;
    }
    free(stack.items);
    sim_dwarf_ranges_free(&ranges);
    if (!ok)
        sim_dwarf_subroutines_free(map);
    return ok;
}

void sim_dwarf_subroutines_free(sim_dwarf_subroutines *map) {
    free(map->items);
    free(map->spans);
    *map = (sim_dwarf_subroutines){0};
}

int sim_dwarf_inline_chain(const sim_dwarf_subroutines *map, uint64_t address, uint64_t *offsets, int max) {
    int at = span_before(map, address);
    if (at < 0 || address >= map->spans[at].high)
        return 0;
    int count = 0;
    for (int sub = map->spans[at].subroutine; sub >= 0; sub = map->items[sub].parent) {
        if (count == max)
            return -1;
        offsets[count++] = map->items[sub].offset;
        if (!map->items[sub].inlined)
            break; /* the subprogram it is all inlined into */
    }
    return count;
}

/* The DIE at `offset` of .debug_info, in whichever unit holds it. */
static bool die_at(sim_dwarf *dwarf, uint64_t offset, sim_dwarf_die *die) {
    sim_dwarf_unit *unit = sim_dwarf_unit_at(dwarf, offset);
    return unit != NULL && sim_dwarf_die_at(dwarf, unit, offset, die);
}

/* The string of the first of `wanted` (in that order) that the DIE at
 * `offset` has, else that the DIEs its DW_AT_abstract_origin and
 * DW_AT_specification lead to have, looked for as llvm-symbolizer does: a
 * stack of DIEs not seen yet, each pushing its abstract origin, then its
 * specification. NULL when none has one, or the first found has no
 * string that can be read. */
static const char *find_string(sim_dwarf *dwarf, uint64_t offset, const uint64_t *wanted, int wanted_count) {
    uint64_t seen[NAME_DIES_MAX], stack[NAME_DIES_MAX];
    int seen_count = 0, depth = 0;
    seen[seen_count++] = stack[depth++] = offset;
    while (depth > 0) {
        sim_dwarf_die die;
        if (!die_at(dwarf, stack[--depth], &die))
            continue;
        sim_dwarf_attrs attrs = sim_dwarf_attrs_of(dwarf, &die);
        sim_dwarf_value value, best;
        int best_rank = wanted_count;
        uint64_t attr, next[2] = {0, 0};
        bool has_next[2] = {false, false};
        while (sim_dwarf_next_attr(&attrs, &attr, &value) == SIM_DWARF_ATTR) {
            for (int w = 0; w < best_rank; w++)
                if (attr == wanted[w]) {
                    best_rank = w;
                    best = value;
                }
            int link = attr == DW_AT_abstract_origin ? 0 : attr == DW_AT_specification ? 1 : -1;
            if (link >= 0 && !has_next[link])
                has_next[link] = sim_dwarf_value_reference(&die.unit->encoding, &value, &next[link]);
        }
        if (best_rank < wanted_count)
            return sim_dwarf_value_string(&dwarf->sections, &die.unit->encoding, &best);
        for (int link = 0; link < 2; link++) {
            bool known = false;
            for (int s = 0; s < seen_count && !known; s++)
                known = seen[s] == next[link];
            if (has_next[link] && !known && seen_count < NAME_DIES_MAX)
                seen[seen_count++] = stack[depth++] = next[link];
        }
    }
    return NULL;
}

const char *sim_dwarf_subroutine_name(sim_dwarf *dwarf, uint64_t offset) {
    static const uint64_t linkage[] = {DW_AT_MIPS_linkage_name, DW_AT_linkage_name}, plain[] = {DW_AT_name};
    const char *name = find_string(dwarf, offset, linkage, 2);
    return name != NULL ? name : find_string(dwarf, offset, plain, 1);
}

void sim_dwarf_call_site(sim_dwarf *dwarf, uint64_t offset, uint32_t *file, uint32_t *line, uint32_t *column) {
    static const uint64_t attrs[3] = {DW_AT_call_file, DW_AT_call_line, DW_AT_call_column};
    uint32_t *out[3] = {file, line, column};
    sim_dwarf_die die;
    bool readable = die_at(dwarf, offset, &die);
    for (int i = 0; i < 3; i++) {
        sim_dwarf_value value;
        uint64_t number = 0;
        if (readable && sim_dwarf_die_find(dwarf, &die, attrs[i], &value))
            sim_dwarf_value_unsigned(&value, &number);
        *out[i] = (uint32_t)number;
    }
}
