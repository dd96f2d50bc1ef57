/* fordpc_mixed_pair (DDI rule only, docs/windows-contract.md R7): an audio
 * driver's position-update routine is queued both as a threaded DPC and as
 * an ordinary DPC. It takes the position lock with KeAcquireSpinLock, which
 * is legal at PASSIVE_LEVEL and at DISPATCH_LEVEL and returns the right Old
 * in both, and releases it with KeReleaseSpinLockForDpc, which restores
 * that Old. Each call leaves the IRQL where the matching KeReleaseSpinLock
 * would, so nothing goes wrong on Windows, but the pair is mismatched (DDI
 * SpinLockDpc; Driver Verifier's C4/0x1009 for pairs that disagree). A
 * `rule` finding: `run` notes it and exits 0. The fix is
 * KeAcquireSpinLockForDpc, or KeReleaseSpinLock.
 * Expected: release-wrong-family, as a rule. */
#include <wdm.h>

typedef struct _AUD_EXTENSION {
    KSPIN_LOCK PositionLock;
    ULONG64 Position; /* guarded by PositionLock */
    ULONG Updates;    /* guarded by PositionLock */
} AUD_EXTENSION, *PAUD_EXTENSION;

KDEFERRED_ROUTINE AudPositionDpc;

VOID AudPositionDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PAUD_EXTENSION Ext = DeferredContext;
    KIRQL OldIrql;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLock(&Ext->PositionLock, &OldIrql);
    Ext->Position += 480;
    Ext->Updates++;
    KeReleaseSpinLockForDpc(&Ext->PositionLock, OldIrql); /* RULE: KeReleaseSpinLock */
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(fordpc_mixed_pair, "KeAcquireSpinLock released with KeReleaseSpinLockForDpc in DPCs (rule: SpinLockDpc)") {
    PAUD_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->PositionLock);
    sim_name(&ext->PositionLock, "ext->PositionLock");
    sim_threaded_dpc(0, AudPositionDpc, ext);
    sim_dpc(1, AudPositionDpc, ext);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}
