/* fwpsk.h: the Windows Filtering Platform's callout interface, what a WFP
 * callout driver is built of: the classify, notify and flow-delete
 * functions and the structures they get (incoming values and metadata,
 * the filter, the classify output), run-time layer and field identifiers,
 * registration, pending and completing, packet injection, cloning and
 * referencing net buffer lists, stream data. The version-independent
 * names (FwpsCalloutRegister, FWPS_CALLOUT...) are in fwpvi.h.
 *
 * spinsim has no filtering engine: nothing is classified unless a harness
 * calls a callout (sim_fwps_classify_later, sim.h). The routines that
 * carry an IRQL contract are modelled and check it (locks/fwps.c):
 * registration at PASSIVE_LEVEL, the data path at or below DISPATCH_LEVEL;
 * an injection completes later, in a DPC on the next CPU at a step the
 * scheduler chooses, as WFP completes it asynchronously. Stream cloning, flow contexts and header
 * construction are declared and not modelled. Field identifiers are those
 * of Windows 7; the Windows 8 and later fields of each layer, and the
 * layers added after Windows Vista, are not included. */
#ifndef SPINSIM_FWPSK_H
#define SPINSIM_FWPSK_H

#include "fwpmk.h"
#include "fwptypes.h"
#include "ifdef.h"
#include "ndis.h"
#include "ws2ipdef.h"

/* ---- run-time layers ---------------------------------------------------- */

typedef enum FWPS_BUILTIN_LAYERS_ {
    FWPS_LAYER_INBOUND_IPPACKET_V4,
    FWPS_LAYER_INBOUND_IPPACKET_V4_DISCARD,
    FWPS_LAYER_INBOUND_IPPACKET_V6,
    FWPS_LAYER_INBOUND_IPPACKET_V6_DISCARD,
    FWPS_LAYER_OUTBOUND_IPPACKET_V4,
    FWPS_LAYER_OUTBOUND_IPPACKET_V4_DISCARD,
    FWPS_LAYER_OUTBOUND_IPPACKET_V6,
    FWPS_LAYER_OUTBOUND_IPPACKET_V6_DISCARD,
    FWPS_LAYER_IPFORWARD_V4,
    FWPS_LAYER_IPFORWARD_V4_DISCARD,
    FWPS_LAYER_IPFORWARD_V6,
    FWPS_LAYER_IPFORWARD_V6_DISCARD,
    FWPS_LAYER_INBOUND_TRANSPORT_V4,
    FWPS_LAYER_INBOUND_TRANSPORT_V4_DISCARD,
    FWPS_LAYER_INBOUND_TRANSPORT_V6,
    FWPS_LAYER_INBOUND_TRANSPORT_V6_DISCARD,
    FWPS_LAYER_OUTBOUND_TRANSPORT_V4,
    FWPS_LAYER_OUTBOUND_TRANSPORT_V4_DISCARD,
    FWPS_LAYER_OUTBOUND_TRANSPORT_V6,
    FWPS_LAYER_OUTBOUND_TRANSPORT_V6_DISCARD,
    FWPS_LAYER_STREAM_V4,
    FWPS_LAYER_STREAM_V4_DISCARD,
    FWPS_LAYER_STREAM_V6,
    FWPS_LAYER_STREAM_V6_DISCARD,
    FWPS_LAYER_DATAGRAM_DATA_V4,
    FWPS_LAYER_DATAGRAM_DATA_V4_DISCARD,
    FWPS_LAYER_DATAGRAM_DATA_V6,
    FWPS_LAYER_DATAGRAM_DATA_V6_DISCARD,
    FWPS_LAYER_INBOUND_ICMP_ERROR_V4,
    FWPS_LAYER_INBOUND_ICMP_ERROR_V4_DISCARD,
    FWPS_LAYER_INBOUND_ICMP_ERROR_V6,
    FWPS_LAYER_INBOUND_ICMP_ERROR_V6_DISCARD,
    FWPS_LAYER_OUTBOUND_ICMP_ERROR_V4,
    FWPS_LAYER_OUTBOUND_ICMP_ERROR_V4_DISCARD,
    FWPS_LAYER_OUTBOUND_ICMP_ERROR_V6,
    FWPS_LAYER_OUTBOUND_ICMP_ERROR_V6_DISCARD,
    FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V4,
    FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V4_DISCARD,
    FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V6,
    FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V6_DISCARD,
    FWPS_LAYER_ALE_AUTH_LISTEN_V4,
    FWPS_LAYER_ALE_AUTH_LISTEN_V4_DISCARD,
    FWPS_LAYER_ALE_AUTH_LISTEN_V6,
    FWPS_LAYER_ALE_AUTH_LISTEN_V6_DISCARD,
    FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4,
    FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4_DISCARD,
    FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6,
    FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6_DISCARD,
    FWPS_LAYER_ALE_AUTH_CONNECT_V4,
    FWPS_LAYER_ALE_AUTH_CONNECT_V4_DISCARD,
    FWPS_LAYER_ALE_AUTH_CONNECT_V6,
    FWPS_LAYER_ALE_AUTH_CONNECT_V6_DISCARD,
    FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4,
    FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4_DISCARD,
    FWPS_LAYER_ALE_FLOW_ESTABLISHED_V6,
    FWPS_LAYER_ALE_FLOW_ESTABLISHED_V6_DISCARD,
} FWPS_BUILTIN_LAYERS;

