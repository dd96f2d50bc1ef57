/* test_debuginfo.c: the in-process symbolizer's readers, on hand-made bytes.
 * LEB128 at its limits (the standard's examples, 64 bits exactly, padding,
 * overflow, truncation); attribute values by form (strx through the string
 * offsets table, addrx, implicit_const, indirect, blocks) and what each form
 * may be taken as; abbreviation tables (codes in order and not, repeats, a
 * malformed declaration); line-number programs with DWARF 4 and DWARF 5
 * headers (special opcodes, advance_pc, const_add_pc, fixed_advance_pc,
 * advance_line, set_file, end_sequence, skipped opcodes, define_file),
 * sequences whose order llvm-symbolizer leaves to its sort, file names as
 * llvm-symbolizer --relativenames prints them, and malformed or truncated
 * tables, which give no answer; a unit with an inlined call, whose chain and
 * names follow DW_AT_abstract_origin; overlapping units. The real binaries are compared with
 * llvm-symbolizer by tests/symbolize.sh, which runs `tests --symbolize
 * MODULE`: the addresses on stdin answered as llvm-symbolizer prints them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "debuginfo.h"
#include "dwarf.h"
#include "dwarf_die.h"
#include "dwarf_inline.h"
#include "dwarf_line.h"
#include "dwarf_units.h"

/* ---- LEB128 ---------------------------------------------------------------------- */

static const struct {
    const char *what;
    uint8_t bytes[12];
    int size;
    bool fails;
    uint64_t value;
} ulebs[] = {
    {"2 (the standard's example)", {0x02}, 1, false, 2},
    {"127", {0x7f}, 1, false, 127},
    {"128", {0x80, 0x01}, 2, false, 128},
    {"129", {0x81, 0x01}, 2, false, 129},
    {"12857", {0xb9, 0x64}, 2, false, 12857},
    {"0 padded with empty groups", {0x80, 0x80, 0x80, 0x00}, 4, false, 0},
    {"the largest", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 10, false, UINT64_MAX},
    {"one bit past 64", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 10, true, 0},
    {"empty groups past 64 bits", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 11, false, 0},
    {"a bit past 70", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 11, true, 0},
    {"cut off", {0x80}, 1, true, 0},
    {"no bytes", {0}, 0, true, 0},
};

static const struct {
    const char *what;
    uint8_t bytes[12];
    int size;
    bool fails;
    int64_t value;
} slebs[] = {
    {"2 (the standard's example)", {0x02}, 1, false, 2},
    {"-2", {0x7e}, 1, false, -2},
    {"127", {0xff, 0x00}, 2, false, 127},
    {"-127", {0x81, 0x7f}, 2, false, -127},
    {"128", {0x80, 0x01}, 2, false, 128},
    {"-128", {0x80, 0x7f}, 2, false, -128},
    {"-129", {0xff, 0x7e}, 2, false, -129},
    {"63", {0x3f}, 1, false, 63},
    {"-64", {0x40}, 1, false, -64},
    {"the largest", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 10, false, INT64_MAX},
    {"the smallest", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 10, false, INT64_MIN},
    {"-1 padded", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 11, false, -1},
    {"2^63, past the largest", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 10, true, 0},
    {"below the smallest", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e}, 10, true, 0},
    {"cut off", {0xff}, 1, true, 0},
};

static sim_dwarf_cursor cursor_over(const uint8_t *bytes, size_t size) {
    return sim_dwarf_cursor_of((sim_dwarf_bytes){bytes, size}, 0, size);
}

TEST(dwarf_leb128_decodes_the_standards_examples_and_refuses_what_passes_64_bits_or_the_end) {
    for (size_t i = 0; i < sizeof ulebs / sizeof ulebs[0]; i++) {
        sim_dwarf_cursor cursor = cursor_over(ulebs[i].bytes, (size_t)ulebs[i].size);
        uint64_t value = sim_dwarf_read_uleb(&cursor);
        if (cursor.failed != ulebs[i].fails || (!cursor.failed && (value != ulebs[i].value || cursor.at != cursor.end)))
            test_fail(__FILE__, __LINE__, "ULEB %s: %s, %" PRIu64 " after %" PRIu64 " bytes", ulebs[i].what,
                      cursor.failed ? "failed" : "read", value, cursor.at);
    }
    for (size_t i = 0; i < sizeof slebs / sizeof slebs[0]; i++) {
        sim_dwarf_cursor cursor = cursor_over(slebs[i].bytes, (size_t)slebs[i].size);
        int64_t value = sim_dwarf_read_sleb(&cursor);
        if (cursor.failed != slebs[i].fails || (!cursor.failed && (value != slebs[i].value || cursor.at != cursor.end)))
            test_fail(__FILE__, __LINE__, "SLEB %s: %s, %" PRId64 " after %" PRIu64 " bytes", slebs[i].what,
                      cursor.failed ? "failed" : "read", value, cursor.at);
    }
    /* A failed cursor stays failed and reads zeros. */
    static const uint8_t one[] = {0x05};
    sim_dwarf_cursor cursor = cursor_over(one, 0);
    sim_dwarf_read(&cursor, 1);
    cursor.end = 1;
    CHECK(sim_dwarf_read_uleb(&cursor) == 0 && cursor.failed);
}

/* ---- attribute values --------------------------------------------------------------- */

/* .debug_str, .debug_line_str, a string offsets table at 8 naming "main"
 * and "helper", an address table at 8 with 0x1000 and 0x2000. */
static const uint8_t str[] = "\0main\0helper";
static const uint8_t line_str[] = "\0dir";
static const uint8_t str_offsets[] = {12, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0};
static const uint8_t addr[] = {20, 0, 0, 0, 5, 0, 8, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0};

static sim_dwarf_sections value_sections(void) {
    return (sim_dwarf_sections){.str = {str, sizeof str},
                                .line_str = {line_str, sizeof line_str},
                                .str_offsets = {str_offsets, sizeof str_offsets},
                                .addr = {addr, sizeof addr}};
}

static const sim_dwarf_encoding v5 = {.version = 5,
                                      .address_size = 8,
                                      .unit_offset = 0x100,
                                      .has_str_offsets_base = true,
                                      .has_addr_base = true,
                                      .str_offsets_base = 8,
                                      .addr_base = 8};

