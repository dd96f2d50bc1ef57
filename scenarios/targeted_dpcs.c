/* targeted_dpcs (correct; docs/windows-contract.md sect. 2.5): a
 * filter driver keeps a per-processor cache of flow entries, touched only
 * at DISPATCH_LEVEL on its own processor, so it needs no lock. To flush
 * every cache, the control thread queues one DPC per processor with
 * KeSetTargetProcessorDpc and waits on an event; each DPC empties its own
 * processor's cache, adds the count to the global total under TotalLock
 * (an in-stack queued lock), and the last one to finish, counted down with
 * InterlockedDecrement, signals the event. The control thread reads the
 * total after the wait. Meanwhile a lookup DPC on each processor fills its
 * own cache. Nothing races: each cache is only ever touched on its CPU at
 * DISPATCH_LEVEL, and the total is under its lock. */
#include <wdm.h>

#define TGT_CPUS 2

typedef struct _TGT_EXTENSION TGT_EXTENSION, *PTGT_EXTENSION;

typedef struct _TGT_CPU {
    PTGT_EXTENSION Ext;
    ULONG CachedFlows; /* this processor's, at DISPATCH_LEVEL only */
    KDPC FlushDpc;
} TGT_CPU, *PTGT_CPU;

struct _TGT_EXTENSION {
    TGT_CPU Cpu[TGT_CPUS];
    KSPIN_LOCK TotalLock;
    ULONG FlushedTotal;    /* guarded by TotalLock */
    LONG FlushesRemaining; /* interlocked */
    KEVENT FlushDone;
};

KDEFERRED_ROUTINE TgtFlushDpc;
KDEFERRED_ROUTINE TgtLookupDpc;
KSTART_ROUTINE TgtControlThread;

VOID TgtFlushDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTGT_CPU Cpu = DeferredContext;
    PTGT_EXTENSION Ext = Cpu->Ext;
    KLOCK_QUEUE_HANDLE Handle;
    ULONG Flushed = Cpu->CachedFlows;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Cpu->CachedFlows = 0;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Ext->TotalLock, &Handle);
    Ext->FlushedTotal += Flushed;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
    if (InterlockedDecrement(&Ext->FlushesRemaining) == 0)
        KeSetEvent(&Ext->FlushDone, IO_NO_INCREMENT, FALSE);
}

/* A lookup that misses fills this processor's cache. */
VOID TgtLookupDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTGT_CPU Cpu = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Cpu->CachedFlows++;
}

VOID TgtControlThread(PVOID StartContext) {
    PTGT_EXTENSION Ext = StartContext;
    KLOCK_QUEUE_HANDLE Handle;
    ULONG Total;
    Ext->FlushesRemaining = TGT_CPUS;
    for (ULONG Number = 0; Number < TGT_CPUS; Number++) {
        KeSetTargetProcessorDpc(&Ext->Cpu[Number].FlushDpc, (CCHAR)Number);
        KeInsertQueueDpc(&Ext->Cpu[Number].FlushDpc, NULL, NULL);
    }
    KeWaitForSingleObject(&Ext->FlushDone, Executive, KernelMode, FALSE, NULL);
    KeAcquireInStackQueuedSpinLock(&Ext->TotalLock, &Handle);
    Total = Ext->FlushedTotal;
    KeReleaseInStackQueuedSpinLock(&Handle);
    UNREFERENCED_PARAMETER(Total);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void targeted_dpcs_check(PVOID context) {
    PTGT_EXTENSION ext = context;
    SIM_CHECK(ext->FlushesRemaining == 0);
    SIM_CHECK(ext->FlushedTotal + ext->Cpu[0].CachedFlows + ext->Cpu[1].CachedFlows == TGT_CPUS);
}

SIM_SCENARIO(targeted_dpcs, "a flush DPC targeted at each CPU empties its per-CPU cache; correct") {
    PTGT_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(TGT_CPUS);
    KeInitializeSpinLock(&ext->TotalLock);
    sim_name(&ext->TotalLock, "ext->TotalLock");
    KeInitializeEvent(&ext->FlushDone, NotificationEvent, FALSE);
    for (int i = 0; i < TGT_CPUS; i++) {
        ext->Cpu[i].Ext = ext;
        KeInitializeDpc(&ext->Cpu[i].FlushDpc, TgtFlushDpc, &ext->Cpu[i]);
        sim_dpc(i, TgtLookupDpc, &ext->Cpu[i]);
    }
    sim_thread(1, TgtControlThread, ext);
    sim_at_end(targeted_dpcs_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
