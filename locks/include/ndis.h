/* ndis.h: the NDIS surface of a miniport's or filter's locking code, a
 * subset of the WDK's ndis.h over the same checked lock code as wdm.h
 * (locks/ndis.c): NDIS_SPIN_LOCK with its raising and Dpr forms, the
 * NDIS_RW_LOCK_EX reader/writer lock, the NdisInterlocked list and counter
 * routines, and NDIS pool memory. Reports name the NDIS routine (e.g.
 * NdisDprAcquireSpinLock) and the driver's line.
 *
 * NET_BUFFER and NET_BUFFER_LIST are here with the routines that
 * allocate, free, retreat, advance and read them (locks/nbl.c), as a WFP
 * callout or a filter's data path uses them. The miniport and filter
 * registration are not part of the subset: a harness calls the driver's
 * handlers itself. */
#ifndef SPINSIM_NDIS_H
#define SPINSIM_NDIS_H

#include "wdm.h"

typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;

#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)STATUS_INVALID_PARAMETER)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)STATUS_NOT_SUPPORTED)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)STATUS_BUFFER_TOO_SMALL)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)STATUS_REQUEST_ABORTED)

/* The raising forms keep the Old IRQL in the lock, as NDIS does. */
typedef struct _NDIS_SPIN_LOCK {
    KSPIN_LOCK SpinLock;
    KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

typedef struct _NDIS_RW_LOCK_EX NDIS_RW_LOCK_EX, *PNDIS_RW_LOCK_EX;

/* One per acquisition of an NDIS_RW_LOCK_EX, private to its caller. */
typedef struct _LOCK_STATE_EX {
    KIRQL OldIrql;
    UCHAR LockState;
    UCHAR Flags;
} LOCK_STATE_EX, *PLOCK_STATE_EX;

#define NDIS_RWL_AT_DISPATCH_LEVEL 0x01

typedef enum _EX_POOL_PRIORITY {
    LowPoolPriority,
    NormalPoolPriority = 16,
    HighPoolPriority = 32,
} EX_POOL_PRIORITY;

/* ---- NET_BUFFER and NET_BUFFER_LIST (locks/nbl.c) ------------------------ */

typedef struct _NDIS_OBJECT_HEADER {
    UCHAR Type;
    UCHAR Revision;
    USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_DEFAULT 0x80

typedef PHYSICAL_ADDRESS NDIS_PHYSICAL_ADDRESS, *PNDIS_PHYSICAL_ADDRESS;
typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;

/* The data is DataLength bytes from DataOffset into the MDL chain; the
 * MDL holding its start is CurrentMdl, CurrentMdlOffset bytes in. */
struct _NET_BUFFER {
    PNET_BUFFER Next;
    PMDL CurrentMdl;
    ULONG CurrentMdlOffset;
    union {
        ULONG DataLength;
        SIZE_T stDataLength;
    };
    PMDL MdlChain;
    ULONG DataOffset;
    USHORT ChecksumBias;
    USHORT Reserved;
    NDIS_HANDLE NdisPoolHandle;
    PVOID NdisReserved[2];
    PVOID ProtocolReserved[6];
    PVOID MiniportReserved[4];
    NDIS_PHYSICAL_ADDRESS DataPhysicalAddress;
};

typedef struct _NET_BUFFER_LIST_CONTEXT NET_BUFFER_LIST_CONTEXT, *PNET_BUFFER_LIST_CONTEXT;
struct _NET_BUFFER_LIST_CONTEXT {
    PNET_BUFFER_LIST_CONTEXT Next;
    USHORT Size;
    USHORT Offset;
    UCHAR ContextData[];
};

typedef enum _NDIS_NET_BUFFER_LIST_INFO {
    TcpIpChecksumNetBufferListInfo,
    TcpOffloadBytesTransferred = TcpIpChecksumNetBufferListInfo,
    IPsecOffloadV1NetBufferListInfo,
    IPsecOffloadV2NetBufferListInfo = IPsecOffloadV1NetBufferListInfo,
    TcpLargeSendNetBufferListInfo,
    TcpReceiveNoPush = TcpLargeSendNetBufferListInfo,
    ClassificationHandleNetBufferListInfo,
    Ieee8021QNetBufferListInfo,
    NetBufferListCancelId,
    MediaSpecificInformation,
    NetBufferListFrameType,
    NetBufferListProtocolId = NetBufferListFrameType,
    NetBufferListHashValue,
    NetBufferListHashInfo,
    WfpNetBufferListInfo,
    IPsecOffloadV2TunnelNetBufferListInfo,
    IPsecOffloadV2HeaderNetBufferListInfo,
    NetBufferListCorrelationId,
    NetBufferListFilteringInfo,
    MediaSpecificInformationEx,
    NblOriginalInterfaceIfIndex,
    NblReAuthWfpFlowContext = NblOriginalInterfaceIfIndex,
    TcpReceiveBatchSize,
    MaxNetBufferListInfo,
} NDIS_NET_BUFFER_LIST_INFO;

/* A clone's ParentNetBufferList is the list it was cloned from, whose
 * ChildRefCount counts its live clones. */
struct _NET_BUFFER_LIST {
    PNET_BUFFER_LIST Next;
    PNET_BUFFER FirstNetBuffer;
    PNET_BUFFER_LIST_CONTEXT Context;
    PNET_BUFFER_LIST ParentNetBufferList;
    NDIS_HANDLE NdisPoolHandle;
    PVOID NdisReserved[2];
    PVOID ProtocolReserved[4];
    PVOID MiniportReserved[2];
    PVOID Scratch;
    NDIS_HANDLE SourceHandle;
    ULONG NblFlags;
    LONG ChildRefCount;
    ULONG Flags;
    union {
        NDIS_STATUS Status;
        ULONG NdisReserved2;
    };
    PVOID NetBufferListInfo[MaxNetBufferListInfo];
};

#define NET_BUFFER_NEXT_NB(Nb) ((Nb)->Next)
#define NET_BUFFER_FIRST_MDL(Nb) ((Nb)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(Nb) ((Nb)->DataLength)
#define NET_BUFFER_DATA_OFFSET(Nb) ((Nb)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(Nb) ((Nb)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(Nb) ((Nb)->CurrentMdlOffset)
#define NET_BUFFER_LIST_NEXT_NBL(Nbl) ((Nbl)->Next)
#define NET_BUFFER_LIST_FIRST_NB(Nbl) ((Nbl)->FirstNetBuffer)
#define NET_BUFFER_LIST_FLAGS(Nbl) ((Nbl)->Flags)
#define NET_BUFFER_LIST_STATUS(Nbl) ((Nbl)->Status)
#define NET_BUFFER_LIST_INFO(Nbl, Id) ((Nbl)->NetBufferListInfo[(Id)])

#define NDIS_PROTOCOL_ID_DEFAULT 0x00
#define NDIS_PROTOCOL_ID_TCP_IP 0x02

typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    UCHAR ProtocolId;
    BOOLEAN fAllocateNetBuffer;
    USHORT ContextSize;
    ULONG PoolTag;
    ULONG DataSize;
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;

#define NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1                                                         \
    RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_LIST_POOL_PARAMETERS, DataSize)

typedef struct _NDIS_GENERIC_OBJECT {
    NDIS_OBJECT_HEADER Header;
    PVOID Caller;
    PVOID CallersCaller;
    PDRIVER_OBJECT DriverObject;
} NDIS_GENERIC_OBJECT, *PNDIS_GENERIC_OBJECT;

typedef PMDL(NET_BUFFER_ALLOCATE_MDL_HANDLER)(PULONG BufferSize);
typedef NET_BUFFER_ALLOCATE_MDL_HANDLER *NET_BUFFER_ALLOCATE_MDL_HANDLER_PTR;
typedef VOID(NET_BUFFER_FREE_MDL_HANDLER)(PMDL Mdl);
typedef NET_BUFFER_FREE_MDL_HANDLER *NET_BUFFER_FREE_MDL_HANDLER_PTR;

#define NdisZeroMemory(Destination, Length) RtlZeroMemory((Destination), (Length))
#define NdisMoveMemory(Destination, Source, Length) RtlCopyMemory((Destination), (Source), (Length))
#define NdisEqualMemory(Source1, Source2, Length) RtlEqualMemory((Source1), (Source2), (Length))
#define NdisFillMemory(Destination, Length, Fill) RtlFillMemory((Destination), (Length), (Fill))

/* ---- the implementation behind the macros ------------------------------- */

VOID spinsim_NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
VOID spinsim_NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PNDIS_RW_LOCK_EX spinsim_NdisAllocateRWLock(NDIS_HANDLE NdisHandle, const sim_site *site);
VOID spinsim_NdisFreeRWLock(PNDIS_RW_LOCK_EX Lock, const sim_site *site);
VOID spinsim_NdisAcquireRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, UCHAR Flags, BOOLEAN Write,
                               const sim_site *site);
