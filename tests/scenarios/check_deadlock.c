/* check_deadlock.c: scenarios for the wait-for graph of sim/deadlock.c
 * beyond lock owners: a release of an in-stack queued lock that waits for
 * its successor to link itself (R8e, docs/windows-contract.md sect. 5).
 *
 * The successor S has swapped its entry in as the tail and not yet written
 * the link into the releaser R's entry; R spins until it does. S holds
 * nothing, and it sits at DISPATCH_LEVEL or above from before its exchange
 * (every queued acquire raises first or requires it), so only an ISR can
 * stop it there. A deadlock through that edge therefore needs an ISR on
 * S's CPU that waits, directly or through others, for R. Without an
 * IRQL-consistency finding (R11) every context on that chain runs at the
 * ISR's level or above, R included: R releases its queued lock above
 * DISPATCH_LEVEL, which only the AtDpcLevel/ForDpc forms allow, and the
 * DDI rule IrqlDispatch flags as a `rule`. The buggy row allows
 * `irql-violation` for that reason; the deadlock itself is seen by no other
 * checker (no lock-order cycle, no irq-unsafe lock). The `recursive-acquire`
 * form of this wait (S below R on R's CPU) cannot occur: S swapped in after
 * R did, running on top of its CPU, so R, already there, was not above it;
 * and contexts are only ever pushed on top.
 *
 * The scenario: a DPC on CPU0 holds the queued lock A (AtDpcLevel) and
 * takes the interrupt spin lock of a device I; a thread on CPU1 queues for
 * A; the ISR of a second device J synchronizes with I through
 * KeAcquireInterruptSpinLock. Buggy, the DPC releases A before I: if J's
 * ISR lands on CPU1 between the thread's exchange and its link, the DPC
 * waits for the thread's link, the thread for the ISR above it, the ISR for
 * I, which the DPC holds. The twin releases in reverse order, as it should
 * (LIFO): I is free by the time the DPC waits for the link. */
#include "check_scenarios.h"

typedef struct link_wait {
    check_ext *ext;
    PKINTERRUPT device_i, device_j;
} link_wait;

/* The two waits that can close the cycle, whichever comes last. */
CHECK_CALL(deadlock_release_a, (PKLOCK_QUEUE_HANDLE handle), KeReleaseInStackQueuedSpinLockFromDpcLevel(handle))
CHECK_CALL(deadlock_isr_sync, (link_wait * s, PKIRQL old), *old = KeAcquireInterruptSpinLock(s->device_i))

static BOOLEAN quiet_device_isr(PKINTERRUPT Interrupt, PVOID Context) { return TRUE; }

static BOOLEAN syncing_isr(PKINTERRUPT Interrupt, PVOID Context) {
    link_wait *s = Context;
    KIRQL old;
    deadlock_isr_sync(s, &old);
    KeReleaseInterruptSpinLock(s->device_i, old);
    return TRUE;
}

static VOID releasing_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    link_wait *s = Context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&s->ext->lock[0], &handle);
    KIRQL old = KeAcquireInterruptSpinLock(s->device_i);
    if (s->ext->buggy) {
        deadlock_release_a(&handle);
        KeReleaseInterruptSpinLock(s->device_i, old);
    } else {
        KeReleaseInterruptSpinLock(s->device_i, old);
        deadlock_release_a(&handle);
    }
}

static VOID link_successor(PVOID Context) {
    link_wait *s = Context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&s->ext->lock[0], &handle);
    KeReleaseInStackQueuedSpinLock(&handle);
}

static VOID cpu0_thread(PVOID Context) { YieldProcessor(); }

static void setup_link_wait(check_ext *ext) {
    if (ext->buggy)
        sim_allow(SIM_FINDING_IRQL_VIOLATION);
    link_wait *s = sim_alloc(sizeof *s);
    s->ext = ext;
    s->device_i = sim_interrupt_named(quiet_device_isr, s, CHECK_DIRQL, CHECK_DIRQL, 0, "I");
    s->device_j = sim_interrupt_named(syncing_isr, s, CHECK_DIRQL, CHECK_DIRQL, 1, "J");
    sim_dpc(0, releasing_dpc, s);
    sim_thread(0, cpu0_thread, s);
    sim_thread(1, link_successor, s);
}
CHECK_PAIR(chk_deadlock_link_wait, SIM_FINDING_DEADLOCK,
           "a queued release waits for a successor whose ISR waits for the releaser", setup_link_wait)
