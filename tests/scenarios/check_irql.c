/* check_irql.c: scenarios for sim/check_irql.c, one buggy scenario and its
 * correct twin per rule: R1 caller IRQL, R2 direction, R6 lowering while
 * holding, R12 paging and waiting at DISPATCH_LEVEL. */
#include "check_scenarios.h"

static BOOLEAN quiet_isr(PKINTERRUPT Interrupt, PVOID Context) { return TRUE; }

/* ---- R1: KeAcquireSpinLock above DISPATCH_LEVEL (C4/0x42) ---------------- */

CHECK_CALL(irql_raise_acquire, (check_ext * ext, KIRQL *old), KeAcquireSpinLock(&ext->lock[0], old))

static VOID raise_then_acquire(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry, old;
    KeRaiseIrql(ext->buggy ? CHECK_DIRQL : DISPATCH_LEVEL, &entry);
    irql_raise_acquire(ext, &old);
    KeReleaseSpinLock(&ext->lock[0], old);
    KeLowerIrql(entry);
}

CHECK_PAIR_THREADS(chk_irql_raise_acquire, SIM_FINDING_IRQL_VIOLATION, "KeAcquireSpinLock at DIRQL", raise_then_acquire,
                   raise_then_acquire)

/* ---- R1: KeAcquireSpinLockAtDpcLevel at PASSIVE_LEVEL (C4/0x40) ------------ */

CHECK_CALL(irql_at_dpc_acquire, (check_ext * ext), KeAcquireSpinLockAtDpcLevel(&ext->lock[0]))

static VOID at_dpc_worker(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry = ext->buggy ? PASSIVE_LEVEL : KeRaiseIrqlToDpcLevel();
    irql_at_dpc_acquire(ext);
    KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
    KeLowerIrql(entry);
}

CHECK_PAIR_THREADS(chk_irql_at_dpc_passive, SIM_FINDING_IRQL_VIOLATION, "KeAcquireSpinLockAtDpcLevel at PASSIVE_LEVEL",
                   at_dpc_worker, at_dpc_worker)

/* ---- R1: AtDpcLevel in an ISR: only the DDI rule IrqlDispatch (`rule`) ----- */

CHECK_CALL(irql_at_dpc_in_isr, (check_ext * ext), KeAcquireSpinLockAtDpcLevel(&ext->lock[1]))

static void at_dpc_lock_b(check_ext *ext) {
    irql_at_dpc_in_isr(ext);
    KeReleaseSpinLockFromDpcLevel(&ext->lock[1]);
}

static BOOLEAN lock_b_isr(PKINTERRUPT Interrupt, PVOID Context) {
    at_dpc_lock_b(Context);
    return TRUE;
}

static VOID lock_b_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) { at_dpc_lock_b(Context); }

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

