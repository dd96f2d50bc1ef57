/* interrupt.c owns the interrupt object, KINTERRUPT: connecting it
 * (IoConnectInterrupt for drivers, sim_interrupt for scenarios), the
 * interrupt dispatch that runs its ISR, and the routines that synchronize
 * with that ISR (KeAcquireInterruptSpinLock, KeReleaseInterruptSpinLock,
 * KeSynchronizeExecution), which the KMDF interrupt object (wdf.c) reuses
 * under its own routine names. docs/windows-contract.md sect. 2, R10,
 * sect. 5.
 *
 * The interrupt spin lock is an ordinary KSPIN_LOCK word taken through
 * spinlock.c's test-and-test-and-set; what makes it an interrupt lock is the
 * IRQL: every path raises to the object's SynchronizeIrql (not the line's
 * DIRQL) before it spins, so no ISR of the object can interrupt a holder on
 * its own CPU. */
#include <stdio.h>

#include "internal.h"
#include "lock_internal.h"
#include "symbolize.h"

enum { INTERRUPT_NAME_MAX = 48 };

/* What must stay true: Irql is a device level (3..12), SynchronizeIrql is
 * Irql..HIGH_LEVEL, and ActualLock never changes: it points at the driver's
 * SpinLock given to IoConnectInterrupt, or at this object's own. */
struct _KINTERRUPT {
    KIRQL Irql;
    KIRQL SynchronizeIrql;
    PKSERVICE_ROUTINE ServiceRoutine;
    PVOID ServiceContext;
    KSPIN_LOCK SpinLock;
    PKSPIN_LOCK ActualLock;
    int Source; /* the machine's interrupt source */
    char Name[INTERRUPT_NAME_MAX];
    const sim_site *IsrSite; /* the ISR routine's own line: where its path takes and frees the lock */
};

KIRQL locks_interrupt_lock(PKINTERRUPT interrupt, const char *routine, KIRQL caller_max, const sim_site *site) {
    /* The bound only the object knows: a caller above SynchronizeIrql
     * would be lowered by the raise. */
    sim_check_caller_irql(routine, PASSIVE_LEVEL,
                          caller_max < interrupt->SynchronizeIrql ? caller_max : interrupt->SynchronizeIrql, site);
    const KIRQL old = sim_irql_get();
    const sim_lock_op op = locks_op(routine, interrupt->ActualLock, SIM_LOCK_INTERRUPT, NULL, old, site);
    sim_check_acquire(&op);
    locks_irql_set(interrupt->SynchronizeIrql);
    locks_spin_acquire(interrupt->ActualLock);
    sim_check_acquired(&op);
    return old;
}

void locks_interrupt_unlock(PKINTERRUPT interrupt, KIRQL irql_new, const char *routine, const sim_site *site) {
    const sim_lock_op op = locks_op(routine, interrupt->ActualLock, SIM_LOCK_INTERRUPT, NULL, irql_new, site);
    sim_check_release(&op);
    locks_spin_release(interrupt->ActualLock);
    sim_check_released(&op);
    locks_irql_set(irql_new);
}

/* The ISR context's body (KiInterruptDispatch): the machine has entered it
 * at the line's DIRQL; raise to SynchronizeIrql, hold ActualLock around the
 * ISR, then come back down to DIRQL. Popping the context afterwards
 * restores the interrupted IRQL (the EOI). */
static void interrupt_dispatch(void *arg) {
    PKINTERRUPT interrupt = arg;
    sim_site_set(interrupt->IsrSite);
    SIM_ASSERT(sim_irq_current() == interrupt->Source);
    SIM_ASSERT(sim_irql_get() == interrupt->Irql);
    const KIRQL entry = locks_interrupt_lock(interrupt, "KiInterruptDispatch", HIGH_LEVEL, interrupt->IsrSite);
    const sim_check_callback isr =
        sim_check_callback_enter(SIM_CALLBACK_ISR, interrupt->Name, (const void *)interrupt->ServiceRoutine);
    interrupt->ServiceRoutine(interrupt, interrupt->ServiceContext);
    sim_check_callback_exit(&isr);
    locks_interrupt_unlock(interrupt, entry, "KiInterruptDispatch", interrupt->IsrSite);
}

