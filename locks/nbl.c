/* nbl.c owns NET_BUFFER_LIST and NET_BUFFER as ndis.h declares them: list
 * pools, allocating a list (with one net buffer over a caller's MDL chain,
 * or without), freeing it, moving a buffer's data start back and forth,
 * reading its data (NdisGetDataBuffer), and NDIS generic objects. Every
 * routine checks that it runs at or below DISPATCH_LEVEL and takes a step;
 * lists and pools are pool memory named by their routine, so a freed list
 * touched again is reported.
 *
 * A list, its net buffer and its context area are one block. A pool's
 * DataSize and fAllocateNetBuffer are kept but not used:
 * NdisAllocateNetBufferList gives a list without data. Retreating a data
 * start below the start of the MDL chain allocates no new MDL: it fails
 * with NDIS_STATUS_RESOURCES, which the WDK allows. */
#include "lock_internal.h"
#include "ndis.h"

enum { NBL_TAG = 0x206c624e }; /* 'Nbl ' */

typedef struct nbl_pool {
    NET_BUFFER_LIST_POOL_PARAMETERS parameters;
} nbl_pool;

typedef struct nbl_block {
    NET_BUFFER_LIST list;
    NET_BUFFER buffer;
} nbl_block;

NDIS_HANDLE spinsim_NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_LIST_POOL_PARAMETERS Parameters,
                                                  const sim_site *site) {
    nbl_pool *pool = spinsim_ExAllocatePoolType("NdisAllocateNetBufferListPool", NonPagedPoolNx, TRUE, sizeof *pool,
                                                Parameters->PoolTag, site);
    if (pool != NULL)
        pool->parameters = *Parameters;
    return pool;
}

VOID spinsim_NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle, const sim_site *site) {
    locks_pool_free("NdisFreeNetBufferListPool", PoolHandle, site);
}

/* The MDL of the chain that holds byte `offset` of the data, and where in
 * it; NULL past the end of the chain. */
static PMDL mdl_at(PMDL chain, ULONG offset, ULONG *offset_in_mdl) {
    PMDL mdl = chain;
    while (mdl != NULL && offset >= mdl->ByteCount) {
        offset -= mdl->ByteCount;
        mdl = mdl->Next;
    }
    *offset_in_mdl = offset;
    return mdl;
}

static void point_at_data_start(PNET_BUFFER NetBuffer) {
    NetBuffer->CurrentMdl = mdl_at(NetBuffer->MdlChain, NetBuffer->DataOffset, &NetBuffer->CurrentMdlOffset);
}

PNET_BUFFER_LIST spinsim_NdisAllocateNetBufferList(const char *routine, NDIS_HANDLE PoolHandle, USHORT ContextSize,
                                                   USHORT ContextBackFill, PMDL MdlChain, ULONG DataOffset,
                                                   SIZE_T DataLength, BOOLEAN WithNetBuffer, const sim_site *site) {
    const SIZE_T context_size = (SIZE_T)ContextSize + ContextBackFill;
    const SIZE_T context_bytes = context_size != 0 ? sizeof(NET_BUFFER_LIST_CONTEXT) + context_size : 0;
    nbl_block *block =
        spinsim_ExAllocatePoolType(routine, NonPagedPoolNx, TRUE, sizeof *block + context_bytes, NBL_TAG, site);
    if (block == NULL)
        return NULL;
    block->list.NdisPoolHandle = PoolHandle;
    if (context_bytes != 0) {
        block->list.Context = (PNET_BUFFER_LIST_CONTEXT)(block + 1);
        block->list.Context->Size = (USHORT)context_size;
        block->list.Context->Offset = (USHORT)context_size;
    }
    if (WithNetBuffer) {
        block->list.FirstNetBuffer = &block->buffer;
        block->buffer.NdisPoolHandle = PoolHandle;
        block->buffer.MdlChain = MdlChain;
        block->buffer.DataOffset = DataOffset;
        block->buffer.DataLength = (ULONG)DataLength;
        point_at_data_start(&block->buffer);
    }
    return &block->list;
}

VOID spinsim_NdisFreeNetBufferList(const char *routine, PNET_BUFFER_LIST NetBufferList, const sim_site *site) {
    locks_pool_free(routine, NetBufferList, site);
}

NDIS_STATUS spinsim_NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, ULONG DataBackFill,
                                                  const sim_site *site) {
    spinsim_routine_enter("NdisRetreatNetBufferDataStart", DISPATCH_LEVEL, site);
    if (DataOffsetDelta > NetBuffer->DataOffset)
        return NDIS_STATUS_RESOURCES;
    NetBuffer->DataOffset -= DataOffsetDelta;
    NetBuffer->DataLength += DataOffsetDelta;
    point_at_data_start(NetBuffer);
    return NDIS_STATUS_SUCCESS;
}

VOID spinsim_NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, const sim_site *site) {
    spinsim_routine_enter("NdisAdvanceNetBufferDataStart", DISPATCH_LEVEL, site);
    NetBuffer->DataOffset += DataOffsetDelta;
    NetBuffer->DataLength -= DataOffsetDelta;
    point_at_data_start(NetBuffer);
}

static PUCHAR mdl_bytes(PMDL mdl) {
    return (PUCHAR)(mdl->MappedSystemVa != NULL ? mdl->MappedSystemVa : MmGetMdlVirtualAddress(mdl));
}

/* The data in place when it lies in one MDL; else copied into Storage, or
 * NULL without Storage; NULL when the buffer holds fewer bytes. */
PVOID spinsim_NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, const sim_site *site) {
    spinsim_routine_enter("NdisGetDataBuffer", DISPATCH_LEVEL, site);
    PMDL mdl = NetBuffer->CurrentMdl;
    ULONG offset = NetBuffer->CurrentMdlOffset;
    if (BytesNeeded > NetBuffer->DataLength || mdl == NULL)
        return NULL;
    if (mdl->ByteCount - offset >= BytesNeeded)
        return mdl_bytes(mdl) + offset;
    if (Storage == NULL)
        return NULL;
    for (ULONG copied = 0; copied < BytesNeeded; mdl = mdl->Next, offset = 0) {
        const ULONG chunk = min(mdl->ByteCount - offset, BytesNeeded - copied);
        memcpy((PUCHAR)Storage + copied, mdl_bytes(mdl) + offset, chunk);
        copied += chunk;
    }
    return Storage;
}

PNDIS_GENERIC_OBJECT spinsim_NdisAllocateGenericObject(PDRIVER_OBJECT DriverObject, ULONG Tag, USHORT Size,
                                                       const sim_site *site) {
    PNDIS_GENERIC_OBJECT object =
        spinsim_ExAllocatePoolType("NdisAllocateGenericObject", NonPagedPoolNx, TRUE, sizeof *object + Size, Tag, site);
    if (object != NULL) {
        object->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
        object->Header.Size = (USHORT)sizeof *object;
        object->DriverObject = DriverObject;
    }
    return object;
}

VOID spinsim_NdisFreeGenericObject(PNDIS_GENERIC_OBJECT NdisObject, const sim_site *site) {
    locks_pool_free("NdisFreeGenericObject", NdisObject, site);
}
