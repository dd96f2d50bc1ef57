/* dwarf_line.h: a unit's line table (dwarf_line.c): the line-number
 * program run into rows and sequences, the row that holds an address, and
 * file names as `llvm-symbolizer --relativenames` prints them. */
#ifndef SIM_DWARF_LINE_H
#define SIM_DWARF_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarf_form.h"

typedef struct sim_dwarf_row {
    uint64_t address;
    uint32_t line;
    uint16_t column, file; /* llvm-symbolizer keeps 16 bits of each */
} sim_dwarf_row;

/* Rows [first, end) for addresses [low, high); the last row ends it. */
typedef struct sim_dwarf_sequence {
    uint64_t low, high;
    int first, end;
} sim_dwarf_sequence;

/* Sequences [first, end) (in address order) that start at one address,
 * whose order llvm-symbolizer leaves to its sort. */
typedef struct sim_dwarf_tie {
    uint64_t high_min, high_max;
    int first, end;
} sim_dwarf_tie;

typedef struct sim_dwarf_file {
    const char *name; /* NULL when its string cannot be found */
    uint64_t directory;
} sim_dwarf_file;

typedef struct sim_dwarf_lines {
    uint16_t version;
    const char **directories; /* NULL when its string cannot be found */
    int directory_count, directory_cap;
    sim_dwarf_file *files;
    int file_count, file_cap;
    sim_dwarf_row *rows;
    int row_count, row_cap;
    sim_dwarf_sequence *sequences; /* sorted by address */
    int sequence_count, sequence_cap;
    sim_dwarf_tie *ties;
    int tie_count, tie_cap;
} sim_dwarf_lines;

typedef enum sim_dwarf_file_status {
    SIM_DWARF_FILE_NONE,     /* no such file, or its name cannot be found */
    SIM_DWARF_FILE_FOUND,    /* written */
    SIM_DWARF_FILE_TOO_LONG, /* it does not fit */
} sim_dwarf_file_status;

/* Reads the line table at `offset` of .debug_line for a unit encoded as
 * `encoding` (strings it names by index are the unit's). False (with
 * nothing to free) when it is malformed, or uses what llvm-symbolizer
 * does not read the same way (VLIW operations, an address size other than
 * 8, opcodes whose operand counts differ from the standard's). */
bool sim_dwarf_lines_read(const sim_dwarf_sections *sections, const sim_dwarf_encoding *encoding, uint64_t offset,
                          sim_dwarf_lines *lines);
void sim_dwarf_lines_free(sim_dwarf_lines *lines);
/* The row that holds `address` (`*row`): the last at or before it in the
 * sequence that covers it, as llvm-symbolizer finds that sequence; NULL
 * when none does. False when llvm-symbolizer's answer would depend on how
 * its sort ordered sequences that start at one address (code a linker
 * discarded, all at address 0): then there is no answer. */
bool sim_dwarf_lines_row(const sim_dwarf_lines *lines, uint64_t address, const sim_dwarf_row **row);
/* File `index`'s name, written to `out`: relative to the compilation
 * directory as the table gives it (a file in directory 0 of DWARF 5, the
 * compilation directory, is its name alone), absolute when its name or
 * directory is. */
sim_dwarf_file_status sim_dwarf_lines_file(const sim_dwarf_lines *lines, uint64_t index, char *out, size_t size);

#endif