/* ---- data field identifiers, one enumeration per layer and IP version ---- */

/* Each list names a layer's fields in the WDK's order; it is spelled once
 * and expands to the _V4 and the _V6 enumeration. */
#define SPINSIM_FWPS_FIELD(LAYER, V, NAME) FWPS_FIELD_##LAYER##_##V##_##NAME,
#define SPINSIM_FWPS_FIELDS(LAYER, V, LIST)                                                                            \
    typedef enum FWPS_FIELDS_##LAYER##_##V##_{LIST(LAYER, V, SPINSIM_FWPS_FIELD)                                       \
                                                  FWPS_FIELD_##LAYER##_##V##_MAX} FWPS_FIELDS_##LAYER##_##V;

#define SPINSIM_FWPS_TRANSPORT_FIELDS(LAYER, V, F)                                                                     \
    F(LAYER, V, IP_PROTOCOL)                                                                                           \
    F(LAYER, V, IP_LOCAL_ADDRESS)                                                                                      \
    F(LAYER, V, IP_LOCAL_ADDRESS_TYPE)                                                                                 \
    F(LAYER, V, IP_REMOTE_ADDRESS)                                                                                     \
    F(LAYER, V, IP_LOCAL_PORT)                                                                                         \
    F(LAYER, V, IP_REMOTE_PORT)                                                                                        \
    F(LAYER, V, IP_LOCAL_INTERFACE)                                                                                    \
    F(LAYER, V, INTERFACE_INDEX)                                                                                       \
    F(LAYER, V, SUB_INTERFACE_INDEX)
#define SPINSIM_FWPS_INBOUND_TRANSPORT_FIELDS(LAYER, V, F)                                                             \
    SPINSIM_FWPS_TRANSPORT_FIELDS(LAYER, V, F)                                                                         \
    F(LAYER, V, FLAGS)                                                                                                 \
    F(LAYER, V, INTERFACE_TYPE)                                                                                        \
    F(LAYER, V, TUNNEL_TYPE)
#define SPINSIM_FWPS_OUTBOUND_TRANSPORT_FIELDS(LAYER, V, F)                                                            \
    SPINSIM_FWPS_TRANSPORT_FIELDS(LAYER, V, F)                                                                         \
    F(LAYER, V, IP_DESTINATION_ADDRESS_TYPE)                                                                           \
    F(LAYER, V, FLAGS)                                                                                                 \
    F(LAYER, V, INTERFACE_TYPE)                                                                                        \
    F(LAYER, V, TUNNEL_TYPE)
#define SPINSIM_FWPS_DATAGRAM_DATA_FIELDS(LAYER, V, F)                                                                 \
    SPINSIM_FWPS_TRANSPORT_FIELDS(LAYER, V, F)                                                                         \
    F(LAYER, V, DIRECTION)                                                                                             \
    F(LAYER, V, FLAGS)                                                                                                 \
    F(LAYER, V, INTERFACE_TYPE)                                                                                        \
    F(LAYER, V, TUNNEL_TYPE)
#define SPINSIM_FWPS_STREAM_FIELDS(LAYER, V, F)                                                                        \
    F(LAYER, V, IP_LOCAL_ADDRESS)                                                                                      \
    F(LAYER, V, IP_LOCAL_ADDRESS_TYPE)                                                                                 \
    F(LAYER, V, IP_REMOTE_ADDRESS)                                                                                     \
    F(LAYER, V, IP_LOCAL_PORT)                                                                                         \
    F(LAYER, V, IP_REMOTE_PORT)                                                                                        \
    F(LAYER, V, DIRECTION)
#define SPINSIM_FWPS_ALE_FIELDS(LAYER, V, F)                                                                           \
    F(LAYER, V, ALE_APP_ID)                                                                                            \
    F(LAYER, V, ALE_USER_ID)                                                                                           \
    F(LAYER, V, IP_LOCAL_ADDRESS)                                                                                      \
    F(LAYER, V, IP_LOCAL_ADDRESS_TYPE)                                                                                 \
    F(LAYER, V, IP_LOCAL_PORT)                                                                                         \
    F(LAYER, V, IP_PROTOCOL)                                                                                           \
    F(LAYER, V, IP_REMOTE_ADDRESS)                                                                                     \
    F(LAYER, V, IP_REMOTE_PORT)                                                                                        \
    F(LAYER, V, ALE_REMOTE_USER_ID)                                                                                    \
    F(LAYER, V, ALE_REMOTE_MACHINE_ID)
#define SPINSIM_FWPS_ALE_INTERFACE_FIELDS(LAYER, V, F)                                                                 \
    F(LAYER, V, INTERFACE_TYPE)                                                                                        \
    F(LAYER, V, TUNNEL_TYPE)                                                                                           \
    F(LAYER, V, INTERFACE_INDEX)                                                                                       \
    F(LAYER, V, SUB_INTERFACE_INDEX)                                                                                   \
    F(LAYER, V, IP_ARRIVAL_INTERFACE)                                                                                  \
    F(LAYER, V, ARRIVAL_INTERFACE_TYPE)                                                                                \
    F(LAYER, V, ARRIVAL_TUNNEL_TYPE)                                                                                   \
    F(LAYER, V, ARRIVAL_INTERFACE_INDEX)                                                                               \
    F(LAYER, V, NEXTHOP_SUB_INTERFACE_INDEX)                                                                           \
    F(LAYER, V, IP_NEXTHOP_INTERFACE)                                                                                  \
    F(LAYER, V, NEXTHOP_INTERFACE_TYPE)                                                                                \
    F(LAYER, V, NEXTHOP_TUNNEL_TYPE)                                                                                   \
    F(LAYER, V, NEXTHOP_INTERFACE_INDEX)                                                                               \
    F(LAYER, V, ORIGINAL_PROFILE_ID)                                                                                   \
    F(LAYER, V, CURRENT_PROFILE_ID)                                                                                    \
    F(LAYER, V, REAUTHORIZE_REASON)
