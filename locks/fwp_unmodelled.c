/* fwp_unmodelled.c owns the routines of fwpsk.h that spinsim declares but
 * does not model (flow contexts, stream data copies and clones, header
 * construction) and ip2string.h's address conversions: each stops the run
 * naming itself unless the harness defines it (unmodelled.c). */
#include "fwpsk.h"
#include "ip2string.h"
#include "lock_internal.h"

SPINSIM_UNMODELLED(NTSTATUS, FwpsFlowAssociateContext0,
                   (UINT64 flowId, UINT16 layerId, UINT32 calloutId, UINT64 flowContext))
SPINSIM_UNMODELLED(NTSTATUS, FwpsFlowRemoveContext0, (UINT64 flowId, UINT16 layerId, UINT32 calloutId))
SPINSIM_UNMODELLED(NTSTATUS, FwpsFlowAbort0, (UINT64 flowId))
SPINSIM_UNMODELLED(NTSTATUS, FwpsStreamContinue0, (UINT64 flowId, UINT32 calloutId, UINT16 layerId, UINT32 streamFlags))
SPINSIM_UNMODELLED(void, FwpsCopyStreamDataToBuffer0,
                   (const FWPS_STREAM_DATA0 *streamData, PVOID buffer, SIZE_T bytesToCopy, SIZE_T *bytesCopied))
SPINSIM_UNMODELLED(NTSTATUS, FwpsCloneStreamData0,
                   (FWPS_STREAM_DATA0 * calloutStreamData, NDIS_HANDLE netBufferListPoolHandle,
                    NDIS_HANDLE netBufferPoolHandle, ULONG allocateCloneFlags, NET_BUFFER_LIST **netBufferListChain))
SPINSIM_UNMODELLED(void, FwpsDiscardClonedStreamData0,
                   (NET_BUFFER_LIST * netBufferListChain, UINT32 allocateCloneFlags, BOOLEAN dispatchLevel))
SPINSIM_UNMODELLED(NTSTATUS, FwpsConstructIpHeaderForTransportPacket0,
                   (NET_BUFFER_LIST * netBufferList, ULONG headerIncludeHeaderLength, ADDRESS_FAMILY addressFamily,
                    const UCHAR *sourceAddress, const UCHAR *remoteAddress, IPPROTO nextProtocol, UINT64 endpointHandle,
                    const WSACMSGHDR *controlData, ULONG controlDataLength, UINT32 flags, PVOID reserved,
                    IF_INDEX interfaceIndex, IF_INDEX subInterfaceIndex))

SPINSIM_UNMODELLED(NTSTATUS, RtlIpv4StringToAddressW,
                   (PCWSTR S, BOOLEAN Strict, LPCWSTR *Terminator, struct in_addr *Addr))
SPINSIM_UNMODELLED(NTSTATUS, RtlIpv6StringToAddressW, (PCWSTR S, PCWSTR *Terminator, struct in6_addr *Addr))
SPINSIM_UNMODELLED(NTSTATUS, RtlIpv4StringToAddressA,
                   (PCSTR S, BOOLEAN Strict, PCSTR *Terminator, struct in_addr *Addr))
SPINSIM_UNMODELLED(NTSTATUS, RtlIpv6StringToAddressA, (PCSTR S, PCSTR *Terminator, struct in6_addr *Addr))
SPINSIM_UNMODELLED(PWSTR, RtlIpv4AddressToStringW, (const struct in_addr *Addr, PWSTR S))
SPINSIM_UNMODELLED(PWSTR, RtlIpv6AddressToStringW, (const struct in6_addr *Addr, PWSTR S))
SPINSIM_UNMODELLED(PSTR, RtlIpv4AddressToStringA, (const struct in_addr *Addr, PSTR S))
SPINSIM_UNMODELLED(PSTR, RtlIpv6AddressToStringA, (const struct in6_addr *Addr, PSTR S))
