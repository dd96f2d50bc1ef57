/* debuginfo_fuzzer.c: fuzzes the in-process symbolizer (sim/debuginfo.c,
 * sim/elf_image.c and the DWARF readers sim/dwarf_*.c). Any bytes, taken
 * as an ELF image, open or are refused; every question about them is
 * answered or refused, never with a crash, a read outside them, a leak or
 * a hang. It asks about code and data at addresses around the image's
 * entry point, where the seeds (debuginfo_seed.c) have their functions and
 * their global. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo.h"
#include "wraps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* `delta` bytes from `entry`, wrapping as addresses do. */
SIM_WRAPS static uint64_t near(uint64_t entry, int64_t delta) { return entry + (uint64_t)delta; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int64_t around[] = {-64, -32, -16, -8, -1, 0, 1, 4, 8, 16, 36, 64};
    static sim_debug_frames frames;
    sim_elf_image image;
    if (!sim_elf_open(&image, data, size))
        return 0;
    Elf64_Ehdr header;
    memcpy(&header, data, sizeof header);
    sim_debuginfo *info = sim_debuginfo_open(&image);
    for (size_t i = 0; i < sizeof around / sizeof around[0]; i++) {
        uint64_t address = near(header.e_entry, around[i]);
        sim_debug_global global;
        /* An answer has a frame at least. */
        if (sim_debuginfo_code(info, address, &frames) && (frames.count < 1 || frames.count > SIM_DEBUG_FRAMES_MAX))
            abort();
        sim_debuginfo_data(info, address, &global);
    }
    sim_debuginfo_close(info);
    return 0;
}
