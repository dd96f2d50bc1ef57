/* fwpmtypes.h: the structures of the Windows Filtering Platform's
 * management interface (fwpmk.h), with the WDK's names and members:
 * sessions, sublayers, callouts, filters and their conditions and actions.
 * Types only. */
#ifndef SPINSIM_FWPMTYPES_H
#define SPINSIM_FWPMTYPES_H

#include "fwptypes.h"
#include "guiddef.h"

typedef struct FWPM_DISPLAY_DATA0_ {
    wchar_t *name;
    wchar_t *description;
} FWPM_DISPLAY_DATA0;

#define FWPM_SESSION_FLAG_DYNAMIC 0x00000001
#define FWPM_SESSION_FLAG_RESERVED 0x10000000

typedef struct FWPM_SESSION0_ {
    GUID sessionKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    UINT32 txnWaitTimeoutInMSec;
    DWORD processId;
    SID *sid;
    wchar_t *username;
    BOOL kernelMode;
} FWPM_SESSION0;

#define FWPM_SUBLAYER_FLAG_PERSISTENT 0x00000001

typedef struct FWPM_SUBLAYER0_ {
    GUID subLayerKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    UINT16 weight;
} FWPM_SUBLAYER0;

#define FWPM_CALLOUT_FLAG_PERSISTENT 0x00010000
#define FWPM_CALLOUT_FLAG_USES_PROVIDER_CONTEXT 0x00020000
#define FWPM_CALLOUT_FLAG_REGISTERED 0x00040000

typedef struct FWPM_CALLOUT0_ {
    GUID calloutKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    GUID applicableLayer;
    UINT32 calloutId;
} FWPM_CALLOUT0;

typedef struct FWPM_FILTER_CONDITION0_ {
    GUID fieldKey;
    FWP_MATCH_TYPE matchType;
    FWP_CONDITION_VALUE0 conditionValue;
} FWPM_FILTER_CONDITION0;

typedef struct FWPM_ACTION0_ {
    FWP_ACTION_TYPE type;
    union {
        GUID filterType;
        GUID calloutKey;
    };
} FWPM_ACTION0;

#define FWPM_FILTER_FLAG_NONE 0x00000000
#define FWPM_FILTER_FLAG_PERSISTENT 0x00000001
#define FWPM_FILTER_FLAG_BOOTTIME 0x00000002
#define FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT 0x00000004
#define FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000008
#define FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000010
#define FWPM_FILTER_FLAG_DISABLED 0x00000020
#define FWPM_FILTER_FLAG_INDEXED 0x00000040

typedef struct FWPM_FILTER0_ {
    GUID filterKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    GUID layerKey;
    GUID subLayerKey;
    FWP_VALUE0 weight;
    UINT32 numFilterConditions;
    FWPM_FILTER_CONDITION0 *filterCondition;
    FWPM_ACTION0 action;
    union {
        UINT64 rawContext;
        GUID providerContextKey;
    };
    GUID *reserved;
    UINT64 filterId;
    FWP_VALUE0 effectiveWeight;
} FWPM_FILTER0;

/* A callout's filter carries the provider context the filter names;
 * spinsim has no provider contexts, so only the type is declared. */
typedef struct FWPM_PROVIDER_CONTEXT2_ FWPM_PROVIDER_CONTEXT2;

#endif