/* Buggy: only the ISR takes B, so nothing but the DDI rule is broken. */
static void setup_at_dpc_in_isr(check_ext *ext) {
    if (ext->buggy)
        sim_interrupt(lock_b_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    else
        sim_dpc(1, lock_b_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_irql_at_dpc_in_isr, SIM_FINDING_IRQL_VIOLATION, "KeAcquireSpinLockAtDpcLevel in an ISR",
           setup_at_dpc_in_isr)

/* ---- R1: KeReleaseSpinLock above DISPATCH_LEVEL (C4/0x32) ------------------- */

CHECK_CALL(irql_release_at_dirql, (check_ext * ext, KIRQL old), KeReleaseSpinLock(&ext->lock[0], old))

static VOID release_above_dispatch(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old, dispatch;
    KeAcquireSpinLock(&ext->lock[0], &old);
    KeRaiseIrql(CHECK_DIRQL, &dispatch);
    if (!ext->buggy)
        KeLowerIrql(dispatch);
    irql_release_at_dirql(ext, old);
}

CHECK_PAIR_THREADS(chk_irql_release_at_dirql, SIM_FINDING_IRQL_VIOLATION, "KeReleaseSpinLock at DIRQL",
                   release_above_dispatch, release_above_dispatch)

/* ---- R1: KeAcquireInterruptSpinLock above SynchronizeIrql (R10) ----------- */

CHECK_CALL(irql_interrupt_lock, (check_ext * ext, KIRQL *old), *old = KeAcquireInterruptSpinLock(ext->irq))

static VOID interrupt_locker(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry, old;
    KeRaiseIrql(ext->buggy ? CHECK_DIRQL_HIGHER : PASSIVE_LEVEL, &entry);
    irql_interrupt_lock(ext, &old);
    KeReleaseInterruptSpinLock(ext->irq, old);
    KeLowerIrql(entry);
}

static void setup_interrupt_lock(check_ext *ext) {
    ext->irq = sim_interrupt(quiet_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, interrupt_locker, ext);
    sim_thread(1, interrupt_locker, ext);
}
CHECK_PAIR(chk_irql_interrupt_lock, SIM_FINDING_IRQL_VIOLATION, "KeAcquireInterruptSpinLock above SynchronizeIrql",
           setup_interrupt_lock)

/* ---- R2: KeRaiseIrql to a lower level (C4/0x30) ----------------------------- */

CHECK_CALL(irql_raise_lower, (KIRQL irql, KIRQL *old), KeRaiseIrql(irql, old))

static VOID raise_twice(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry, dispatch;
    KeRaiseIrql(DISPATCH_LEVEL, &entry);
    irql_raise_lower(ext->buggy ? PASSIVE_LEVEL : CHECK_DIRQL, &dispatch);
    KeLowerIrql(dispatch);
    KeLowerIrql(entry);
}

CHECK_PAIR_THREADS(chk_irql_raise_to_lower, SIM_FINDING_IRQL_VIOLATION, "KeRaiseIrql to a lower IRQL", raise_twice,
                   raise_twice)

/* ---- R2: KeLowerIrql to a higher level (C4/0x31) ---------------------------- */

CHECK_CALL(irql_lower_higher, (KIRQL irql), KeLowerIrql(irql))

static VOID lower_without_raise(PVOID Context) {
    check_ext *ext = Context;
    KIRQL entry;
    if (!ext->buggy)
        KeRaiseIrql(DISPATCH_LEVEL, &entry);
    irql_lower_higher(ext->buggy ? APC_LEVEL : PASSIVE_LEVEL);
}

static void setup_lower_higher(check_ext *ext) { sim_thread(0, lower_without_raise, ext); }
CHECK_PAIR(chk_irql_lower_to_higher, SIM_FINDING_IRQL_VIOLATION, "KeLowerIrql to a higher IRQL", setup_lower_higher)

/* ---- R2: a DPC lowering below DISPATCH_LEVEL (C4/0x31, P4=1) ---------------- */

CHECK_CALL(irql_dpc_lower, (KIRQL irql), KeLowerIrql(irql))

static VOID raising_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KIRQL old;
    KeRaiseIrql(CHECK_DIRQL, &old);
    irql_dpc_lower(ext->buggy ? PASSIVE_LEVEL : old);
}

static void setup_dpc_lower(check_ext *ext) {
    sim_dpc(0, raising_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_irql_dpc_lowers, SIM_FINDING_IRQL_VIOLATION, "a DPC lowers below DISPATCH_LEVEL", setup_dpc_lower)

/* ---- R6: KeLowerIrql below DISPATCH_LEVEL with a lock held (0xF) ------------ */

CHECK_CALL(irql_lower_holding, (void), KeLowerIrql(PASSIVE_LEVEL))

static VOID lower_while_holding(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[0], &old);
    if (ext->buggy)
        irql_lower_holding();
    KeReleaseSpinLock(&ext->lock[0], old);
}

CHECK_PAIR_THREADS(chk_irql_lower_holding, SIM_FINDING_IRQL_VIOLATION,
                   "KeLowerIrql below DISPATCH_LEVEL holding a lock", lower_while_holding, lower_while_holding)

/* ---- R12: PAGED_CODE() under a spin lock (0xA / 0xD1) ----------------------- */

CHECK_CALL(irql_paged, (void), PAGED_CODE())

static VOID paged_worker(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    if (!ext->buggy)
        irql_paged();
    KeAcquireSpinLock(&ext->lock[0], &old);
    if (ext->buggy)
        irql_paged();
    KeReleaseSpinLock(&ext->lock[0], old);
}

CHECK_PAIR_THREADS(chk_irql_paged_at_dispatch, SIM_FINDING_PAGED_AT_DISPATCH, "PAGED_CODE() under a spin lock",
                   paged_worker, paged_worker)

/* ---- R12: a blocking wait under a spin lock (C4/0x121); a poll is allowed --- */

CHECK_CALL(irql_wait, (check_ext * ext, PLARGE_INTEGER timeout),
           KeWaitForSingleObject(&ext->event, Executive, KernelMode, FALSE, timeout))

static VOID wait_worker(PVOID Context) {
    check_ext *ext = Context;
    LARGE_INTEGER zero = {.QuadPart = 0};
    KIRQL old;
    KeSetEvent(&ext->event, 0, FALSE);
    KeAcquireSpinLock(&ext->lock[0], &old);
    irql_wait(ext, ext->buggy ? NULL : &zero);
    KeReleaseSpinLock(&ext->lock[0], old);
    irql_wait(ext, NULL);
}

CHECK_PAIR_THREADS(chk_irql_wait_at_dispatch, SIM_FINDING_WAIT_AT_DISPATCH, "KeWaitForSingleObject under a spin lock",
                   wait_worker, wait_worker)
