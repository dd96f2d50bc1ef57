/* minimize_prelude.c: a scenario for tests/test_minimize.c whose random-walk
 * schedules carry many decisions that do not matter. Two threads first do a
 * long prelude of work under their own private locks (any interleaving is
 * fine), then T0 publishes a two-field record in two steps; the interrupt
 * checks that both fields agree, so the one decision that matters is an
 * interrupt landing between the two stores; it may fire often, so random
 * walks also deliver it where it does no harm. The default schedule delivers
 * no interrupt and finds nothing. Expected: invariant. */
#include <wdm.h>

#include "sim.h"

enum { PRELUDE_ROUNDS = 12, PRELUDE_WINDOW_STEPS = 3, PRELUDE_IRQ_FIRES = 64 };

typedef struct _PRELUDE_EXTENSION {
    KSPIN_LOCK PrivateLock[2]; /* one per thread: never contended */
    ULONG PrivateCount[2];
    volatile LONG RecordFirst; /* the record: both fields must agree */
    volatile LONG RecordSecond;
    volatile LONG WindowCount; /* T0's steps between the two stores */
} PRELUDE_EXTENSION, *PPRELUDE_EXTENSION;

typedef struct _PRELUDE_WORKER {
    PPRELUDE_EXTENSION Ext;
    int Index;
} PRELUDE_WORKER, *PPRELUDE_WORKER;

static BOOLEAN PreludeIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PPRELUDE_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    LONG First = InterlockedCompareExchange(&Ext->RecordFirst, 0, 0);
    LONG Second = InterlockedCompareExchange(&Ext->RecordSecond, 0, 0);
    SIM_CHECK(First == Second);
    return TRUE;
}

static VOID PreludeWorker(PVOID StartContext) {
    PPRELUDE_WORKER Worker = StartContext;
    PPRELUDE_EXTENSION Ext = Worker->Ext;
    for (int Round = 0; Round < PRELUDE_ROUNDS; Round++) {
        KIRQL OldIrql;
        KeAcquireSpinLock(&Ext->PrivateLock[Worker->Index], &OldIrql);
        Ext->PrivateCount[Worker->Index]++;
        KeReleaseSpinLock(&Ext->PrivateLock[Worker->Index], OldIrql);
    }
    if (Worker->Index != 0)
        return;
    /* BUG: the two fields are stored steps apart, under no lock the ISR takes. */
    InterlockedExchange(&Ext->RecordFirst, 1);
    for (int Step = 0; Step < PRELUDE_WINDOW_STEPS; Step++)
        InterlockedIncrement(&Ext->WindowCount);
    InterlockedExchange(&Ext->RecordSecond, 1);
}

SIM_SCENARIO(minimize_prelude, "test: a torn two-field record after a long, harmless prelude (bug: invariant)") {
    PPRELUDE_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    for (int i = 0; i < 2; i++) {
        KeInitializeSpinLock(&ext->PrivateLock[i]);
        PPRELUDE_WORKER worker = sim_alloc(sizeof *worker);
        worker->Ext = ext;
        worker->Index = i;
        sim_thread(i, PreludeWorker, worker);
    }
    sim_name(&ext->PrivateLock[0], "ext->PrivateLock[0]");
    sim_name(&ext->PrivateLock[1], "ext->PrivateLock[1]");
    sim_name((const void *)&ext->RecordFirst, "ext->RecordFirst");
    sim_name((const void *)&ext->RecordSecond, "ext->RecordSecond");
    sim_interrupt(PreludeIsr, ext, 5, 5, PRELUDE_IRQ_FIRES);
    sim_expect(SIM_FINDING_INVARIANT);
}
