/*++
Module Name: queue.h

Abstract: a polled sensor driver. A read request waits in the device's
    queue of pending reads until the poll timer's DPC completes it with the
    next sample, its requester cancels it, or the handle's cleanup flushes
    the queue. The queue and the sample are guarded by QueueLock; every
    IRP in the queue has QueueCancelRead set as its cancel routine, and
    whoever clears that routine (IoSetCancelRoutine(Irp, NULL) returning it)
    owns the IRP and completes it.
--*/
#ifndef QUEUE_H
#define QUEUE_H

#include <ntddk.h>

#define QUEUE_TAG 'ueQS'
#define QUEUE_POLL_PERIOD_MS 10

typedef struct _QUEUE_EXTENSION {
    KSPIN_LOCK QueueLock; /* PendingReads, Sample */
    LIST_ENTRY PendingReads;
    ULONG Sample;
    KTIMER PollTimer;
    KDPC PollDpc;
    volatile LONG ReadsCompleted;
} QUEUE_EXTENSION, *PQUEUE_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD QueueUnload;

_Dispatch_type_(IRP_MJ_READ) DRIVER_DISPATCH QueueDispatchRead;
_Dispatch_type_(IRP_MJ_CLEANUP) DRIVER_DISPATCH QueueDispatchCleanup;
DRIVER_CANCEL QueueCancelRead;
KDEFERRED_ROUTINE QueuePollDpc;

#endif
