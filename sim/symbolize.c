/* symbolize.c turns code addresses of driver code into sites (file, line,
 * function), and data addresses into globals, by asking about the module
 * that holds them: first spinsim's own reader of the module's DWARF and
 * symbol table (debuginfo.c), which answers as llvm-symbolizer does without
 * starting one; where it has no answer, a symbolizer program:
 * llvm-symbolizer (it ships with LLVM), else binutils' addr2line (clang
 * depends on binutils). $SPINSIM_SYMBOLIZER, if set, is the one program
 * asked, as an llvm-symbolizer, and the reader is not. Either way the
 * answer is a list of frames, innermost first, and depends only on the
 * binary and the address's offset in its module, never on where the module
 * was loaded, so reports stay deterministic. File names are relative to
 * the compilation directory (as llvm-symbolizer --relativenames prints
 * them; the working directory is stripped from the others), so they read
 * as the wdm.h macros' __FILE__ does. Inlined frames of spinsim's own
 * headers (InsertTailList and friends in wdm.h) are skipped: a site names
 * the driver's line. Without any answer a site is the module's name and
 * the offset, still deterministic for one binary.
 *
 * Sites are interned per address for the process's life (one lookup per
 * distinct address), and each module's file is mapped once, for the
 * reader and for the sizes of its functions; only findings ask, so this is
 * never on a hot path. A site known before anything reads it (an ISR's,
 * when its interrupt is connected) is resolved only when something is
 * about to read it (sim_site_resolve): most runs never do. */
#define _GNU_SOURCE
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuginfo.h"
#include "grow.h"
#include "internal.h"
#include "symbolize.h"

enum { INTERNED_MAX = 4096, PATH_MAX_BYTES = 4096 };

typedef struct interned {
    uintptr_t pc;
    bool pending; /* not resolved yet: sim_site_of_pc_deferred */
    sim_site site;
} interned;

static interned *sites[INTERNED_MAX];
static int site_count;

/* ---- modules ---------------------------------------------------------------- */

typedef struct module_query {
    uintptr_t pc;
    char path[PATH_MAX_BYTES];
    uintptr_t vaddr; /* pc as a virtual address of the module's file */
    bool found;
} module_query;

/* The program's own file, as the kernel knows it. */
static const char *program_path(void) {
    static char path[PATH_MAX_BYTES];
    if (path[0] == '\0') {
        ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
        path[length > 0 ? length : 0] = '\0';
    }
    return path;
}

static int find_module(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    module_query *query = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + segment->p_vaddr;
        if (segment->p_type != PT_LOAD || query->pc < start || query->pc >= start + segment->p_memsz)
            continue;
        query->vaddr = query->pc - info->dlpi_addr;
        snprintf(query->path, sizeof query->path, "%s",
                 info->dlpi_name != NULL && info->dlpi_name[0] != '\0' ? info->dlpi_name : program_path());
        query->found = query->path[0] != '\0';
        return 1;
    }
    return 0;
}

static bool module_of(uintptr_t pc, module_query *query) {
    memset(query, 0, sizeof *query);
    query->pc = pc;
    dl_iterate_phdr(find_module, query);
    return query->found;
}

/* A module's file, mapped when first asked about. */
typedef struct module {
    char *path;
    bool mapped; /* `image` is its file */
    sim_elf_image image;
    sim_debuginfo *reader; /* NULL when the file is no image the reader reads */
} module;

static module *modules;
static int module_count, module_cap;

/* The module whose file is at `path`. */
static const module *module_named(const char *path) {
    for (int i = 0; i < module_count; i++)
        if (strcmp(modules[i].path, path) == 0)
            return &modules[i];
    modules = sim_grow_or_panic(modules, &module_cap, module_count + 1, sizeof *modules, 8, "symbolized modules");
    module *added = &modules[module_count++];
    if ((added->path = strdup(path)) == NULL)
        sim_panic("out of memory symbolizing");
    added->mapped = sim_elf_map_file(path, &added->image);
    added->reader = added->mapped ? sim_debuginfo_open(&added->image) : NULL;
    return added;
}

