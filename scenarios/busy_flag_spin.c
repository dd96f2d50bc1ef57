/* busy_flag_spin (bug, timing-dependent; docs/windows-contract.md sect. 6 items
 * 10 and 13): the driver guards its flow table with a hand-rolled lock, a
 * LONG busy flag taken with InterlockedCompareExchange and spun on with
 * YieldProcessor, instead of a KSPIN_LOCK. The add-flows thread validates
 * each flow under ConfigLock (a real spin lock) and then inserts it under
 * the busy flag, which it takes at PASSIVE_LEVEL: unlike KeAcquireSpinLock,
 * nothing raises the IRQL, so the holder stays preemptible. The ISR queues
 * the lookup DPC on its own CPU. When the interrupt lands on the updater's
 * CPU while the flag is set, the DPC runs on top of the holder at
 * DISPATCH_LEVEL and spins on a flag only the thread beneath it can clear:
 * the CPU never drops below DISPATCH_LEVEL again (0x133
 * DPC_WATCHDOG_VIOLATION). Landing anywhere else, the DPC at most waits for
 * the thread to clear the flag (under ConfigLock the thread is at
 * DISPATCH_LEVEL, so the DPC waits for the IRQL to drop, before the flag is
 * taken). The fix is a real spin lock (KeAcquireSpinLock in the thread,
 * AtDpcLevel in the DPC). The default schedule delivers the interrupt after
 * the thread is done. Expected: dpc-watchdog. */
#include <wdm.h>

#define FLOW_TABLE_SIZE 4
#define FLOW_FLAG_FREE 0
#define FLOW_FLAG_BUSY 1

typedef struct _FLOW_EXTENSION {
    KSPIN_LOCK ConfigLock;   /* a real spin lock, for the adapter configuration */
    ULONG MaxFlows;          /* guarded by ConfigLock */
    ULONG ConfigReads;       /* guarded by ConfigLock */
    LONG volatile TableBusy; /* BUG: a home-made lock that does not raise the IRQL */
    ULONG Table[FLOW_TABLE_SIZE];
    ULONG Updates;
    ULONG Lookups;
    ULONG Hits;
    KDPC LookupDpc;
} FLOW_EXTENSION, *PFLOW_EXTENSION;

KSERVICE_ROUTINE FlowIsr;
KDEFERRED_ROUTINE FlowLookupDpc;
KSTART_ROUTINE FlowUpdateThread;
KSTART_ROUTINE FlowConfigThread;

static VOID FlowTableLock(PFLOW_EXTENSION Ext) {
    while (InterlockedCompareExchange(&Ext->TableBusy, FLOW_FLAG_BUSY, FLOW_FLAG_FREE) != FLOW_FLAG_FREE)
        YieldProcessor();
}

static VOID FlowTableUnlock(PFLOW_EXTENSION Ext) { InterlockedExchange(&Ext->TableBusy, FLOW_FLAG_FREE); }

BOOLEAN FlowIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PFLOW_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    /* Queued on this CPU: it runs as soon as the IRQL drops below DISPATCH_LEVEL. */
    KeInsertQueueDpc(&Ext->LookupDpc, NULL, NULL);
    return TRUE;
}

VOID FlowLookupDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFLOW_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    FlowTableLock(Ext); /* spins at DISPATCH_LEVEL */
    Ext->Lookups++;
    Ext->Hits += Ext->Table[Ext->Lookups % FLOW_TABLE_SIZE] != 0;
    FlowTableUnlock(Ext);
}

/* Whether the configuration admits one more flow. */
static BOOLEAN FlowValidate(PFLOW_EXTENSION Ext, ULONG Index) {
    KIRQL OldIrql;
    BOOLEAN Admitted;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    Admitted = Index < Ext->MaxFlows;
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
    return Admitted;
}

/* The add-flows request, at PASSIVE_LEVEL: validate each flow under the
 * configuration lock, then insert it under the busy flag. */
VOID FlowUpdateThread(PVOID StartContext) {
    PFLOW_EXTENSION Ext = StartContext;
    for (ULONG i = 0; i < FLOW_TABLE_SIZE; i++) {
        if (!FlowValidate(Ext, i))
            break;
        FlowTableLock(Ext); /* BUG: taken at PASSIVE_LEVEL, holder preemptible */
        Ext->Table[i] = 0x100 + i;
        Ext->Updates++;
        FlowTableUnlock(Ext);
    }
}

VOID FlowConfigThread(PVOID StartContext) {
    PFLOW_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->ConfigLock, &OldIrql);
    Ext->ConfigReads++;
    KeReleaseSpinLock(&Ext->ConfigLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(busy_flag_spin, "hand-rolled busy flag taken at PASSIVE_LEVEL, spun on by a DPC (bug: dpc-watchdog)") {
    PFLOW_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ConfigLock);
    sim_name(&ext->ConfigLock, "ext->ConfigLock");
    ext->MaxFlows = FLOW_TABLE_SIZE;
    sim_name((const void *)&ext->TableBusy, "ext->TableBusy");
    KeInitializeDpc(&ext->LookupDpc, FlowLookupDpc, ext);
    sim_interrupt(FlowIsr, ext, 5, 5, 1);
    sim_thread(0, FlowUpdateThread, ext);
    sim_thread(1, FlowConfigThread, ext);
    sim_expect(SIM_FINDING_DPC_WATCHDOG);
}