static const struct {
    const char *what;
    uint64_t form;
    int64_t implicit;
    uint8_t bytes[20];
    int size;
    bool reads;
    uint64_t number;
    int consumed;
} forms[] = {
    {"data1", DW_FORM_data1, 0, {0x2a}, 1, true, 42, 1},
    {"data2, little-endian", DW_FORM_data2, 0, {0x34, 0x12}, 2, true, 0x1234, 2},
    {"data4", DW_FORM_data4, 0, {0x78, 0x56, 0x34, 0x12}, 4, true, 0x12345678, 4},
    {"data8", DW_FORM_data8, 0, {1, 0, 0, 0, 0, 0, 0, 0x80}, 8, true, 0x8000000000000001, 8},
    {"sdata", DW_FORM_sdata, 0, {0x7f}, 1, true, UINT64_MAX, 1},
    {"udata", DW_FORM_udata, 0, {0xb9, 0x64}, 2, true, 12857, 2},
    {"strx3", DW_FORM_strx3, 0, {1, 2, 3}, 3, true, 0x030201, 3},
    {"addrx4", DW_FORM_addrx4, 0, {1, 0, 0, 0}, 4, true, 1, 4},
    {"sec_offset, 4 bytes", DW_FORM_sec_offset, 0, {8, 0, 0, 0, 0xff}, 5, true, 8, 4},
    {"ref_addr in DWARF 5, 4 bytes", DW_FORM_ref_addr, 0, {0x10, 0, 0, 0}, 4, true, 0x10, 4},
    {"flag_present, no bytes", DW_FORM_flag_present, 0, {0}, 0, true, 1, 0},
    {"implicit_const, from the abbreviation", DW_FORM_implicit_const, -7, {0}, 0, true, (uint64_t)-7, 0},
    {"indirect to data1", DW_FORM_indirect, 0, {DW_FORM_data1, 5}, 2, true, 5, 2},
    {"indirect to implicit_const", DW_FORM_indirect, 3, {DW_FORM_implicit_const}, 1, false, 0, 0},
    {"block1", DW_FORM_block1, 0, {2, 0xaa, 0xbb}, 3, true, 0, 3},
    {"exprloc", DW_FORM_exprloc, 0, {1, 0x9c}, 2, true, 0, 2},
    {"data16", DW_FORM_data16, 0, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 16, true, 0, 16},
    {"string", DW_FORM_string, 0, {'a', 'b', 0}, 3, true, 0, 3},
    {"string without its NUL", DW_FORM_string, 0, {'a', 'b'}, 2, false, 0, 0},
    {"block1 longer than what is left", DW_FORM_block1, 0, {5, 0xaa}, 2, false, 0, 0},
    {"data4 cut off", DW_FORM_data4, 0, {1, 2}, 2, false, 0, 0},
    {"a form no standard has", 0x7f, 0, {1}, 1, false, 0, 0},
};

TEST(dwarf_values_are_read_by_form_and_a_value_past_the_end_or_of_an_unknown_form_is_refused) {
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        sim_dwarf_cursor cursor = cursor_over(forms[i].bytes, (size_t)forms[i].size);
        sim_dwarf_value value;
        bool reads = sim_dwarf_read_value(&cursor, &v5, forms[i].form, forms[i].implicit, &value);
        if (reads != forms[i].reads ||
            (reads && (value.number != forms[i].number || cursor.at != (uint64_t)forms[i].consumed)))
            test_fail(__FILE__, __LINE__, "%s: %s, %#" PRIx64 " after %" PRIu64 " bytes", forms[i].what,
                      reads ? "read" : "refused", value.number, cursor.at);
    }
}

/* The value of `form` read from `bytes`. */
static sim_dwarf_value value_of(uint64_t form, const uint8_t *bytes, size_t size) {
    sim_dwarf_cursor cursor = cursor_over(bytes, size);
    sim_dwarf_value value = {0};
    CHECK(sim_dwarf_read_value(&cursor, &v5, form, 0, &value));
    return value;
}

static const char *string_of(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding, uint64_t form,
                             const uint8_t *bytes, size_t size) {
    sim_dwarf_value value = value_of(form, bytes, size);
    return sim_dwarf_value_string(sections, encoding, &value);
}

static bool same(const char *text, const char *expected) { return text != NULL && strcmp(text, expected) == 0; }

static const uint8_t index0[] = {0}, index1[] = {1}, index2[] = {2}, offset1[] = {1, 0, 0, 0}, offset4[] = {4, 0, 0, 0},
                     offset6[] = {6, 0, 0, 0}, offset100[] = {100, 0, 0, 0};

TEST(dwarf_strings_come_inline_by_offset_or_by_index_through_the_units_string_offsets) {
    sim_dwarf_sections sections = value_sections();
    sim_dwarf_encoding without_base = v5;
    without_base.has_str_offsets_base = false;
    static const uint8_t text[] = "inline";
    CHECK(same(string_of(&sections, &v5, DW_FORM_strp, offset6, 4), "helper"));
    CHECK(string_of(&sections, &v5, DW_FORM_strp, offset100, 4) == NULL);
    CHECK(same(string_of(&sections, &v5, DW_FORM_line_strp, offset1, 4), "dir"));
    CHECK(same(string_of(&sections, &v5, DW_FORM_strx1, index1, 1), "helper"));
    CHECK(same(string_of(&sections, &v5, DW_FORM_strx, index0, 1), "main"));
    CHECK(same(string_of(&sections, &v5, DW_FORM_string, text, sizeof text), "inline"));
    CHECK(string_of(&sections, &v5, DW_FORM_data1, index1, 1) == NULL);
    /* Past the table, and without the unit's base: none. */
    CHECK(string_of(&sections, &v5, DW_FORM_strx1, index2, 1) == NULL);
    CHECK(string_of(&sections, &without_base, DW_FORM_strx1, index1, 1) == NULL);
    /* A string not terminated before its section ends: none. */
    sections.str = (sim_dwarf_bytes){str, sizeof str - 1};
    CHECK(string_of(&sections, &v5, DW_FORM_strp, offset6, 4) == NULL);
}

