/* dontuse.h: in the WDK it marks the C library's unsafe string routines
 * deprecated. Drivers include it; spinsim declares none of those routines,
 * so it has nothing to mark. */
#ifndef SPINSIM_DONTUSE_H
#define SPINSIM_DONTUSE_H
#endif
