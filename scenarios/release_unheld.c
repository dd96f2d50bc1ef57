/* release_unheld (bug, docs/windows-contract.md R4): a USB function
 * driver's configure path has one exit label that releases the endpoint
 * lock, reached also by the early check that runs before the lock is
 * taken: when the request names an endpoint that does not exist, it jumps
 * to Exit and KeReleaseSpinLock releases a lock it never acquired (checked
 * 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007), at PASSIVE_LEVEL besides. The
 * other thread configures a valid endpoint. The fix: a second label, or
 * the check under the lock. Expected: release-not-owned. */
#include <wdm.h>

#define USB_ENDPOINTS 2

typedef struct _USB_EXTENSION {
    KSPIN_LOCK EndpointLock;
    ULONG MaxPacket[USB_ENDPOINTS]; /* guarded by EndpointLock */
    ULONG Configured;               /* guarded by EndpointLock */
} USB_EXTENSION, *PUSB_EXTENSION;

typedef struct _USB_CONFIGURE {
    PUSB_EXTENSION Ext;
    ULONG Endpoint;
    ULONG MaxPacket;
    NTSTATUS Status;
} USB_CONFIGURE, *PUSB_CONFIGURE;

KSTART_ROUTINE UsbConfigureThread;

static NTSTATUS UsbConfigureEndpoint(PUSB_EXTENSION Ext, ULONG Endpoint, ULONG MaxPacket) {
    NTSTATUS Status = STATUS_SUCCESS;
    KIRQL OldIrql = PASSIVE_LEVEL;
    if (Endpoint >= USB_ENDPOINTS) {
        Status = STATUS_INVALID_PARAMETER;
        goto Exit; /* BUG: the lock is not held yet */
    }
    KeAcquireSpinLock(&Ext->EndpointLock, &OldIrql);
    Ext->MaxPacket[Endpoint] = MaxPacket;
    Ext->Configured++;
Exit:
    KeReleaseSpinLock(&Ext->EndpointLock, OldIrql);
    return Status;
}

VOID UsbConfigureThread(PVOID StartContext) {
    PUSB_CONFIGURE Request = StartContext;
    Request->Status = UsbConfigureEndpoint(Request->Ext, Request->Endpoint, Request->MaxPacket);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(release_unheld, "an error path jumps to the exit label that releases a lock never taken (bug)") {
    PUSB_EXTENSION ext = sim_alloc(sizeof *ext);
    PUSB_CONFIGURE requests = sim_alloc(2 * sizeof *requests);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->EndpointLock);
    sim_name(&ext->EndpointLock, "ext->EndpointLock");
    requests[0] = (USB_CONFIGURE){ext, 1, 512, STATUS_SUCCESS};
    requests[1] = (USB_CONFIGURE){ext, 7, 64, STATUS_SUCCESS}; /* no such endpoint */
    sim_thread(0, UsbConfigureThread, &requests[0]);
    sim_thread(1, UsbConfigureThread, &requests[1]);
    sim_expect(SIM_FINDING_RELEASE_NOT_OWNED);
}
