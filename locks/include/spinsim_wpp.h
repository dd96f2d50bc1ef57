/* spinsim_wpp.h: what a WPP-traced driver's generated trace message
 * headers (X.tmh, which the WDK's trace preprocessor writes for each
 * source that includes one) hold under spinsim. `spinsim build` writes
 * each X.tmh a source includes as one line including this header. The
 * trace function is the one the WDF template declares,
 * TraceEvents(LEVEL, FLAGS, MSG, ...): its arguments are evaluated and the
 * message is dropped (WPP's %!STATUS!-style conversions are no printf
 * format), so tracing is no scheduling point and leaves no trace line. */
#ifndef SPINSIM_WPP_H
#define SPINSIM_WPP_H

#include "evntrace.h"
#include "wdm.h"

static inline VOID spinsim_wpp_discard(ULONG Level, ...) { UNREFERENCED_PARAMETER(Level); }

#define TraceEvents(Level, Flags, ...) spinsim_wpp_discard((Level), __VA_ARGS__)
#define WPP_INIT_TRACING(DriverObject, RegistryPath) ((void)(DriverObject), (void)(RegistryPath))
#define WPP_CLEANUP(DriverObject) ((void)(DriverObject))

#endif
