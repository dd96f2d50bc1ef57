/* dwarf_ranges.h: the addresses a DIE covers (dwarf_ranges.c): one range
 * from DW_AT_low_pc and DW_AT_high_pc (an address, or an offset from the
 * low one), else the list DW_AT_ranges names, in .debug_rnglists (DWARF 5)
 * or .debug_ranges (DWARF 4). */
#ifndef SIM_DWARF_RANGES_H
#define SIM_DWARF_RANGES_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_units.h"

/* The attributes that give a DIE's addresses, as a walk of its attributes
 * meets them (the first of each). */
typedef struct sim_dwarf_pc_attrs {
    bool has_low, has_high, has_ranges;
    sim_dwarf_value low, high, ranges;
} sim_dwarf_pc_attrs;

typedef struct sim_dwarf_range {
    uint64_t low, high; /* [low, high); as the DWARF says, so high may not exceed low */
} sim_dwarf_range;

typedef struct sim_dwarf_ranges {
    sim_dwarf_range *items;
    int count, cap;
} sim_dwarf_ranges;

/* Keeps `value` when `attr` is one of the three and the first of its kind. */
void sim_dwarf_note_pc_attr(sim_dwarf_pc_attrs *pc, uint64_t attr, const sim_dwarf_value *value);
/* Replaces `ranges`' items with the ranges of a DIE of `unit` with
 * attributes `pc` (none when it has neither). False when its range list
 * is malformed or names an address that is not there. */
bool sim_dwarf_ranges_of(const sim_dwarf *dwarf, const sim_dwarf_unit *unit, const sim_dwarf_pc_attrs *pc,
                         sim_dwarf_ranges *ranges);
void sim_dwarf_ranges_free(sim_dwarf_ranges *ranges);
/* How many ranges DIEs in `size` bytes may have in all: far more than any
 * compiler writes, few enough to read in bounded time when a file makes
 * many DIEs share one long list. */
uint64_t sim_dwarf_ranges_max(uint64_t size);

#endif