#define SPINSIM_FWPS_ALE_AUTH_RECV_ACCEPT_FIELDS(LAYER, V, F)                                                          \
    SPINSIM_FWPS_ALE_FIELDS(LAYER, V, F)                                                                               \
    F(LAYER, V, IP_LOCAL_INTERFACE)                                                                                    \
    F(LAYER, V, FLAGS)                                                                                                 \
    F(LAYER, V, SIO_FIREWALL_SYSTEM_PORT)                                                                              \
    F(LAYER, V, NAP_CONTEXT)                                                                                           \
    SPINSIM_FWPS_ALE_INTERFACE_FIELDS(LAYER, V, F)                                                                     \
    F(LAYER, V, ORIGINAL_ICMP_TYPE)
#define SPINSIM_FWPS_ALE_AUTH_CONNECT_FIELDS(LAYER, V, F)                                                              \
    SPINSIM_FWPS_ALE_FIELDS(LAYER, V, F)                                                                               \
    F(LAYER, V, IP_DESTINATION_ADDRESS_TYPE)                                                                           \
    F(LAYER, V, IP_LOCAL_INTERFACE)                                                                                    \
    F(LAYER, V, FLAGS)                                                                                                 \
    SPINSIM_FWPS_ALE_INTERFACE_FIELDS(LAYER, V, F)                                                                     \
    F(LAYER, V, PEER_NAME)                                                                                             \
    F(LAYER, V, ORIGINAL_ICMP_TYPE)
#define SPINSIM_FWPS_ALE_FLOW_ESTABLISHED_FIELDS(LAYER, V, F)                                                          \
    SPINSIM_FWPS_ALE_FIELDS(LAYER, V, F)                                                                               \
    F(LAYER, V, IP_DESTINATION_ADDRESS_TYPE)                                                                           \
    F(LAYER, V, IP_LOCAL_INTERFACE)                                                                                    \
    F(LAYER, V, DIRECTION)                                                                                             \
    F(LAYER, V, INTERFACE_TYPE)                                                                                        \
    F(LAYER, V, TUNNEL_TYPE)                                                                                           \
    F(LAYER, V, FLAGS)

SPINSIM_FWPS_FIELDS(INBOUND_TRANSPORT, V4, SPINSIM_FWPS_INBOUND_TRANSPORT_FIELDS)
SPINSIM_FWPS_FIELDS(INBOUND_TRANSPORT, V6, SPINSIM_FWPS_INBOUND_TRANSPORT_FIELDS)
SPINSIM_FWPS_FIELDS(OUTBOUND_TRANSPORT, V4, SPINSIM_FWPS_OUTBOUND_TRANSPORT_FIELDS)
SPINSIM_FWPS_FIELDS(OUTBOUND_TRANSPORT, V6, SPINSIM_FWPS_OUTBOUND_TRANSPORT_FIELDS)
SPINSIM_FWPS_FIELDS(DATAGRAM_DATA, V4, SPINSIM_FWPS_DATAGRAM_DATA_FIELDS)
SPINSIM_FWPS_FIELDS(DATAGRAM_DATA, V6, SPINSIM_FWPS_DATAGRAM_DATA_FIELDS)
SPINSIM_FWPS_FIELDS(STREAM, V4, SPINSIM_FWPS_STREAM_FIELDS)
SPINSIM_FWPS_FIELDS(STREAM, V6, SPINSIM_FWPS_STREAM_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_AUTH_RECV_ACCEPT, V4, SPINSIM_FWPS_ALE_AUTH_RECV_ACCEPT_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_AUTH_RECV_ACCEPT, V6, SPINSIM_FWPS_ALE_AUTH_RECV_ACCEPT_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_AUTH_CONNECT, V4, SPINSIM_FWPS_ALE_AUTH_CONNECT_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_AUTH_CONNECT, V6, SPINSIM_FWPS_ALE_AUTH_CONNECT_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_FLOW_ESTABLISHED, V4, SPINSIM_FWPS_ALE_FLOW_ESTABLISHED_FIELDS)
SPINSIM_FWPS_FIELDS(ALE_FLOW_ESTABLISHED, V6, SPINSIM_FWPS_ALE_FLOW_ESTABLISHED_FIELDS)

