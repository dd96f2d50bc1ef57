/* check_lockdep.h: the lockdep self-test families (torvalds/linux
 * lib/locking-selftest.c) in Windows terms, an ISR standing for a hardirq
 * at its DIRQL and a DPC for a softirq at DISPATCH_LEVEL. check_lockdep.c
 * includes this file once per lock family, with FAMILY naming it and
 * LOCK/UNLOCK (raising) and LOCK_AT/UNLOCK_AT (AtDpcLevel) defined for it;
 * every name below gets the family appended by F().
 *
 * Each row is a CHECK_PAIR: the buggy scenario runs the self-test's
 * sequence, the twin the same sequence with the failing step corrected.
 * Single-context rows fail on every schedule; the interrupt rows are
 * judged on the default schedule, where the thread runs first and the
 * interrupt or DPC arrives when it is done. Their ISRs take locks
 * AtDpcLevel, which breaks only the DDI rule IrqlDispatch (a `rule`): the
 * rows allow `irql-violation` so that the verdict is the IRQL-consistency
 * one, as in the soft rows, where the thread takes the lock at
 * PASSIVE_LEVEL (C4/0x40) on purpose. */

#define F(name) CHECK_CAT(name, FAMILY)

enum { F(A), F(B), F(C), F(D) };

/* Takes x, then y inside it, and releases both. */
#define LOCK_UNLOCK_2(c, x, y)                                                                                         \
    do {                                                                                                               \
        LOCK(c, x);                                                                                                    \
        LOCK(c, y);                                                                                                    \
        UNLOCK(c, y);                                                                                                  \
        UNLOCK(c, x);                                                                                                  \
    } while (0)

/* Threads, DPCs and interrupts named after the family's functions. */
#define THREAD(fn, ext) sim_thread_named(0, fn, ext, CHECK_XSTR(fn))
#define DPC(fn, ext) sim_dpc_named(0, fn, ext, CHECK_XSTR(fn))
#define INTERRUPT(fn, ext) sim_interrupt_named(fn, ext, CHECK_DIRQL, CHECK_DIRQL, 1, CHECK_XSTR(fn))

/* ---- AA: a lock taken twice (0xF, DV C4/0x1000) ---------------------------------- */

CHECK_CALL(F(aa_2), (locker * c, int x), LOCK(c, x))

static VOID F(aa)(PVOID Context) {
    locker c = {.ext = Context};
    LOCK(&c, F(A));
    F(aa_2)(&c, c.ext->buggy ? F(A) : F(B));
    UNLOCK(&c, c.ext->buggy ? F(A) : F(B));
    UNLOCK(&c, F(A));
}

static void F(setup_aa)(check_ext *ext) { THREAD(F(aa), ext); }
CHECK_PAIR(F(chk_ld_aa), SIM_FINDING_RECURSIVE_ACQUIRE, "lockdep AA", F(setup_aa))

/* ---- lock-order cycles (DV C4/0x1001): the last pair closes each ------------------ */

CHECK_CALL(F(abba_1), (locker * c), LOCK_UNLOCK_2(c, F(A), F(B)))
CHECK_CALL(F(abba_2), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))

static VOID F(abba)(PVOID Context) {
    locker c = {.ext = Context};
    F(abba_1)(&c);
    if (c.ext->buggy)
        F(abba_2)(&c, F(B), F(A));
    else
        F(abba_2)(&c, F(A), F(B));
}

CHECK_CALL(F(abbcca_1), (locker * c), LOCK_UNLOCK_2(c, F(A), F(B)))
CHECK_CALL(F(abbcca_3), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))

static VOID F(abbcca)(PVOID Context) {
    locker c = {.ext = Context};
    F(abbcca_1)(&c);
    LOCK_UNLOCK_2(&c, F(B), F(C));
    if (c.ext->buggy)
        F(abbcca_3)(&c, F(C), F(A));
    else
        F(abbcca_3)(&c, F(A), F(C));
}

CHECK_CALL(F(abcabc_2), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))
CHECK_CALL(F(abcabc_3), (locker * c), LOCK_UNLOCK_2(c, F(B), F(C)))

static VOID F(abcabc)(PVOID Context) {
    locker c = {.ext = Context};
    LOCK_UNLOCK_2(&c, F(A), F(B));
    if (c.ext->buggy)
        F(abcabc_2)(&c, F(C), F(A));
    else
        F(abcabc_2)(&c, F(A), F(C));
    F(abcabc_3)(&c);
}

CHECK_CALL(F(abbccdda_1), (locker * c), LOCK_UNLOCK_2(c, F(A), F(B)))
CHECK_CALL(F(abbccdda_4), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))

