/* symbolize.h: driver code addresses as sites (symbolize.c). Findings the
 * machine sees below the wdm.h calls (a plain access that races, a fault)
 * know only a code address; reports and allow-lists name file, line and
 * function like every other site. The answers come from spinsim's own
 * reader of the module's DWARF and symbol table (debuginfo.h), else from a
 * symbolizer program, and read the same either way. */
#ifndef SIM_SYMBOLIZE_H
#define SIM_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

#include "sim_site.h"

/* The site of the instruction at `pc` (a faulting instruction). One pc
 * gives one site object for the life of the process, so sites compare by
 * address as the static ones do. */
const sim_site *sim_site_of_pc(uintptr_t pc);
/* The same, resolved only when sim_site_resolve is given it: for a site
 * known long before anything may read it (an ISR's). Until then its fields
 * are placeholders ("?", line 0). */
const sim_site *sim_site_of_pc_deferred(uintptr_t pc);
/* `site` (any site, or NULL), resolved if it was deferred. Called where a
 * site leaves the run for a reader: a finding's own sites, a report's
 * steps, a trace sink's events, the fuzzer's coverage and a finding's
 * message that names a line. One comparison for a site that is not. */
const sim_site *sim_site_resolve(const sim_site *site);
/* The site of the call that returns to `return_address` (instrumentation
 * hooks and wdm.h routines know their return address). */
const sim_site *sim_site_of_return(uintptr_t return_address);
/* Where the function starting at `function` returns: the line of its last
 * instruction (its closing brace, or its last return), found by the
 * function's size in the program's symbol table; the function's own line
 * when the size is unknown. */
const sim_site *sim_site_of_function_end(uintptr_t function);
/* The first of `count` code addresses (innermost first: a faulting
 * instruction, then return addresses) that lies in driver code: in the
 * program itself, not in a shared library, and not in spinsim's own
 * sources (sim/, locks/, fuzz/). NULL when none does. */
const sim_site *sim_site_of_driver_frame(const uintptr_t *pcs, int count);
/* Names a data address for a report: a global's symbol (plus an offset),
 * else "driver memory". */
void sim_symbolize_data(uintptr_t addr, char *out, size_t size);

#endif
