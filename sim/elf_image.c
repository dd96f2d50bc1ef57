/* elf_image.c: ELF images (elf_image.h), as the System V ABI's ELF-64
 * object file format lays them out. Headers and symbols are copied out of
 * the image before they are read: an image in memory need not be aligned
 * for them. */
#include "elf_image.h"

#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether `length` bytes at `offset` lie within the image. */
static bool within(const sim_elf_image *image, uint64_t offset, uint64_t length) {
    return offset <= image->size && length <= image->size - offset;
}

bool sim_elf_open(sim_elf_image *image, const void *bytes, size_t size) {
    Elf64_Ehdr header;
    *image = (sim_elf_image){.bytes = bytes, .size = size};
    if (size < sizeof header)
        return false;
    memcpy(&header, bytes, sizeof header);
    if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
        header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_machine != EM_X86_64 ||
        (header.e_type != ET_EXEC && header.e_type != ET_DYN))
        return false;
    image->section_headers = header.e_shoff;
    image->section_count = header.e_shnum;
    image->names = header.e_shstrndx;
    if (header.e_shnum == 0)
        return header.e_shoff == 0; /* more sections than e_shnum holds: not read */
    return header.e_shentsize == sizeof(Elf64_Shdr) &&
           within(image, header.e_shoff, (uint64_t)header.e_shnum * sizeof(Elf64_Shdr)) &&
           header.e_shstrndx < header.e_shnum;
}

bool sim_elf_map_file(const char *path, sim_elf_image *image) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    struct stat status;
    void *bytes = MAP_FAILED;
    if (fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0)
        bytes = mmap(NULL, (size_t)status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (bytes == MAP_FAILED)
        return false;
    if (sim_elf_open(image, bytes, (size_t)status.st_size))
        return true;
    munmap(bytes, (size_t)status.st_size);
    return false;
}

static Elf64_Shdr section_header(const sim_elf_image *image, uint64_t index) {
    Elf64_Shdr header;
    memcpy(&header, image->bytes + image->section_headers + index * sizeof header, sizeof header);
    return header;
}

/* The NUL-terminated string at `offset` of a section of strings, or NULL. */
static const char *string_in(const sim_elf_image *image, const Elf64_Shdr *strings, uint64_t offset) {
    if (strings->sh_type == SHT_NOBITS || !within(image, strings->sh_offset, strings->sh_size) ||
        offset >= strings->sh_size)
        return NULL;
    const char *start = (const char *)image->bytes + strings->sh_offset + offset;
    return memchr(start, '\0', strings->sh_size - offset) != NULL ? start : NULL;
}

sim_elf_found sim_elf_section(const sim_elf_image *image, const char *name, const uint8_t **data, uint64_t *size) {
    if (image->section_count == 0)
        return SIM_ELF_ABSENT;
    Elf64_Shdr names = section_header(image, image->names), found = {0};
    int matches = 0;
    for (uint64_t i = 0; i < image->section_count; i++) {
        Elf64_Shdr header = section_header(image, i);
        const char *its = string_in(image, &names, header.sh_name);
        if (its != NULL && strcmp(its, name) == 0) {
            found = header;
            matches++;
        }
    }
    if (matches == 0)
        return SIM_ELF_ABSENT;
    if (matches > 1 || (found.sh_flags & SHF_COMPRESSED) != 0 ||
        (found.sh_type != SHT_NOBITS && !within(image, found.sh_offset, found.sh_size)))
        return SIM_ELF_UNREADABLE;
    *data = found.sh_type == SHT_NOBITS ? NULL : image->bytes + found.sh_offset;
    *size = found.sh_type == SHT_NOBITS ? 0 : found.sh_size;
    return SIM_ELF_FOUND;
}

/* A symbol table and its strings. */
typedef struct symbols {
    Elf64_Shdr table, strings;
    uint64_t count;
} symbols;

/* The first section of `type` (SHT_SYMTAB, SHT_DYNSYM) as a symbol table. */
static sim_elf_found find_symbols(const sim_elf_image *image, uint32_t type, symbols *found) {
    for (uint64_t i = 0; i < image->section_count; i++) {
        found->table = section_header(image, i);
        if (found->table.sh_type != type)
            continue;
        if (found->table.sh_entsize != sizeof(Elf64_Sym) || found->table.sh_size % sizeof(Elf64_Sym) != 0 ||
            !within(image, found->table.sh_offset, found->table.sh_size) ||
            found->table.sh_link >= image->section_count)
            return SIM_ELF_UNREADABLE;
        found->strings = section_header(image, found->table.sh_link);
        found->count = found->table.sh_size / sizeof(Elf64_Sym);
        return SIM_ELF_FOUND;
    }
    return SIM_ELF_ABSENT;
}

