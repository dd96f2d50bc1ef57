/* dwarf_form.h: attribute values (dwarf_form.c). A value is read by its
 * form (DWARF 5 section 7.5.6, and the forms DWARF 4 and GNU tools add),
 * then taken as what an attribute needs: a string, an address, an unsigned
 * constant, a section offset or a reference to a DIE. Strings, addresses
 * and range lists given by index go through the bases their unit names
 * (str_offsets, addr, rnglists). Only the 32-bit DWARF format is read. */
#ifndef SIM_DWARF_FORM_H
#define SIM_DWARF_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_cursor.h"

/* The sections of a module's DWARF that the symbolizer reads. */
typedef struct sim_dwarf_sections {
    sim_dwarf_bytes info, abbrev, str, line_str, str_offsets, addr, line, ranges, rnglists, aranges;
} sim_dwarf_sections;

/* How a unit encodes its values: its header's version and address size,
 * where it starts (references are relative to it), and the bases its unit
 * DIE gives. */
typedef struct sim_dwarf_encoding {
    uint16_t version;
    uint8_t address_size;
    uint64_t unit_offset;
    bool has_str_offsets_base, has_addr_base, has_rnglists_base;
    uint64_t str_offsets_base, addr_base, rnglists_base;
} sim_dwarf_encoding;

/* One attribute's value as its form stored it. */
typedef struct sim_dwarf_value {
    uint64_t form;        /* the form read, after DW_FORM_indirect */
    uint64_t number;      /* constants, offsets, indexes, references, addresses */
    const uint8_t *bytes; /* DW_FORM_string's text, a block's bytes */
    uint64_t size;        /* a block's size */
} sim_dwarf_value;

/* Reads a value of `form` (`implicit` is DW_FORM_implicit_const's value,
 * from the abbreviation). False for a form it does not know, or a value
 * that passes the cursor's end. */
bool sim_dwarf_read_value(sim_dwarf_cursor *cursor, const sim_dwarf_encoding *encoding, uint64_t form, int64_t implicit,
                          sim_dwarf_value *value);
/* The value as a string, or NULL when it is none or cannot be found. */
const char *sim_dwarf_value_string(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding,
                                   const sim_dwarf_value *value);
/* The value as an address (DW_FORM_addr and the addrx forms). */
bool sim_dwarf_value_address(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding,
                             const sim_dwarf_value *value, uint64_t *address);
/* The address at `index` of the unit's .debug_addr entries. */
bool sim_dwarf_indexed_address(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding, uint64_t index,
                               uint64_t *address);
/* The value as an unsigned constant: the data and udata forms,
 * implicit_const and flags; not sdata, whose constants are signed. */
bool sim_dwarf_value_unsigned(const sim_dwarf_value *value, uint64_t *number);
/* The value as an offset into another section (DW_FORM_sec_offset, and
 * data4 and data8 before DWARF 4). */
bool sim_dwarf_value_offset(const sim_dwarf_encoding *encoding, const sim_dwarf_value *value, uint64_t *offset);
/* The value as a reference: the .debug_info offset of the DIE it names
 * (unit-relative forms and DW_FORM_ref_addr). */
bool sim_dwarf_value_reference(const sim_dwarf_encoding *encoding, const sim_dwarf_value *value, uint64_t *offset);

#endif