/* ---- running a symbolizer ------------------------------------------------------ */

/* Single-quotes `text` for the shell. */
static void shell_quote(const char *text, char *out, size_t size) {
    size_t at = 0;
    out[at++] = '\'';
    for (; *text != '\0' && at + 5 < size; text++) {
        if (*text == '\'') {
            memcpy(out + at, "'\\''", 4);
            at += 4;
        } else {
            out[at++] = *text;
        }
    }
    out[at++] = '\'';
    out[at] = '\0';
}

/* Runs `command` and reads its output into `out`; false when it printed
 * nothing. */
static bool run_reading(const char *command, char *out, size_t size) {
    FILE *pipe = popen(command, "r");
    if (pipe == NULL)
        return false;
    size_t length = fread(out, 1, size - 1, pipe);
    out[length] = '\0';
    pclose(pipe);
    return length > 0;
}

typedef enum tool { TOOL_LLVM, TOOL_ADDR2LINE } tool;

/* Asks `program` (an llvm-symbolizer or an addr2line) about `query`. */
static bool ask(tool kind, const char *program, const module_query *query, const char *request, char *out,
                size_t size) {
    char quoted_program[PATH_MAX_BYTES + 8], quoted_module[PATH_MAX_BYTES + 8], command[3 * PATH_MAX_BYTES];
    shell_quote(program, quoted_program, sizeof quoted_program);
    shell_quote(query->path, quoted_module, sizeof quoted_module);
    if (kind == TOOL_LLVM)
        snprintf(command, sizeof command,
                 "%s --obj=%s --inlines --relativenames --functions=linkage '%s0x%llx' 2>/dev/null", quoted_program,
                 quoted_module, request, (unsigned long long)query->vaddr);
    else
        snprintf(command, sizeof command, "%s -e %s -f -i 0x%llx 2>/dev/null", quoted_program, quoted_module,
                 (unsigned long long)query->vaddr);
    return run_reading(command, out, size);
}

/* Answers from the first symbolizer that answers at all. */
static bool symbolize(const module_query *query, const char *request, char *out, size_t size) {
    const char *chosen = getenv("SPINSIM_SYMBOLIZER");
    if (chosen != NULL && chosen[0] != '\0')
        return ask(TOOL_LLVM, chosen, query, request, out, size);
    static const struct {
        tool kind;
        const char *program;
    } tools[] = {{TOOL_LLVM, "llvm-symbolizer"}, {TOOL_LLVM, "llvm-symbolizer-14"}, {TOOL_ADDR2LINE, "addr2line"}};
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        if (request[0] != '\0' && tools[i].kind != TOOL_LLVM)
            continue;
        if (ask(tools[i].kind, tools[i].program, query, request, out, size))
            return true;
    }
    return false;
}

/* Reads a symbolizer's frames, in place: pairs of lines, the function,
 * then `file:line[:column]` or `file:line (discriminator N)`, "??" for
 * what it does not know. */
static void parse_frames(char *text, sim_debug_frames *frames) {
    frames->count = 0;
    char *save = NULL;
    for (char *name = strtok_r(text, "\n", &save); name != NULL && frames->count < SIM_DEBUG_FRAMES_MAX;
         name = strtok_r(NULL, "\n", &save)) {
        char *location = strtok_r(NULL, "\n", &save);
        if (location == NULL)
            break;
        sim_debug_frame *frame = &frames->frames[frames->count++];
        *frame = (sim_debug_frame){.function = strcmp(name, "??") == 0 ? NULL : name};
        char *space = strchr(location, ' ');
        if (space != NULL)
            *space = '\0';
        char *colon = strrchr(location, ':');
        if (colon != NULL && strchr(location, ':') != colon) {
            *colon = '\0'; /* the column */
            colon = strrchr(location, ':');
        }
        if (colon == NULL || strncmp(location, "??", 2) == 0)
            continue;
        *colon = '\0';
        frame->file = location;
        frame->line = (uint32_t)strtoul(colon + 1, NULL, 10);
    }
}

