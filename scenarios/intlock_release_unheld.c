/* intlock_release_unheld (bug, docs/windows-contract.md R4 and R10): a
 * touch controller's report routine is called from its DPC, where it must
 * synchronize with the ISR, and from the power-down thread after the
 * interrupt was disabled, where the author saw no need to. It takes the
 * interrupt spin lock only when asked to, but releases it unconditionally
 * with KeReleaseInterruptSpinLock: from the power-down path it releases a
 * lock it never acquired, lowering the IRQL to an Old nobody handed out
 * (checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007). The fix: release under
 * the same condition as the acquire. Expected: release-not-owned. */
#include <wdm.h>

typedef struct _TCH_EXTENSION {
    PKINTERRUPT Interrupt;
    ULONG Contacts; /* guarded by the interrupt spin lock */
    ULONG Reports;  /* guarded by the interrupt spin lock */
    KDPC ReportDpc;
} TCH_EXTENSION, *PTCH_EXTENSION;

KSERVICE_ROUTINE TchIsr;
KDEFERRED_ROUTINE TchReportDpc;
KSTART_ROUTINE TchPowerDownThread;

BOOLEAN TchIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PTCH_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->Contacts++;
    KeInsertQueueDpc(&Ext->ReportDpc, NULL, NULL);
    return TRUE;
}

static VOID TchReport(PTCH_EXTENSION Ext, BOOLEAN SynchronizeWithIsr) {
    KIRQL OldIrql = PASSIVE_LEVEL;
    if (SynchronizeWithIsr)
        OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt);
    Ext->Reports += Ext->Contacts;
    Ext->Contacts = 0;
    KeReleaseInterruptSpinLock(Ext->Interrupt, OldIrql); /* BUG: not acquired when !SynchronizeWithIsr */
}

VOID TchReportDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    TchReport(DeferredContext, TRUE);
}

/* The interrupt is already disabled at the device: no ISR to synchronize with. */
VOID TchPowerDownThread(PVOID StartContext) { TchReport(StartContext, FALSE); }

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(intlock_release_unheld, "KeReleaseInterruptSpinLock without the acquire (bug: release-not-owned)") {
    PTCH_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeDpc(&ext->ReportDpc, TchReportDpc, ext);
    ext->Interrupt = sim_interrupt(TchIsr, ext, 5, 5, 1);
    sim_thread(0, TchPowerDownThread, ext);
    sim_expect(SIM_FINDING_RELEASE_NOT_OWNED);
}
