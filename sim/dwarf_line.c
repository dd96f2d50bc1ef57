/* dwarf_line.c: line tables (dwarf_line.h), as DWARF 5 section 6.2 (and
 * DWARF 4's, for versions 2 to 4) defines them. The header lists the
 * directories and files: DWARF 5 describes each entry's fields by content
 * type and form, and counts entries from 0 (file 0 and directory 0 are the
 * unit's own); before it, each list is strings ending in an empty one and
 * counts from 1. The program is run by the state machine of section 6.2.2;
 * the address and line registers wrap as llvm-symbolizer's do. Sequences
 * whose end is not past their start are dropped, as llvm-symbolizer drops
 * them. */
#include "dwarf_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "grow.h"
#include "wraps.h"

enum { OFFSET_SIZE = 4, UNIT_LENGTH_RESERVED = 0xfffffff0, KNOWN_OPCODES = DW_LNS_set_isa };

/* The operands each standard opcode takes (DWARF 5 section 6.2.5.2). */
static const uint8_t standard_operands[KNOWN_OPCODES + 1] = {
    [DW_LNS_advance_pc] = 1, [DW_LNS_advance_line] = 1,     [DW_LNS_set_file] = 1,
    [DW_LNS_set_column] = 1, [DW_LNS_fixed_advance_pc] = 1, [DW_LNS_set_isa] = 1,
};

static void *grown(void *items, int *cap, int need, size_t size) {
    return sim_grow_or_panic(items, cap, need, size, 64, "a DWARF line table");
}

static void add_directory(sim_dwarf_lines *lines, const char *name) {
    lines->directories =
        grown(lines->directories, &lines->directory_cap, lines->directory_count + 1, sizeof *lines->directories);
    lines->directories[lines->directory_count++] = name;
}

static void add_file(sim_dwarf_lines *lines, const char *name, uint64_t directory) {
    lines->files = grown(lines->files, &lines->file_cap, lines->file_count + 1, sizeof *lines->files);
    lines->files[lines->file_count++] = (sim_dwarf_file){name, directory};
}

/* A DWARF 5 entry format: (content type, form) pairs. */
typedef struct entry_format {
    int count;
    uint64_t type[255], form[255];
} entry_format;

/* Reads a DWARF 5 list of directories (`files` false) or files: its
 * format, its count, its entries. */
static bool read_entries(sim_dwarf_cursor *cursor, const sim_dwarf_sections *sections,
                         const sim_dwarf_encoding *encoding, bool files, sim_dwarf_lines *lines) {
    entry_format format;
    format.count = (int)sim_dwarf_read(cursor, 1);
    int paths = 0;
    for (int i = 0; i < format.count; i++) {
        format.type[i] = sim_dwarf_read_uleb(cursor);
        format.form[i] = sim_dwarf_read_uleb(cursor);
        paths += format.type[i] == DW_LNCT_path;
    }
    /* llvm-symbolizer lists a directory per path it holds, none or two
     * included: only one is read the same way. */
    if (!files && paths != 1)
        return false;
    uint64_t count = sim_dwarf_read_uleb(cursor);
    for (uint64_t entry = 0; entry < count && !cursor->failed; entry++) {
        uint64_t start = cursor->at, directory = 0;
        const char *name = NULL;
        for (int i = 0; i < format.count; i++) {
            sim_dwarf_value value;
            if (format.form[i] == DW_FORM_implicit_const ||
                !sim_dwarf_read_value(cursor, encoding, format.form[i], 0, &value))
                return false;
            if (format.type[i] == DW_LNCT_path)
                name = sim_dwarf_value_string(sections, encoding, &value);
            else if (format.type[i] == DW_LNCT_directory_index && !sim_dwarf_value_unsigned(&value, &directory))
                return false;
        }
        /* An entry of no bytes would let a count run on without input. */
        if (cursor->at == start)
            return false;
        if (files)
            add_file(lines, name, directory);
        else
            add_directory(lines, name);
    }
    return !cursor->failed;
}

/* Reads a file entry of DWARF 4 and before (and DW_LNE_define_file's
 * operands) after its name: directory, time, length. */
static void read_file_rest(sim_dwarf_cursor *cursor, sim_dwarf_lines *lines, const char *name) {
    uint64_t directory = sim_dwarf_read_uleb(cursor);
    sim_dwarf_read_uleb(cursor);
    sim_dwarf_read_uleb(cursor);
    add_file(lines, name, directory);
}