VOID spinsim_NdisReleaseRWLock(PNDIS_RW_LOCK_EX Lock, PLOCK_STATE_EX LockState, const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PNDIS_SPIN_LOCK SpinLock,
                                                  const sim_site *site);
PLIST_ENTRY spinsim_NdisInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY ListEntry,
                                                        PNDIS_SPIN_LOCK SpinLock, const sim_site *site);
PSINGLE_LIST_ENTRY spinsim_NdisInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PNDIS_SPIN_LOCK SpinLock,
                                                       const sim_site *site);
PVOID spinsim_NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                                EX_POOL_PRIORITY Priority, const sim_site *site);
VOID spinsim_NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags, const sim_site *site);

NDIS_HANDLE spinsim_NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_LIST_POOL_PARAMETERS Parameters,
                                                  const sim_site *site);
VOID spinsim_NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle, const sim_site *site);
PNET_BUFFER_LIST spinsim_NdisAllocateNetBufferList(const char *routine, NDIS_HANDLE PoolHandle, USHORT ContextSize,
                                                   USHORT ContextBackFill, PMDL MdlChain, ULONG DataOffset,
                                                   SIZE_T DataLength, BOOLEAN WithNetBuffer, const sim_site *site);
VOID spinsim_NdisFreeNetBufferList(const char *routine, PNET_BUFFER_LIST NetBufferList, const sim_site *site);
NDIS_STATUS spinsim_NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, ULONG DataBackFill,
                                                  const sim_site *site);