/* ICMP packets carry their type and code in the port fields. */
#define FWPS_FIELD_INBOUND_TRANSPORT_V4_ICMP_TYPE FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_LOCAL_PORT
#define FWPS_FIELD_INBOUND_TRANSPORT_V4_ICMP_CODE FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_PORT
#define FWPS_FIELD_INBOUND_TRANSPORT_V6_ICMP_TYPE FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_LOCAL_PORT
#define FWPS_FIELD_INBOUND_TRANSPORT_V6_ICMP_CODE FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_REMOTE_PORT
#define FWPS_FIELD_OUTBOUND_TRANSPORT_V4_ICMP_TYPE FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_LOCAL_PORT
#define FWPS_FIELD_OUTBOUND_TRANSPORT_V4_ICMP_CODE FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_REMOTE_PORT
#define FWPS_FIELD_OUTBOUND_TRANSPORT_V6_ICMP_TYPE FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_LOCAL_PORT
#define FWPS_FIELD_OUTBOUND_TRANSPORT_V6_ICMP_CODE FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_REMOTE_PORT

/* ---- what a classify function gets -------------------------------------- */

typedef struct FWPS_INCOMING_VALUE0_ {
    FWP_VALUE0 value;
} FWPS_INCOMING_VALUE0;

typedef struct FWPS_INCOMING_VALUES0_ {
    UINT16 layerId;
    UINT32 valueCount;
    FWPS_INCOMING_VALUE0 *incomingValue;
} FWPS_INCOMING_VALUES0;

typedef enum FWPS_DISCARD_MODULE0_ {
    FWPS_DISCARD_MODULE_NETWORK,
    FWPS_DISCARD_MODULE_TRANSPORT,
    FWPS_DISCARD_MODULE_GENERAL,
    FWPS_DISCARD_MODULE_MAX,
} FWPS_DISCARD_MODULE0;

typedef struct FWPS_DISCARD_METADATA0_ {
    FWPS_DISCARD_MODULE0 discardModule;
    UINT32 discardReason;
    UINT64 filterId;
} FWPS_DISCARD_METADATA0;

typedef struct FWPS_INBOUND_FRAGMENT_METADATA0_ {
    UINT32 fragmentIdentification;
    UINT16 fragmentOffset;
    ULONG fragmentLength;
} FWPS_INBOUND_FRAGMENT_METADATA0;

typedef struct _IP_ADDRESS_PREFIX {
    SOCKADDR_INET Prefix;
    UINT8 PrefixLength;
} IP_ADDRESS_PREFIX, *PIP_ADDRESS_PREFIX;

/* Which members of FWPS_INCOMING_METADATA_VALUES0 are set. */
#define FWPS_METADATA_FIELD_DISCARD_REASON 0x00000001
#define FWPS_METADATA_FIELD_FLOW_HANDLE 0x00000002
#define FWPS_METADATA_FIELD_IP_HEADER_SIZE 0x00000004
#define FWPS_METADATA_FIELD_PROCESS_PATH 0x00000008
#define FWPS_METADATA_FIELD_TOKEN 0x00000010
#define FWPS_METADATA_FIELD_PROCESS_ID 0x00000020
#define FWPS_METADATA_FIELD_SYSTEM_FLAGS 0x00000040
#define FWPS_METADATA_FIELD_RESERVED 0x00000080
#define FWPS_METADATA_FIELD_SOURCE_INTERFACE_INDEX 0x00000100
#define FWPS_METADATA_FIELD_DESTINATION_INTERFACE_INDEX 0x00000200
#define FWPS_METADATA_FIELD_TRANSPORT_HEADER_SIZE 0x00000400
#define FWPS_METADATA_FIELD_COMPARTMENT_ID 0x00000800
#define FWPS_METADATA_FIELD_FRAGMENT_DATA 0x00001000
#define FWPS_METADATA_FIELD_PATH_MTU 0x00002000
#define FWPS_METADATA_FIELD_COMPLETION_HANDLE 0x00004000
#define FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE 0x00008000
#define FWPS_METADATA_FIELD_TRANSPORT_CONTROL_DATA 0x00010000
#define FWPS_METADATA_FIELD_REMOTE_SCOPE_ID 0x00020000
#define FWPS_METADATA_FIELD_PACKET_DIRECTION 0x00040000
#define FWPS_METADATA_FIELD_PACKET_SYSTEM_CRITICAL 0x00080000
#define FWPS_METADATA_FIELD_FORWARD_LAYER_OUTBOUND_PASS_THRU 0x00100000
#define FWPS_METADATA_FIELD_FORWARD_LAYER_INBOUND_PASS_THRU 0x00200000
#define FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED 0x00400000
#define FWPS_METADATA_FIELD_TRANSPORT_HEADER_INCLUDE_HEADER 0x00800000
#define FWPS_METADATA_FIELD_DESTINATION_PREFIX 0x01000000
#define FWPS_METADATA_FIELD_ETHER_FRAME_LENGTH 0x02000000
#define FWPS_METADATA_FIELD_PARENT_ENDPOINT_HANDLE 0x04000000
#define FWPS_METADATA_FIELD_ICMP_ID_AND_SEQUENCE 0x08000000
#define FWPS_METADATA_FIELD_LOCAL_REDIRECT_TARGET_PID 0x10000000
#define FWPS_METADATA_FIELD_ORIGINAL_DESTINATION 0x20000000

#define FWPS_IS_METADATA_FIELD_PRESENT(metadataValues, metadataField)                                                  \
    (((metadataValues)->currentMetadataValues & (metadataField)) == (metadataField))