/* Reads the directory and file lists of DWARF 4 and before. */
static bool read_lists(sim_dwarf_cursor *cursor, sim_dwarf_lines *lines) {
    const char *name;
    while ((name = sim_dwarf_read_string(cursor)) != NULL && name[0] != '\0')
        add_directory(lines, name);
    while ((name = sim_dwarf_read_string(cursor)) != NULL && name[0] != '\0')
        read_file_rest(cursor, lines, name);
    return !cursor->failed;
}

/* The header fields the program needs. */
typedef struct program {
    uint64_t start, end; /* the program's bytes */
    uint8_t min_length, line_range, opcode_base;
    int8_t line_base;
    uint8_t operands[256]; /* standard_opcode_lengths, by opcode */
} program;

/* Reads the header of the table at `offset`; `cursor` ends at the program. */
static bool read_header(sim_dwarf_cursor *cursor, const sim_dwarf_sections *sections,
                        const sim_dwarf_encoding *encoding, sim_dwarf_lines *lines, program *program) {
    uint64_t length = sim_dwarf_read(cursor, 4);
    if (cursor->failed || length >= UNIT_LENGTH_RESERVED || !sim_dwarf_within(cursor->at, length, cursor->end))
        return false;
    program->end = cursor->end = cursor->at + length;
    lines->version = (uint16_t)sim_dwarf_read(cursor, 2);
    if (lines->version < 2 || lines->version > 5)
        return false;
    if (lines->version >= 5 && (sim_dwarf_read(cursor, 1) != 8 || sim_dwarf_read(cursor, 1) != 0))
        return false; /* address size, segment selector size */
    uint64_t header_length = sim_dwarf_read(cursor, OFFSET_SIZE);
    if (cursor->failed || !sim_dwarf_within(cursor->at, header_length, cursor->end))
        return false;
    program->start = cursor->at + header_length;
    program->min_length = (uint8_t)sim_dwarf_read(cursor, 1);
    if (lines->version >= 4 && sim_dwarf_read(cursor, 1) != 1)
        return false;          /* maximum_operations_per_instruction: VLIW */
    sim_dwarf_read(cursor, 1); /* default_is_stmt */
    program->line_base = (int8_t)sim_dwarf_read(cursor, 1);
    program->line_range = (uint8_t)sim_dwarf_read(cursor, 1);
    program->opcode_base = (uint8_t)sim_dwarf_read(cursor, 1);
    if (program->line_range == 0 || program->opcode_base == 0)
        return false;
    memset(program->operands, 0, sizeof program->operands);
    for (int opcode = 1; opcode < program->opcode_base; opcode++) {
        program->operands[opcode] = (uint8_t)sim_dwarf_read(cursor, 1);
        if (opcode <= KNOWN_OPCODES && program->operands[opcode] != standard_operands[opcode])
            return false;
    }
    bool listed = lines->version >= 5 ? read_entries(cursor, sections, encoding, false, lines) &&
                                            read_entries(cursor, sections, encoding, true, lines)
                                      : read_lists(cursor, lines);
    /* The lists must end within the header; the program starts where the
     * header's length says. */
    return listed && cursor->at <= program->start;
}

typedef struct registers {
    uint64_t address;
    uint32_t line;
    uint16_t column, file;
} registers;

static const registers initial = {.line = 1, .file = 1};

static void add_row(sim_dwarf_lines *lines, const registers *state) {
    lines->rows = grown(lines->rows, &lines->row_cap, lines->row_count + 1, sizeof *lines->rows);
    lines->rows[lines->row_count++] =
        (sim_dwarf_row){.address = state->address, .line = state->line, .column = state->column, .file = state->file};
}

/* Ends the sequence that started at row `first` with its last row. */
static void end_sequence(sim_dwarf_lines *lines, int first) {
    uint64_t low = lines->rows[first].address, high = lines->rows[lines->row_count - 1].address;
    if (low >= high)
        return;
    lines->sequences =
        grown(lines->sequences, &lines->sequence_cap, lines->sequence_count + 1, sizeof *lines->sequences);
    lines->sequences[lines->sequence_count++] = (sim_dwarf_sequence){low, high, first, lines->row_count};
}