/* The in-process reader of the module at `query`; NULL when
 * $SPINSIM_SYMBOLIZER chooses a program instead, or the reader does not
 * read the module's file. */
static sim_debuginfo *reader_of(const module_query *query) {
    const char *chosen = getenv("SPINSIM_SYMBOLIZER");
    return chosen != NULL && chosen[0] != '\0' ? NULL : module_named(query->path)->reader;
}

/* The frames of the code at `query`: the reader's, else a symbolizer's. */
static bool code_frames(const module_query *query, sim_debug_frames *frames) {
    sim_debuginfo *reader = reader_of(query);
    if (reader != NULL && sim_debuginfo_code(reader, query->vaddr, frames))
        return true;
    if (!symbolize(query, "", frames->text, sizeof frames->text))
        return false;
    parse_frames(frames->text, frames);
    return true;
}

/* The global at `query`: the reader's, else llvm-symbolizer's (its name in
 * `text`). */
static bool data_global(const module_query *query, sim_debug_global *global, char *text, size_t size) {
    sim_debuginfo *reader = reader_of(query);
    if (reader != NULL && sim_debuginfo_data(reader, query->vaddr, global))
        return true;
    if (!symbolize(query, "DATA ", text, size))
        return false;
    /* "name\nstart size\n" */
    char *newline = strchr(text, '\n');
    unsigned long long start = 0, length = 0;
    *global = (sim_debug_global){0};
    if (newline != NULL && strncmp(text, "??", 2) != 0 && sscanf(newline + 1, "%llu %llu", &start, &length) == 2) {
        *newline = '\0';
        *global = (sim_debug_global){text, start, length};
    }
    return true;
}

/* ---- code sites ----------------------------------------------------------------- */

/* A frame's file is one of spinsim's own headers (inlined helpers). */
static bool is_spinsim_header(const char *file) {
    return strstr(file, "locks/include/") != NULL || strstr(file, "sim/include/") != NULL ||
           strstr(file, "include/spinsim/") != NULL;
}

/* `file` relative to the working directory when it is below it. */
static const char *relative_to_cwd(const char *file) {
    char cwd[PATH_MAX_BYTES];
    if (getcwd(cwd, sizeof cwd) != NULL) {
        size_t length = strlen(cwd);
        if (strncmp(file, cwd, length) == 0 && file[length] == '/')
            return file + length + 1;
    }
    return file;
}

/* Of the frames (innermost first) that know their file and line, keeps
 * the first outside spinsim's headers, else the last. */
static bool pick_frame(const sim_debug_frames *frames, char *file, size_t file_size, int *line, char *func,
                       size_t func_size) {
    bool found = false;
    for (int i = 0; i < frames->count; i++) {
        const sim_debug_frame *frame = &frames->frames[i];
        if (frame->file == NULL || frame->line == 0 || frame->line > INT_MAX)
            continue;
        snprintf(file, file_size, "%s", relative_to_cwd(frame->file));
        *line = (int)frame->line;
        snprintf(func, func_size, "%s", frame->function == NULL ? "?" : frame->function);
        found = true;
        if (!is_spinsim_header(frame->file))
            break;
    }
    return found;
}

static const char *basename_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static void resolve(uintptr_t pc, sim_site *site) {
    char file[PATH_MAX_BYTES] = "", func[256] = "";
    int line = 0;
    module_query query;
    sim_debug_frames frames;
    if (module_of(pc, &query) && code_frames(&query, &frames) &&
        pick_frame(&frames, file, sizeof file, &line, func, sizeof func)) {
        site->file = strdup(file);
        site->func = strdup(func);
        site->line = line;
        return;
    }
    /* No answer, or no debug info: the module and the offset. */
    snprintf(file, sizeof file, "%s", query.found ? basename_of(query.path) : "?");
    snprintf(func, sizeof func, "+0x%llx", (unsigned long long)(query.found ? query.vaddr : 0));
    site->file = strdup(file);
    site->func = strdup(func);
    site->line = 0;
}