typedef struct FWPS_INCOMING_METADATA_VALUES0_ {
    UINT32 currentMetadataValues;
    UINT32 flags;
    UINT64 reserved;
    FWPS_DISCARD_METADATA0 discardMetadata;
    UINT64 flowHandle;
    UINT32 ipHeaderSize;
    UINT32 transportHeaderSize;
    FWP_BYTE_BLOB *processPath;
    UINT64 token;
    UINT64 processId;
    UINT32 sourceInterfaceIndex;
    UINT32 destinationInterfaceIndex;
    ULONG compartmentId;
    FWPS_INBOUND_FRAGMENT_METADATA0 fragmentMetadata;
    ULONG pathMtu;
    HANDLE completionHandle;
    UINT64 transportEndpointHandle;
    SCOPE_ID remoteScopeId;
    WSACMSGHDR *controlData;
    ULONG controlDataLength;
    FWP_DIRECTION packetDirection;
    PVOID headerIncludeHeader;
    ULONG headerIncludeHeaderLength;
    IP_ADDRESS_PREFIX destinationPrefix;
    UINT16 frameLength;
    UINT64 parentEndpointHandle;
    UINT32 icmpIdAndSequence;
    DWORD localRedirectTargetPID;
    SOCKADDR *originalDestination;
} FWPS_INCOMING_METADATA_VALUES0;

#define FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000001
#define FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000002
#define FWPS_FILTER_FLAG_OR_CONDITIONS 0x00000004
#define FWPS_FILTER_FLAG_HAS_SECURITY_REALM_PROVIDER_CONTEXT 0x00000008
#define FWPS_FILTER_FLAG_SILENT_MODE 0x00000010

typedef struct FWPS_ACTION0_ {
    FWP_ACTION_TYPE type;
    UINT32 calloutId;
} FWPS_ACTION0;

typedef struct FWPS_FILTER_CONDITION0_ {
    UINT16 fieldId;
    UINT16 reserved;
    FWP_MATCH_TYPE matchType;
    FWP_CONDITION_VALUE0 conditionValue;
} FWPS_FILTER_CONDITION0;

typedef struct FWPS_FILTER2_ {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    UINT32 numFilterConditions;
    FWPS_FILTER_CONDITION0 *filterCondition;
    FWPS_ACTION0 action;
    UINT64 context;
    FWPM_PROVIDER_CONTEXT2 *providerContext;
} FWPS_FILTER2;

#define FWPS_RIGHT_ACTION_WRITE 0x00000001

#define FWPS_CLASSIFY_OUT_FLAG_ABSORB 0x00000001
#define FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED 0x00000002
#define FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA 0x00000004
#define FWPS_CLASSIFY_OUT_FLAG_ALE_FAST_CACHE_CHECK 0x00000008
#define FWPS_CLASSIFY_OUT_FLAG_ALE_FAST_CACHE_POSSIBLE 0x00000010

typedef struct FWPS_CLASSIFY_OUT0_ {
    FWP_ACTION_TYPE actionType;
    UINT64 outContext;
    UINT64 filterId;
    UINT32 rights;
    UINT32 flags;
    UINT32 reserved;
} FWPS_CLASSIFY_OUT0;

/* ---- callouts ------------------------------------------------------------ */

typedef enum FWPS_CALLOUT_NOTIFY_TYPE_ {
    FWPS_CALLOUT_NOTIFY_ADD_FILTER,
    FWPS_CALLOUT_NOTIFY_DELETE_FILTER,
    FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT,
    FWPS_CALLOUT_NOTIFY_TYPE_MAX,
} FWPS_CALLOUT_NOTIFY_TYPE;

typedef void(NTAPI FWPS_CALLOUT_CLASSIFY_FN2)(const FWPS_INCOMING_VALUES0 *inFixedValues,
                                              const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
                                              const void *classifyContext, const FWPS_FILTER2 *filter,
                                              UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut);
typedef NTSTATUS(NTAPI FWPS_CALLOUT_NOTIFY_FN2)(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
                                                const FWPS_FILTER2 *filter);
typedef void(NTAPI FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0)(UINT16 layerId, UINT32 calloutId, UINT64 flowContext);

typedef struct FWPS_CALLOUT2_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN2 *classifyFn;
    FWPS_CALLOUT_NOTIFY_FN2 *notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 *flowDeleteFn;
} FWPS_CALLOUT2;

/* ---- injection and packet state ------------------------------------------- */

#define FWPS_INJECTION_TYPE_STREAM 0x00000001
#define FWPS_INJECTION_TYPE_TRANSPORT 0x00000002
#define FWPS_INJECTION_TYPE_NETWORK 0x00000004
#define FWPS_INJECTION_TYPE_FORWARD 0x00000008
#define FWPS_INJECTION_TYPE_L2 0x00000010

typedef enum FWPS_PACKET_INJECTION_STATE_ {
    FWPS_PACKET_NOT_INJECTED,
    FWPS_PACKET_INJECTED_BY_SELF,
    FWPS_PACKET_INJECTED_BY_OTHER,
    FWPS_PACKET_PREVIOUSLY_INJECTED_BY_SELF,
    FWPS_PACKET_INJECTION_STATE_MAX,
} FWPS_PACKET_INJECTION_STATE;

typedef void(NTAPI FWPS_INJECT_COMPLETE0)(void *context, NET_BUFFER_LIST *netBufferList, BOOLEAN dispatchLevel);

