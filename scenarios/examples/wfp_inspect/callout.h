/* callout.h: an inspection callout in the style of a WFP transport callout
 * driver: its classify function pends every inbound packet it has not
 * injected itself (a clone, on a queue under an in-stack queued spin lock)
 * and absorbs the original; a worker system thread drains the queue and
 * receive-injects each clone; the injection's completion frees it.
 *
 * Who guards what: QueueLock guards PendedPackets and Unloading; the
 * counters are interlocked; a pended packet belongs to the queue until the
 * worker removes it, then to its injection until the completion runs. */
#ifndef CALLOUT_H
#define CALLOUT_H

#include <fwpmk.h>
#include <fwpsk.h>
#include <ntddk.h>

#define CALLOUT_POOL_TAG 'pcnI'

typedef struct _PENDED_PACKET {
    LIST_ENTRY Link;
    NET_BUFFER_LIST *Clone;
    COMPARTMENT_ID CompartmentId;
    IF_INDEX InterfaceIndex;
    IF_INDEX SubInterfaceIndex;
} PENDED_PACKET, *PPENDED_PACKET;

typedef struct _CALLOUT_DEVICE {
    HANDLE EngineHandle;
    HANDLE InjectionHandle;
    UINT32 CalloutId;
    KSPIN_LOCK QueueLock;
    LIST_ENTRY PendedPackets;
    BOOLEAN Unloading;
    KEVENT WorkerEvent;
    PVOID WorkerThread;
    volatile LONG PacketsPended;
    volatile LONG PacketsInjected;
    volatile LONG InjectionsCompleted;
} CALLOUT_DEVICE, *PCALLOUT_DEVICE;

/* The one device of the driver: the classify function has no context of
 * its own, as in a real callout. */
extern PCALLOUT_DEVICE CalloutDevice;

/* callout.c: load (PASSIVE_LEVEL) and unload (PASSIVE_LEVEL). */
NTSTATUS CalloutLoad(PCALLOUT_DEVICE Device);
VOID CalloutUnload(PCALLOUT_DEVICE Device);

/* classify.c: the classify and notify functions. */
FWPS_CALLOUT_CLASSIFY_FN CalloutClassify;
FWPS_CALLOUT_NOTIFY_FN CalloutNotify;

/* worker.c: the worker thread and the injection completion. */
KSTART_ROUTINE CalloutWorker;
FWPS_INJECT_COMPLETE CalloutInjectComplete;

#endif
