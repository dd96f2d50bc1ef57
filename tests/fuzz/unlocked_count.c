/* unlocked_count (test only): a worker thread counts requests under the
 * device's spin lock, a DPC on the other CPU counts completions into the
 * same field without it. tests/fuzz.sh checks that the fuzz target reports
 * `data-race` at the DPC's access, naming the worker's, and aborts so that
 * libFuzzer keeps the input. The default schedule runs the worker to its
 * end before the DPC. */
#include <wdm.h>

typedef struct _COUNT_DEVICE {
    KSPIN_LOCK Lock;
    LONG Pending; /* guarded by Lock */
} COUNT_DEVICE, *PCOUNT_DEVICE;

KSTART_ROUTINE CountWorker;
KDEFERRED_ROUTINE CountCompletionDpc;

VOID CountWorker(PVOID StartContext) {
    PCOUNT_DEVICE Device = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Device->Lock, &OldIrql);
    Device->Pending++;
    KeReleaseSpinLock(&Device->Lock, OldIrql);
}

VOID CountCompletionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PCOUNT_DEVICE Device = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Device->Pending--; /* BUG: without Lock */
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(unlocked_count, "a DPC updates a count without the lock a thread uses (test only: data-race)") {
    PCOUNT_DEVICE device = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *device, 'tnuC');
    sim_cpus(2);
    KeInitializeSpinLock(&device->Lock);
    sim_thread(0, CountWorker, device);
    sim_dpc(1, CountCompletionDpc, device);
}
