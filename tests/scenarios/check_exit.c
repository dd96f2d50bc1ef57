/* check_exit.c: scenarios for sim/check_exit.c (R13), one buggy scenario and
 * its correct twin per way a context or callback can return with a lock or
 * an IRQL it did not enter with; and for sim/check_recursion.c (R5). */
#include "check_scenarios.h"

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

/* ---- a thread returns holding a lock (DV C4/0x100A) -------------------------- */

CHECK_CALL(exit_thread_acquire, (check_ext * ext, KIRQL *old), KeAcquireSpinLock(&ext->lock[0], old))

static VOID leaky_thread(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    exit_thread_acquire(ext, &old);
    if (!ext->buggy)
        KeReleaseSpinLock(&ext->lock[0], old);
}

CHECK_PAIR_THREADS(chk_exit_thread_lock_leak, SIM_FINDING_LOCK_LEAK, "a thread returns holding a spin lock",
                   leaky_thread, leaky_thread)

/* ---- a DPC returns holding a lock (C4/0x40009) ------------------------------ */

CHECK_CALL(exit_dpc_acquire, (check_ext * ext), KeAcquireSpinLockAtDpcLevel(&ext->lock[0]))

static VOID leaky_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    exit_dpc_acquire(ext);
    if (!ext->buggy)
        KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

static void setup_dpc_leak(check_ext *ext) {
    sim_dpc(0, leaky_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_exit_dpc_lock_leak, SIM_FINDING_LOCK_LEAK, "a DPC returns holding a spin lock", setup_dpc_leak)

/* ---- a thread returns at DISPATCH_LEVEL (C4/0x2001D) ------------------------ */

CHECK_CALL(exit_thread_raise, (KIRQL * old), *old = KeRaiseIrqlToDpcLevel())

static VOID raising_thread(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    exit_thread_raise(&old);
    if (!ext->buggy)
        KeLowerIrql(old);
}

CHECK_PAIR_THREADS(chk_exit_thread_irql_leak, SIM_FINDING_IRQL_LEAK, "a thread returns at DISPATCH_LEVEL",
                   raising_thread, raising_thread)

/* ---- a DPC returns above DISPATCH_LEVEL -------------------------------------- */

CHECK_CALL(exit_dpc_raise, (KIRQL * old), KeRaiseIrql(CHECK_DIRQL, old))

static VOID raising_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KIRQL old;
    exit_dpc_raise(&old);
    if (!ext->buggy)
        KeLowerIrql(old);
}

static void setup_dpc_irql(check_ext *ext) {
    sim_dpc(0, raising_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_exit_dpc_irql_leak, SIM_FINDING_IRQL_LEAK, "a DPC returns above DISPATCH_LEVEL", setup_dpc_irql)

/* ---- a threaded DPC returns above the IRQL it was entered at (R9) ------------ */

CHECK_CALL(exit_threaded_raise, (KIRQL * old), *old = KeRaiseIrqlToDpcLevel())

static VOID raising_threaded_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KIRQL old;
    exit_threaded_raise(&old);
    if (!ext->buggy)
        KeLowerIrql(old);
}

static VOID threaded_dpc_inserter(PVOID Context) {
    check_ext *ext = Context;
    KeInitializeThreadedDpc(&ext->dpc, raising_threaded_dpc, ext);
    KeInsertQueueDpc(&ext->dpc, NULL, NULL);
}

static void setup_threaded_irql(check_ext *ext) { sim_thread(0, threaded_dpc_inserter, ext); }
CHECK_PAIR(chk_exit_threaded_dpc_irql_leak, SIM_FINDING_IRQL_LEAK, "a threaded DPC returns at DISPATCH_LEVEL",
           setup_threaded_irql)

/* ---- an ISR returns above its SynchronizeIrql (0xC8) ------------------------- */

CHECK_CALL(exit_isr_raise, (KIRQL * old), KeRaiseIrql(HIGH_LEVEL, old))

static BOOLEAN raising_isr(PKINTERRUPT Interrupt, PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    exit_isr_raise(&old);
    if (!ext->buggy)
        KeLowerIrql(old);
    return TRUE;
}