/* Runs an extended opcode, whose length `cursor` is at. */
static bool run_extended(sim_dwarf_cursor *cursor, sim_dwarf_lines *lines, registers *state, int *first) {
    uint64_t length = sim_dwarf_read_uleb(cursor);
    if (cursor->failed || length == 0 || !sim_dwarf_within(cursor->at, length, cursor->end))
        return false;
    uint64_t end = cursor->at + length;
    switch (sim_dwarf_read(cursor, 1)) {
    case DW_LNE_end_sequence:
        add_row(lines, state);
        end_sequence(lines, *first);
        *state = initial;
        *first = lines->row_count;
        break;
    case DW_LNE_set_address:
        if (length != 9)
            return false;
        state->address = sim_dwarf_read(cursor, 8);
        break;
    case DW_LNE_define_file:
        read_file_rest(cursor, lines, sim_dwarf_read_string(cursor));
        break;
    case DW_LNE_set_discriminator:
        sim_dwarf_read_uleb(cursor);
        break;
    default:
        break; /* one it does not know: skipped by its length */
    }
    if (cursor->failed || cursor->at > end)
        return false;
    cursor->at = end;
    return true;
}

/* Runs the program into rows and sequences. */
SIM_WRAPS static bool run(sim_dwarf_cursor *cursor, const program *program, sim_dwarf_lines *lines) {
    registers state = initial;
    int first = 0; /* the row that starts the current sequence */
    uint64_t range = program->line_range;
    while (cursor->at < program->end) {
        uint8_t opcode = (uint8_t)sim_dwarf_read(cursor, 1);
        if (opcode >= program->opcode_base) {
            uint64_t adjusted = opcode - program->opcode_base;
            state.address += adjusted / range * program->min_length;
            state.line += (uint32_t)(program->line_base + (int)(adjusted % range));
            add_row(lines, &state);
            continue;
        }
        switch (opcode) {
        case 0:
            if (!run_extended(cursor, lines, &state, &first))
                return false;
            break;
        case DW_LNS_copy:
            add_row(lines, &state);
            break;
        case DW_LNS_advance_pc:
            state.address += sim_dwarf_read_uleb(cursor) * program->min_length;
            break;
        case DW_LNS_advance_line:
            state.line += (uint32_t)sim_dwarf_read_sleb(cursor);
            break;
        case DW_LNS_set_file:
            state.file = (uint16_t)sim_dwarf_read_uleb(cursor);
            break;
        case DW_LNS_set_column:
            state.column = (uint16_t)sim_dwarf_read_uleb(cursor);
            break;
        case DW_LNS_const_add_pc:
            state.address += (255 - program->opcode_base) / range * program->min_length;
            break;
        case DW_LNS_fixed_advance_pc:
            state.address += sim_dwarf_read(cursor, 2);
            break;
        default: /* flags the table does not keep, set_isa, and opcodes it does not know */
            for (int i = 0; i < program->operands[opcode]; i++)
                sim_dwarf_read_uleb(cursor);
            break;
        }
        if (cursor->failed)
            return false;
    }
    return true;
}

/* Notes the runs of sequences that start at one address. */
static void find_ties(sim_dwarf_lines *lines) {
    for (int first = 0, end; first < lines->sequence_count; first = end) {
        sim_dwarf_tie tie = {UINT64_MAX, 0, first, first};
        for (end = first; end < lines->sequence_count && lines->sequences[end].low == lines->sequences[first].low;
             end++) {
            uint64_t high = lines->sequences[end].high;
            tie.high_min = high < tie.high_min ? high : tie.high_min;
            tie.high_max = high > tie.high_max ? high : tie.high_max;
        }
        if (end - first < 2)
            continue;
        tie.end = end;
        lines->ties = grown(lines->ties, &lines->tie_cap, lines->tie_count + 1, sizeof *lines->ties);
        lines->ties[lines->tie_count++] = tie;
    }
}

