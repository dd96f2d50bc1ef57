/* native_pairs.c: `build/native-pairs PAIRS REPEATS`, the native side of the
 * simulated-against-native section (bench/vs_native.c): the lock families'
 * pair loops of bench/lock_pairs.c on the native backend, one thread,
 * uncontended. Prints "FAMILY NS" per family, in bench_family order: the
 * best of REPEATS of ns per acquire+release pair over PAIRS pairs. */
#include <stdio.h>
#include <stdlib.h>

#include "../clock.h"
#include "../lock_pairs.h"

int main(int argc, char **argv) {
    const long pairs = argc == 3 ? strtol(argv[1], NULL, 10) : 0;
    const int repeats = argc == 3 ? atoi(argv[2]) : 0;
    if (pairs <= 0 || repeats <= 0) {
        fprintf(stderr, "usage: native-pairs PAIRS REPEATS (both positive)\n");
        return 2;
    }
    static bench_locks locks;
    bench_locks_init(&locks);
    for (int family = 0; family < BENCH_FAMILY_COUNT; family++) {
        double best = 1e30;
        for (int r = 0; r < repeats; r++) {
            const double start = bench_cpu_ns();
            bench_lock_pairs(&locks, family, pairs);
            const double ns = (bench_cpu_ns() - start) / (double)pairs;
            best = ns < best ? ns : best;
        }
        printf("%s %.3f\n", bench_family_names[family], best);
    }
    return 0;
}
