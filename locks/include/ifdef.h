/* ifdef.h: how network interfaces and compartments are named, as the WDK
 * has it: IF_INDEX, NET_LUID, COMPARTMENT_ID. Types only. */
#ifndef SPINSIM_IFDEF_H
#define SPINSIM_IFDEF_H

#include "ntdef.h"

typedef ULONG NET_IFINDEX, *PNET_IFINDEX;
typedef NET_IFINDEX IF_INDEX, *PIF_INDEX;
typedef USHORT NET_IFTYPE, *PNET_IFTYPE;

#define NET_IFINDEX_UNSPECIFIED ((NET_IFINDEX)0)
#define IFI_UNSPECIFIED NET_IFINDEX_UNSPECIFIED

typedef union _NET_LUID_LH {
    ULONG64 Value;
    struct {
        ULONG64 Reserved : 24;
        ULONG64 NetLuidIndex : 24;
        ULONG64 IfType : 16;
    } Info;
} NET_LUID_LH, *PNET_LUID_LH, NET_LUID, *PNET_LUID, IF_LUID, *PIF_LUID;

typedef enum {
    UNSPECIFIED_COMPARTMENT_ID = 0,
    DEFAULT_COMPARTMENT_ID,
} COMPARTMENT_ID,
    *PCOMPARTMENT_ID;

#endif