TEST(dwarf_addresses_constants_offsets_and_references_come_only_from_their_forms) {
    sim_dwarf_sections sections = value_sections();
    sim_dwarf_encoding v3 = v5, high = v5;
    v3.version = 3;
    high.unit_offset = UINT64_MAX - 2;
    sim_dwarf_value addrx = value_of(DW_FORM_addrx, index1, 1), addrx1 = value_of(DW_FORM_addrx1, index0, 1),
                    past = value_of(DW_FORM_addrx1, index2, 1), data1 = value_of(DW_FORM_data1, index1, 1),
                    data4 = value_of(DW_FORM_data4, offset4, 4), flag = value_of(DW_FORM_flag, index1, 1),
                    sdata = value_of(DW_FORM_sdata, index1, 1), strx1 = value_of(DW_FORM_strx1, index1, 1),
                    sec_offset = value_of(DW_FORM_sec_offset, offset4, 4), ref4 = value_of(DW_FORM_ref4, offset4, 4),
                    ref_addr = value_of(DW_FORM_ref_addr, offset4, 4);
    uint64_t number = 0;
    CHECK(sim_dwarf_value_address(&sections, &v5, &addrx, &number) && number == 0x2000);
    CHECK(sim_dwarf_value_address(&sections, &v5, &addrx1, &number) && number == 0x1000);
    CHECK(!sim_dwarf_value_address(&sections, &v5, &past, &number));
    CHECK(!sim_dwarf_value_address(&sections, &v5, &data1, &number));
    CHECK(sim_dwarf_value_unsigned(&data4, &number) && number == 4);
    CHECK(sim_dwarf_value_unsigned(&flag, &number) && number == 1);
    CHECK(!sim_dwarf_value_unsigned(&sdata, &number));
    CHECK(!sim_dwarf_value_unsigned(&strx1, &number));
    CHECK(sim_dwarf_value_offset(&v5, &sec_offset, &number) && number == 4);
    CHECK(!sim_dwarf_value_offset(&v5, &data4, &number));
    CHECK(sim_dwarf_value_offset(&v3, &data4, &number) && number == 4);
    CHECK(sim_dwarf_value_reference(&v5, &ref4, &number) && number == 0x104);
    CHECK(sim_dwarf_value_reference(&v5, &ref_addr, &number) && number == 4);
    CHECK(!sim_dwarf_value_reference(&v5, &data4, &number));
    CHECK(!sim_dwarf_value_reference(&high, &ref4, &number));
}

/* ---- abbreviation tables ------------------------------------------------------------ */

TEST(dwarf_abbreviations_are_found_by_code_the_first_of_repeats_up_to_a_malformed_declaration) {
    static const uint8_t in_order[] = {1,
                                       0x11,
                                       1,
                                       DW_AT_name,
                                       DW_FORM_string,
                                       DW_AT_low_pc,
                                       DW_FORM_addr,
                                       0,
                                       0, /* 1: a unit, children */
                                       2,
                                       0x2e,
                                       0,
                                       DW_AT_call_file,
                                       DW_FORM_implicit_const,
                                       0x7d,
                                       0,
                                       0, /* 2: implicit -3 */
                                       3,
                                       0x1d,
                                       0,
                                       0,
                                       0, /* 3 */
                                       0};
    static const uint8_t out_of_order[] = {5, 0x2e, 0, 0,          0,       /* 5 */
                                           3, 0x1d, 0, 0,          0,       /* 3 */
                                           5, 0x11, 1, 0,          0,       /* 5 again: the first one counts */
                                           7, 0x2e, 0, DW_AT_name, 0, 0, 0, /* malformed: an attribute without a form */
                                           8, 0x2e, 0, 0,          0, 0};   /* after it: not read */
    sim_dwarf_abbrevs abbrevs;
    sim_dwarf_abbrevs_start(&abbrevs, (sim_dwarf_bytes){in_order, sizeof in_order}, 0);
    const sim_dwarf_abbrev *found = sim_dwarf_abbrev_of(&abbrevs, 3);
    CHECK(found != NULL && found->tag == 0x1d && !found->has_children && abbrevs.consecutive);
    found = sim_dwarf_abbrev_of(&abbrevs, 1);
    CHECK(found != NULL && found->tag == 0x11 && found->has_children && found->specs == 3);
    found = sim_dwarf_abbrev_of(&abbrevs, 2);
    CHECK(found != NULL && found->specs == 12);
    CHECK(sim_dwarf_abbrev_of(&abbrevs, 4) == NULL && sim_dwarf_abbrev_of(&abbrevs, 0) == NULL && abbrevs.complete);
    sim_dwarf_abbrevs_free(&abbrevs);

    sim_dwarf_abbrevs_start(&abbrevs, (sim_dwarf_bytes){out_of_order, sizeof out_of_order}, 0);
    found = sim_dwarf_abbrev_of(&abbrevs, 5);
    CHECK(found != NULL && found->tag == 0x2e);
    found = sim_dwarf_abbrev_of(&abbrevs, 3);
    CHECK(found != NULL && found->tag == 0x1d);
    CHECK(sim_dwarf_abbrev_of(&abbrevs, 8) == NULL && abbrevs.count == 3 && !abbrevs.consecutive);
    found = sim_dwarf_abbrev_of(&abbrevs, 5);
    CHECK(found != NULL && found->tag == 0x2e);
    sim_dwarf_abbrevs_free(&abbrevs);

    /* Cut off inside its specifications: no declaration at all. */
    sim_dwarf_abbrevs_start(&abbrevs, (sim_dwarf_bytes){in_order, 5}, 0);
    CHECK(sim_dwarf_abbrev_of(&abbrevs, 1) == NULL);
    sim_dwarf_abbrevs_free(&abbrevs);
}

/* ---- byte strings for the tests below ------------------------------------------------ */

typedef struct bytes {
    uint8_t data[1024];
    size_t size;
} bytes;

static void put(bytes *out, uint64_t value, int size) {
    for (int i = 0; i < size; i++)
        out->data[out->size++] = (uint8_t)(value >> (8 * i));
}

static void put_uleb(bytes *out, uint64_t value) {
    do {
        uint8_t byte = value & 0x7f;
        value >>= 7;
        out->data[out->size++] = (uint8_t)(byte | (value != 0 ? 0x80 : 0));
    } while (value != 0);
}

static void put_bytes(bytes *out, const void *data, size_t size) {
    memcpy(out->data + out->size, data, size);
    out->size += size;
}

static void put_string(bytes *out, const char *text) { put_bytes(out, text, strlen(text) + 1); }

/* ---- line tables ------------------------------------------------------------------------ */