static VOID F(abbccdda)(PVOID Context) {
    locker c = {.ext = Context};
    F(abbccdda_1)(&c);
    LOCK_UNLOCK_2(&c, F(B), F(C));
    LOCK_UNLOCK_2(&c, F(C), F(D));
    if (c.ext->buggy)
        F(abbccdda_4)(&c, F(D), F(A));
    else
        F(abbccdda_4)(&c, F(A), F(D));
}

CHECK_CALL(F(abcdbdda_1), (locker * c), LOCK_UNLOCK_2(c, F(A), F(B)))
CHECK_CALL(F(abcdbdda_4), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))

static VOID F(abcdbdda)(PVOID Context) {
    locker c = {.ext = Context};
    F(abcdbdda_1)(&c);
    LOCK_UNLOCK_2(&c, F(C), F(D));
    LOCK_UNLOCK_2(&c, F(B), F(D));
    if (c.ext->buggy)
        F(abcdbdda_4)(&c, F(D), F(A));
    else
        F(abcdbdda_4)(&c, F(A), F(D));
}

CHECK_CALL(F(abcdbcda_1), (locker * c), LOCK_UNLOCK_2(c, F(A), F(B)))
CHECK_CALL(F(abcdbcda_4), (locker * c, int x, int y), LOCK_UNLOCK_2(c, x, y))

static VOID F(abcdbcda)(PVOID Context) {
    locker c = {.ext = Context};
    F(abcdbcda_1)(&c);
    LOCK_UNLOCK_2(&c, F(C), F(D));
    LOCK_UNLOCK_2(&c, F(B), F(C));
    if (c.ext->buggy)
        F(abcdbcda_4)(&c, F(D), F(A));
    else
        F(abcdbcda_4)(&c, F(A), F(D));
}

