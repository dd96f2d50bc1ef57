/* dpc_long_poll (bug, docs/windows-contract.md sect. 6 item 10; R15): a
 * network adapter's reset-recovery DPC holds the adapter lock and polls the
 * device's reset-done bit with KeStallExecutionProcessor, giving up only
 * after a timeout written for a PASSIVE_LEVEL thread: RESET_POLLS polls of
 * 10 us. A DPC gets a small slice of DISPATCH_LEVEL time (about 100 us on
 * Windows; here `dpc_watchdog_steps`), and a hung device never sets the
 * bit, so the DPC runs out its slice spinning (0x133
 * DPC_WATCHDOG_VIOLATION, P1 = 0) while the other CPU's send thread spins
 * on the adapter lock. The fix: poll from a timer DPC or a work item, one
 * look per run. Expected: dpc-watchdog. */
#include <wdm.h>

#define RESET_POLLS 100000 /* 1 s of 10 us stalls */
#define RESET_DONE 0x1

typedef struct _RST_EXTENSION {
    KSPIN_LOCK AdapterLock;
    ULONG volatile HwStatus; /* the device register: a hung device never sets RESET_DONE */
    BOOLEAN Resetting;       /* guarded by AdapterLock */
    ULONG ResetFailures;     /* guarded by AdapterLock */
    ULONG Sends;             /* guarded by AdapterLock */
} RST_EXTENSION, *PRST_EXTENSION;

KDEFERRED_ROUTINE RstRecoveryDpc;
KSTART_ROUTINE RstSendThread;

VOID RstRecoveryDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRST_EXTENSION Ext = DeferredContext;
    ULONG Poll;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Ext->AdapterLock);
    Ext->Resetting = TRUE;
    for (Poll = 0; Poll < RESET_POLLS; Poll++) { /* BUG: far longer than a DPC may run */
        if (Ext->HwStatus & RESET_DONE)
            break;
        KeStallExecutionProcessor(10);
    }
    if (Poll == RESET_POLLS)
        Ext->ResetFailures++;
    Ext->Resetting = FALSE;
    KeReleaseSpinLockFromDpcLevel(&Ext->AdapterLock);
}

VOID RstSendThread(PVOID StartContext) {
    PRST_EXTENSION Ext = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ext->AdapterLock, &OldIrql);
    if (!Ext->Resetting)
        Ext->Sends++;
    KeReleaseSpinLock(&Ext->AdapterLock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(dpc_long_poll, "a DPC polls a hung device for 1 s under the adapter lock (bug: dpc-watchdog)") {
    PRST_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->AdapterLock);
    sim_name(&ext->AdapterLock, "ext->AdapterLock");
    sim_dpc(0, RstRecoveryDpc, ext);
    sim_thread(1, RstSendThread, ext);
    sim_expect(SIM_FINDING_DPC_WATCHDOG);
}