static Elf64_Sym symbol_at(const sim_elf_image *image, const symbols *table, uint64_t index) {
    Elf64_Sym symbol;
    memcpy(&symbol, image->bytes + table->table.sh_offset + index * sizeof symbol, sizeof symbol);
    return symbol;
}

/* The table llvm-symbolizer reads: .symtab, or .dynsym when .symtab has no
 * symbol (past the null one at index 0). */
static sim_elf_found table_of(const sim_elf_image *image, symbols *table) {
    sim_elf_found found = find_symbols(image, SHT_SYMTAB, table);
    if (found == SIM_ELF_FOUND && table->count > 1)
        return found;
    if (found == SIM_ELF_UNREADABLE)
        return found;
    return find_symbols(image, SHT_DYNSYM, table);
}

/* Whether the symbol lies in a section of the image (not undefined,
 * absolute, common or out of range). */
static bool in_section(const sim_elf_image *image, const Elf64_Sym *symbol) {
    return symbol->st_shndx != SHN_UNDEF && symbol->st_shndx < SHN_LORESERVE && symbol->st_shndx < image->section_count;
}

sim_elf_found sim_elf_symbol_at(const sim_elf_image *image, uint64_t address, sim_elf_symbol *out) {
    symbols table;
    sim_elf_found found = table_of(image, &table);
    if (found != SIM_ELF_FOUND)
        return found;
    uint64_t best = 0; /* none: index 0 is the null symbol */
    Elf64_Sym chosen = {0};
    for (uint64_t i = 1; i < table.count; i++) {
        Elf64_Sym symbol = symbol_at(image, &table, i);
        int type = ELF64_ST_TYPE(symbol.st_info);
        if (symbol.st_shndx == SHN_XINDEX)
            return SIM_ELF_UNREADABLE; /* its section is in another table */
        if (!in_section(image, &symbol) ||
            (type != STT_NOTYPE && type != STT_OBJECT && type != STT_FUNC && type != STT_GNU_IFUNC) ||
            symbol.st_value > address)
            continue;
        if (best == 0 || symbol.st_value > chosen.st_value ||
            (symbol.st_value == chosen.st_value && symbol.st_size >= chosen.st_size)) {
            best = i;
            chosen = symbol;
        }
    }
    if (best == 0 || (chosen.st_size != 0 &&
                      (chosen.st_size > UINT64_MAX - chosen.st_value || chosen.st_value + chosen.st_size <= address)))
        return SIM_ELF_ABSENT;
    *out = (sim_elf_symbol){.address = chosen.st_value, .size = chosen.st_size};
    out->name = string_in(image, &table.strings, chosen.st_name);
    if (out->name == NULL)
        return SIM_ELF_UNREADABLE;
    /* A local symbol belongs to the file named by the last STT_FILE
     * symbol before it (such symbols have no section). */
    for (uint64_t i = best - 1; ELF64_ST_BIND(chosen.st_info) == STB_LOCAL && i >= 1; i--) {
        Elf64_Sym symbol = symbol_at(image, &table, i);
        if (ELF64_ST_TYPE(symbol.st_info) == STT_FILE && !in_section(image, &symbol)) {
            out->file = string_in(image, &table.strings, symbol.st_name);
            if (out->file != NULL && out->file[0] == '\0')
                out->file = NULL;
            break;
        }
    }
    return SIM_ELF_FOUND;
}

uint64_t sim_elf_function_size(const sim_elf_image *image, uint64_t address) {
    static const uint32_t types[] = {SHT_SYMTAB, SHT_DYNSYM};
    for (int t = 0; t < 2; t++) {
        symbols table;
        if (find_symbols(image, types[t], &table) != SIM_ELF_FOUND)
            continue;
        for (uint64_t i = 0; i < table.count; i++) {
            Elf64_Sym symbol = symbol_at(image, &table, i);
            if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_value != address)
                continue;
            if (symbol.st_size != 0)
                return symbol.st_size;
            break;
        }
    }
    return 0;
}
