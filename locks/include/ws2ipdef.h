/* ws2ipdef.h: the IPv4 and IPv6 socket addresses (SOCKADDR_IN,
 * SOCKADDR_IN6, SOCKADDR_INET) and the longest text forms of an address, as the WDK has
 * them. Types only. */
#ifndef SPINSIM_WS2IPDEF_H
#define SPINSIM_WS2IPDEF_H

#include "in6addr.h"
#include "inaddr.h"
#include "ws2def.h"

#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

typedef struct sockaddr_in {
    ADDRESS_FAMILY sin_family;
    USHORT sin_port;
    IN_ADDR sin_addr;
    CHAR sin_zero[8];
} SOCKADDR_IN, *PSOCKADDR_IN;

typedef struct sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
    union {
        ULONG sin6_scope_id;
        SCOPE_ID sin6_scope_struct;
    };
} SOCKADDR_IN6, *PSOCKADDR_IN6, SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;

typedef union _SOCKADDR_INET {
    SOCKADDR_IN Ipv4;
    SOCKADDR_IN6 Ipv6;
    ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

#endif