VOID spinsim_NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, const sim_site *site);
PVOID spinsim_NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, const sim_site *site);
PNDIS_GENERIC_OBJECT spinsim_NdisAllocateGenericObject(PDRIVER_OBJECT DriverObject, ULONG Tag, USHORT Size,
                                                       const sim_site *site);
VOID spinsim_NdisFreeGenericObject(PNDIS_GENERIC_OBJECT NdisObject, const sim_site *site);

/* ---- the NDIS names ----------------------------------------------------------- */

#define NdisAllocateSpinLock(L) spinsim_NdisAllocateSpinLock((L), SPINSIM_SITE)
#define NdisFreeSpinLock(L) spinsim_NdisFreeSpinLock((L), SPINSIM_SITE)
#define NdisAcquireSpinLock(L) spinsim_NdisAcquireSpinLock((L), SPINSIM_SITE)
#define NdisReleaseSpinLock(L) spinsim_NdisReleaseSpinLock((L), SPINSIM_SITE)
#define NdisDprAcquireSpinLock(L) spinsim_NdisDprAcquireSpinLock((L), SPINSIM_SITE)
#define NdisDprReleaseSpinLock(L) spinsim_NdisDprReleaseSpinLock((L), SPINSIM_SITE)
#define NdisAllocateRWLock(Handle) spinsim_NdisAllocateRWLock((Handle), SPINSIM_SITE)
#define NdisFreeRWLock(Lock) spinsim_NdisFreeRWLock((Lock), SPINSIM_SITE)
#define NdisAcquireRWLockRead(Lock, State, Flags)                                                                      \
    spinsim_NdisAcquireRWLock((Lock), (State), (Flags), FALSE, SPINSIM_SITE)
#define NdisAcquireRWLockWrite(Lock, State, Flags)                                                                     \
    spinsim_NdisAcquireRWLock((Lock), (State), (Flags), TRUE, SPINSIM_SITE)
