/* dwarf_units.h: the units of a module's .debug_info and which one holds
 * an address (dwarf_units.c). Opening reads every unit's header and unit
 * DIE (the bases its values need, its line table, its address ranges);
 * the rest of a unit is read when something asks about it. */
#ifndef SIM_DWARF_UNITS_H
#define SIM_DWARF_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_form.h"

typedef struct sim_dwarf_unit {
    sim_dwarf_encoding encoding;
    uint64_t end;        /* where the next unit starts */
    uint64_t die_offset; /* its unit DIE, after the header */
    uint64_t abbrev_offset;
    bool split;         /* a skeleton whose DIEs are in a .dwo file */
    bool has_stmt_list; /* its line table, in .debug_line */
    uint64_t stmt_list;
    bool has_base_address; /* its DW_AT_low_pc (else DW_AT_entry_pc): range lists' base */
    uint64_t base_address;
    struct sim_dwarf_abbrevs *abbrevs; /* its abbreviations, once a DIE is read (dwarf_die.c) */
} sim_dwarf_unit;

/* Addresses [low, high) that belong to the unit at index `unit`. */
typedef struct sim_dwarf_arange {
    uint64_t low, high;
    int unit;
} sim_dwarf_arange;

typedef struct sim_dwarf {
    sim_dwarf_sections sections;
    sim_dwarf_unit *units; /* in .debug_info order */
    int unit_count;
    sim_dwarf_arange *ranges; /* every unit's, as .debug_aranges or its unit DIE gives them */
    int range_count;
    bool mapped;           /* where units overlap, who gets what (built when first needed): */
    sim_dwarf_arange *map; /* sorted, disjoint */
    int map_count;
    struct sim_dwarf_abbrevs **abbrev_tables; /* the abbreviation tables read (units may share one) */
    int abbrev_table_count, abbrev_table_cap;
} sim_dwarf;

/* Reads the units of `sections` into `dwarf`. False (with nothing to
 * free) when a unit header, a unit DIE or .debug_aranges is malformed or
 * of a kind it does not read (64-bit DWARF, addresses other than 8 bytes). */
bool sim_dwarf_open(sim_dwarf *dwarf, const sim_dwarf_sections *sections);
void sim_dwarf_close(sim_dwarf *dwarf);
/* The unit whose bytes hold .debug_info `offset`, or NULL. */
sim_dwarf_unit *sim_dwarf_unit_at(const sim_dwarf *dwarf, uint64_t offset);
/* The unit that holds `address`, or NULL: by .debug_aranges for the units
 * it lists, by their unit DIE's ranges for the others; where units overlap,
 * as llvm-symbolizer decides. */
sim_dwarf_unit *sim_dwarf_unit_of_address(sim_dwarf *dwarf, uint64_t address);

#endif
