/* dwarf_die.c: abbreviation tables and DIEs (dwarf_die.h), as DWARF 5
 * section 7.5.3 lays them out. A declaration is its code, its tag, a
 * children byte and (attribute, form) pairs ending in (0, 0), with
 * DW_FORM_implicit_const's value after its pair; a DIE is a code followed
 * by one value per pair. */
#include "dwarf_die.h"

#include <stdlib.h>

#include "dwarf.h"
#include "grow.h"
#include "internal.h"

enum { UNORDERED_ABBREVS_MAX = 4096 };

/* Steps over one attribute specification; false at the (0, 0) that ends
 * the list, or on a malformed one (failing the cursor). */
static bool next_spec(sim_dwarf_cursor *specs, uint64_t *attr, uint64_t *form, int64_t *implicit) {
    *attr = sim_dwarf_read_uleb(specs);
    *form = sim_dwarf_read_uleb(specs);
    *implicit = *form == DW_FORM_implicit_const ? sim_dwarf_read_sleb(specs) : 0;
    if (*attr == 0 || *form == 0 || specs->failed) {
        specs->failed = specs->failed || *attr != 0 || *form != 0;
        return false;
    }
    return true;
}

/* Reads the declaration at the cursor; false at the end of the table (a
 * code 0) or on a malformed declaration. */
static bool next_declaration(sim_dwarf_cursor *cursor, sim_dwarf_abbrev *abbrev) {
    *abbrev = (sim_dwarf_abbrev){.code = sim_dwarf_read_uleb(cursor)};
    abbrev->tag = sim_dwarf_read_uleb(cursor);
    uint64_t children = sim_dwarf_read(cursor, 1);
    abbrev->has_children = children == 1;
    abbrev->specs = cursor->at;
    uint64_t attr, form;
    int64_t implicit;
    while (next_spec(cursor, &attr, &form, &implicit))
        ;
    return abbrev->code != 0 && abbrev->tag != 0 && children <= 1 && !cursor->failed;
}

void sim_dwarf_abbrevs_start(sim_dwarf_abbrevs *abbrevs, sim_dwarf_bytes section, uint64_t offset) {
    *abbrevs = (sim_dwarf_abbrevs){.offset = offset, .consecutive = true};
    abbrevs->unread = sim_dwarf_cursor_of(section, offset, section.size);
}

const sim_dwarf_abbrev *sim_dwarf_abbrev_of(sim_dwarf_abbrevs *abbrevs, uint64_t code) {
    /* Among those read: by index while their codes run on by one. */
    if (abbrevs->consecutive && abbrevs->count > 0) {
        uint64_t first = abbrevs->items[0].code;
        if (code >= first && code - first < (uint64_t)abbrevs->count)
            return &abbrevs->items[code - first];
    } else {
        for (int i = 0; i < abbrevs->count; i++)
            if (abbrevs->items[i].code == code)
                return &abbrevs->items[i];
    }
    sim_dwarf_abbrev abbrev;
    while (!abbrevs->complete) {
        /* Codes out of order are looked for one by one: a table of them
         * is read only so far, so that a lookup takes bounded time. */
        if (!next_declaration(&abbrevs->unread, &abbrev) ||
            (!abbrevs->consecutive && abbrevs->count >= UNORDERED_ABBREVS_MAX)) {
            abbrevs->complete = true;
            break;
        }
        abbrevs->items = sim_grow_or_panic(abbrevs->items, &abbrevs->cap, abbrevs->count + 1, sizeof *abbrevs->items,
                                           64, "DWARF abbreviations");
        uint64_t first = abbrevs->count > 0 ? abbrevs->items[0].code : abbrev.code;
        abbrevs->consecutive =
            abbrevs->consecutive && abbrev.code >= first && abbrev.code - first == (uint64_t)abbrevs->count;
        abbrevs->items[abbrevs->count++] = abbrev;
        if (abbrev.code == code)
            return &abbrevs->items[abbrevs->count - 1];
    }
    return NULL;
}