PKINTERRUPT locks_interrupt_create(PKSERVICE_ROUTINE isr, PVOID context, PKSPIN_LOCK lock, KIRQL dirql,
                                   KIRQL synchronize_irql, int fires, const char *name) {
    SIM_ASSERT(synchronize_irql >= dirql && synchronize_irql <= HIGH_LEVEL);
    PKINTERRUPT interrupt = sim_alloc(sizeof *interrupt);
    interrupt->Irql = dirql;
    interrupt->SynchronizeIrql = synchronize_irql;
    interrupt->ServiceRoutine = isr;
    interrupt->ServiceContext = context;
    interrupt->ActualLock = lock != NULL ? lock : &interrupt->SpinLock;
    /* Static for the process, like every site: findings and traces
     * outlive the run's memory. Deferred: most runs never read it. */
    interrupt->IsrSite = sim_site_of_pc_deferred((uintptr_t)isr);
    sim_copy_text(interrupt->Name, sizeof interrupt->Name, name);
    char lock_name[INTERRUPT_NAME_MAX + 16];
    size_t length = strlen(interrupt->Name);
    memcpy(lock_name, interrupt->Name, length);
    sim_copy_text(lock_name + length, sizeof lock_name - length, ".SpinLock");
    sim_name(&interrupt->SpinLock, lock_name);
    interrupt->Source = sim_irq_register(interrupt->Name, dirql, fires, interrupt_dispatch, interrupt);
    return interrupt->Source >= 0 ? interrupt : NULL;
}

PKINTERRUPT sim_interrupt_named(PKSERVICE_ROUTINE isr, PVOID context, KIRQL dirql, KIRQL synchronize_irql, int fires,
                                const char *name) {
    if (synchronize_irql < dirql || synchronize_irql > HIGH_LEVEL) {
        sim_run_bad_scenario("interrupt %s: SynchronizeIrql %d must lie between its DIRQL %d and HIGH_LEVEL", name,
                             synchronize_irql, dirql);
        return NULL;
    }
    return locks_interrupt_create(isr, context, NULL, dirql, synchronize_irql, fires, name);
}

/* Connects in the scenario's setup (the machine takes interrupt sources
 * only there). The object fires up to sim_param("irq_fires", 2) times;
 * Vector names it, the mode, sharing, affinity and floating-point flags are
 * accepted and ignored: every CPU may take it. */
NTSTATUS spinsim_IoConnectInterrupt(PKINTERRUPT *InterruptObject, PKSERVICE_ROUTINE ServiceRoutine,
                                    PVOID ServiceContext, PKSPIN_LOCK SpinLock, ULONG Vector, KIRQL Irql,
                                    KIRQL SynchronizeIrql, KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector,
                                    KAFFINITY ProcessorEnableMask, BOOLEAN FloatingSave, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoConnectInterrupt", PASSIVE_LEVEL, PASSIVE_LEVEL, site);
    if (Irql < SIM_IRQL_DIRQL_MIN || Irql > SIM_IRQL_DIRQL_MAX || SynchronizeIrql < Irql ||
        SynchronizeIrql > HIGH_LEVEL)
        return STATUS_INVALID_PARAMETER;
    char name[INTERRUPT_NAME_MAX];
    snprintf(name, sizeof name, "vector%u", Vector);
    PKINTERRUPT interrupt = locks_interrupt_create(ServiceRoutine, ServiceContext, SpinLock, Irql, SynchronizeIrql,
                                                   (int)sim_param("irq_fires", 2), name);
    if (interrupt == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *InterruptObject = interrupt;
    return STATUS_SUCCESS;
}

KIRQL spinsim_KeAcquireInterruptSpinLock(PKINTERRUPT Interrupt, const sim_site *site) {
    sim_site_set(site);
    return locks_interrupt_lock(Interrupt, "KeAcquireInterruptSpinLock", HIGH_LEVEL, site);
}

VOID spinsim_KeReleaseInterruptSpinLock(PKINTERRUPT Interrupt, KIRQL OldIrql, const sim_site *site) {
    sim_site_set(site);
    locks_interrupt_unlock(Interrupt, OldIrql, "KeReleaseInterruptSpinLock", site);
}

/* Runs the routine on this CPU at SynchronizeIrql holding ActualLock, so
 * it excludes the ISR on every CPU, and returns the routine's value. */
BOOLEAN locks_interrupt_synchronize(PKINTERRUPT interrupt, const char *routine, KIRQL caller_max,
                                    PKSYNCHRONIZE_ROUTINE callback, PVOID context, const char *callback_name,
                                    const sim_site *site) {
    const KIRQL old = locks_interrupt_lock(interrupt, routine, caller_max, site);
    const sim_check_callback synch =
        sim_check_callback_enter(SIM_CALLBACK_SYNCH, callback_name, (const void *)callback);
    const BOOLEAN result = callback(context);
    sim_check_callback_exit(&synch);
    locks_interrupt_unlock(interrupt, old, routine, site);
    return result;
}

BOOLEAN spinsim_KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
                                       PVOID SynchronizeContext, const sim_site *site) {
    sim_site_set(site);
    return locks_interrupt_synchronize(Interrupt, "KeSynchronizeExecution", HIGH_LEVEL, SynchronizeRoutine,
                                       SynchronizeContext, "SynchCritSection routine", site);
}
