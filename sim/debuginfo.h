/* debuginfo.h: the in-process symbolizer (debuginfo.c). For an address of
 * an ELF image it answers what `llvm-symbolizer --inlines --relativenames
 * --functions=linkage` prints (the frames, innermost first) and what
 * `llvm-symbolizer 'DATA ...'` prints (the global that holds it), read
 * from the image's DWARF 4 or 5 and its symbol table. Where the image
 * holds something it does not read as llvm-symbolizer does (compressed or
 * split debug sections, debug information in another file, 64-bit DWARF,
 * anything malformed, a C++ name llvm-symbolizer would demangle) it gives
 * no answer, and the caller asks llvm-symbolizer. An answer depends on the
 * image's bytes and the address alone. */
#ifndef SIM_DEBUGINFO_H
#define SIM_DEBUGINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_image.h"

enum { SIM_DEBUG_FRAMES_MAX = 32, SIM_DEBUG_TEXT_MAX = 16384 };

typedef struct sim_debug_frame {
    const char *function;  /* NULL when unknown (llvm-symbolizer's "??") */
    const char *file;      /* NULL when unknown */
    uint32_t line, column; /* 0 when unknown */
} sim_debug_frame;

typedef struct sim_debug_frames {
    int count;
    sim_debug_frame frames[SIM_DEBUG_FRAMES_MAX]; /* innermost first */
    char text[SIM_DEBUG_TEXT_MAX];                /* the strings they point into */
    size_t text_used;
} sim_debug_frames;

typedef struct sim_debug_global {
    const char *name; /* NULL when no symbol holds the address */
    uint64_t address, size;
} sim_debug_global;

typedef struct sim_debuginfo sim_debuginfo;

/* A symbolizer of `image`, which must outlive it. It reads the image's
 * sections when first asked. */
sim_debuginfo *sim_debuginfo_open(const sim_elf_image *image);
void sim_debuginfo_close(sim_debuginfo *info);
/* The frames of the code at file address `address`; false for no answer. */
bool sim_debuginfo_code(sim_debuginfo *info, uint64_t address, sim_debug_frames *frames);
/* The global at file address `address`; false for no answer. */
bool sim_debuginfo_data(sim_debuginfo *info, uint64_t address, sim_debug_global *global);

#endif