#define NdisReleaseRWLock(Lock, State) spinsim_NdisReleaseRWLock((Lock), (State), SPINSIM_SITE)
#define NdisInterlockedInsertHeadList(Head, Entry, Lock)                                                               \
    spinsim_NdisInterlockedInsertHeadList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedInsertTailList(Head, Entry, Lock)                                                               \
    spinsim_NdisInterlockedInsertTailList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedRemoveHeadList(Head, Lock) spinsim_NdisInterlockedRemoveHeadList((Head), (Lock), SPINSIM_SITE)
#define NdisInterlockedPushEntryList(Head, Entry, Lock)                                                                \
    spinsim_NdisInterlockedPushEntryList((Head), (Entry), (Lock), SPINSIM_SITE)
#define NdisInterlockedPopEntryList(Head, Lock) spinsim_NdisInterlockedPopEntryList((Head), (Lock), SPINSIM_SITE)
#define NdisInterlockedIncrement(Addend) spinsim_InterlockedIncrement((Addend), SPINSIM_SITE)
#define NdisInterlockedDecrement(Addend) spinsim_InterlockedDecrement((Addend), SPINSIM_SITE)
#define NdisAllocateMemoryWithTagPriority(Handle, Length, Tag, Priority)                                               \
    spinsim_NdisAllocateMemoryWithTagPriority((Handle), (Length), (Tag), (Priority), SPINSIM_SITE)
#define NdisFreeMemory(Address, Length, Flags) spinsim_NdisFreeMemory((Address), (Length), (Flags), SPINSIM_SITE)

#define NdisAllocateNetBufferListPool(Handle, Parameters)                                                              \
    spinsim_NdisAllocateNetBufferListPool((Handle), (Parameters), SPINSIM_SITE)
#define NdisFreeNetBufferListPool(Pool) spinsim_NdisFreeNetBufferListPool((Pool), SPINSIM_SITE)
#define NdisAllocateNetBufferList(Pool, ContextSize, ContextBackFill)                                                  \
    spinsim_NdisAllocateNetBufferList("NdisAllocateNetBufferList", (Pool), (ContextSize), (ContextBackFill), NULL, 0,  \
                                      0, FALSE, SPINSIM_SITE)
#define NdisAllocateNetBufferAndNetBufferList(Pool, ContextSize, ContextBackFill, MdlChain, DataOffset, DataLength)    \
    spinsim_NdisAllocateNetBufferList("NdisAllocateNetBufferAndNetBufferList", (Pool), (ContextSize),                  \
                                      (ContextBackFill), (MdlChain), (DataOffset), (DataLength), TRUE, SPINSIM_SITE)
#define NdisFreeNetBufferList(Nbl) spinsim_NdisFreeNetBufferList("NdisFreeNetBufferList", (Nbl), SPINSIM_SITE)
#define NdisRetreatNetBufferDataStart(Nb, DataOffsetDelta, DataBackFill, AllocateMdlHandler)                           \
    ((void)(AllocateMdlHandler),                                                                                       \
     spinsim_NdisRetreatNetBufferDataStart((Nb), (DataOffsetDelta), (DataBackFill), SPINSIM_SITE))
#define NdisAdvanceNetBufferDataStart(Nb, DataOffsetDelta, FreeMdl, FreeMdlHandler)                                    \
    ((void)(FreeMdl), (void)(FreeMdlHandler),                                                                          \
     spinsim_NdisAdvanceNetBufferDataStart((Nb), (DataOffsetDelta), SPINSIM_SITE))
#define NdisGetDataBuffer(Nb, BytesNeeded, Storage, AlignMultiple, AlignOffset)                                        \
    ((void)(AlignMultiple), (void)(AlignOffset),                                                                       \
     spinsim_NdisGetDataBuffer((Nb), (BytesNeeded), (Storage), SPINSIM_SITE))
#define NdisAllocateGenericObject(Driver, Tag, Size)                                                                   \
    spinsim_NdisAllocateGenericObject((Driver), (Tag), (Size), SPINSIM_SITE)
#define NdisFreeGenericObject(Object) spinsim_NdisFreeGenericObject((Object), SPINSIM_SITE)

#endif