/* What a test table's header says; line_header_of gives the usual one. */
typedef struct line_header {
    int version, min_length, max_ops, line_range, opcode_base, address_size;
    int advance_pc_operands; /* standard_opcode_lengths[DW_LNS_advance_pc] */
    int directory_paths;     /* DWARF 5: DW_LNCT_path fields of a directory */
    bool files_of_no_bytes;  /* DWARF 5: a file format of no fields, and 1000 files */
} line_header;

static line_header line_header_of(int version) {
    return (line_header){.version = version,
                         .min_length = 1,
                         .max_ops = 1,
                         .line_range = 14,
                         .opcode_base = 13,
                         .address_size = 8,
                         .advance_pc_operands = 1,
                         .directory_paths = 1};
}

/* The test tables' directories and files. DWARF 5 counts both from 0,
 * directory 0 being the compilation directory; before it, from 1. */
static const char *const directories[] = {"/comp", "include", "/usr/include/"};
static const struct {
    const char *name;
    int directory;
} files[] = {{"main.c", 0}, {"util.h", 1}, {"/abs/x.h", 1}, {"stdio.h", 2}, {"z.h", 9}};

/* A line table: `header`, the test's directories and files, `program`. */
static bytes line_table(const line_header *header, const uint8_t *program, size_t program_size) {
    static const uint8_t operands[] = {0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}; /* by opcode */
    bytes fields = {0}, table = {0};
    put(&fields, (uint64_t)header->min_length, 1);
    if (header->version >= 4)
        put(&fields, (uint64_t)header->max_ops, 1);
    put(&fields, 1, 1);           /* default_is_stmt */
    put(&fields, (uint8_t)-5, 1); /* line_base */
    put(&fields, (uint64_t)header->line_range, 1);
    put(&fields, (uint64_t)header->opcode_base, 1);
    for (int opcode = 1; opcode < header->opcode_base; opcode++)
        put(&fields,
            opcode == DW_LNS_advance_pc ? (uint64_t)header->advance_pc_operands
            : opcode <= 12              ? operands[opcode]
                                        : 0,
            1);
    if (header->version >= 5) {
        put(&fields, (uint64_t)header->directory_paths, 1);
        for (int i = 0; i < header->directory_paths; i++) {
            put_uleb(&fields, DW_LNCT_path);
            put_uleb(&fields, DW_FORM_string);
        }
        put_uleb(&fields, 3);
        for (int d = 0; d < 3; d++)
            for (int i = 0; i < header->directory_paths; i++)
                put_string(&fields, directories[d]);
        if (header->files_of_no_bytes) {
            put(&fields, 0, 1);
            put_uleb(&fields, 1000);
        } else {
            put(&fields, 2, 1);
            put_uleb(&fields, DW_LNCT_path);
            put_uleb(&fields, DW_FORM_string);
            put_uleb(&fields, DW_LNCT_directory_index);
            put_uleb(&fields, DW_FORM_udata);
            put_uleb(&fields, 5);
            for (int f = 0; f < 5; f++) {
                put_string(&fields, files[f].name);
                put_uleb(&fields, (uint64_t)files[f].directory);
            }
        }
    } else {
        for (int d = 1; d < 3; d++) /* directory 0 is implied */
            put_string(&fields, directories[d]);
        put(&fields, 0, 1);
        for (int f = 0; f < 5; f++) {
            put_string(&fields, files[f].name);
            put_uleb(&fields, (uint64_t)files[f].directory);
            put_uleb(&fields, 0); /* time */
            put_uleb(&fields, 0); /* length */
        }
        put(&fields, 0, 1);
    }
    put(&table, 0, 4); /* the unit length, below */
    put(&table, (uint64_t)header->version, 2);
    if (header->version >= 5) {
        put(&table, (uint64_t)header->address_size, 1);
        put(&table, 0, 1); /* segment selector size */
    }
    put(&table, fields.size, 4);
    put_bytes(&table, fields.data, fields.size);
    put_bytes(&table, program, program_size);
    uint64_t length = table.size - 4;
    memcpy(table.data, &(uint32_t){(uint32_t)length}, 4);
    return table;
}

static bool read_lines(const bytes *table, sim_dwarf_lines *lines) {
    sim_dwarf_sections sections = {.line = {table->data, table->size}};
    return sim_dwarf_lines_read(&sections, &v5, 0, lines);
}

/* Opcodes, as bytes (addresses below 2^24, small operands). */
#define SET_ADDRESS(a) 0, 9, DW_LNE_set_address, (a)&0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, 0, 0, 0, 0, 0
#define END_SEQUENCE 0, 1, DW_LNE_end_sequence
#define SPECIAL(address_advance, line_advance) (13 + ((line_advance) + 5) + 14 * (address_advance))
#define ADVANCE_LINE(n) DW_LNS_advance_line, ((n)&0x7f)
#define FIXED_ADVANCE_PC(n) DW_LNS_fixed_advance_pc, ((n)&0xff), ((n) >> 8)

static const uint8_t special[] = {SET_ADDRESS(0x1000), SPECIAL(0, 1), SPECIAL(2, 3), DW_LNS_advance_pc, 6,
                                  END_SEQUENCE};
static const uint8_t advance_pc[] = {SET_ADDRESS(0x2000), DW_LNS_copy, DW_LNS_advance_pc, 3,
                                     ADVANCE_LINE(10),    DW_LNS_copy, DW_LNS_advance_pc, 1,
                                     END_SEQUENCE};
static const uint8_t const_add_pc[] = {
    SET_ADDRESS(0x3000),     DW_LNS_copy,     DW_LNS_const_add_pc, DW_LNS_set_column, 7, DW_LNS_copy,
    FIXED_ADVANCE_PC(0x100), ADVANCE_LINE(2), DW_LNS_copy,         DW_LNS_advance_pc, 1, END_SEQUENCE};
static const uint8_t const_add_pc_by_4[] = {SET_ADDRESS(0x3000), DW_LNS_copy, DW_LNS_const_add_pc, FIXED_ADVANCE_PC(2),
                                            ADVANCE_LINE(1),     DW_LNS_copy, DW_LNS_advance_pc,   1,
                                            END_SEQUENCE};
static const uint8_t set_file[] = {SET_ADDRESS(0x4000), DW_LNS_set_file,   2, ADVANCE_LINE(-3),
                                   DW_LNS_copy,         DW_LNS_advance_pc, 4, END_SEQUENCE};
