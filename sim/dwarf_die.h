/* dwarf_die.h: debugging information entries (dwarf_die.c): a unit's
 * abbreviation table, the DIE at an offset, and its attributes in the
 * order its abbreviation lists them. */
#ifndef SIM_DWARF_DIE_H
#define SIM_DWARF_DIE_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_units.h"

typedef struct sim_dwarf_abbrev {
    uint64_t code, tag;
    bool has_children;
    uint64_t specs; /* its attribute specifications, in .debug_abbrev */
} sim_dwarf_abbrev;

/* An abbreviation table, read only as far as lookups have needed (units
 * may share one: a module linked with LTO shares one among its units).
 * Codes that do not run on by one are looked for one by one, among the
 * first 4,096 declarations only. */
typedef struct sim_dwarf_abbrevs {
    uint64_t offset;         /* in .debug_abbrev */
    sim_dwarf_cursor unread; /* its declarations not read yet */
    bool complete;           /* read to its end, or to a malformed declaration */
    sim_dwarf_abbrev *items;
    int count, cap;
    bool consecutive; /* item i has code items[0].code + i */
} sim_dwarf_abbrevs;

typedef struct sim_dwarf_die {
    sim_dwarf_unit *unit;
    uint64_t offset;         /* in .debug_info */
    bool null;               /* a null entry: the end of a list of children */
    sim_dwarf_abbrev abbrev; /* its declaration, unless it is null */
    uint64_t values;         /* where its attribute values start */
} sim_dwarf_die;

/* Walks a DIE's attributes. */
typedef struct sim_dwarf_attrs {
    const sim_dwarf_encoding *encoding;
    bool none;               /* a null entry's: no attributes */
    sim_dwarf_cursor specs;  /* over .debug_abbrev */
    sim_dwarf_cursor values; /* over the unit's bytes; after the last attribute, at the next DIE */
} sim_dwarf_attrs;

typedef enum sim_dwarf_step { SIM_DWARF_ATTR, SIM_DWARF_END, SIM_DWARF_MALFORMED } sim_dwarf_step;

/* Starts reading the table at `offset` of `section`. */
void sim_dwarf_abbrevs_start(sim_dwarf_abbrevs *abbrevs, sim_dwarf_bytes section, uint64_t offset);
/* The declaration of `code` (the first, when codes repeat), reading the
 * table on as far as it must; NULL when the table, up to its end or a
 * malformed declaration, has none. */
const sim_dwarf_abbrev *sim_dwarf_abbrev_of(sim_dwarf_abbrevs *abbrevs, uint64_t code);
void sim_dwarf_abbrevs_free(sim_dwarf_abbrevs *abbrevs);

/* The DIE at .debug_info `offset` of `unit`. False when the offset is not
 * within the unit's DIEs or its code has no declaration. */
bool sim_dwarf_die_at(sim_dwarf *dwarf, sim_dwarf_unit *unit, uint64_t offset, sim_dwarf_die *die);
sim_dwarf_attrs sim_dwarf_attrs_of(const sim_dwarf *dwarf, const sim_dwarf_die *die);
/* The next attribute and its value. */
sim_dwarf_step sim_dwarf_next_attr(sim_dwarf_attrs *attrs, uint64_t *attr, sim_dwarf_value *value);
/* The value of the DIE's first `attr`; false when it has none or is
 * malformed. */
bool sim_dwarf_die_find(const sim_dwarf *dwarf, const sim_dwarf_die *die, uint64_t attr, sim_dwarf_value *value);

#endif
