/* check_release.c judges each release against the acquisition it ends, and
 * each queued acquire's handle (WINDOWS-SEMANTICS.md):
 * - R4 not held: a release of a lock no context holds, never acquired or
 *   released twice (checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007), or of
 *   one another context holds (0x10, DV C4/0x1004).
 * - R7 family: the release must be the acquire's partner. Within one kind of
 *   lock a mismatch that leaves the same IRQL is harmless as observed and
 *   a `rule` (DDI SpinLockDpc): the documented KeReleaseSpinLock(L,
 *   DISPATCH_LEVEL) of a lock taken AtDpcLevel or by
 *   KeTryToAcquireSpinLockAtDpcLevel, at DISPATCH_LEVEL. One that leaves
 *   another IRQL is an error: a raising release lowering below the
 *   AtDpcLevel caller's IRQL, a raising acquire released FromDpcLevel (IRQL
 *   stuck). Across kinds it always is: plain and queued on one KSPIN_LOCK
 *   (DV C4/0x1008/0x1009), EX shared against exclusive, an interrupt lock.
 * - R3 Old token: the NewIrql/OldIrql a release gets must be the Old of the
 *   acquisition it ends (C4/0x20015, DDI IrqlKeReleaseSpinLock).
 * - R8 KLOCK_QUEUE_HANDLE: an acquire with a handle still queued or held
 *   (R8a), a release with a handle no acquisition of this context used or
 *   with another context's (R8c; contexts do not migrate at DISPATCH_LEVEL,
 *   so another context means another CPU): `handle-misuse` (C4/0x40006,
 *   C4/0x40007).
 * R8d, a release out of LIFO order, is judged by what it does to the IRQL,
 * so it lives with the lowering rules in check_irql.c. */
#include "check.h"

static const char *class_name(check_class class) {
    static const char *const names[] = {
        [CHECK_CLASS_SPIN] = "a KSPIN_LOCK",
        [CHECK_CLASS_QUEUED] = "an in-stack queued KSPIN_LOCK",
        [CHECK_CLASS_INTERRUPT] = "an interrupt spin lock",
        [CHECK_CLASS_EX_SHARED] = "a shared EX_SPIN_LOCK",
        [CHECK_CLASS_EX_EXCLUSIVE] = "an exclusive EX_SPIN_LOCK",
    };
    return names[class];
}

static int held_by_lock(const sim_ctx *ctx, const void *lock) {
    for (int i = ctx->held_count - 1; i >= 0; i--)
        if (ctx->held[i].lock == lock)
            return i;
    return -1;
}

/* The lock this context releases is not one of its own acquisitions. */
static void report_unmatched(const sim_ctx *self, const sim_lock_op *op) {
    int i;
    const sim_ctx *other = op->handle != NULL ? check_other_holder(self, NULL, op->handle, &i) : NULL;
    if (other != NULL) {
        check_report(SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, other->held[i].lock, other->held[i].site, other->id,
                     "%s: %s releases with the queue handle of %s's acquisition of %s: a handle belongs to the "
                     "context (and CPU) that acquired with it (R8c, C4/0x40007)",
                     op->routine, self->label, other->label, check_lock_name(other->held[i].lock));
        return;
    }
    int mine = op->handle != NULL ? held_by_lock(self, op->lock) : -1;
    if (mine >= 0 && self->held[mine].handle != NULL)
        check_report(SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, op->lock, self->held[mine].site, self->id,
                     "%s: %s was acquired with another KLOCK_QUEUE_HANDLE; the release must get the acquiring "
                     "one (R8c, C4/0x40007)",
                     op->routine, check_lock_name(op->lock));
    else if (mine >= 0)
        check_report(SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, op->lock, self->held[mine].site, self->id,
                     "%s: %s was taken by %s, not through a queue handle: plain and queued on one KSPIN_LOCK "
                     "corrupt its word (DV C4/0x1009)",
                     op->routine, check_lock_name(op->lock), self->held[mine].routine);
    else if ((other = check_other_holder(self, op->lock, NULL, &i)) != NULL)
        check_report(SIM_FINDING_RELEASE_WRONG_OWNER, SIM_SEV_ERROR, op->lock, other->held[i].site, other->id,
                     "%s: %s releases %s, which %s holds (checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1004)", op->routine,
                     self->label, check_lock_name(op->lock), other->label);
    else if (op->lock == NULL)
        check_report(SIM_FINDING_RELEASE_NOT_OWNED, SIM_SEV_ERROR, NULL, NULL, -1,
                     "%s: %s releases through a KLOCK_QUEUE_HANDLE that names no lock: no acquire used it "
                     "(checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007)",
                     op->routine, self->label);
    else
        check_report(SIM_FINDING_RELEASE_NOT_OWNED, SIM_SEV_ERROR, op->lock, NULL, -1,
                     "%s: %s releases %s, which no context holds: never acquired, or released twice "
                     "(checked 0x10 SPIN_LOCK_NOT_OWNED, DV C4/0x1007)",
                     op->routine, self->label, check_lock_name(op->lock));
}

