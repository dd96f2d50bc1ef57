/* elf_image.h: an ELF file as bytes in memory (elf_image.c): its sections
 * by name, and the symbol of its symbol table that llvm-symbolizer names
 * an address by. The image is a pointer and a length that its owner keeps
 * alive; every offset and size the file gives is checked against the
 * length before anything is read there. sim_elf_map_file maps a file
 * read-only as an image. Only what spinsim runs on is read: 64-bit
 * little-endian x86-64 executables and shared objects. */
#ifndef SIM_ELF_IMAGE_H
#define SIM_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_elf_image {
    const uint8_t *bytes;
    size_t size;
    uint64_t section_headers; /* e_shoff */
    uint16_t section_count;
    uint16_t names; /* the section holding section names */
} sim_elf_image;

typedef enum sim_elf_found {
    SIM_ELF_ABSENT,     /* there is none */
    SIM_ELF_FOUND,      /* here it is */
    SIM_ELF_UNREADABLE, /* there is one, which it does not read (compressed, outside the image, ...) */
} sim_elf_found;

typedef struct sim_elf_symbol {
    const char *name;
    uint64_t address, size;
    const char *file; /* a local symbol's STT_FILE name, else NULL */
} sim_elf_symbol;

/* Reads the ELF header of `size` bytes at `bytes`; false when they are no
 * ELF file it reads. */
bool sim_elf_open(sim_elf_image *image, const void *bytes, size_t size);
/* Maps the file at `path` read-only and opens it; the mapping lasts as
 * long as the process. False when it cannot. */
bool sim_elf_map_file(const char *path, sim_elf_image *image);
/* The bytes of the section named `name` (none of them for SHT_NOBITS).
 * Unreadable when it is compressed, lies outside the image or shares its
 * name with another. */
sim_elf_found sim_elf_section(const sim_elf_image *image, const char *name, const uint8_t **data, uint64_t *size);
/* The symbol llvm-symbolizer names `address` by, from .symtab (or .dynsym
 * when .symtab has no symbols): of the function, object, untyped and
 * indirect-function symbols of a section, the one with the greatest
 * address not above it (the biggest there, the last of equals), unless it
 * has a size and ends before the address. Unreadable when the table or
 * the symbol's name is broken. */
sim_elf_found sim_elf_symbol_at(const sim_elf_image *image, uint64_t address, sim_elf_symbol *symbol);
/* The size of the first function symbol at exactly `address` in .symtab,
 * else in .dynsym; 0 when there is none with a size. */
uint64_t sim_elf_function_size(const sim_elf_image *image, uint64_t address);

#endif
