/* dwarf_inline.h: which subroutines hold an address, inlined ones
 * innermost first (dwarf_inline.c), and the names and call sites of
 * subroutine DIEs as llvm-symbolizer reads them. */
#ifndef SIM_DWARF_INLINE_H
#define SIM_DWARF_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_units.h"

/* A DW_TAG_subprogram or DW_TAG_inlined_subroutine DIE of a unit. */
typedef struct sim_dwarf_subroutine {
    uint64_t offset; /* in .debug_info */
    int parent;      /* the nearest subroutine that encloses it, -1 for none */
    bool inlined;
} sim_dwarf_subroutine;

/* Addresses [low, high) whose innermost subroutine is `subroutine`. */
typedef struct sim_dwarf_span {
    uint64_t low, high;
    int subroutine;
} sim_dwarf_span;

typedef struct sim_dwarf_subroutines {
    sim_dwarf_subroutine *items;
    int count, cap;
    sim_dwarf_span *spans; /* sorted by low */
    int span_count, span_cap;
} sim_dwarf_subroutines;

/* Reads a unit's subroutines and their address ranges. False (with
 * nothing to free) when its DIEs or ranges are malformed, or too many or
 * too disordered to map in bounded time. */
bool sim_dwarf_subroutines_read(sim_dwarf *dwarf, sim_dwarf_unit *unit, sim_dwarf_subroutines *subroutines);
void sim_dwarf_subroutines_free(sim_dwarf_subroutines *subroutines);
/* The .debug_info offsets of the subroutines that hold `address`,
 * innermost first: the inlined ones, then the subprogram they are inlined
 * into. Their count: 0 when none holds it, -1 when more than `max` do. */
int sim_dwarf_inline_chain(const sim_dwarf_subroutines *subroutines, uint64_t address, uint64_t *offsets, int max);
/* The name of the subroutine DIE at `offset`: its linkage name, else its
 * name, from it or the DIEs its DW_AT_abstract_origin and
 * DW_AT_specification lead to. NULL when it has neither. */
const char *sim_dwarf_subroutine_name(sim_dwarf *dwarf, uint64_t offset);
/* Where the inlined subroutine at `offset` was called: its DW_AT_call_file,
 * DW_AT_call_line and DW_AT_call_column, each 0 when it has none. */
void sim_dwarf_call_site(sim_dwarf *dwarf, uint64_t offset, uint32_t *file, uint32_t *line, uint32_t *column);

#endif
