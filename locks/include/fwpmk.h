/* fwpmk.h: the kernel-mode management interface of the Windows Filtering
 * Platform: opening the filter engine, transactions, adding sublayers,
 * callouts and filters, and the built-in layer, sublayer and condition
 * GUIDs. The version-independent names (FwpmFilterAdd, FWPM_FILTER...)
 * are in fwpvi.h.
 *
 * spinsim has no filter engine: every routine checks that it is called at
 * PASSIVE_LEVEL, as the WDK requires, takes one step and succeeds; what a
 * driver adds is not kept, and nothing is classified because of it. A
 * harness calls the driver's classify functions itself (locks/fwps.c). */
#ifndef SPINSIM_FWPMK_H
#define SPINSIM_FWPMK_H

#include "fwpmtypes.h"
#include "wdm.h"

#define RPC_C_AUTHN_NONE 0
#define RPC_C_AUTHN_WINNT 10
#define RPC_C_AUTHN_DEFAULT 0xFFFFFFFFL

typedef struct _SEC_WINNT_AUTH_IDENTITY_W SEC_WINNT_AUTH_IDENTITY_W;
typedef PVOID PSECURITY_DESCRIPTOR;

/* ---- layers, sublayers and conditions the samples and callouts name ----- */

DEFINE_GUID(FWPM_LAYER_INBOUND_TRANSPORT_V4, 0x5926dfc8, 0xe3cf, 0x4426, 0xa2, 0x83, 0xdc, 0x39, 0x3f, 0x5d, 0x0f,
            0x9d);
DEFINE_GUID(FWPM_LAYER_INBOUND_TRANSPORT_V6, 0x634a869f, 0xfc23, 0x4b90, 0xb0, 0xc1, 0xbf, 0x62, 0x0a, 0x36, 0xae,
            0x6f);
DEFINE_GUID(FWPM_LAYER_OUTBOUND_TRANSPORT_V4, 0x09e61aea, 0xd214, 0x46e2, 0x9b, 0x21, 0xb2, 0x6b, 0x0b, 0x2f, 0x28,
            0xc8);
DEFINE_GUID(FWPM_LAYER_OUTBOUND_TRANSPORT_V6, 0xe1735bde, 0x013f, 0x4655, 0xb3, 0x51, 0xa4, 0x9e, 0x15, 0x76, 0x2d,
            0xf0);
DEFINE_GUID(FWPM_LAYER_STREAM_V4, 0x3b89653c, 0xc170, 0x49e4, 0xb1, 0xcd, 0xe0, 0xee, 0xee, 0xe1, 0x9a, 0x3e);
DEFINE_GUID(FWPM_LAYER_STREAM_V6, 0x47c9137a, 0x7ec4, 0x46b3, 0xb6, 0xe4, 0x48, 0xe9, 0x26, 0xb1, 0xed, 0xa4);
DEFINE_GUID(FWPM_LAYER_DATAGRAM_DATA_V4, 0x3d08bf4e, 0x45f6, 0x4930, 0xa9, 0x22, 0x41, 0x70, 0x98, 0xe2, 0x00, 0x27);
DEFINE_GUID(FWPM_LAYER_DATAGRAM_DATA_V6, 0xfa45fe2f, 0x3cba, 0x4427, 0x87, 0xfc, 0x57, 0xb9, 0xa4, 0xb1, 0x0d, 0x00);
DEFINE_GUID(FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4, 0xe1cd9fe7, 0xf4b5, 0x4273, 0x96, 0xc0, 0x59, 0x2e, 0x48, 0x7b, 0x86,
            0x50);
DEFINE_GUID(FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6, 0xa3b42c97, 0x9f04, 0x4672, 0xb8, 0x7e, 0xce, 0xe9, 0xc4, 0x83, 0x25,
            0x7f);
DEFINE_GUID(FWPM_LAYER_ALE_AUTH_CONNECT_V4, 0xc38d57d1, 0x05a7, 0x4c33, 0x90, 0x4f, 0x7f, 0xbc, 0xee, 0xe6, 0x0e, 0x82);
DEFINE_GUID(FWPM_LAYER_ALE_AUTH_CONNECT_V6, 0x4a72393b, 0x319f, 0x44bc, 0x84, 0xc3, 0xba, 0x54, 0xdc, 0xb3, 0xb6, 0xb4);
DEFINE_GUID(FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, 0xaf80470a, 0x5596, 0x4c13, 0x99, 0x92, 0x53, 0x9e, 0x6f, 0xe5, 0x79,
            0x67);
DEFINE_GUID(FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6, 0x7021d2b3, 0xdfa4, 0x406e, 0xaf, 0xeb, 0x6a, 0xfa, 0xf7, 0xe7, 0x0e,
            0xfd);

DEFINE_GUID(FWPM_SUBLAYER_UNIVERSAL, 0xeebecc03, 0xced4, 0x4380, 0x81, 0x9a, 0x27, 0x34, 0x39, 0x7b, 0x2b, 0x74);

DEFINE_GUID(FWPM_CONDITION_IP_LOCAL_ADDRESS, 0xd9ee00de, 0xc1ef, 0x4617, 0xbf, 0xe3, 0xff, 0xd8, 0xf5, 0xa0, 0x89,
            0x57);
