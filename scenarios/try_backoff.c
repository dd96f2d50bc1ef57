/* try_backoff (correct; docs/windows-contract.md sect. 2.1): a TCP
 * offload driver's connection table lock comes before a connection's lock
 * in its lock order, but the retransmit DPC starts from a connection (it
 * holds the connection lock) and sometimes needs the table too, to unlink
 * a dead connection. Instead of taking the table lock against the order,
 * it tries it with KeTryToAcquireSpinLockAtDpcLevel; when that fails it
 * backs off: drops the connection lock, waits holding nothing until
 * KeTestSpinLock says the table lock looks free, and starts over. The try
 * never waits, so no cycle of waiters can form with the close thread, which
 * takes the table lock then the connection lock; and since the DPC waits
 * without the connection lock, the thread gets it and finishes. (A back-off
 * that re-takes the connection lock at once can keep overtaking the thread
 * on an unfair lock.) Each lock is released by the routine of its family. */
#include <wdm.h>

typedef struct _TOE_EXTENSION {
    KSPIN_LOCK TableLock; /* order: 1 */
    ULONG Connections;    /* guarded by TableLock */
    KSPIN_LOCK ConnLock;  /* order: 2 */
    ULONG Retransmits;    /* guarded by ConnLock */
    BOOLEAN Dead;         /* guarded by ConnLock */
    BOOLEAN Linked;       /* guarded by TableLock and ConnLock */
    ULONG BackOffs;       /* the DPC's own */
} TOE_EXTENSION, *PTOE_EXTENSION;

KDEFERRED_ROUTINE ToeRetransmitDpc;
KSTART_ROUTINE ToeCloseThread;

VOID ToeRetransmitDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PTOE_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    for (;;) {
        KeAcquireSpinLockAtDpcLevel(&Ext->ConnLock);
        Ext->Retransmits++;
        if (!Ext->Dead || !Ext->Linked)
            break;
        if (KeTryToAcquireSpinLockAtDpcLevel(&Ext->TableLock)) {
            Ext->Linked = FALSE;
            Ext->Connections--;
            KeReleaseSpinLockFromDpcLevel(&Ext->TableLock);
            break;
        }
        KeReleaseSpinLockFromDpcLevel(&Ext->ConnLock); /* back off */
        Ext->BackOffs++;
        while (!KeTestSpinLock(&Ext->TableLock))
            YieldProcessor();
    }
    KeReleaseSpinLockFromDpcLevel(&Ext->ConnLock);
}

VOID ToeCloseThread(PVOID StartContext) {
    PTOE_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->TableLock, &OldIrql);
    KeAcquireSpinLockAtDpcLevel(&Ext->ConnLock);
    if (Ext->Linked) {
        Ext->Linked = FALSE;
        Ext->Connections--;
    }
    KeReleaseSpinLockFromDpcLevel(&Ext->ConnLock);
    KeReleaseSpinLock(&Ext->TableLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

static void try_backoff_check(PVOID context) {
    PTOE_EXTENSION ext = context;
    SIM_CHECK(!ext->Linked && ext->Connections == 0);
}

SIM_SCENARIO(try_backoff, "a DPC tries the outer lock against the order and backs off when it is busy; correct") {
    PTOE_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->TableLock);
    KeInitializeSpinLock(&ext->ConnLock);
    sim_name(&ext->TableLock, "ext->TableLock");
    sim_name(&ext->ConnLock, "ext->ConnLock");
    ext->Connections = 1;
    ext->Linked = TRUE;
    ext->Dead = TRUE;
    sim_dpc(0, ToeRetransmitDpc, ext);
    sim_thread(1, ToeCloseThread, ext);
    sim_at_end(try_backoff_check, ext);
    sim_expect(SIM_FINDING_NONE);
}
