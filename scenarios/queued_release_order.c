/* queued_release_order (bug, docs/windows-contract.md sect. 6 item 9;
 * R8d): a NIC's receive-side scaling update takes the indirection-table
 * lock and then the queue lock, both in-stack queued, and releases them in
 * the order it took them: the table handle first. Each handle keeps its
 * own OldIrql, so the first release drops the thread to PASSIVE_LEVEL with
 * the queue lock still held, where a DPC on the same CPU can preempt it and
 * spin on that lock; the second release then runs below DISPATCH_LEVEL
 * (C4/0x40007 class, DV C4/0x1003). The receive DPC on the other CPU takes
 * the queue lock alone. The fix is LIFO order. Expected: release-order. */
#include <wdm.h>

#define RSS_TABLE_SIZE 4

typedef struct _RSS_EXTENSION {
    KSPIN_LOCK TableLock;
    UCHAR Table[RSS_TABLE_SIZE]; /* guarded by TableLock */
    KSPIN_LOCK QueueLock;
    ULONG QueueGeneration; /* guarded by QueueLock */
    ULONG Received;        /* guarded by QueueLock */
} RSS_EXTENSION, *PRSS_EXTENSION;

KSTART_ROUTINE RssUpdateThread;
KDEFERRED_ROUTINE RssReceiveDpc;

VOID RssUpdateThread(PVOID StartContext) {
    PRSS_EXTENSION Ext = StartContext;
    KLOCK_QUEUE_HANDLE TableHandle;
    KLOCK_QUEUE_HANDLE QueueHandle;
    KeAcquireInStackQueuedSpinLock(&Ext->TableLock, &TableHandle);
    KeAcquireInStackQueuedSpinLock(&Ext->QueueLock, &QueueHandle);
    for (ULONG i = 0; i < RSS_TABLE_SIZE; i++)
        Ext->Table[i] = (UCHAR)(i % 2);
    Ext->QueueGeneration++;
    KeReleaseInStackQueuedSpinLock(&TableHandle); /* BUG: the outer lock first */
    KeReleaseInStackQueuedSpinLock(&QueueHandle);
}

VOID RssReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRSS_EXTENSION Ext = DeferredContext;
    KLOCK_QUEUE_HANDLE QueueHandle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->QueueLock, &QueueHandle);
    Ext->Received++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&QueueHandle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(queued_release_order, "two in-stack queued locks released outer-first (bug: release-order)") {
    PRSS_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->TableLock);
    KeInitializeSpinLock(&ext->QueueLock);
    sim_name(&ext->TableLock, "ext->TableLock");
    sim_name(&ext->QueueLock, "ext->QueueLock");
    sim_thread(0, RssUpdateThread, ext);
    sim_dpc(1, RssReceiveDpc, ext);
    sim_expect(SIM_FINDING_RELEASE_ORDER);
}