static const uint8_t two_sequences[] = {
    SET_ADDRESS(0x6000), ADVANCE_LINE(5), DW_LNS_copy, DW_LNS_advance_pc, 16, END_SEQUENCE,
    SET_ADDRESS(0x5000), ADVANCE_LINE(9), DW_LNS_copy, DW_LNS_advance_pc, 8,  END_SEQUENCE};
static const uint8_t no_sequences[] = {SET_ADDRESS(0x7000), DW_LNS_copy, END_SEQUENCE, SET_ADDRESS(0x8000), DW_LNS_copy,
                                       DW_LNS_advance_pc,   4,           DW_LNS_copy};
static const uint8_t skipped[] = {SET_ADDRESS(0x9000),
                                  DW_LNS_negate_stmt,
                                  DW_LNS_set_basic_block,
                                  DW_LNS_set_prologue_end,
                                  DW_LNS_set_epilogue_begin,
                                  DW_LNS_set_isa,
                                  1,
                                  0,
                                  2,
                                  DW_LNE_set_discriminator,
                                  5,
                                  0,
                                  3,
                                  0x80,
                                  0xaa,
                                  0xbb, /* an extended opcode it does not know */
                                  SPECIAL(0, 1),
                                  DW_LNS_advance_pc,
                                  2,
                                  END_SEQUENCE};
static const uint8_t define_file[] = {
    SET_ADDRESS(0xa000), 0, 11,          DW_LNE_define_file, 'l', 'a',         't', 'e', '.', 'c', 0, 1, 0, 0,
    DW_LNS_set_file,     6, DW_LNS_copy, DW_LNS_advance_pc,  1,   END_SEQUENCE};
static const uint8_t short_base[] = {SET_ADDRESS(0xc000), ADVANCE_LINE(10), 10, DW_LNS_advance_pc, 1, END_SEQUENCE};

typedef struct row_expected {
    uint64_t address;
    bool found;
    uint32_t line;
    uint16_t column, file;
} row_expected;

static const struct {
    const char *what;
    int version, min_length, opcode_base;
    const uint8_t *program;
    size_t size;
    row_expected rows[6];
} programs[] = {
    {"special opcodes",
     5,
     1,
     13,
     special,
     sizeof special,
     {{0xfff, false, 0, 0, 0},
      {0x1000, true, 2, 0, 1},
      {0x1001, true, 2, 0, 1},
      {0x1002, true, 5, 0, 1},
      {0x1007, true, 5, 0, 1},
      {0x1008, false, 0, 0, 0}}},
    {"advance_pc counts instructions of min_inst_length bytes",
     4,
     4,
     13,
     advance_pc,
     sizeof advance_pc,
     {{0x200b, true, 1, 0, 1}, {0x200c, true, 11, 0, 1}, {0x200f, true, 11, 0, 1}, {0x2010, false, 0, 0, 0}}},
    {"const_add_pc, set_column, fixed_advance_pc",
     5,
     1,
     13,
     const_add_pc,
     sizeof const_add_pc,
     {{0x3010, true, 1, 0, 1},
      {0x3011, true, 1, 7, 1},
      {0x3110, true, 1, 7, 1},
      {0x3111, true, 3, 7, 1},
      {0x3112, false, 0, 0, 0}}},
    {"const_add_pc counts instructions, fixed_advance_pc bytes",
     4,
     4,
     13,
     const_add_pc_by_4,
     sizeof const_add_pc_by_4,
     {{0x3045, true, 1, 0, 1}, {0x3046, true, 2, 0, 1}, {0x3049, true, 2, 0, 1}, {0x304a, false, 0, 0, 0}}},
    {"set_file, and a line that wraps below 1 as llvm-symbolizer's does",
     4,
     1,
     13,
     set_file,
     sizeof set_file,
     {{0x4000, true, 4294967294u, 0, 2}, {0x4003, true, 4294967294u, 0, 2}, {0x4004, false, 0, 0, 0}}},
    {"sequences out of address order",
     5,
     1,
     13,
     two_sequences,
     sizeof two_sequences,
     {{0x5004, true, 10, 0, 1}, {0x6008, true, 6, 0, 1}, {0x5008, false, 0, 0, 0}, {0x6010, false, 0, 0, 0}}},
    {"a sequence ending where it starts, and rows no end_sequence ends, cover nothing",
     5,
     1,
     13,
     no_sequences,
     sizeof no_sequences,
     {{0x7000, false, 0, 0, 0}, {0x8000, false, 0, 0, 0}, {0x8002, false, 0, 0, 0}}},
    {"flags, set_isa, set_discriminator and unknown extended opcodes are stepped over",
     5,
     1,
     13,
     skipped,
     sizeof skipped,
     {{0x9001, true, 2, 0, 1}, {0x9002, false, 0, 0, 0}}},
    {"define_file", 4, 1, 13, define_file, sizeof define_file, {{0xa000, true, 1, 0, 6}}},
    {"opcode_base 10: opcode 10 is special", 5, 1, 10, short_base, sizeof short_base, {{0xc000, true, 6, 0, 1}}},
};

TEST(dwarf_line_programs_give_the_row_of_each_address_in_dwarf_4_and_5) {
    for (size_t p = 0; p < sizeof programs / sizeof programs[0]; p++) {
        line_header header = line_header_of(programs[p].version);
        header.min_length = programs[p].min_length;
        header.opcode_base = programs[p].opcode_base;
        bytes table = line_table(&header, programs[p].program, programs[p].size);
        sim_dwarf_lines lines;
        if (!read_lines(&table, &lines)) {
            test_fail(__FILE__, __LINE__, "%s: not read", programs[p].what);
            continue;
        }
        for (int r = 0; r < 6 && programs[p].rows[r].address != 0; r++) {
            const row_expected *expected = &programs[p].rows[r];
            const sim_dwarf_row *row;
            if (!sim_dwarf_lines_row(&lines, expected->address, &row) || (row != NULL) != expected->found ||
                (row != NULL &&
                 (row->line != expected->line || row->column != expected->column || row->file != expected->file)))
                test_fail(__FILE__, __LINE__, "%s: at %#" PRIx64 ": %s line %u column %u file %u", programs[p].what,
                          expected->address, row != NULL ? "a row," : "no row", row != NULL ? row->line : 0,
                          row != NULL ? row->column : 0, row != NULL ? row->file : 0);
        }
        sim_dwarf_lines_free(&lines);
    }
}