static void F(setup_abba)(check_ext *ext) { THREAD(F(abba), ext); }
static void F(setup_abbcca)(check_ext *ext) { THREAD(F(abbcca), ext); }
static void F(setup_abcabc)(check_ext *ext) { THREAD(F(abcabc), ext); }
static void F(setup_abbccdda)(check_ext *ext) { THREAD(F(abbccdda), ext); }
static void F(setup_abcdbdda)(check_ext *ext) { THREAD(F(abcdbdda), ext); }
static void F(setup_abcdbcda)(check_ext *ext) { THREAD(F(abcdbcda), ext); }
CHECK_PAIR(F(chk_ld_abba), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep ABBA", F(setup_abba))
CHECK_PAIR(F(chk_ld_abbcca), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep AB BC CA", F(setup_abbcca))
CHECK_PAIR(F(chk_ld_abcabc), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep AB CA BC", F(setup_abcabc))
CHECK_PAIR(F(chk_ld_abbccdda), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep AB BC CD DA", F(setup_abbccdda))
CHECK_PAIR(F(chk_ld_abcdbdda), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep AB CD BD DA", F(setup_abcdbdda))
CHECK_PAIR(F(chk_ld_abcdbcda), SIM_FINDING_LOCK_ORDER_CYCLE, "lockdep AB CD BC DA", F(setup_abcdbcda))

/* ---- releases of locks not held (checked 0x10, DV C4/0x1007) ----------------------- */

CHECK_CALL(F(double_unlock_3), (locker * c), UNLOCK(c, F(A)))

static VOID F(double_unlock)(PVOID Context) {
    locker c = {.ext = Context};
    LOCK(&c, F(A));
    UNLOCK(&c, F(A));
    if (c.ext->buggy)
        F(double_unlock_3)(&c);
}

CHECK_CALL(F(unheld_unlock_1), (locker * c), UNLOCK(c, F(A)))

static VOID F(unheld_unlock)(PVOID Context) {
    locker c = {.ext = Context};
    if (!c.ext->buggy)
        LOCK(&c, F(A));
    F(unheld_unlock_1)(&c);
}

static void F(setup_double_unlock)(check_ext *ext) { THREAD(F(double_unlock), ext); }
static void F(setup_unheld_unlock)(check_ext *ext) { THREAD(F(unheld_unlock), ext); }
CHECK_PAIR(F(chk_ld_double_unlock), SIM_FINDING_RELEASE_NOT_OWNED, "lockdep double unlock", F(setup_double_unlock))
CHECK_PAIR(F(chk_ld_unheld_unlock), SIM_FINDING_RELEASE_NOT_OWNED, "lockdep unlock of an unheld lock",
           F(setup_unheld_unlock))

/* ---- IRQL consistency (R11): a lock both an interrupt and its victim take ---------- */

/* The context-side events of the interrupt rows. At DIRQL ("irqs
 * disabled") the ISR cannot interrupt the holder on its CPU. */
static KIRQL F(to_dirql)(void) {
    KIRQL old;
    KeRaiseIrql(CHECK_DIRQL, &old);
    return old;
}

/* irqsafe1: A taken in the ISR, and by the thread at DISPATCH_LEVEL. */
CHECK_CALL(F(irqsafe1_hard_isr), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))
CHECK_CALL(F(irqsafe1_hard_thread), (locker * c), LOCK(c, F(A)); UNLOCK(c, F(A)))

static BOOLEAN F(irqsafe1_hard_routine)(PKINTERRUPT Interrupt, PVOID Context) {
    locker c = {.ext = Context};
    F(irqsafe1_hard_isr)(&c);
    return TRUE;
}

static VOID F(irqsafe1_hard)(PVOID Context) {
    locker c = {.ext = Context};
    if (c.ext->buggy) {
        F(irqsafe1_hard_thread)(&c);
        return;
    }
    KIRQL old = F(to_dirql)();
    LOCK_AT(&c, F(A));
    UNLOCK_AT(&c, F(A));
    KeLowerIrql(old);
}

/* irqsafe1 soft: A taken in a DPC, and by the thread at PASSIVE_LEVEL
 * (C4/0x40 as well); the twin takes it raising, which is lockdep's
 * irqsafe2A: a DPC-safe lock held with device interrupts enabled. */
CHECK_CALL(F(irqsafe1_soft_dpc), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))
CHECK_CALL(F(irqsafe1_soft_thread), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))

static VOID F(irqsafe1_soft_routine)(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    locker c = {.ext = Context};
    F(irqsafe1_soft_dpc)(&c);
}

static VOID F(irqsafe1_soft)(PVOID Context) {
    locker c = {.ext = Context};
    if (c.ext->buggy)
        F(irqsafe1_soft_thread)(&c);
    else
        LOCK_UNLOCK_2(&c, F(A), F(B));
}

/* irqsafe2B: the thread takes A at DIRQL, then lowers to DISPATCH_LEVEL
 * still holding it. */
CHECK_CALL(F(irqsafe2b_isr), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))
CHECK_CALL(F(irqsafe2b_lower), (void), KeLowerIrql(DISPATCH_LEVEL))

static BOOLEAN F(irqsafe2b_routine)(PKINTERRUPT Interrupt, PVOID Context) {
    locker c = {.ext = Context};
    F(irqsafe2b_isr)(&c);
    return TRUE;
}

static VOID F(irqsafe2b_hard)(PVOID Context) {
    locker c = {.ext = Context};
    KIRQL old = F(to_dirql)();
    LOCK_AT(&c, F(A));
    if (c.ext->buggy)
        F(irqsafe2b_lower)();
    UNLOCK_AT(&c, F(A));
    KeLowerIrql(old);
}

/* irqsafe3: A -> B taken at DISPATCH_LEVEL, B alone at DISPATCH_LEVEL, A in
 * the ISR: A itself is held below the ISR's level. irqsafe4: the same with
 * A -> B taken at DIRQL: only the order from the ISR's A to the
 * DISPATCH-level B is unsafe (an irq inversion). */
CHECK_CALL(F(irqsafe3_isr), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))
CHECK_CALL(F(irqsafe3_e1), (locker * c), LOCK(c, F(A)); LOCK_AT(c, F(B)); UNLOCK_AT(c, F(B)); UNLOCK(c, F(A)))
CHECK_CALL(F(irqsafe4_isr), (locker * c), LOCK_AT(c, F(A)); UNLOCK_AT(c, F(A)))
CHECK_CALL(F(irqsafe4_e2), (locker * c), LOCK(c, F(B)); UNLOCK(c, F(B)))

static BOOLEAN F(irqsafe3_routine)(PKINTERRUPT Interrupt, PVOID Context) {
    locker c = {.ext = Context};
    F(irqsafe3_isr)(&c);
    return TRUE;
}

static BOOLEAN F(irqsafe4_routine)(PKINTERRUPT Interrupt, PVOID Context) {
    locker c = {.ext = Context};
    F(irqsafe4_isr)(&c);
    return TRUE;
}

/* A -> B and B at DIRQL: safe from the ISR. */
static void F(a_b_then_b_at_dirql)(locker *c) {
    KIRQL old = F(to_dirql)();
    LOCK_AT(c, F(A));
    LOCK_AT(c, F(B));
    UNLOCK_AT(c, F(B));
    UNLOCK_AT(c, F(A));
    LOCK_AT(c, F(B));
    UNLOCK_AT(c, F(B));
    KeLowerIrql(old);
}

static VOID F(irqsafe3_hard)(PVOID Context) {
    locker c = {.ext = Context};
    if (!c.ext->buggy) {
        F(a_b_then_b_at_dirql)(&c);
        return;
    }
    F(irqsafe3_e1)(&c);
    LOCK(&c, F(B));
    UNLOCK(&c, F(B));
}

