/* uaf_dpc (test only): a thread queues a DPC whose KDPC lives in pool, then
 * frees the pool before the DPC runs (it raised to DISPATCH_LEVEL around
 * both). Dequeuing the DPC would clear the KDPC's queued flag in freed
 * memory, a store the machine makes itself: tests/fuzz.sh checks that the
 * fuzz target reports lock-in-freed-memory at the free, while the DPC is
 * still queued. */
#include <wdm.h>

typedef struct _UAF_WORK {
    KDPC Dpc;
    ULONG Runs;
} UAF_WORK, *PUAF_WORK;

KDEFERRED_ROUTINE UafDpcRoutine;
KSTART_ROUTINE UafQueueAndFree;

VOID UafDpcRoutine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

VOID UafQueueAndFree(PVOID StartContext) {
    PUAF_WORK Work = StartContext;
    KIRQL OldIrql;
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    KeInsertQueueDpc(&Work->Dpc, NULL, NULL);
    ExFreePoolWithTag(Work, 'dfaU'); /* BUG: the DPC is still queued */
    KeLowerIrql(OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(uaf_dpc, "a queued KDPC in freed pool (test only: ASan in the fuzz target)") {
    PUAF_WORK work = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *work, 'dfaU');
    sim_cpus(1);
    KeInitializeDpc(&work->Dpc, UafDpcRoutine, work);
    sim_thread(0, UafQueueAndFree, work);
}
