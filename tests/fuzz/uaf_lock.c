/* uaf_lock (test only): teardown frees the device extension while a worker
 * still takes the spin lock inside it. The lock word lives in freed pool,
 * and only the machine's atomic layer touches it: tests/fuzz.sh checks that
 * the fuzz target reports lock-in-freed-memory at the worker's acquire,
 * naming the free, before ASan sees the access. The default schedule runs
 * teardown first. */
#include <wdm.h>

typedef struct _UAF_EXTENSION {
    KSPIN_LOCK Lock;
    ULONG Requests; /* guarded by Lock */
} UAF_EXTENSION, *PUAF_EXTENSION;

KSTART_ROUTINE UafTeardown;
KSTART_ROUTINE UafWorker;

VOID UafTeardown(PVOID StartContext) { ExFreePoolWithTag(StartContext, 'tfaU'); }

VOID UafWorker(PVOID StartContext) {
    PUAF_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->Lock, &OldIrql); /* BUG: Ext was freed */
    Ext->Requests++;
    KeReleaseSpinLock(&Ext->Lock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(uaf_lock, "a spin lock taken in freed pool (test only: ASan in the fuzz target)") {
    PUAF_EXTENSION ext = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *ext, 'tfaU');
    sim_cpus(2);
    KeInitializeSpinLock(&ext->Lock);
    sim_thread(0, UafTeardown, ext);
    sim_thread(1, UafWorker, ext);
}
