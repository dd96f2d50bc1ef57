/* abbcca (bug, lockdep's ABBCCA; docs/windows-contract.md R14): a
 * three-port software bridge. Forwarding a frame from one port to the next
 * takes the source port's lock, then the destination port's lock, to move
 * the frame between their queues. Port 0 forwards to port 1 (A -> B), port
 * 1 to port 2 (B -> C) and port 2 back to port 0 (C -> A), each from its
 * own CPU. Every path is two locks in a fixed order, yet together they
 * form a cycle: with each port's forwarder holding its own lock, all three
 * spin on the next one (DV C4/0x1001 before it hangs). The fix: take the
 * two port locks in a global order (by port number), whatever the
 * direction. Expected: lock-order-cycle. */
#include <wdm.h>

#define BRIDGE_PORTS 3

typedef struct _BRIDGE_PORT {
    KSPIN_LOCK Lock;
    ULONG Queued;    /* guarded by Lock */
    ULONG Forwarded; /* guarded by Lock */
    struct _BRIDGE_PORT *Next;
} BRIDGE_PORT, *PBRIDGE_PORT;

KSTART_ROUTINE BridgeForwardThread;

VOID BridgeForwardThread(PVOID StartContext) {
    PBRIDGE_PORT Source = StartContext;
    PBRIDGE_PORT Destination = Source->Next;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Source->Lock, &OldIrql);
    KeAcquireSpinLockAtDpcLevel(&Destination->Lock); /* BUG: source -> destination, around the ring */
    Destination->Queued++;
    Source->Forwarded++;
    KeReleaseSpinLockFromDpcLevel(&Destination->Lock);
    KeReleaseSpinLock(&Source->Lock, OldIrql);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(abbcca, "three ports each lock themselves then the next one, around a ring (bug: lock-order-cycle)") {
    static const char *const names[BRIDGE_PORTS] = {"port[0].Lock", "port[1].Lock", "port[2].Lock"};
    PBRIDGE_PORT ports = sim_alloc(BRIDGE_PORTS * sizeof *ports);
    sim_cpus(BRIDGE_PORTS);
    for (int i = 0; i < BRIDGE_PORTS; i++) {
        KeInitializeSpinLock(&ports[i].Lock);
        sim_name(&ports[i].Lock, names[i]);
        ports[i].Next = &ports[(i + 1) % BRIDGE_PORTS];
        sim_thread(i, BridgeForwardThread, &ports[i]);
    }
    sim_expect(SIM_FINDING_LOCK_ORDER_CYCLE);
}