static const uint8_t tied[] = {SET_ADDRESS(0x100),  DW_LNS_copy, DW_LNS_advance_pc, 0x10, END_SEQUENCE,
                               SET_ADDRESS(0x100),  DW_LNS_copy, DW_LNS_advance_pc, 0x20, END_SEQUENCE,
                               SET_ADDRESS(0x1000), DW_LNS_copy, DW_LNS_advance_pc, 0x10, END_SEQUENCE};

TEST(dwarf_line_rows_that_depend_on_how_llvm_symbolizer_sorts_tied_sequences_are_no_answer) {
    line_header header = line_header_of(5);
    bytes table = line_table(&header, tied, sizeof tied);
    sim_dwarf_lines lines;
    const sim_dwarf_row *row;
    CHECK(read_lines(&table, &lines));
    CHECK(!sim_dwarf_lines_row(&lines, 0x105, &row)); /* both tied sequences hold it */
    CHECK(!sim_dwarf_lines_row(&lines, 0x115, &row)); /* one ends before it, one after */
    CHECK(sim_dwarf_lines_row(&lines, 0x50, &row) && row == NULL);
    CHECK(sim_dwarf_lines_row(&lines, 0x1005, &row) && row != NULL && row->address == 0x1000);
    sim_dwarf_lines_free(&lines);
}

static const struct {
    int version;
    uint64_t index;
    const char *name; /* NULL: no such file */
} file_names[] = {
    {5, 0, "main.c"}, /* directory 0, the compilation directory: the name alone */
    {5, 1, "include/util.h"},
    {5, 2, "/abs/x.h"},             /* absolute: no directory */
    {5, 3, "/usr/include/stdio.h"}, /* a directory ending in '/' */
    {5, 4, "z.h"},                  /* a directory that is not there: the name alone */
    {5, 5, NULL},
    {4, 0, NULL}, /* before DWARF 5, files count from 1 */
    {4, 1, "main.c"},
    {4, 2, "include/util.h"},
    {4, 3, "/abs/x.h"},
    {4, 4, "/usr/include/stdio.h"},
    {4, 5, "z.h"},
    {4, 6, "include/late.c"}, /* from DW_LNE_define_file */
    {4, 7, NULL},
};

TEST(dwarf_line_table_files_are_named_as_llvm_symbolizer_relativenames_names_them) {
    line_header header5 = line_header_of(5), header4 = line_header_of(4);
    bytes table5 = line_table(&header5, special, sizeof special),
          table4 = line_table(&header4, define_file, sizeof define_file);
    sim_dwarf_lines lines5, lines4;
    CHECK(read_lines(&table5, &lines5) && read_lines(&table4, &lines4));
    for (size_t i = 0; i < sizeof file_names / sizeof file_names[0]; i++) {
        char name[64] = "";
        sim_dwarf_file_status status = sim_dwarf_lines_file(file_names[i].version == 5 ? &lines5 : &lines4,
                                                            file_names[i].index, name, sizeof name);
        bool ok = file_names[i].name == NULL ? status == SIM_DWARF_FILE_NONE
                                             : status == SIM_DWARF_FILE_FOUND && strcmp(name, file_names[i].name) == 0;
        if (!ok)
            test_fail(__FILE__, __LINE__, "DWARF %d file %" PRIu64 ": status %d, \"%s\"", file_names[i].version,
                      file_names[i].index, (int)status, name);
    }
    char small[8];
    CHECK(sim_dwarf_lines_file(&lines5, 3, small, sizeof small) == SIM_DWARF_FILE_TOO_LONG);
    sim_dwarf_lines_free(&lines5);
    sim_dwarf_lines_free(&lines4);
}

static const uint8_t cut_uleb[] = {SET_ADDRESS(0xb000), DW_LNS_advance_pc, 0x80};
static const uint8_t empty_extended[] = {SET_ADDRESS(0xb000), 0, 0};
static const uint8_t long_extended[] = {SET_ADDRESS(0xb000), 0, 0x7f, DW_LNE_end_sequence};
static const uint8_t short_address[] = {0, 5, DW_LNE_set_address, 1, 2, 3, 4};
static const uint8_t overlong_operand[] = {SET_ADDRESS(0xb000), 0, 1, DW_LNE_set_discriminator, 5};

TEST(dwarf_malformed_or_truncated_line_tables_are_not_read) {
    static const struct {
        const char *what;
        const uint8_t *program;
        size_t size;
    } bad_programs[] = {
        {"a ULEB cut off by the end", cut_uleb, sizeof cut_uleb},
        {"an extended opcode of length 0", empty_extended, sizeof empty_extended},
        {"an extended opcode longer than the table", long_extended, sizeof long_extended},
        {"set_address with a 4-byte address", short_address, sizeof short_address},
        {"an operand past its extended opcode's length", overlong_operand, sizeof overlong_operand},
    };
    sim_dwarf_lines lines;
    for (size_t i = 0; i < sizeof bad_programs / sizeof bad_programs[0]; i++) {
        line_header header = line_header_of(5);
        bytes table = line_table(&header, bad_programs[i].program, bad_programs[i].size);
        if (read_lines(&table, &lines))
            test_fail(__FILE__, __LINE__, "read a table with %s", bad_programs[i].what);
    }
    static const struct {
        const char *what;
        int version, max_ops, line_range, opcode_base, address_size, advance_pc_operands, directory_paths;
        bool files_of_no_bytes;
    } bad_headers[] = {
        {"VLIW operations", 4, 4, 14, 13, 8, 1, 1, false},
        {"line_range 0", 5, 1, 0, 13, 8, 1, 1, false},
        {"opcode_base 0", 5, 1, 14, 0, 8, 1, 1, false},
        {"advance_pc with 2 operands", 5, 1, 14, 13, 8, 2, 1, false},
        {"a directory without a path", 5, 1, 14, 13, 8, 1, 0, false},
        {"a directory with two paths", 5, 1, 14, 13, 8, 1, 2, false},
        {"1000 files of no bytes", 5, 1, 14, 13, 8, 1, 1, true},
        {"version 1", 1, 1, 14, 13, 8, 1, 1, false},
        {"version 6", 6, 1, 14, 13, 8, 1, 1, false},
        {"4-byte addresses", 5, 1, 14, 13, 4, 1, 1, false},
    };
    for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
        line_header header = line_header_of(bad_headers[i].version);
        header.max_ops = bad_headers[i].max_ops;
        header.line_range = bad_headers[i].line_range;
        header.opcode_base = bad_headers[i].opcode_base;
        header.address_size = bad_headers[i].address_size;
        header.advance_pc_operands = bad_headers[i].advance_pc_operands;
        header.directory_paths = bad_headers[i].directory_paths;
        header.files_of_no_bytes = bad_headers[i].files_of_no_bytes;
        bytes table = line_table(&header, special, sizeof special);
        if (read_lines(&table, &lines))
            test_fail(__FILE__, __LINE__, "read a table with %s", bad_headers[i].what);
    }
    /* 64-bit DWARF, and a header longer than its table. */
    line_header header = line_header_of(5);
    bytes table = line_table(&header, special, sizeof special);
    bytes wide = table, long_header = table;
    memset(wide.data, 0xff, 4);
    long_header.data[8] = 0xff; /* header_length, after length, version, address and selector sizes */
    CHECK(!read_lines(&wide, &lines) && !read_lines(&long_header, &lines));
    /* Every table cut short, which its length then overruns. */
    for (size_t size = 0; size < table.size; size++) {
        bytes cut = table;
        cut.size = size;
        if (read_lines(&cut, &lines))
            test_fail(__FILE__, __LINE__, "read a table cut to %zu of %zu bytes", size, table.size);
    }
}

