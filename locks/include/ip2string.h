/* ip2string.h: converting IP addresses between text and IN_ADDR/IN6_ADDR,
 * the Rtl routines a driver reads its configuration with. spinsim does not
 * model them (locks/include/README.md, "Routines spinsim does not
 * model"): a harness that runs such code defines them. */
#ifndef SPINSIM_IP2STRING_H
#define SPINSIM_IP2STRING_H

#include "in6addr.h"
#include "inaddr.h"

/* ---- routines spinsim declares but does not model ------------------------- */

NTSTATUS RtlIpv4StringToAddressW(PCWSTR S, BOOLEAN Strict, LPCWSTR *Terminator, struct in_addr *Addr);
NTSTATUS RtlIpv6StringToAddressW(PCWSTR S, PCWSTR *Terminator, struct in6_addr *Addr);
NTSTATUS RtlIpv4StringToAddressA(PCSTR S, BOOLEAN Strict, PCSTR *Terminator, struct in_addr *Addr);
NTSTATUS RtlIpv6StringToAddressA(PCSTR S, PCSTR *Terminator, struct in6_addr *Addr);
PWSTR RtlIpv4AddressToStringW(const struct in_addr *Addr, PWSTR S);
PWSTR RtlIpv6AddressToStringW(const struct in6_addr *Addr, PWSTR S);
PSTR RtlIpv4AddressToStringA(const struct in_addr *Addr, PSTR S);
PSTR RtlIpv6AddressToStringA(const struct in6_addr *Addr, PSTR S);

#endif
