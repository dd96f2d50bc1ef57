/* prng.h: the only randomness in spinsim, always seeded. splitmix64 for
 * seeding and stepping: small, fast and identical on every platform. */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdint.h>

#include "wraps.h"

typedef struct sim_prng {
    uint64_t state;
} sim_prng;

SIM_WRAPS static inline uint64_t sim_prng_next(sim_prng *prng) {
    uint64_t z = (prng->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A value in 0..bound-1 (bound > 0); the modulo bias is irrelevant here.
 * A power of two takes a mask instead of a division: the same value, for
 * the bounds most choices have (two CPUs, one in eight). */
static inline uint32_t sim_prng_below(sim_prng *prng, uint32_t bound) {
    uint64_t value = sim_prng_next(prng);
    if ((bound & (bound - 1)) == 0)
        return (uint32_t)(value & (bound - 1));
    return (uint32_t)(value % bound);
}

/* The generator of run `run_index` of a campaign seeded with `seed`. */
SIM_WRAPS static inline sim_prng sim_prng_for_run(uint64_t seed, uint64_t run_index) {
    sim_prng prng = {seed ^ (run_index * 0xd1b54a32d192ed03ull)};
    sim_prng_next(&prng);
    return prng;
}

#endif