static VOID F(irqsafe4_hard)(PVOID Context) {
    locker c = {.ext = Context};
    if (!c.ext->buggy) {
        F(a_b_then_b_at_dirql)(&c);
        return;
    }
    KIRQL old = F(to_dirql)();
    LOCK_AT(&c, F(A));
    LOCK_AT(&c, F(B));
    UNLOCK_AT(&c, F(B));
    UNLOCK_AT(&c, F(A));
    KeLowerIrql(old);
    F(irqsafe4_e2)(&c);
}

/* irq inversion, lockdep's read/write form on the EX_SPIN_LOCK X: the
 * thread takes X exclusive then B at DIRQL, B alone at DISPATCH_LEVEL, the
 * ISR takes X shared. */
CHECK_CALL(F(irq_inversion_isr), (check_ext * ext), ExAcquireSpinLockSharedAtDpcLevel(&ext->ex))
CHECK_CALL(F(irq_inversion_e2), (locker * c), LOCK(c, F(B)); UNLOCK(c, F(B)))

static BOOLEAN F(irq_inversion_routine)(PKINTERRUPT Interrupt, PVOID Context) {
    check_ext *ext = Context;
    F(irq_inversion_isr)(ext);
    ExReleaseSpinLockSharedFromDpcLevel(&ext->ex);
    return TRUE;
}

static VOID F(irq_inversion)(PVOID Context) {
    locker c = {.ext = Context};
    KIRQL old = F(to_dirql)();
    ExAcquireSpinLockExclusiveAtDpcLevel(&c.ext->ex);
    LOCK_AT(&c, F(B));
    UNLOCK_AT(&c, F(B));
    ExReleaseSpinLockExclusiveFromDpcLevel(&c.ext->ex);
    if (!c.ext->buggy) {
        LOCK_AT(&c, F(B));
        UNLOCK_AT(&c, F(B));
    }
    KeLowerIrql(old);
    if (c.ext->buggy)
        F(irq_inversion_e2)(&c);
}

#define SETUP_ISR_ROW(ext, isr, thread)                                                                                \
    do {                                                                                                               \
        sim_allow(SIM_FINDING_IRQL_VIOLATION);                                                                         \
        (ext)->irq = INTERRUPT(isr, ext);                                                                              \
        THREAD(thread, ext);                                                                                           \
    } while (0)

static void F(setup_irqsafe1_hard)(check_ext *ext) { SETUP_ISR_ROW(ext, F(irqsafe1_hard_routine), F(irqsafe1_hard)); }
static void F(setup_irqsafe1_soft)(check_ext *ext) {
    sim_allow(SIM_FINDING_IRQL_VIOLATION);
    sim_dpc(0, F(irqsafe1_soft_routine), ext);
    THREAD(F(irqsafe1_soft), ext);
}
static void F(setup_irqsafe2b_hard)(check_ext *ext) { SETUP_ISR_ROW(ext, F(irqsafe2b_routine), F(irqsafe2b_hard)); }
static void F(setup_irqsafe3_hard)(check_ext *ext) { SETUP_ISR_ROW(ext, F(irqsafe3_routine), F(irqsafe3_hard)); }
static void F(setup_irqsafe4_hard)(check_ext *ext) { SETUP_ISR_ROW(ext, F(irqsafe4_routine), F(irqsafe4_hard)); }
static void F(setup_irq_inversion)(check_ext *ext) { SETUP_ISR_ROW(ext, F(irq_inversion_routine), F(irq_inversion)); }
CHECK_PAIR(F(chk_ld_irqsafe1_hard), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irqsafe1, ISR", F(setup_irqsafe1_hard))
CHECK_PAIR(F(chk_ld_irqsafe1_soft), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irqsafe1, DPC", F(setup_irqsafe1_soft))
CHECK_PAIR(F(chk_ld_irqsafe2b_hard), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irqsafe2B, ISR", F(setup_irqsafe2b_hard))
CHECK_PAIR(F(chk_ld_irqsafe3_hard), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irqsafe3, ISR", F(setup_irqsafe3_hard))
CHECK_PAIR(F(chk_ld_irqsafe4_hard), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irqsafe4, ISR", F(setup_irqsafe4_hard))
CHECK_PAIR(F(chk_ld_irq_inversion), SIM_FINDING_IRQ_UNSAFE_LOCK, "lockdep irq inversion, ISR", F(setup_irq_inversion))

#undef F
#undef LOCK_UNLOCK_2
#undef THREAD
#undef DPC
#undef INTERRUPT
#undef SETUP_ISR_ROW