/* ---- a unit with an inlined call ------------------------------------------------------ */

/* A DWARF 5 unit: a subprogram `outer` over [0x1000, 0x1080), into which
 * `inner` (declared after it, named by DW_AT_abstract_origin, with a
 * linkage name) is inlined over [0x1010, 0x1030), called from file 7
 * (DW_FORM_implicit_const), line 12, column 5. */
typedef struct unit_bytes {
    bytes info, abbrev;
    uint64_t outer, inlined; /* their DIEs' offsets */
} unit_bytes;

static unit_bytes inlining_unit(void) {
    static const uint8_t abbrev[] = {1,
                                     0x11,
                                     1,
                                     DW_AT_name,
                                     DW_FORM_string,
                                     DW_AT_low_pc,
                                     DW_FORM_addr,
                                     DW_AT_high_pc,
                                     DW_FORM_data4,
                                     0,
                                     0,
                                     2,
                                     DW_TAG_subprogram,
                                     1,
                                     DW_AT_name,
                                     DW_FORM_string,
                                     DW_AT_low_pc,
                                     DW_FORM_addr,
                                     DW_AT_high_pc,
                                     DW_FORM_data4,
                                     0,
                                     0,
                                     3,
                                     DW_TAG_inlined_subroutine,
                                     0,
                                     DW_AT_abstract_origin,
                                     DW_FORM_ref4,
                                     DW_AT_low_pc,
                                     DW_FORM_addr,
                                     DW_AT_high_pc,
                                     DW_FORM_data4,
                                     DW_AT_call_file,
                                     DW_FORM_implicit_const,
                                     7,
                                     DW_AT_call_line,
                                     DW_FORM_udata,
                                     DW_AT_call_column,
                                     DW_FORM_data1,
                                     0,
                                     0,
                                     4,
                                     DW_TAG_subprogram,
                                     0,
                                     DW_AT_name,
                                     DW_FORM_string,
                                     DW_AT_linkage_name,
                                     DW_FORM_string,
                                     0,
                                     0,
                                     0};
    unit_bytes unit = {0};
    put_bytes(&unit.abbrev, abbrev, sizeof abbrev);
    bytes *info = &unit.info;
    put(info, 0, 4); /* the unit length, below */
    put(info, 5, 2);
    put(info, 1, 1); /* DW_UT_compile */
    put(info, 8, 1);
    put(info, 0, 4); /* abbreviations at 0 */
    put_uleb(info, 1);
    put_string(info, "unit.c");
    put(info, 0x1000, 8);
    put(info, 0x100, 4);
    unit.outer = info->size;
    put_uleb(info, 2);
    put_string(info, "outer");
    put(info, 0x1000, 8);
    put(info, 0x80, 4);
    unit.inlined = info->size;
    put_uleb(info, 3);
    size_t origin = info->size;
    put(info, 0, 4); /* the abstract origin, below */
    put(info, 0x1010, 8);
    put(info, 0x20, 4);
    put_uleb(info, 12);
    put(info, 5, 1);
    put(info, 0, 1); /* end of outer's children */
    uint32_t inner = (uint32_t)info->size;
    memcpy(info->data + origin, &inner, 4);
    put_uleb(info, 4);
    put_string(info, "inner");
    put_string(info, "inner_linkage");
    put(info, 0, 1); /* end of the unit's children */
    memcpy(info->data, &(uint32_t){(uint32_t)(info->size - 4)}, 4);
    return unit;
}

static sim_dwarf_sections unit_sections(const unit_bytes *unit) {
    return (sim_dwarf_sections){.info = {unit->info.data, unit->info.size},
                                .abbrev = {unit->abbrev.data, unit->abbrev.size}};
}

TEST(dwarf_units_inline_chains_names_and_call_sites_follow_abstract_origins) {
    unit_bytes bytes = inlining_unit();
    sim_dwarf_sections sections = unit_sections(&bytes);
    sim_dwarf dwarf;
    if (!sim_dwarf_open(&dwarf, &sections)) {
        test_fail(__FILE__, __LINE__, "the unit was not read");
        return;
    }
    sim_dwarf_unit *unit = sim_dwarf_unit_of_address(&dwarf, 0x1015);
    CHECK(unit == &dwarf.units[0] && dwarf.unit_count == 1);
    CHECK(sim_dwarf_unit_of_address(&dwarf, 0xfff) == NULL && sim_dwarf_unit_of_address(&dwarf, 0x1100) == NULL);
    sim_dwarf_subroutines subroutines;
    CHECK(sim_dwarf_subroutines_read(&dwarf, unit, &subroutines));
    uint64_t chain[4];
    CHECK_INT(sim_dwarf_inline_chain(&subroutines, 0x1015, chain, 4), 2);
    CHECK(chain[0] == bytes.inlined && chain[1] == bytes.outer);
    CHECK(same(sim_dwarf_subroutine_name(&dwarf, chain[0]), "inner_linkage"));
    CHECK(same(sim_dwarf_subroutine_name(&dwarf, chain[1]), "outer"));
    uint32_t file, line, column;
    sim_dwarf_call_site(&dwarf, chain[0], &file, &line, &column);
    CHECK(file == 7 && line == 12 && column == 5);
    CHECK_INT(sim_dwarf_inline_chain(&subroutines, 0x1015, chain, 1), -1);
    CHECK_INT(sim_dwarf_inline_chain(&subroutines, 0x1030, chain, 4), 1);
    CHECK(chain[0] == bytes.outer);
    CHECK_INT(sim_dwarf_inline_chain(&subroutines, 0x1080, chain, 4), 0);
    sim_dwarf_subroutines_free(&subroutines);
    sim_dwarf_close(&dwarf);
}

