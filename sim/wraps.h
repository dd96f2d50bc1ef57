/* wraps.h: SIM_WRAPS marks a function whose unsigned arithmetic wraps on
 * purpose (hashes, the PRNG). UBSan's unsigned-integer-overflow check,
 * which OSS-Fuzz's `undefined` build turns on, leaves it alone. */
#ifndef SIM_WRAPS_H
#define SIM_WRAPS_H

#define SIM_WRAPS __attribute__((no_sanitize("unsigned-integer-overflow")))

#endif
