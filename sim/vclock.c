/* vclock.c joins wide vector clocks: vclock.h's loops compiled twice, for
 * the baseline x86-64 (SSE2, which has no unsigned 32-bit maximum) and
 * for AVX2 (eight lanes and a maximum instruction), the second taken when
 * the host has AVX2. The result is the same either way. Chosen by a test,
 * not an ifunc: a resolver runs before the sanitizer runtimes are ready.
 *
 * The joins are never inlined: the machine's callers are compiled with a
 * profile of the bundled scenarios (Makefile, PGO), whose clocks are all
 * narrow, and inlined into a call the profile never saw, a loop would be
 * compiled as cold code, not vectorized. */
#include "vclock.h"

#define JOIN __attribute__((noinline)) static void

JOIN join_baseline(vclock *into, const vclock *from, int width){VCLOCK_JOIN_LOOP(into, from, width)}

JOIN join_both_baseline(vclock *a, vclock *b, int width) {
    VCLOCK_JOIN_BOTH_LOOP(a, b, width)
}

__attribute__((target("avx2"))) JOIN join_avx2(vclock *into, const vclock *from, int width) {
    VCLOCK_JOIN_LOOP(into, from, width)
}

__attribute__((target("avx2"))) JOIN join_both_avx2(vclock *a, vclock *b, int width) {
    VCLOCK_JOIN_BOTH_LOOP(a, b, width)
}

static bool has_avx2(void) {
    static int known = -1;
    if (known < 0)
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
    return known == 1;
}

void vclock_join_wide(vclock *into, const vclock *from, int width) {
    if (has_avx2())
        join_avx2(into, from, width);
    else
        join_baseline(into, from, width);
}

void vclock_join_both_wide(vclock *a, vclock *b, int width) {
    if (has_avx2())
        join_both_avx2(a, b, width);
    else
        join_both_baseline(a, b, width);
}