void sim_dwarf_abbrevs_free(sim_dwarf_abbrevs *abbrevs) {
    free(abbrevs->items);
    *abbrevs = (sim_dwarf_abbrevs){0};
}

/* The unit's abbreviation table: the unit before it's when it names the
 * same one (the units a linker wrote from one LTO object share one),
 * else one of its own. */
static sim_dwarf_abbrevs *abbrevs_of(sim_dwarf *dwarf, sim_dwarf_unit *unit) {
    if (unit->abbrevs != NULL)
        return unit->abbrevs;
    const sim_dwarf_unit *before = unit > dwarf->units ? unit - 1 : NULL;
    if (before != NULL && before->abbrevs != NULL && before->abbrev_offset == unit->abbrev_offset)
        return unit->abbrevs = before->abbrevs;
    dwarf->abbrev_tables =
        sim_grow_or_panic(dwarf->abbrev_tables, &dwarf->abbrev_table_cap, dwarf->abbrev_table_count + 1,
                          sizeof *dwarf->abbrev_tables, 64, "DWARF abbreviations");
    unit->abbrevs = malloc(sizeof *unit->abbrevs);
    if (unit->abbrevs == NULL)
        sim_panic("out of memory reading DWARF abbreviations");
    sim_dwarf_abbrevs_start(unit->abbrevs, dwarf->sections.abbrev, unit->abbrev_offset);
    dwarf->abbrev_tables[dwarf->abbrev_table_count++] = unit->abbrevs;
    return unit->abbrevs;
}

bool sim_dwarf_die_at(sim_dwarf *dwarf, sim_dwarf_unit *unit, uint64_t offset, sim_dwarf_die *die) {
    if (offset < unit->die_offset || offset >= unit->end)
        return false;
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(dwarf->sections.info, offset, unit->end);
    uint64_t code = sim_dwarf_read_uleb(&cursor);
    *die = (sim_dwarf_die){.unit = unit, .offset = offset, .null = code == 0, .values = cursor.at};
    if (cursor.failed || code == 0)
        return !cursor.failed;
    const sim_dwarf_abbrev *abbrev = sim_dwarf_abbrev_of(abbrevs_of(dwarf, unit), code);
    if (abbrev != NULL)
        die->abbrev = *abbrev;
    return abbrev != NULL;
}

sim_dwarf_attrs sim_dwarf_attrs_of(const sim_dwarf *dwarf, const sim_dwarf_die *die) {
    sim_dwarf_attrs attrs = {.encoding = &die->unit->encoding, .none = die->null};
    attrs.values = sim_dwarf_cursor_of(dwarf->sections.info, die->values, die->unit->end);
    if (!die->null)
        attrs.specs = sim_dwarf_cursor_of(dwarf->sections.abbrev, die->abbrev.specs, dwarf->sections.abbrev.size);
    return attrs;
}

sim_dwarf_step sim_dwarf_next_attr(sim_dwarf_attrs *attrs, uint64_t *attr, sim_dwarf_value *value) {
    uint64_t form;
    int64_t implicit;
    if (attrs->none)
        return SIM_DWARF_END;
    if (!next_spec(&attrs->specs, attr, &form, &implicit))
        return attrs->specs.failed ? SIM_DWARF_MALFORMED : SIM_DWARF_END;
    return sim_dwarf_read_value(&attrs->values, attrs->encoding, form, implicit, value) ? SIM_DWARF_ATTR
                                                                                        : SIM_DWARF_MALFORMED;
}

bool sim_dwarf_die_find(const sim_dwarf *dwarf, const sim_dwarf_die *die, uint64_t attr, sim_dwarf_value *value) {
    sim_dwarf_attrs attrs = sim_dwarf_attrs_of(dwarf, die);
    uint64_t found;
    while (sim_dwarf_next_attr(&attrs, &found, value) == SIM_DWARF_ATTR)
        if (found == attr)
            return true;
    return false;
}