typedef struct FWPS_TRANSPORT_SEND_PARAMS1_ {
    UCHAR *remoteAddress;
    SCOPE_ID remoteScopeId;
    WSACMSGHDR *controlData;
    ULONG controlDataLength;
    UCHAR *headerIncludeHeader;
    ULONG headerIncludeHeaderLength;
} FWPS_TRANSPORT_SEND_PARAMS1;

#define FWPS_PACKET_LIST_INFORMATION_QUERY_NONE 0x00000000
#define FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC 0x00000001
#define FWPS_PACKET_LIST_INFORMATION_QUERY_INBOUND 0x00000002
#define FWPS_PACKET_LIST_INFORMATION_QUERY_OUTBOUND 0x00000004
#define FWPS_PACKET_LIST_INFORMATION_QUERY_ALL_INBOUND                                                                 \
    (FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC | FWPS_PACKET_LIST_INFORMATION_QUERY_INBOUND)
#define FWPS_PACKET_LIST_INFORMATION_QUERY_ALL_OUTBOUND                                                                \
    (FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC | FWPS_PACKET_LIST_INFORMATION_QUERY_OUTBOUND)

typedef struct FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0_ {
    UINT32 isSecure : 1;
    UINT32 isTunnelMode : 1;
    UINT32 verifiedPeerIdentity : 1;
    UINT32 isDeTunneled : 1;
    UINT32 reserved : 28;
} FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0_ {
    UINT32 isSecure : 1;
    UINT32 isTunnelMode : 1;
    UINT32 reserved : 30;
} FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_IPSEC_INFORMATION0_ {
    union {
        FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0 inbound;
        FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0 outbound;
        UINT32 flags;
    };
} FWPS_PACKET_LIST_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_FWP_INFORMATION0_ {
    BOOLEAN isReauthorization;
    UINT32 reserved;
} FWPS_PACKET_LIST_FWP_INFORMATION0;

typedef struct FWPS_PACKET_LIST_INFORMATION0_ {
    FWPS_PACKET_LIST_IPSEC_INFORMATION0 ipsecInformation;
    FWPS_PACKET_LIST_FWP_INFORMATION0 fwpInformation;
} FWPS_PACKET_LIST_INFORMATION0;

/* ---- stream data ----------------------------------------------------------- */

#define FWPS_STREAM_FLAG_RECEIVE 0x00000001
#define FWPS_STREAM_FLAG_SEND 0x00000002
#define FWPS_STREAM_FLAG_RECEIVE_EXPEDITED 0x00000004
#define FWPS_STREAM_FLAG_SEND_EXPEDITED 0x00000008
#define FWPS_STREAM_FLAG_RECEIVE_DISCONNECT 0x00000010
#define FWPS_STREAM_FLAG_SEND_DISCONNECT 0x00000020
#define FWPS_STREAM_FLAG_RECEIVE_ABORT 0x00000040
#define FWPS_STREAM_FLAG_SEND_ABORT 0x00000080
#define FWPS_STREAM_FLAG_RECEIVE_PUSH 0x00000100
#define FWPS_STREAM_FLAG_SEND_NODELAY 0x00000200

typedef struct FWPS_STREAM_DATA_OFFSET0_ {
    NET_BUFFER_LIST *netBufferList;
    NET_BUFFER *netBuffer;
    MDL *mdl;
    SIZE_T mdlOffset;
    SIZE_T netBufferOffset;
    SIZE_T streamDataOffset;
} FWPS_STREAM_DATA_OFFSET0;

typedef struct FWPS_STREAM_DATA0_ {
    UINT32 flags;
    FWPS_STREAM_DATA_OFFSET0 dataOffset;
    SIZE_T dataLength;
    NET_BUFFER_LIST *netBufferListChain;
} FWPS_STREAM_DATA0;

typedef enum FWPS_STREAM_ACTION_TYPE_ {
    FWPS_STREAM_ACTION_NONE,
    FWPS_STREAM_ACTION_ALLOW_CONNECTION,
    FWPS_STREAM_ACTION_REQUEST_OOB,
    FWPS_STREAM_ACTION_DEFER,
    FWPS_STREAM_ACTION_DROP_CONNECTION,
    FWPS_STREAM_ACTION_NEED_MORE_DATA,
    FWPS_STREAM_ACTION_TYPE_MAX,
} FWPS_STREAM_ACTION_TYPE;

typedef struct FWPS_STREAM_CALLOUT_IO_PACKET0_ {
    FWPS_STREAM_DATA0 *streamData;
    SIZE_T missedBytes;
    UINT32 countBytesRequired;
    SIZE_T countBytesEnforced;
    FWPS_STREAM_ACTION_TYPE streamAction;
} FWPS_STREAM_CALLOUT_IO_PACKET0;

/* ---- the implementation behind the macros ------------------------------- */

NTSTATUS spinsim_FwpsCalloutRegister(void *deviceObject, const FWPS_CALLOUT2 *callout, UINT32 *calloutId,
                                     const sim_site *site);
NTSTATUS spinsim_FwpsCalloutUnregisterById(UINT32 calloutId, const sim_site *site);
NTSTATUS spinsim_FwpsCalloutUnregisterByKey(const GUID *calloutKey, const sim_site *site);
NTSTATUS spinsim_FwpsInjectionHandleCreate(ADDRESS_FAMILY addressFamily, UINT32 flags, HANDLE *injectionHandle,
                                           const sim_site *site);
