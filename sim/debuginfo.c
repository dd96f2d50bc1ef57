/* debuginfo.c: the in-process symbolizer (debuginfo.h), answering as
 * llvm-symbolizer 14 does. For code: the unit that holds the address; in
 * it, the subroutines that hold it, inlined ones first. The innermost
 * frame's file and line are the line table's row for the address; each
 * outer frame's are the call site of the frame inside it. Without a
 * subroutine, the row alone is the frame; without a unit, a frame with
 * nothing known. Then the outermost frame takes the name of the symbol
 * that holds the address (and, when the innermost frame has no file, a
 * local symbol's file). For data: the symbol alone.
 *
 * A module's units are read when code is first asked about; a unit's line
 * table and subroutines when an address in it is. What fails to read
 * stays failed: its addresses get no answer. */
#include "debuginfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_inline.h"
#include "dwarf_line.h"
#include "dwarf_units.h"
#include "internal.h"

typedef enum state { UNREAD, READ, BROKEN } state;

/* What has been read of a unit. */
typedef struct unit_state {
    state lines_state, subroutines_state;
    sim_dwarf_lines lines;
    sim_dwarf_subroutines subroutines;
} unit_state;

struct sim_debuginfo {
    sim_elf_image image;
    /* NONE: no DWARF, frames from the symbol table alone; BROKEN: DWARF it
     * does not read, no answer for code. */
    enum { DWARF_NONE, DWARF_UNREAD, DWARF_READ, DWARF_BROKEN } dwarf_state;
    sim_dwarf_sections sections;
    sim_dwarf dwarf;
    unit_state *units; /* one per unit of `dwarf` */
};

/* Finds section .debug_`name` (`bytes` empty when there is none); false
 * when it is there in a form it does not read, or only compressed the old
 * GNU way (.zdebug_`name`). */
static bool find_section(const sim_elf_image *image, const char *name, sim_dwarf_bytes *bytes) {
    char full[32];
    snprintf(full, sizeof full, ".debug_%s", name);
    *bytes = (sim_dwarf_bytes){0};
    sim_elf_found found = sim_elf_section(image, full, &bytes->data, &bytes->size);
    if (found != SIM_ELF_ABSENT)
        return found == SIM_ELF_FOUND;
    const uint8_t *data;
    uint64_t size;
    snprintf(full, sizeof full, ".zdebug_%s", name);
    return sim_elf_section(image, full, &data, &size) == SIM_ELF_ABSENT;
}

sim_debuginfo *sim_debuginfo_open(const sim_elf_image *image) {
    sim_debuginfo *info = calloc(1, sizeof *info);
    if (info == NULL)
        sim_panic("out of memory opening debug information");
    info->image = *image;
    sim_dwarf_sections *s = &info->sections;
    const uint8_t *data;
    uint64_t size;
    bool readable = find_section(image, "info", &s->info) && find_section(image, "abbrev", &s->abbrev) &&
                    find_section(image, "str", &s->str) && find_section(image, "line_str", &s->line_str) &&
                    find_section(image, "str_offsets", &s->str_offsets) && find_section(image, "addr", &s->addr) &&
                    find_section(image, "line", &s->line) && find_section(image, "ranges", &s->ranges) &&
                    find_section(image, "rnglists", &s->rnglists) && find_section(image, "aranges", &s->aranges);
    /* A module whose debug information is in another file. */
    readable = readable && sim_elf_section(image, ".gnu_debuglink", &data, &size) == SIM_ELF_ABSENT;
    info->dwarf_state = !readable ? DWARF_BROKEN : s->info.data == NULL ? DWARF_NONE : DWARF_UNREAD;
    return info;
}

void sim_debuginfo_close(sim_debuginfo *info) {
    if (info->dwarf_state == DWARF_READ) {
        for (int i = 0; i < info->dwarf.unit_count; i++) {
            sim_dwarf_lines_free(&info->units[i].lines);
            sim_dwarf_subroutines_free(&info->units[i].subroutines);
        }
        free(info->units);
        sim_dwarf_close(&info->dwarf);
    }
    free(info);
}

/* Copies `text` (NULL stays NULL) into the frames' strings; false when
 * they are full. */
static bool keep(sim_debug_frames *frames, const char *text, const char **kept) {
    *kept = NULL;
    if (text == NULL)
        return true;
    size_t length = strlen(text);
    if (length >= sizeof frames->text - frames->text_used)
        return false;
    char *copy = frames->text + frames->text_used;
    memcpy(copy, text, length + 1);
    frames->text_used += length + 1;
    *kept = copy;
    return true;
}

/* Writes file `index` of `lines` into the frames' strings as `frame`'s
 * file (NULL when there is no such file); false when they are full. */
static bool keep_file(sim_debug_frames *frames, const sim_dwarf_lines *lines, uint64_t index, sim_debug_frame *frame) {
    char *out = frames->text + frames->text_used;
    switch (sim_dwarf_lines_file(lines, index, out, sizeof frames->text - frames->text_used)) {
    case SIM_DWARF_FILE_FOUND:
        frame->file = out;
        frames->text_used += strlen(out) + 1;
        return true;
    case SIM_DWARF_FILE_NONE:
        frame->file = NULL;
        return true;
    default:
        return false;
    }
}

/* The frame of the line table's row for `address`: its file, line and
 * column, or nothing known when there is no row or no such file. */
