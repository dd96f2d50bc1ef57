/* debuginfo_seed.c: the seeds of debuginfo_fuzzer, each a small ELF image
 * with no C library, built with DWARF 4 and with DWARF 5 (Makefile): a
 * function inlined into another, which is called from the entry point,
 * and a global the two update. */
static int counter;

static inline __attribute__((always_inline)) int twice(int x) { return x * 2; }

__attribute__((noinline)) int step(int x) {
    counter += twice(x);
    return counter;
}

void _start(void);

void _start(void) {
    step(1);
    for (;;)
        ;
}