NTSTATUS spinsim_FwpsInjectionHandleDestroy(HANDLE injectionHandle, const sim_site *site);
FWPS_PACKET_INJECTION_STATE spinsim_FwpsQueryPacketInjectionState(HANDLE injectionHandle,
                                                                  const NET_BUFFER_LIST *netBufferList,
                                                                  HANDLE *injectionContext, const sim_site *site);
NTSTATUS spinsim_FwpsPendOperation(HANDLE completionHandle, HANDLE *completionContext, const sim_site *site);
void spinsim_FwpsCompleteOperation(HANDLE completionContext, NET_BUFFER_LIST *netBufferList, const sim_site *site);
NTSTATUS spinsim_FwpsInject(const char *routine, HANDLE injectionHandle, HANDLE injectionContext,
                            NET_BUFFER_LIST *netBufferList, FWPS_INJECT_COMPLETE0 *completionFn,
                            HANDLE completionContext, const sim_site *site);
NTSTATUS spinsim_FwpsAllocateCloneNetBufferList(NET_BUFFER_LIST *originalNetBufferList, NET_BUFFER_LIST **netBufferList,
                                                const sim_site *site);
void spinsim_FwpsFreeCloneNetBufferList(NET_BUFFER_LIST *netBufferList, const sim_site *site);
void spinsim_FwpsReferenceNetBufferList(const char *routine, NET_BUFFER_LIST *netBufferList, const sim_site *site);
NTSTATUS spinsim_FwpsGetPacketListSecurityInformation(NET_BUFFER_LIST *packetList, UINT32 queryFlags,
                                                      FWPS_PACKET_LIST_INFORMATION0 *packetInformation,
                                                      const sim_site *site);

/* ---- the WDK names ---------------------------------------------------------- */

#define FwpsCalloutRegister2(DeviceObject, Callout, CalloutId)                                                         \
    spinsim_FwpsCalloutRegister((DeviceObject), (Callout), (CalloutId), SPINSIM_SITE)
#define FwpsCalloutUnregisterById0(CalloutId) spinsim_FwpsCalloutUnregisterById((CalloutId), SPINSIM_SITE)
#define FwpsCalloutUnregisterByKey0(CalloutKey) spinsim_FwpsCalloutUnregisterByKey((CalloutKey), SPINSIM_SITE)
#define FwpsInjectionHandleCreate0(AddressFamily, Flags, InjectionHandle)                                              \
    spinsim_FwpsInjectionHandleCreate((AddressFamily), (Flags), (InjectionHandle), SPINSIM_SITE)
#define FwpsInjectionHandleDestroy0(InjectionHandle) spinsim_FwpsInjectionHandleDestroy((InjectionHandle), SPINSIM_SITE)
#define FwpsQueryPacketInjectionState0(InjectionHandle, NetBufferList, InjectionContext)                               \
    spinsim_FwpsQueryPacketInjectionState((InjectionHandle), (NetBufferList), (InjectionContext), SPINSIM_SITE)
#define FwpsPendOperation0(CompletionHandle, CompletionContext)                                                        \
    spinsim_FwpsPendOperation((CompletionHandle), (CompletionContext), SPINSIM_SITE)
#define FwpsCompleteOperation0(CompletionContext, NetBufferList)                                                       \
    spinsim_FwpsCompleteOperation((CompletionContext), (NetBufferList), SPINSIM_SITE)
#define FwpsInjectTransportSendAsync1(InjectionHandle, InjectionContext, EndpointHandle, Flags, SendArgs,              \
                                      AddressFamily, CompartmentId, NetBufferList, CompletionFn, CompletionContext)    \
    ((void)(EndpointHandle), (void)(Flags), (void)(SendArgs), (void)(AddressFamily), (void)(CompartmentId),            \
     spinsim_FwpsInject("FwpsInjectTransportSendAsync1", (InjectionHandle), (InjectionContext), (NetBufferList),       \
                        (CompletionFn), (CompletionContext), SPINSIM_SITE))
#define FwpsInjectTransportReceiveAsync0(InjectionHandle, InjectionContext, Reserved, Flags, AddressFamily,            \
                                         CompartmentId, InterfaceIndex, SubInterfaceIndex, NetBufferList,              \
                                         CompletionFn, CompletionContext)                                              \
    ((void)(Reserved), (void)(Flags), (void)(AddressFamily), (void)(CompartmentId), (void)(InterfaceIndex),            \
     (void)(SubInterfaceIndex),                                                                                        \
     spinsim_FwpsInject("FwpsInjectTransportReceiveAsync0", (InjectionHandle), (InjectionContext), (NetBufferList),    \
                        (CompletionFn), (CompletionContext), SPINSIM_SITE))
#define FwpsInjectNetworkSendAsync0(InjectionHandle, InjectionContext, Flags, CompartmentId, NetBufferList,            \
                                    CompletionFn, CompletionContext)                                                   \
    ((void)(Flags), (void)(CompartmentId),                                                                             \
     spinsim_FwpsInject("FwpsInjectNetworkSendAsync0", (InjectionHandle), (InjectionContext), (NetBufferList),         \
                        (CompletionFn), (CompletionContext), SPINSIM_SITE))