/* What a deferred site reads until it is resolved, and how one is known. */
static const char unresolved[] = "?";

static void resolve_entry(interned *entry) {
    resolve(entry->pc, &entry->site);
    if (entry->site.file == NULL || entry->site.func == NULL)
        sim_panic("out of memory symbolizing");
    entry->pending = false;
}

/* The interned entry of `pc`, new and pending if there was none. */
static interned *entry_of(uintptr_t pc) {
    for (int i = 0; i < site_count; i++)
        if (sites[i]->pc == pc)
            return sites[i];
    interned *entry = calloc(1, sizeof *entry);
    if (entry == NULL)
        sim_panic("out of memory symbolizing");
    *entry = (interned){.pc = pc, .pending = true, .site = {.file = unresolved, .line = 0, .func = unresolved}};
    if (site_count == INTERNED_MAX)
        resolve_entry(entry);
    else
        sites[site_count++] = entry;
    return entry;
}

const sim_site *sim_site_of_pc(uintptr_t pc) {
    interned *entry = entry_of(pc);
    if (entry->pending)
        resolve_entry(entry);
    return &entry->site;
}

const sim_site *sim_site_of_pc_deferred(uintptr_t pc) { return &entry_of(pc)->site; }

const sim_site *sim_site_resolve(const sim_site *site) {
    if (site == NULL || site->file != unresolved)
        return site;
    for (int i = 0; i < site_count; i++)
        if (&sites[i]->site == site && sites[i]->pending)
            resolve_entry(sites[i]);
    return site;
}

const sim_site *sim_site_of_return(uintptr_t return_address) { return sim_site_of_pc(return_address - 1); }

/* The size of the function symbol at file address `vaddr` in the ELF file
 * `path` (its .symtab, else .dynsym), 0 when none is found. */
static size_t function_size(const char *path, uintptr_t vaddr) {
    const module *module = module_named(path);
    return module->mapped ? sim_elf_function_size(&module->image, vaddr) : 0;
}

const sim_site *sim_site_of_function_end(uintptr_t function) {
    enum { TAIL_TRIES = 32 };
    module_query query;
    size_t size = module_of(function, &query) ? function_size(query.path, query.vaddr) : 0;
    /* A function may end in code with no line of its own (padding, a
     * sanitizer's cold report call): the last instruction that has one. */
    for (size_t back = 1; back <= size && back <= TAIL_TRIES; back++) {
        const sim_site *site = sim_site_of_pc(function + size - back);
        if (site->line > 0)
            return site;
    }
    return sim_site_of_pc(function);
}

static bool in_program(uintptr_t pc) {
    module_query query;
    return module_of(pc, &query) && strcmp(query.path, program_path()) == 0;
}

static bool in_spinsim_sources(const sim_site *site) {
    return site->line == 0 || strncmp(site->file, "sim/", 4) == 0 || strncmp(site->file, "locks/", 6) == 0 ||
           strncmp(site->file, "fuzz/", 5) == 0;
}

const sim_site *sim_site_of_driver_frame(const uintptr_t *pcs, int count) {
    for (int i = 0; i < count; i++) {
        if (pcs[i] == 0 || !in_program(pcs[i]))
            continue;
        const sim_site *site = sim_site_of_pc(pcs[i]);
        if (!in_spinsim_sources(site))
            return site;
    }
    return NULL;
}

void sim_symbolize_data(uintptr_t addr, char *out, size_t size) {
    module_query query;
    sim_debug_global global;
    char text[1024];
    if (!module_of(addr, &query) || !data_global(&query, &global, text, sizeof text)) {
        snprintf(out, size, "driver memory");
        return;
    }
    if (global.name == NULL)
        snprintf(out, size, "a global of %s", basename_of(query.path));
    else if (query.vaddr > global.address)
        snprintf(out, size, "%s+0x%llx", global.name, (unsigned long long)(query.vaddr - global.address));
    else
        snprintf(out, size, "%s", global.name);
}