TEST(dwarf_units_cut_short_or_naming_undeclared_abbreviations_are_not_read) {
    unit_bytes bytes = inlining_unit();
    sim_dwarf dwarf;
    for (size_t size = 1; size < bytes.info.size; size++) {
        sim_dwarf_sections sections = unit_sections(&bytes);
        sections.info.size = size;
        if (sim_dwarf_open(&dwarf, &sections)) {
            test_fail(__FILE__, __LINE__, "read a unit cut to %zu of %zu bytes", size, bytes.info.size);
            sim_dwarf_close(&dwarf);
        }
    }
    /* The inlined DIE's code has no declaration: the unit opens (only its
     * unit DIE is read), its subroutines do not. */
    bytes.info.data[bytes.inlined] = 9;
    sim_dwarf_sections sections = unit_sections(&bytes);
    sim_dwarf_subroutines subroutines;
    CHECK(sim_dwarf_open(&dwarf, &sections));
    CHECK(!sim_dwarf_subroutines_read(&dwarf, &dwarf.units[0], &subroutines));
    sim_dwarf_close(&dwarf);
    /* 64-bit DWARF is not read. */
    memset(bytes.info.data, 0xff, 4);
    sections = unit_sections(&bytes);
    CHECK(!sim_dwarf_open(&dwarf, &sections));
}

/* An .debug_aranges set for the unit at `unit`: [low, low + size). */
static void put_arange_set(bytes *out, uint64_t unit, uint64_t low, uint64_t size) {
    put(out, 44, 4); /* length: the header's 12 bytes and padding to 16, two tuples */
    put(out, 2, 2);
    put(out, unit, 4);
    put(out, 8, 1);
    put(out, 0, 1);
    put(out, 0, 4); /* padding: tuples start 16 bytes into the set */
    put(out, low, 8);
    put(out, size, 8);
    put(out, 0, 8); /* the (0, 0) that ends the set */
    put(out, 0, 8);
}

TEST(dwarf_units_that_overlap_share_addresses_as_llvm_symbolizer_shares_them) {
    static const uint8_t abbrev[] = {1, 0x11, 0, 0, 0, 0};
    bytes info = {0}, aranges = {0};
    for (int u = 0; u < 2; u++) { /* two units of one DIE without attributes, at 0 and 13 */
        put(&info, 9, 4);
        put(&info, 5, 2);
        put(&info, 1, 1);
        put(&info, 8, 1);
        put(&info, 0, 4);
        put_uleb(&info, 1);
    }
    /* The later unit covers [0x10, 0x30), the first [0x20, 0x40): where
     * both do, the unit that had the addresses before keeps them. */
    put_arange_set(&aranges, 13, 0x10, 0x20);
    put_arange_set(&aranges, 0, 0x20, 0x20);
    sim_dwarf_sections sections = {
        .info = {info.data, info.size}, .abbrev = {abbrev, sizeof abbrev}, .aranges = {aranges.data, aranges.size}};
    sim_dwarf dwarf;
    CHECK(sim_dwarf_open(&dwarf, &sections));
    CHECK_INT(dwarf.unit_count, 2);
    CHECK(sim_dwarf_unit_of_address(&dwarf, 0x15) == &dwarf.units[1]);
    CHECK(sim_dwarf_unit_of_address(&dwarf, 0x25) == &dwarf.units[1]);
    CHECK(sim_dwarf_unit_of_address(&dwarf, 0x35) == &dwarf.units[0]);
    CHECK(sim_dwarf_unit_of_address(&dwarf, 0x40) == NULL && sim_dwarf_unit_of_address(&dwarf, 0xf) == NULL);
    sim_dwarf_close(&dwarf);
    /* A set cut short, and one of 4-byte addresses: not read. */
    sections.aranges.size = aranges.size - 1;
    CHECK(!sim_dwarf_open(&dwarf, &sections));
    aranges.data[10] = 4;
    sections.aranges.size = aranges.size;
    CHECK(!sim_dwarf_open(&dwarf, &sections));
}

/* ---- tests --symbolize ----------------------------------------------------------------- */

/* Prints the answer for one request line as `llvm-symbolizer --obj=MODULE
 * --inlines --relativenames --functions=linkage` would ("NO ANSWER" where
 * the reader has none). */
static void print_answer(sim_debuginfo *info, const char *line) {
    bool data = strncmp(line, "DATA ", 5) == 0;
    uint64_t address = strtoull(data ? line + 5 : line, NULL, 0);
    if (data) {
        sim_debug_global global;
        if (!sim_debuginfo_data(info, address, &global))
            printf("NO ANSWER\n\n");
        else
            printf("%s\n%" PRIu64 " %" PRIu64 "\n\n", global.name != NULL ? global.name : "??", global.address,
                   global.size);
        return;
    }
    static sim_debug_frames frames;
    if (!sim_debuginfo_code(info, address, &frames)) {
        printf("NO ANSWER\n\n");
        return;
    }
    for (int i = 0; i < frames.count; i++) {
        const sim_debug_frame *frame = &frames.frames[i];
        printf("%s\n%s:%" PRIu32 ":%" PRIu32 "\n", frame->function != NULL ? frame->function : "??",
               frame->file != NULL ? frame->file : "??", frame->line, frame->column);
    }
    printf("\n");
}

int test_symbolize_main(const char *module) {
    sim_elf_image image;
    if (!sim_elf_map_file(module, &image)) {
        fprintf(stderr, "tests --symbolize: %s is no ELF file it reads\n", module);
        return 2;
    }
    sim_debuginfo *info = sim_debuginfo_open(&image);
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        print_answer(info, line);
    }
    sim_debuginfo_close(info);
    return 0;
}
