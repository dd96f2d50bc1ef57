/* nested_documented_order (correct; docs/windows-contract.md R14): a RAID
 * driver's three locks with a documented order: the array lock, then a
 * member disk's lock, then the disk's request queue lock (an in-stack
 * queued lock). The rebuild thread takes all three; the completion DPC
 * takes a disk lock then its queue lock; the status thread takes the array
 * lock then a disk lock. Each path may skip levels, never go back up, and
 * releases in reverse order, so no two paths wait on each other in a
 * cycle. Silent under every strategy. */
#include <wdm.h>

#define RAID_DISKS 2

typedef struct _RAID_DISK {
    KSPIN_LOCK DiskLock;  /* order: 2 */
    ULONG State;          /* guarded by DiskLock */
    KSPIN_LOCK QueueLock; /* order: 3, in-stack queued */
    ULONG Queued;         /* guarded by QueueLock */
    ULONG Completed;      /* guarded by QueueLock */
} RAID_DISK, *PRAID_DISK;

typedef struct _RAID_EXTENSION {
    KSPIN_LOCK ArrayLock; /* order: 1 */
    ULONG RebuildCursor;  /* guarded by ArrayLock */
    ULONG Degraded;       /* guarded by ArrayLock */
    RAID_DISK Disk[RAID_DISKS];
} RAID_EXTENSION, *PRAID_EXTENSION;

KSTART_ROUTINE RaidRebuildThread;
KSTART_ROUTINE RaidStatusThread;
KDEFERRED_ROUTINE RaidCompletionDpc;

/* Array -> disk -> queue: one rebuild stripe on each disk. */
VOID RaidRebuildThread(PVOID StartContext) {
    PRAID_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ArrayLock, &OldIrql);
    for (ULONG i = 0; i < RAID_DISKS; i++) {
        PRAID_DISK Disk = &Ext->Disk[i];
        KLOCK_QUEUE_HANDLE Handle;
        KeAcquireSpinLockAtDpcLevel(&Disk->DiskLock);
        KeAcquireInStackQueuedSpinLockAtDpcLevel(&Disk->QueueLock, &Handle);
        Disk->Queued++;
        KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
        KeReleaseSpinLockFromDpcLevel(&Disk->DiskLock);
    }
    Ext->RebuildCursor++;
    KeReleaseSpinLock(&Ext->ArrayLock, OldIrql);
}

/* Disk -> queue: the array lock is not needed, and is not taken after. */
VOID RaidCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRAID_DISK Disk = DeferredContext;
    KLOCK_QUEUE_HANDLE Handle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Disk->DiskLock);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Disk->QueueLock, &Handle);
    if (Disk->Queued > Disk->Completed)
        Disk->Completed++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
    Disk->State = Disk->Completed;
    KeReleaseSpinLockFromDpcLevel(&Disk->DiskLock);
}

/* Array -> disk, skipping the queue level. */
VOID RaidStatusThread(PVOID StartContext) {
    PRAID_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ArrayLock, &OldIrql);
    for (ULONG i = 0; i < RAID_DISKS; i++) {
        KeAcquireSpinLockAtDpcLevel(&Ext->Disk[i].DiskLock);
        Ext->Degraded += Ext->Disk[i].State == 0;
        KeReleaseSpinLockFromDpcLevel(&Ext->Disk[i].DiskLock);
    }
    KeReleaseSpinLock(&Ext->ArrayLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(nested_documented_order, "three lock levels taken in one documented order on every path; correct") {
    static const char *const disk_names[RAID_DISKS] = {"disk[0].DiskLock", "disk[1].DiskLock"};
    static const char *const queue_names[RAID_DISKS] = {"disk[0].QueueLock", "disk[1].QueueLock"};
    PRAID_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ArrayLock);
    sim_name(&ext->ArrayLock, "ext->ArrayLock");
    for (int i = 0; i < RAID_DISKS; i++) {
        KeInitializeSpinLock(&ext->Disk[i].DiskLock);
        KeInitializeSpinLock(&ext->Disk[i].QueueLock);
        sim_name(&ext->Disk[i].DiskLock, disk_names[i]);
        sim_name(&ext->Disk[i].QueueLock, queue_names[i]);
        sim_dpc(i, RaidCompletionDpc, &ext->Disk[i]);
    }
    sim_thread(0, RaidRebuildThread, ext);
    sim_thread(1, RaidStatusThread, ext);
    sim_expect(SIM_FINDING_NONE);
}
