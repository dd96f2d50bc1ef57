/* access.c receives every plain load and store of driver code. Driver code
 * (scenarios and a driver author's sources, never sim/ or locks/) is built
 * with -fsanitize-coverage=inline-bool-flag,trace-loads,trace-stores, so
 * the compiler calls these hooks with the address just before each access;
 * the return address is the access's code address. They hand both to
 * shadow.c. The coverage flags themselves are the compiler's business:
 * the plain builds want nothing from them (a weak no-op below); libFuzzer
 * and the sanitizer runtimes bring their own. */
#include <stdbool.h>
#include <stdint.h>

#include "shadow.h"

#define ACCESS_HOOKS(bytes, type)                                                                                      \
    void __sanitizer_cov_load##bytes(type *addr);                                                                      \
    void __sanitizer_cov_store##bytes(type *addr);                                                                     \
    void __sanitizer_cov_load##bytes(type *addr) {                                                                     \
        sim_shadow_access((uintptr_t)addr, bytes, false, (uintptr_t)__builtin_return_address(0));                      \
    }                                                                                                                  \
    void __sanitizer_cov_store##bytes(type *addr) {                                                                    \
        sim_shadow_access((uintptr_t)addr, bytes, true, (uintptr_t)__builtin_return_address(0));                       \
    }

ACCESS_HOOKS(1, uint8_t)
ACCESS_HOOKS(2, uint16_t)
ACCESS_HOOKS(4, uint32_t)
ACCESS_HOOKS(8, uint64_t)
ACCESS_HOOKS(16, __int128)

/* inline-bool-flag needs its registration hook; spinsim uses no flags. */
void __sanitizer_cov_bool_flag_init(bool *start, bool *end);
__attribute__((weak)) void __sanitizer_cov_bool_flag_init(bool *start, bool *end) { (void)start, (void)end; }
