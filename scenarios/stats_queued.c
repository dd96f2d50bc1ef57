/* stats_queued (correct): per-device statistics (packets, bytes, errors)
 * updated by two I/O threads and by a completion DPC under one in-stack
 * queued spin lock. Threads use KeAcquireInStackQueuedSpinLock with a
 * KLOCK_QUEUE_HANDLE on their own stack; the DPC, already at DISPATCH_LEVEL,
 * uses the AtDpcLevel / FromDpcLevel pair. No update is lost. */
#include <wdm.h>

#define STATS_UPDATES_PER_THREAD 2

typedef struct _STATS_EXTENSION {
    KSPIN_LOCK StatsLock; /* in-stack queued */
    ULONG Packets;
    ULONGLONG Bytes;
    ULONG Errors;
} STATS_EXTENSION, *PSTATS_EXTENSION;

KSTART_ROUTINE StatsIoThread;
KDEFERRED_ROUTINE StatsCompletionDpc;

static VOID StatsRecordLocked(PSTATS_EXTENSION Ext, ULONG Length, BOOLEAN Failed) {
    Ext->Packets++;
    Ext->Bytes += Length;
    if (Failed)
        Ext->Errors++;
}

VOID StatsIoThread(PVOID StartContext) {
    PSTATS_EXTENSION Ext = StartContext;
    for (ULONG i = 0; i < STATS_UPDATES_PER_THREAD; i++) {
        KLOCK_QUEUE_HANDLE LockHandle;
        KeAcquireInStackQueuedSpinLock(&Ext->StatsLock, &LockHandle);
        StatsRecordLocked(Ext, 100, FALSE);
        KeReleaseInStackQueuedSpinLock(&LockHandle);
    }
}

VOID StatsCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSTATS_EXTENSION Ext = DeferredContext;
    KLOCK_QUEUE_HANDLE LockHandle;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->StatsLock, &LockHandle);
    StatsRecordLocked(Ext, 0, TRUE);
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&LockHandle);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void stats_queued_check(PVOID context) {
    PSTATS_EXTENSION ext = context;
    SIM_CHECK(ext->Packets == 2 * STATS_UPDATES_PER_THREAD + 1);
    SIM_CHECK(ext->Bytes == 2 * STATS_UPDATES_PER_THREAD * 100);
    SIM_CHECK(ext->Errors == 1);
}

SIM_SCENARIO(stats_queued, "statistics updated by two threads and a DPC under an in-stack queued lock; correct") {
    PSTATS_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->StatsLock);
    sim_name(&ext->StatsLock, "ext->StatsLock");
    sim_thread(0, StatsIoThread, ext);
    sim_thread(1, StatsIoThread, ext);
    sim_dpc(1, StatsCompletionDpc, ext);
    sim_at_end(stats_queued_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