static void setup_isr_irql(check_ext *ext) {
    ext->irq = sim_interrupt(raising_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_exit_isr_irql_leak, SIM_FINDING_IRQL_LEAK, "an ISR returns at HIGH_LEVEL", setup_isr_irql)

/* ---- an ISR returns holding another interrupt's lock ------------------------- */

CHECK_CALL(exit_isr_acquire, (check_ext * ext, KIRQL *old), *old = KeAcquireInterruptSpinLock(ext->irq_higher))

static BOOLEAN leaky_isr(PKINTERRUPT Interrupt, PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    exit_isr_acquire(ext, &old);
    if (!ext->buggy)
        KeReleaseInterruptSpinLock(ext->irq_higher, old);
    return TRUE;
}

static BOOLEAN quiet_isr(PKINTERRUPT Interrupt, PVOID Context) { return TRUE; }

static void setup_isr_leak(check_ext *ext) {
    ext->irq = sim_interrupt(leaky_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    ext->irq_higher = sim_interrupt(quiet_isr, ext, CHECK_DIRQL_HIGHER, CHECK_DIRQL_HIGHER, 0);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_exit_isr_lock_leak, SIM_FINDING_LOCK_LEAK, "an ISR returns holding an interrupt spin lock",
           setup_isr_leak)

/* ---- a SynchCritSection routine returns at another IRQL ---------------------- */

CHECK_CALL(exit_synch_raise, (KIRQL * old), KeRaiseIrql(HIGH_LEVEL, old))

static BOOLEAN raising_synch(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    exit_synch_raise(&old);
    if (!ext->buggy)
        KeLowerIrql(old);
    return TRUE;
}

static VOID synchronizing_thread(PVOID Context) {
    check_ext *ext = Context;
    KeSynchronizeExecution(ext->irq, raising_synch, ext);
}

static void setup_synch_irql(check_ext *ext) {
    ext->irq = sim_interrupt(quiet_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, synchronizing_thread, ext);
    sim_thread(1, synchronizing_thread, ext);
}
CHECK_PAIR(chk_exit_synch_irql_leak, SIM_FINDING_IRQL_LEAK, "a SynchCritSection routine returns at HIGH_LEVEL",
           setup_synch_irql)

/* ---- R5: an ISR synchronizes with its own interrupt (0xF, DV C4/0x1000) ------- */

static BOOLEAN touch_device(PVOID Context) {
    check_ext *ext = Context;
    InterlockedIncrement(&ext->flag);
    return TRUE;
}

CHECK_CALL(recursion_isr_synch, (check_ext * ext), KeSynchronizeExecution(ext->irq, touch_device, ext))

static BOOLEAN synchronizing_isr(PKINTERRUPT Interrupt, PVOID Context) {
    check_ext *ext = Context;
    if (ext->buggy)
        recursion_isr_synch(ext);
    else
        touch_device(ext);
    return TRUE;
}

static VOID device_thread(PVOID Context) {
    check_ext *ext = Context;
    KeSynchronizeExecution(ext->irq, touch_device, ext);
}

static void setup_isr_synch(check_ext *ext) {
    ext->irq = sim_interrupt(synchronizing_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, device_thread, ext);
    sim_thread(1, device_thread, ext);
}
CHECK_PAIR(chk_recursion_isr_synch, SIM_FINDING_RECURSIVE_ACQUIRE, "an ISR calls KeSynchronizeExecution on itself",
           setup_isr_synch)

/* ---- R5: a DPC tries a lock it already holds (checked 0xF) -------------------- */

CHECK_CALL(recursion_try_own, (PKSPIN_LOCK lock, BOOLEAN *taken), *taken = KeTryToAcquireSpinLockAtDpcLevel(lock))

static VOID trying_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    PKSPIN_LOCK second = ext->buggy ? &ext->lock[0] : &ext->lock[1];
    BOOLEAN taken;
    KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    recursion_try_own(second, &taken);
    if (taken)
        KeReleaseSpinLockFromDpcLevel(second);
    KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

static void setup_try_own(check_ext *ext) {
    sim_dpc(0, trying_dpc, ext);
    sim_dpc(1, trying_dpc, ext);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_recursion_try_own, SIM_FINDING_RECURSIVE_ACQUIRE, "a DPC tries a lock it holds", setup_try_own)
