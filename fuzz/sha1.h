/* sha1.h: SHA-1 (FIPS 180-4), only to name a finding's schedule after the
 * crash file libFuzzer writes for the same input (crash-<sha1>). */
#ifndef SIM_FUZZ_SHA1_H
#define SIM_FUZZ_SHA1_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 40 lowercase hex digits of SHA-1(data) and a NUL to `hex`. */
void sim_sha1_hex(const uint8_t *data, size_t size, char hex[41]);

#endif