#define FwpsInjectNetworkReceiveAsync0(InjectionHandle, InjectionContext, Flags, CompartmentId, InterfaceIndex,        \
                                       SubInterfaceIndex, NetBufferList, CompletionFn, CompletionContext)              \
    ((void)(Flags), (void)(CompartmentId), (void)(InterfaceIndex), (void)(SubInterfaceIndex),                          \
     spinsim_FwpsInject("FwpsInjectNetworkReceiveAsync0", (InjectionHandle), (InjectionContext), (NetBufferList),      \
                        (CompletionFn), (CompletionContext), SPINSIM_SITE))
#define FwpsStreamInjectAsync0(InjectionHandle, InjectionContext, Flags, FlowId, CalloutId, LayerId, StreamFlags,      \
                               NetBufferList, DataLength, CompletionFn, CompletionContext)                             \
    ((void)(Flags), (void)(FlowId), (void)(CalloutId), (void)(LayerId), (void)(StreamFlags), (void)(DataLength),       \
     spinsim_FwpsInject("FwpsStreamInjectAsync0", (InjectionHandle), (InjectionContext), (NetBufferList),              \
                        (CompletionFn), (CompletionContext), SPINSIM_SITE))
#define FwpsAllocateCloneNetBufferList0(OriginalNetBufferList, NetBufferListPoolHandle, NetBufferPoolHandle,           \
                                        AllocateCloneFlags, NetBufferList)                                             \
    ((void)(NetBufferListPoolHandle), (void)(NetBufferPoolHandle), (void)(AllocateCloneFlags),                         \
     spinsim_FwpsAllocateCloneNetBufferList((OriginalNetBufferList), (NetBufferList), SPINSIM_SITE))
#define FwpsFreeCloneNetBufferList0(NetBufferList, FreeCloneFlags)                                                     \
    ((void)(FreeCloneFlags), spinsim_FwpsFreeCloneNetBufferList((NetBufferList), SPINSIM_SITE))
#define FwpsReferenceNetBufferList0(NetBufferList, IntendToModify)                                                     \
    ((void)(IntendToModify),                                                                                           \
     spinsim_FwpsReferenceNetBufferList("FwpsReferenceNetBufferList0", (NetBufferList), SPINSIM_SITE))
#define FwpsDereferenceNetBufferList0(NetBufferList, DispatchLevel)                                                    \
    ((void)(DispatchLevel),                                                                                            \
     spinsim_FwpsReferenceNetBufferList("FwpsDereferenceNetBufferList0", (NetBufferList), SPINSIM_SITE))
#define FwpsAllocateNetBufferAndNetBufferList0(PoolHandle, ContextSize, ContextBackFill, MdlChain, DataOffset,         \
                                               DataLength, NetBufferList)                                              \
    ((*(NetBufferList) = spinsim_NdisAllocateNetBufferList("FwpsAllocateNetBufferAndNetBufferList0", (PoolHandle),     \
                                                           (ContextSize), (ContextBackFill), (MdlChain), (DataOffset), \
                                                           (DataLength), TRUE, SPINSIM_SITE)) != NULL                  \
         ? STATUS_SUCCESS                                                                                              \
         : STATUS_INSUFFICIENT_RESOURCES)
#define FwpsFreeNetBufferList0(NetBufferList)                                                                          \
    spinsim_NdisFreeNetBufferList("FwpsFreeNetBufferList0", (NetBufferList), SPINSIM_SITE)
#define FwpsGetPacketListSecurityInformation0(PacketList, QueryFlags, PacketInformation)                               \
    spinsim_FwpsGetPacketListSecurityInformation((PacketList), (QueryFlags), (PacketInformation), SPINSIM_SITE)

/* ---- routines spinsim declares but does not model ------------------------- */

/* Flow contexts, stream data copies and clones, and header construction
 * hold no lock and change no IRQL; a call stops the run with a message
 * naming the routine unless the harness defines it (locks/include/README.md). */
NTSTATUS FwpsFlowAssociateContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId, UINT64 flowContext);
NTSTATUS FwpsFlowRemoveContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId);
NTSTATUS FwpsFlowAbort0(UINT64 flowId);
NTSTATUS FwpsStreamContinue0(UINT64 flowId, UINT32 calloutId, UINT16 layerId, UINT32 streamFlags);
void FwpsCopyStreamDataToBuffer0(const FWPS_STREAM_DATA0 *streamData, PVOID buffer, SIZE_T bytesToCopy,
                                 SIZE_T *bytesCopied);
NTSTATUS FwpsCloneStreamData0(FWPS_STREAM_DATA0 *calloutStreamData, NDIS_HANDLE netBufferListPoolHandle,
                              NDIS_HANDLE netBufferPoolHandle, ULONG allocateCloneFlags,
                              NET_BUFFER_LIST **netBufferListChain);
void FwpsDiscardClonedStreamData0(NET_BUFFER_LIST *netBufferListChain, UINT32 allocateCloneFlags,
                                  BOOLEAN dispatchLevel);
NTSTATUS FwpsConstructIpHeaderForTransportPacket0(NET_BUFFER_LIST *netBufferList, ULONG headerIncludeHeaderLength,
                                                  ADDRESS_FAMILY addressFamily, const UCHAR *sourceAddress,
                                                  const UCHAR *remoteAddress, IPPROTO nextProtocol,
                                                  UINT64 endpointHandle, const WSACMSGHDR *controlData,
                                                  ULONG controlDataLength, UINT32 flags, PVOID reserved,
                                                  IF_INDEX interfaceIndex, IF_INDEX subInterfaceIndex);

#include "fwpvi.h"

#endif
