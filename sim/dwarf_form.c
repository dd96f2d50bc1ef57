/* dwarf_form.c: attribute values by form (dwarf_form.h). Offsets into
 * other sections are 4 bytes (the 32-bit format); DW_FORM_ref_addr is an
 * address in DWARF 2 and an offset from DWARF 3 on. */
#include "dwarf_form.h"

#include <stddef.h>

#include "dwarf.h"

enum { OFFSET_SIZE = 4 };

/* A block of `size` bytes: its bytes and size. */
static void read_block(sim_dwarf_cursor *cursor, uint64_t size, sim_dwarf_value *value) {
    value->size = size;
    value->bytes = sim_dwarf_skip(cursor, size);
}

bool sim_dwarf_read_value(sim_dwarf_cursor *cursor, const sim_dwarf_encoding *encoding, uint64_t form, int64_t implicit,
                          sim_dwarf_value *value) {
    /* Each indirection reads a byte at least, so this ends. A form read
     * from the DIE cannot be implicit_const: its value is in the
     * abbreviation. */
    bool indirect = form == DW_FORM_indirect;
    while (form == DW_FORM_indirect && !cursor->failed)
        form = sim_dwarf_read_uleb(cursor);
    *value = (sim_dwarf_value){.form = form};
    if (indirect && form == DW_FORM_implicit_const)
        return false;
    switch (form) {
    case DW_FORM_addr:
        value->number = sim_dwarf_read(cursor, encoding->address_size);
        break;
    case DW_FORM_data1:
    case DW_FORM_ref1:
    case DW_FORM_flag:
    case DW_FORM_strx1:
    case DW_FORM_addrx1:
        value->number = sim_dwarf_read(cursor, 1);
        break;
    case DW_FORM_data2:
    case DW_FORM_ref2:
    case DW_FORM_strx2:
    case DW_FORM_addrx2:
        value->number = sim_dwarf_read(cursor, 2);
        break;
    case DW_FORM_strx3:
    case DW_FORM_addrx3:
        value->number = sim_dwarf_read(cursor, 3);
        break;
    case DW_FORM_data4:
    case DW_FORM_ref4:
    case DW_FORM_ref_sup4:
    case DW_FORM_strx4:
    case DW_FORM_addrx4:
        value->number = sim_dwarf_read(cursor, 4);
        break;
    case DW_FORM_data8:
    case DW_FORM_ref8:
    case DW_FORM_ref_sig8:
    case DW_FORM_ref_sup8:
        value->number = sim_dwarf_read(cursor, 8);
        break;
    case DW_FORM_data16:
        read_block(cursor, 16, value);
        break;
    case DW_FORM_sdata:
        value->number = (uint64_t)sim_dwarf_read_sleb(cursor);
        break;
    case DW_FORM_udata:
    case DW_FORM_ref_udata:
    case DW_FORM_strx:
    case DW_FORM_addrx:
    case DW_FORM_loclistx:
    case DW_FORM_rnglistx:
    case DW_FORM_GNU_addr_index:
    case DW_FORM_GNU_str_index:
        value->number = sim_dwarf_read_uleb(cursor);
        break;
    case DW_FORM_strp:
    case DW_FORM_line_strp:
    case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt:
        value->number = sim_dwarf_read(cursor, OFFSET_SIZE);
        break;
    case DW_FORM_ref_addr:
        value->number = sim_dwarf_read(cursor, encoding->version == 2 ? encoding->address_size : OFFSET_SIZE);
        break;
    case DW_FORM_string:
        value->bytes = (const uint8_t *)sim_dwarf_read_string(cursor);
        break;
    case DW_FORM_block1:
        read_block(cursor, sim_dwarf_read(cursor, 1), value);
        break;
    case DW_FORM_block2:
        read_block(cursor, sim_dwarf_read(cursor, 2), value);
        break;
    case DW_FORM_block4:
        read_block(cursor, sim_dwarf_read(cursor, 4), value);
        break;
    case DW_FORM_block:
    case DW_FORM_exprloc:
        read_block(cursor, sim_dwarf_read_uleb(cursor), value);
        break;
    case DW_FORM_flag_present:
        value->number = 1;
        break;
    case DW_FORM_implicit_const:
        value->number = (uint64_t)implicit;
        break;
    default:
        return false;
    }
    return !cursor->failed;
}

const char *sim_dwarf_value_string(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding,
                                   const sim_dwarf_value *value) {
    uint64_t offset;
    switch (value->form) {
    case DW_FORM_string:
        return (const char *)value->bytes;
    case DW_FORM_strp:
        return sim_dwarf_string_at(sections->str, value->number);
    case DW_FORM_line_strp:
        return sim_dwarf_string_at(sections->line_str, value->number);
    case DW_FORM_strx:
    case DW_FORM_strx1:
    case DW_FORM_strx2:
    case DW_FORM_strx3:
    case DW_FORM_strx4:
    case DW_FORM_GNU_str_index:
        if (!encoding->has_str_offsets_base || !sim_dwarf_table_entry(sections->str_offsets, encoding->str_offsets_base,
                                                                      value->number, OFFSET_SIZE, &offset))
            return NULL;
        return sim_dwarf_string_at(sections->str, offset);
    default:
        return NULL;
    }
}

bool sim_dwarf_indexed_address(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding, uint64_t index,
                               uint64_t *address) {
    return encoding->has_addr_base &&
           sim_dwarf_table_entry(sections->addr, encoding->addr_base, index, encoding->address_size, address);
}

bool sim_dwarf_value_address(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding,
                             const sim_dwarf_value *value, uint64_t *address) {
    switch (value->form) {
    case DW_FORM_addr:
        *address = value->number;
        return true;
    case DW_FORM_addrx:
    case DW_FORM_addrx1:
    case DW_FORM_addrx2:
    case DW_FORM_addrx3:
    case DW_FORM_addrx4:
    case DW_FORM_GNU_addr_index:
        return sim_dwarf_indexed_address(sections, encoding, value->number, address);
    default:
        return false;
    }
}

bool sim_dwarf_value_unsigned(const sim_dwarf_value *value, uint64_t *number) {
    switch (value->form) {
    case DW_FORM_data1:
    case DW_FORM_data2:
    case DW_FORM_data4:
    case DW_FORM_data8:
    case DW_FORM_udata:
    case DW_FORM_implicit_const:
    case DW_FORM_flag:
    case DW_FORM_flag_present:
        *number = value->number;
        return true;
    default:
        return false;
    }
}

bool sim_dwarf_value_offset(const sim_dwarf_encoding *encoding, const sim_dwarf_value *value, uint64_t *offset) {
    bool old_offset = encoding->version <= 3 && (value->form == DW_FORM_data4 || value->form == DW_FORM_data8);
    if (value->form != DW_FORM_sec_offset && !old_offset)
        return false;
    *offset = value->number;
    return true;
}

bool sim_dwarf_value_reference(const sim_dwarf_encoding *encoding, const sim_dwarf_value *value, uint64_t *offset) {
    switch (value->form) {
    case DW_FORM_ref1:
    case DW_FORM_ref2:
    case DW_FORM_ref4:
    case DW_FORM_ref8:
    case DW_FORM_ref_udata:
        if (value->number > UINT64_MAX - encoding->unit_offset)
            return false;
        *offset = encoding->unit_offset + value->number;
        return true;
    case DW_FORM_ref_addr:
        *offset = value->number;
        return true;
    default:
        return false;
    }
}
