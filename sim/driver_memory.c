/* driver_memory.c: the C library's memory routines as driver code calls
 * them. Driver code is built with -Dmemset=spinsim_memset (and memcpy,
 * memmove, memcmp) and -fno-builtin (SPINSIM_DRIVER_CFLAGS in the
 * Makefile, and spinsim.pc for drivers built out of tree), so its own calls
 * of them, and RtlZeroMemory, RtlFillMemory, RtlCopyMemory, RtlMoveMemory
 * and RtlEqualMemory (wdm.h's macros over them), come here. Each hands the
 * bytes it reads, then those it writes, to the race and use-after-free
 * checks (shadow.c), with its caller's code address as the site, as the
 * compiler's hooks hand over a plain load or store; then it does its work.
 *
 * Without this, a counter reset with RtlZeroMemory, or a snapshot taken
 * with RtlCopyMemory, would race unseen: the compiler hooks loads and
 * stores, not calls. -fno-builtin also keeps the optimizer from merging a
 * run of plain stores (zeroing fields one by one) into a memset of its
 * own, which no hook would see either. What still goes unseen: a
 * structure assigned or initialized whole (`*a = *b`), which the compiler
 * copies without a call. Lock code reports the driver memory its own
 * routines read and write through sim_driver_access (RtlCompareMemory). */
#include <stdint.h>
#include <string.h>

#include "shadow.h"
#include "sim_machine.h"

void *spinsim_memset(void *destination, int fill, size_t length);
void *spinsim_memcpy(void *destination, const void *source, size_t length);
void *spinsim_memmove(void *destination, const void *source, size_t length);
int spinsim_memcmp(const void *first, const void *second, size_t length);

void sim_driver_access(const volatile void *addr, size_t size, bool write, const void *caller) {
    if (size > 0)
        sim_shadow_access((uintptr_t)addr, size, write, (uintptr_t)caller);
}

__attribute__((noinline)) void *spinsim_memset(void *destination, int fill, size_t length) {
    sim_driver_access(destination, length, true, __builtin_return_address(0));
    return memset(destination, fill, length);
}

/* What a copy of `length` bytes touches: it reads `source`, then writes
 * `destination`. */
static void copy_access(void *destination, const void *source, size_t length, const void *caller) {
    sim_driver_access(source, length, false, caller);
    sim_driver_access(destination, length, true, caller);
}

__attribute__((noinline)) void *spinsim_memcpy(void *destination, const void *source, size_t length) {
    copy_access(destination, source, length, __builtin_return_address(0));
    return memcpy(destination, source, length);
}

__attribute__((noinline)) void *spinsim_memmove(void *destination, const void *source, size_t length) {
    copy_access(destination, source, length, __builtin_return_address(0));
    return memmove(destination, source, length);
}

__attribute__((noinline)) int spinsim_memcmp(const void *first, const void *second, size_t length) {
    const void *caller = __builtin_return_address(0);
    sim_driver_access(first, length, false, caller);
    sim_driver_access(second, length, false, caller);
    return memcmp(first, second, length);
}