static int by_low(const void *a, const void *b) {
    const sim_dwarf_sequence *x = a, *y = b;
    if (x->low != y->low)
        return x->low < y->low ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

bool sim_dwarf_lines_read(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding, uint64_t offset,
                          sim_dwarf_lines *lines) {
    *lines = (sim_dwarf_lines){0};
    sim_dwarf_cursor cursor = sim_dwarf_cursor_of(sections->line, offset, sections->line.size);
    program program;
    bool ok = read_header(&cursor, sections, encoding, lines, &program);
    if (ok) {
        cursor.at = program.start;
        ok = run(&cursor, &program, lines);
    }
    if (!ok) {
        sim_dwarf_lines_free(lines);
        return false;
    }
    if (lines->sequence_count > 1)
        qsort(lines->sequences, (size_t)lines->sequence_count, sizeof *lines->sequences, by_low);
    find_ties(lines);
    return true;
}

void sim_dwarf_lines_free(sim_dwarf_lines *lines) {
    free(lines->ties);
    free(lines->directories);
    free(lines->files);
    free(lines->rows);
    free(lines->sequences);
    *lines = (sim_dwarf_lines){0};
}

bool sim_dwarf_lines_row(const sim_dwarf_lines *lines, uint64_t address, const sim_dwarf_row **row) {
    /* The first sequence that ends after the address, found by the same
     * halving as llvm-symbolizer's (sequences may overlap: it only looks
     * at those it halves to)... */
    *row = NULL;
    int low = 0, high = lines->sequence_count;
    while (low < high) {
        int middle = low + (high - low) / 2;
        if (lines->sequences[middle].high <= address)
            low = middle + 1;
        else
            high = middle;
    }
    /* ...which does not depend on the order of tied sequences when all of
     * a tie end on one side of the address, and the one found is no tied
     * one that may hold it. */
    for (int t = 0; t < lines->tie_count; t++) {
        const sim_dwarf_tie *tie = &lines->ties[t];
        if ((tie->high_min <= address && address < tie->high_max) ||
            (low >= tie->first && low < tie->end && lines->sequences[low].low <= address))
            return false;
    }
    if (low == lines->sequence_count || address < lines->sequences[low].low)
        return true;
    /* In it, the last row at or before the address (its first row is;
     * its last one ends it). */
    const sim_dwarf_sequence *sequence = &lines->sequences[low];
    int first = sequence->first + 1, last = sequence->end - 1;
    while (first < last) {
        int middle = first + (last - first) / 2;
        if (lines->rows[middle].address <= address)
            first = middle + 1;
        else
            last = middle;
    }
    *row = &lines->rows[first - 1];
    return true;
}

static bool is_separator(char c, bool windows) { return c == '/' || (windows && c == '\\'); }

/* `name` has a root directory (after a root name, where Windows needs
 * one): POSIX's "/x" or "//host/x", Windows' "C:\x" or "\\host\x". Such a
 * name is not joined to a directory. */
static bool is_absolute(const char *name) {
    for (int windows = 0; windows < 2; windows++) {
        const char *separators = windows ? "/\\" : "/";
        if (is_separator(name[0], windows) && name[1] == name[0] && name[2] != '\0' &&
            !is_separator(name[2], windows)) {
            if (name[2 + strcspn(name + 2, separators)] != '\0')
                return true; /* a network name, then a separator */
            continue;
        }
        if (!windows && name[0] == '/')
            return true;
        size_t first = strcspn(name, separators);
        if (windows && first > 0 && name[first - 1] == ':' && name[first] != '\0')
            return true; /* a drive, then a separator */
    }
    return false;
}

sim_dwarf_file_status sim_dwarf_lines_file(const sim_dwarf_lines *lines, uint64_t index, char *out, size_t size) {
    bool from_zero = lines->version >= 5;
    if (from_zero ? index >= (uint64_t)lines->file_count : index == 0 || index > (uint64_t)lines->file_count)
        return SIM_DWARF_FILE_NONE;
    const sim_dwarf_file *file = &lines->files[from_zero ? index : index - 1];
    if (file->name == NULL)
        return SIM_DWARF_FILE_NONE;
    /* Directory 0 of DWARF 5 is the compilation directory, left out of a
     * relative name; before DWARF 5 it has no entry. */
    const char *directory = NULL;
    if (!is_absolute(file->name) && file->directory > 0 &&
        file->directory - !from_zero < (uint64_t)lines->directory_count)
        directory = lines->directories[file->directory - !from_zero];
    if (directory == NULL)
        directory = "";
    const char *name = file->name;
    size_t length = strlen(directory);
    bool separator = false;
    if (length > 0 && directory[length - 1] == '/') {
        name += strspn(name, "/");
    } else if (length > 0 && name[0] != '/') {
        separator = true;
    }
    int written = snprintf(out, size, "%s%s%s", directory, separator ? "/" : "", name);
    return written >= 0 && (size_t)written < size ? SIM_DWARF_FILE_FOUND : SIM_DWARF_FILE_TOO_LONG;
}
