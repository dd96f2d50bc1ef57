/* periodic_timer_dpc (correct; docs/windows-contract.md sect. 2.8): a
 * fan controller samples the temperature every second from a periodic
 * timer (KeSetTimerEx with a period); Windows re-queues the timer's DPC by
 * itself at each expiry. The DPC takes the sample lock at DISPATCH_LEVEL
 * with KeAcquireSpinLockAtDpcLevel, records the sample and adjusts the fan
 * duty cycle; the control thread changes the target temperature under the
 * same lock with KeAcquireSpinLock. To stop, it first marks the device
 * stopped under the lock, then KeCancelTimer takes back an expiry still
 * queued and KeFlushQueuedDpcs waits for the ones queued or running
 * elsewhere. A DPC that takes the lock after the stop finds the stopped
 * mark and records nothing, so no sample lands after the count taken at
 * the stop. Every sample recorded is counted once. */
#include <wdm.h>

typedef struct _FAN_EXTENSION {
    KTIMER SampleTimer;
    KDPC SampleDpc;
    KSPIN_LOCK SampleLock;
    LONG Temperature;    /* guarded by SampleLock */
    LONG Target;         /* guarded by SampleLock */
    ULONG Duty;          /* guarded by SampleLock */
    ULONG Samples;       /* guarded by SampleLock */
    BOOLEAN Stopped;     /* guarded by SampleLock */
    ULONG SamplesAtStop; /* guarded by SampleLock */
    ULONG LateSamples;   /* guarded by SampleLock: samples after the stop */
} FAN_EXTENSION, *PFAN_EXTENSION;

KDEFERRED_ROUTINE FanSampleDpc;
KSTART_ROUTINE FanControlThread;

VOID FanSampleDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PFAN_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->SampleLock);
    if (Ext->Stopped) {
        KeReleaseSpinLockFromDpcLevel(&Ext->SampleLock);
        return;
    }
    Ext->Samples++;
    Ext->Temperature += 2;
    Ext->Duty = Ext->Temperature > Ext->Target ? 100 : 40;
    KeReleaseSpinLockFromDpcLevel(&Ext->SampleLock);
}

VOID FanControlThread(PVOID StartContext) {
    PFAN_EXTENSION Ext = StartContext;
    LARGE_INTEGER DueTime;
    KIRQL OldIrql;
    DueTime.QuadPart = -10000000LL; /* one second */
    KeSetTimerEx(&Ext->SampleTimer, DueTime, 1000, &Ext->SampleDpc);
    KeAcquireSpinLock(&Ext->SampleLock, &OldIrql);
    Ext->Target = 45;
    KeReleaseSpinLock(&Ext->SampleLock, OldIrql);
    /* Stop: mark it first, so a DPC already running records nothing. */
    KeAcquireSpinLock(&Ext->SampleLock, &OldIrql);
    Ext->Stopped = TRUE;
    Ext->SamplesAtStop = Ext->Samples;
    KeReleaseSpinLock(&Ext->SampleLock, OldIrql);
    KeCancelTimer(&Ext->SampleTimer);
    KeFlushQueuedDpcs();
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void periodic_timer_dpc_check(PVOID context) {
    PFAN_EXTENSION ext = context;
    SIM_CHECK(ext->Samples == ext->SamplesAtStop && ext->Samples <= 3);
    SIM_CHECK(ext->Temperature == 40 + 2 * (LONG)ext->Samples);
}

SIM_SCENARIO(periodic_timer_dpc, "a periodic timer DPC samples under a lock, stopped by KeCancelTimer; correct") {
    PFAN_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->SampleLock);
    sim_name(&ext->SampleLock, "ext->SampleLock");
    KeInitializeTimerEx(&ext->SampleTimer, NotificationTimer);
    KeInitializeDpc(&ext->SampleDpc, FanSampleDpc, ext);
    KeSetTargetProcessorDpc(&ext->SampleDpc, 1);
    ext->Temperature = 40;
    ext->Target = 50;
    sim_thread(0, FanControlThread, ext);
    sim_at_end(periodic_timer_dpc_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