static bool plain_queued_mix(check_class a, check_class b) {
    return (a == CHECK_CLASS_SPIN && b == CHECK_CLASS_QUEUED) || (a == CHECK_CLASS_QUEUED && b == CHECK_CLASS_SPIN);
}

/* R7: a mismatch within one kind of lock is judged by the IRQL it leaves. */
static void check_family(const sim_lock_op *op, const sim_held *held) {
    if (op->family == held->family)
        return;
    check_class op_class = check_family_class(op->family), held_class = check_family_class(held->family);
    if (op_class != held_class) {
        check_report(SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, op->lock, held->site, -1,
                     "%s releases %s as %s, but %s took it as %s: the lock word is corrupted (%s)", op->routine,
                     check_lock_name(op->lock), class_name(op_class), held->routine, class_name(held_class),
                     plain_queued_mix(op_class, held_class) ? "DV C4/0x1009" : "R7");
        return;
    }
    /* A hold with no token (a shared EX lock converted to exclusive keeps
     * the shared acquire's) may end with either form. */
    if (held->irql_old == SIM_IRQL_NONE && check_family_mode(held->family) != CHECK_MODE_AT_DPC)
        return;
    uint8_t now = sim_irql_get();
    uint8_t expected = check_release_result(check_family_mode(held->family), held->irql_old, now);
    uint8_t actual = check_release_result(check_family_mode(op->family), op->irql, now);
    if (expected == actual)
        check_report(SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_RULE, op->lock, held->site, -1,
                     "%s releases %s taken by %s: harmless here, both leave %s, but each acquire has its own "
                     "release (R7, DDI SpinLockDpc)",
                     op->routine, check_lock_name(op->lock), held->routine, check_irql_name(actual));
    else
        check_report(SIM_FINDING_RELEASE_WRONG_FAMILY, SIM_SEV_ERROR, op->lock, held->site, -1,
                     "%s releases %s taken by %s: it leaves %s where the matching release would leave %s (R7)",
                     op->routine, check_lock_name(op->lock), held->routine, check_irql_name(actual),
                     check_irql_name(expected));
}

/* R3: only a matching release that restores a level has a token to check. */
static void check_token(const sim_lock_op *op, const sim_held *held) {
    if (op->family != held->family || held->irql_old == SIM_IRQL_NONE ||
        check_family_mode(op->family) == CHECK_MODE_AT_DPC || op->irql == held->irql_old)
        return;
    check_report(SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, op->lock, held->site, -1,
                 "%s of %s passes %s, but the Old this acquisition handed out is %s (R3, C4/0x20015, DDI "
                 "IrqlKeReleaseSpinLock)",
                 op->routine, check_lock_name(op->lock), check_irql_name(op->irql), check_irql_name(held->irql_old));
}

int check_release_match(const sim_lock_op *op) {
    const sim_ctx *self = sim_R->current;
    int index = check_held_find(self, op);
    if (index < 0) {
        report_unmatched(self, op);
        return -1;
    }
    check_family(op, &self->held[index]);
    check_token(op, &self->held[index]);
    return index;
}

static void report_handle_in_use(const sim_lock_op *op, const sim_ctx *user, const void *lock, const sim_site *site,
                                 const char *state) {
    check_report(SIM_FINDING_HANDLE_MISUSE, SIM_SEV_ERROR, op->lock, site, user->id,
                 "%s of %s with a KLOCK_QUEUE_HANDLE still %s by %s for %s: one handle per acquisition, private "
                 "until its release returns (R8a, C4/0x40006)",
                 op->routine, check_lock_name(op->lock), state, user->label, check_lock_name(lock));
}

void check_release_handle_acquire(const sim_lock_op *op) {
    if (op->handle == NULL)
        return;
    int i;
    const sim_ctx *holder = check_other_holder(NULL, NULL, op->handle, &i);
    if (holder != NULL) {
        report_handle_in_use(op, holder, holder->held[i].lock, holder->held[i].site, "held");
        return;
    }
    const check_ctx_set *acquirers = check_acquirers();
    for (int a = 0; a < acquirers->count; a++) {
        const sim_ctx *waiter = &sim_R->ctxs[acquirers->ids[a]];
        const check_acquiring *acquiring = check_acquiring_of(waiter);
        if (waiter != sim_R->current && acquiring != NULL && acquiring->handle == op->handle) {
            report_handle_in_use(op, waiter, acquiring->lock, acquiring->site, "queued");
            return;
        }
    }
}
