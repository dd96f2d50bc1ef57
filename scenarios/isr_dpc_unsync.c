/* isr_dpc_unsync (bug, docs/windows-contract.md sect. 6 item 4): a
 * keyboard-matrix controller's ISR ORs the scan code's key bit into
 * PendingKeys in the device extension and queues the DPC, as in
 * isr_dpc_sync. The DPC, to save a KeSynchronizeExecution call, reads
 * PendingKeys and then clears it with plain accesses, outside the
 * interrupt spin lock. A key whose interrupt lands on another CPU between
 * the DPC's read and its clear is lost: its bit is cleared without being
 * reported, and the key appears stuck up. The race detector reports the
 * ISR's and the DPC's unordered accesses as soon as both have touched the
 * word. The fix: read and clear inside KeSynchronizeExecution (or with
 * InterlockedExchange). Expected: data-race. */
#include <wdm.h>

typedef struct _KBD_EXTENSION {
    ULONG ScanCode;    /* the device model: the next key (ISR only) */
    ULONG PendingKeys; /* BUG: the ISR writes it under the interrupt lock, the DPC without it */
    LONG Reported;     /* interlocked */
    KDPC KeyDpc;
} KBD_EXTENSION, *PKBD_EXTENSION;

KSERVICE_ROUTINE KbdIsr;
KDEFERRED_ROUTINE KbdKeyDpc;

BOOLEAN KbdIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PKBD_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    Ext->PendingKeys |= 1u << (Ext->ScanCode++ % 8);
    KeInsertQueueDpc(&Ext->KeyDpc, NULL, NULL);
    return TRUE;
}

VOID KbdKeyDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PKBD_EXTENSION Ext = DeferredContext;
    ULONG Keys;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    Keys = Ext->PendingKeys; /* BUG: not under the interrupt spin lock */
    Ext->PendingKeys = 0;
    for (; Keys != 0; Keys &= Keys - 1)
        InterlockedIncrement(&Ext->Reported);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(isr_dpc_unsync, "the DPC reads and clears the ISR's latched keys without the interrupt lock (bug)") {
    PKBD_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    sim_name(&ext->PendingKeys, "ext->PendingKeys");
    KeInitializeDpc(&ext->KeyDpc, KbdKeyDpc, ext);
    sim_interrupt(KbdIsr, ext, 6, 6, 2);
    sim_expect(SIM_FINDING_DATA_RACE);
}