static bool row_frame(sim_debug_frames *frames, const sim_dwarf_lines *lines, uint64_t address,
                      sim_debug_frame *frame) {
    const sim_dwarf_row *row = NULL;
    *frame = (sim_debug_frame){0};
    if (lines != NULL && !sim_dwarf_lines_row(lines, address, &row))
        return false;
    if (row == NULL)
        return true;
    if (!keep_file(frames, lines, row->file, frame))
        return false;
    if (frame->file != NULL) {
        frame->line = row->line;
        frame->column = row->column;
    }
    return true;
}

/* The unit's line table, read when first needed; NULL when it has none. */
static bool lines_of(sim_debuginfo *info, sim_dwarf_unit *unit, unit_state *read, const sim_dwarf_lines **lines) {
    *lines = NULL;
    if (!unit->has_stmt_list || unit->stmt_list >= info->sections.line.size)
        return true;
    if (read->lines_state == UNREAD)
        read->lines_state =
            sim_dwarf_lines_read(&info->sections, &unit->encoding, unit->stmt_list, &read->lines) ? READ : BROKEN;
    *lines = &read->lines;
    return read->lines_state == READ;
}

/* The frames of the subroutines of `unit` that hold `address` (none when
 * none does). */
static bool unit_frames(sim_debuginfo *info, sim_dwarf_unit *unit, uint64_t address, sim_debug_frames *frames) {
    unit_state *read = &info->units[unit - info->dwarf.units];
    const sim_dwarf_lines *lines;
    if (unit->split || !lines_of(info, unit, read, &lines))
        return false;
    if (read->subroutines_state == UNREAD)
        read->subroutines_state = sim_dwarf_subroutines_read(&info->dwarf, unit, &read->subroutines) ? READ : BROKEN;
    if (read->subroutines_state == BROKEN)
        return false;
    uint64_t chain[SIM_DEBUG_FRAMES_MAX];
    int count = sim_dwarf_inline_chain(&read->subroutines, address, chain, SIM_DEBUG_FRAMES_MAX);
    if (count < 0)
        return false;
    if (count == 0) {
        sim_debug_frame *frame = &frames->frames[0];
        if (!row_frame(frames, lines, address, frame))
            return false;
        frames->count = frame->file != NULL ? 1 : 0;
        return true;
    }
    uint32_t call_file = 0, call_line = 0, call_column = 0;
    for (int i = 0; i < count; i++) {
        sim_debug_frame *frame = &frames->frames[i];
        if (i == 0) {
            if (!row_frame(frames, lines, address, frame))
                return false;
        } else {
            *frame = (sim_debug_frame){.line = call_line, .column = call_column};
            if (lines != NULL && !keep_file(frames, lines, call_file, frame))
                return false;
        }
        if (!keep(frames, sim_dwarf_subroutine_name(&info->dwarf, chain[i]), &frame->function))
            return false;
        if (i + 1 < count)
            sim_dwarf_call_site(&info->dwarf, chain[i], &call_file, &call_line, &call_column);
    }
    frames->count = count;
    return true;
}

/* Reads the module's units when first needed; false when they cannot be. */
static bool dwarf_of(sim_debuginfo *info) {
    if (info->dwarf_state == DWARF_UNREAD) {
        info->dwarf_state = sim_dwarf_open(&info->dwarf, &info->sections) ? DWARF_READ : DWARF_BROKEN;
        if (info->dwarf_state == DWARF_READ) {
            info->units = calloc((size_t)info->dwarf.unit_count + 1, sizeof *info->units);
            if (info->units == NULL)
                sim_panic("out of memory reading debug information");
        }
    }
    return info->dwarf_state != DWARF_BROKEN;
}

/* Whether llvm-symbolizer would demangle `name` (an Itanium C++ name). */
static bool mangled(const char *name) { return name != NULL && strncmp(name, "_Z", 2) == 0; }

bool sim_debuginfo_code(sim_debuginfo *info, uint64_t address, sim_debug_frames *frames) {
    frames->count = 0;
    frames->text_used = 0;
    if (!dwarf_of(info))
        return false;
    sim_dwarf_unit *unit = info->dwarf_state == DWARF_READ ? sim_dwarf_unit_of_address(&info->dwarf, address) : NULL;
    if (unit != NULL && !unit_frames(info, unit, address, frames))
        return false;
    if (frames->count == 0)
        frames->frames[frames->count++] = (sim_debug_frame){0};
    /* The symbol table names the outermost frame. */
    sim_debug_frame *outermost = &frames->frames[frames->count - 1];
    sim_elf_symbol symbol;
    sim_elf_found found = sim_elf_symbol_at(&info->image, address, &symbol);
    if (found == SIM_ELF_UNREADABLE)
        return false;
    if (found == SIM_ELF_FOUND && !keep(frames, symbol.name, &outermost->function))
        return false;
    if (found == SIM_ELF_FOUND && symbol.file != NULL && frames->frames[0].file == NULL &&
        !keep(frames, symbol.file, &outermost->file))
        return false;
    for (int i = 0; i < frames->count; i++)
        if (mangled(frames->frames[i].function))
            return false;
    return true;
}

bool sim_debuginfo_data(sim_debuginfo *info, uint64_t address, sim_debug_global *global) {
    sim_elf_symbol symbol;
    *global = (sim_debug_global){0};
    switch (sim_elf_symbol_at(&info->image, address, &symbol)) {
    case SIM_ELF_FOUND:
        *global = (sim_debug_global){symbol.name, symbol.address, symbol.size};
        return !mangled(symbol.name);
    case SIM_ELF_ABSENT:
        return true;
    default:
        return false;
    }
}