DEFINE_GUID(FWPM_CONDITION_IP_REMOTE_ADDRESS, 0xb235ae9a, 0x1d64, 0x49b8, 0xa4, 0x4c, 0x5f, 0xf3, 0xd9, 0x09, 0x50,
            0x45);
DEFINE_GUID(FWPM_CONDITION_IP_LOCAL_PORT, 0x0c1ba1af, 0x5765, 0x453f, 0xaf, 0x22, 0xa8, 0xf7, 0x91, 0xac, 0x77, 0x5b);
DEFINE_GUID(FWPM_CONDITION_IP_REMOTE_PORT, 0xc35a604d, 0xd22b, 0x4e1a, 0x91, 0xb4, 0x68, 0xf6, 0x74, 0xee, 0x67, 0x4b);
DEFINE_GUID(FWPM_CONDITION_IP_PROTOCOL, 0x3971ef2b, 0x623e, 0x4f9a, 0x8c, 0xb1, 0x6e, 0x79, 0xb8, 0x06, 0xb9, 0xa7);
DEFINE_GUID(FWPM_CONDITION_DIRECTION, 0x8784c146, 0xca97, 0x44d6, 0x9f, 0xd1, 0x19, 0xfb, 0x18, 0x40, 0xcb, 0xf7);

/* ---- the implementation behind the macros ------------------------------- */

NTSTATUS spinsim_FwpmEngineOpen(HANDLE *engineHandle, const sim_site *site);
NTSTATUS spinsim_FwpmAccept(const char *routine, const sim_site *site);
NTSTATUS spinsim_FwpmAddWithId(const char *routine, UINT32 *id32, UINT64 *id64, const sim_site *site);

/* ---- the WDK names ---------------------------------------------------------- */

#define FwpmEngineOpen0(ServerName, AuthnService, AuthIdentity, Session, EngineHandle)                                 \
    ((void)(ServerName), (void)(AuthnService), (void)(AuthIdentity), (void)(Session),                                  \
     spinsim_FwpmEngineOpen((EngineHandle), SPINSIM_SITE))
#define FwpmEngineClose0(EngineHandle) ((void)(EngineHandle), spinsim_FwpmAccept("FwpmEngineClose0", SPINSIM_SITE))
#define FwpmTransactionBegin0(EngineHandle, Flags)                                                                     \
    ((void)(EngineHandle), (void)(Flags), spinsim_FwpmAccept("FwpmTransactionBegin0", SPINSIM_SITE))
#define FwpmTransactionCommit0(EngineHandle)                                                                           \
    ((void)(EngineHandle), spinsim_FwpmAccept("FwpmTransactionCommit0", SPINSIM_SITE))
#define FwpmTransactionAbort0(EngineHandle)                                                                            \
    ((void)(EngineHandle), spinsim_FwpmAccept("FwpmTransactionAbort0", SPINSIM_SITE))
#define FwpmSubLayerAdd0(EngineHandle, SubLayer, Sd)                                                                   \
    ((void)(EngineHandle), (void)(SubLayer), (void)(Sd), spinsim_FwpmAccept("FwpmSubLayerAdd0", SPINSIM_SITE))
#define FwpmSubLayerDeleteByKey0(EngineHandle, Key)                                                                    \
    ((void)(EngineHandle), (void)(Key), spinsim_FwpmAccept("FwpmSubLayerDeleteByKey0", SPINSIM_SITE))
#define FwpmCalloutAdd0(EngineHandle, Callout, Sd, Id)                                                                 \
    ((void)(EngineHandle), (void)(Callout), (void)(Sd),                                                                \
     spinsim_FwpmAddWithId("FwpmCalloutAdd0", (Id), NULL, SPINSIM_SITE))
#define FwpmCalloutDeleteByKey0(EngineHandle, Key)                                                                     \
    ((void)(EngineHandle), (void)(Key), spinsim_FwpmAccept("FwpmCalloutDeleteByKey0", SPINSIM_SITE))
#define FwpmCalloutDeleteById0(EngineHandle, Id)                                                                       \
    ((void)(EngineHandle), (void)(Id), spinsim_FwpmAccept("FwpmCalloutDeleteById0", SPINSIM_SITE))
#define FwpmFilterAdd0(EngineHandle, Filter, Sd, Id)                                                                   \
    ((void)(EngineHandle), (void)(Filter), (void)(Sd),                                                                 \
     spinsim_FwpmAddWithId("FwpmFilterAdd0", NULL, (Id), SPINSIM_SITE))
#define FwpmFilterDeleteByKey0(EngineHandle, Key)                                                                      \
    ((void)(EngineHandle), (void)(Key), spinsim_FwpmAccept("FwpmFilterDeleteByKey0", SPINSIM_SITE))
#define FwpmFilterDeleteById0(EngineHandle, Id)                                                                        \
    ((void)(EngineHandle), (void)(Id), spinsim_FwpmAccept("FwpmFilterDeleteById0", SPINSIM_SITE))

#include "fwpvi.h"

#endif
