/*++
Module Name: miniport.h

Abstract: the datapath of an NDIS-style miniport. Sends wait in the send
    queue until the send-complete DPC returns their buffers to the free
    list; the receive DPC takes buffers from the free list, filters the
    frame against the adapter's configuration and indicates it. Who guards
    what:
      SendLock (NDIS_SPIN_LOCK): PendingSends, SendsPending
      FreeLock (NDIS_SPIN_LOCK, through the NdisInterlocked list routines
      only): FreeBuffers
      ConfigLock (NDIS_RW_LOCK_EX): PacketFilter, MaxFrameSize
      interlocked: the statistics
--*/
#ifndef MINIPORT_H
#define MINIPORT_H

#include <ndis.h>

#define MP_TAG 'pdtM'
#define MP_BUFFERS 4
#define MP_FILTER_DIRECTED 0x00000001
#define MP_FILTER_PROMISCUOUS 0x00000020

typedef struct _MP_BUFFER {
    LIST_ENTRY Link;
    ULONG Length;
} MP_BUFFER, *PMP_BUFFER;

typedef struct _MP_ADAPTER {
    NDIS_SPIN_LOCK SendLock;
    LIST_ENTRY PendingSends;
    ULONG SendsPending;
    NDIS_SPIN_LOCK FreeLock;
    LIST_ENTRY FreeBuffers;
    PNDIS_RW_LOCK_EX ConfigLock;
    ULONG PacketFilter;
    ULONG MaxFrameSize;
    volatile LONG FramesSent;
    volatile LONG FramesRejected;
    volatile LONG FramesReceived;
    volatile LONG FramesDropped;
    MP_BUFFER Buffers[MP_BUFFERS];
} MP_ADAPTER, *PMP_ADAPTER;

/* adapter.c */
NDIS_STATUS MpInitializeAdapter(_In_ NDIS_HANDLE MiniportHandle, _Out_ PMP_ADAPTER *Adapter);
NDIS_STATUS MpSetPacketFilter(_In_ PMP_ADAPTER Adapter, _In_ ULONG PacketFilter);

/* send.c: MpSendFrame at PASSIVE_LEVEL or DISPATCH_LEVEL, as NDIS sends come. */
NDIS_STATUS MpSendFrame(_In_ PMP_ADAPTER Adapter, _In_ ULONG Length);
KDEFERRED_ROUTINE MpSendCompleteDpc;

/* recv.c */
KDEFERRED_ROUTINE MpReceiveDpc;

#endif
