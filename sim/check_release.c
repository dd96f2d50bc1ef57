/* check_release.c judges each release against the acquisition it ends, and
 * each queued acquire's handle (docs/windows-contract.md):
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
 * - R7 across acquisitions: a KSPIN_LOCK handed to the ExInterlocked list
 *   routines is theirs alone ("use this spin lock only with the
 *   ExInterlockedXxxList routines"). Taken in the same run by
 *   KeAcquireSpinLock and friends or as an interrupt's lock, it is a `rule`:
 *   the word protocol is the same, so it is harmless as long as no ISR uses
 *   the list routines on it; when one does, the plain holder at
 *   DISPATCH_LEVEL is interruptible and check_order.c reports the deadlock
 *   (`irq-unsafe-lock`, R11). As an in-stack queued or an EX_SPIN_LOCK, the
 *   two layouts of the word corrupt each other: an error (DV C4/0x1008).
 *   Reported once per lock, at the acquire that brings the two APIs
 *   together, naming the other API's first acquire.
 * - R3 Old token: the NewIrql/OldIrql a release gets must be the Old of the
 *   acquisition it ends (C4/0x20015, DDI IrqlKeReleaseSpinLock). One Old
 *   variable serving two acquisitions held at once (the docs call it a race)
 *   is reported at the overwrite, the second acquire, naming the first:
 *   when another context writes over a held lock's token, at once (an error
 *   when the values differ, else a `rule`); when the holder itself does,
 *   at the release that then hands back the wrong value, still naming the
 *   overwrite. The holder's own variable is known by address only: a
 *   helper that acquires with a local and returns the Old by value leaves a
 *   dead slot the next call reuses at the same address, which is no bug,
 *   and only the release tells the two apart.
 * - R8 KLOCK_QUEUE_HANDLE: an acquire with a handle still queued or held
 *   (R8a), a release with a handle no acquisition of this context used or
 *   with another context's (R8c; contexts do not migrate at DISPATCH_LEVEL,
 *   so another context means another CPU): `handle-misuse` (C4/0x40006,
 *   C4/0x40007).
 * R8d, a release out of LIFO order, is judged by what it does to the IRQL,
 * so it lives with the lowering rules in check_irql.c. */
#include "check.h"
#include "footprint.h"
#include "symbolize.h"

static const char *class_name(check_class class) {
    static const char *const names[] = {
        [CHECK_CLASS_SPIN] = "a KSPIN_LOCK",
        [CHECK_CLASS_QUEUED] = "an in-stack queued KSPIN_LOCK",
        [CHECK_CLASS_INTERRUPT] = "an interrupt spin lock",
        [CHECK_CLASS_EX_SHARED] = "a shared EX_SPIN_LOCK",
        [CHECK_CLASS_EX_EXCLUSIVE] = "an exclusive EX_SPIN_LOCK",
        [CHECK_CLASS_EX_LIST] = "an ExInterlocked list lock",
    };
    return names[class];
}

/* Which APIs took each lock in this run, and where each first did. */
typedef struct lock_use {
    unsigned classes; /* bit per check_class */
    const sim_site *site[CHECK_CLASS_COUNT];
    int ctx[CHECK_CLASS_COUNT];
} lock_use;

static lock_use uses[SIM_LOCKS_MAX];
static int uses_ready; /* ids below it are initialised for this run */

void check_release_run_begin(void) { uses_ready = 0; }

static lock_use *use_of(int id) {
    SIM_ASSERT(id >= 0 && id < SIM_LOCKS_MAX);
    for (; uses_ready <= id; uses_ready++)
        uses[uses_ready] = (lock_use){.classes = 0};
    return &uses[id];
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
    int mine = op->handle != NULL ? check_held_lock(self, op->lock) : -1;
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

/* R3: the release passes a value other than the token, and this context
 * wrote over the token's variable while it held the lock: the overwrite is
 * the bug, so the report names it (and the first acquire). */
static void report_overwritten_token(const sim_lock_op *op, const sim_held *held) {
    const sim_site *release_site = sim_site_resolve(op->site); /* the message names its line */
    sim_finding_info info = {.kind = SIM_FINDING_WRONG_NEW_IRQL,
                             .severity = SIM_SEV_ERROR,
                             .lock = held->lock,
                             .site = held->old_overwritten_at,
                             .other_site = held->site,
                             .other_ctx = sim_R->current->id};
    snprintf(info.message, sizeof info.message,
             "the acquire of %s wrote its Old over the Old %s of %s, still held: one OldIrql variable for two locks "
             "at once; %s (line %d) now passes %s (R3, C4/0x20015)",
             check_lock_name(held->old_overwritten_by), check_irql_name(held->irql_old), check_lock_name(held->lock),
             op->routine, release_site != NULL ? release_site->line : 0, check_irql_name(op->irql));
    sim_report(&info);
}

/* R3: only a matching release that restores a level has a token to check. */
static void check_token(const sim_lock_op *op, const sim_held *held) {
    if (op->family != held->family || held->irql_old == SIM_IRQL_NONE ||
        check_family_mode(op->family) == CHECK_MODE_AT_DPC || op->irql == held->irql_old)
        return;
    if (held->old_overwritten_at != NULL) {
        report_overwritten_token(op, held);
        return;
    }
    check_report(SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, op->lock, held->site, -1,
                 "%s of %s passes %s, but the Old this acquisition handed out is %s (R3, C4/0x20015, DDI "
                 "IrqlKeReleaseSpinLock)",
                 op->routine, check_lock_name(op->lock), check_irql_name(op->irql), check_irql_name(held->irql_old));
}

/* R3: another context's acquire writes its Old into the variable that
 * holds the token of `held`, `holder`'s acquisition. */
static void report_token_overwrite(const sim_lock_op *op, const sim_ctx *holder, const sim_held *held) {
    if (held->irql_old == op->irql)
        check_report(SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_RULE, op->lock, held->site, holder->id,
                     "%s of %s writes Old into %s's Old of %s, still held: one OldIrql variable for two locks at "
                     "once is a race, harmless only while both are %s (R3)",
                     op->routine, check_lock_name(op->lock), holder->label, check_lock_name(held->lock),
                     check_irql_name(op->irql));
    else
        check_report(SIM_FINDING_WRONG_NEW_IRQL, SIM_SEV_ERROR, op->lock, held->site, holder->id,
                     "%s of %s writes Old %s over %s's Old %s of %s, still held: one OldIrql variable for two locks "
                     "at once; %s's release will restore %s (R3, C4/0x20015)",
                     op->routine, check_lock_name(op->lock), check_irql_name(op->irql), holder->label,
                     check_irql_name(held->irql_old), check_lock_name(held->lock), check_lock_name(held->lock),
                     check_irql_name(op->irql));
}

void check_release_token_acquired(const sim_lock_op *op) {
    if (op->old_irql_out == NULL)
        return;
    sim_ctx *self = sim_R->current;
    const check_ctx_set *holders = check_holders();
    for (int h = 0; h < holders->count; h++) {
        sim_ctx *holder = &sim_R->ctxs[holders->ids[h]];
        /* A context that ended holding (a leak, if allowed) left its
         * stack to the fiber pool: its variables are gone. */
        for (int i = 0; holder->state != CTX_DONE && i < holder->held_count; i++) {
            sim_held *held = &holder->held[i];
            if (held->old_irql_out != op->old_irql_out)
                continue;
            if (holder != self) {
                report_token_overwrite(op, holder, held);
                return;
            }
            /* Our own variable: it may be a live local, or the dead slot of
             * a helper that returned the Old by value, now reused at the
             * same address. Only the release can tell: judged there. */
            held->old_overwritten_at = op->site;
            held->old_overwritten_by = op->lock;
        }
    }
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

/* ---- R7 across acquisitions: the ExInterlocked list lock is theirs alone -------- */

static bool shares_spin_word(check_class class) {
    return class == CHECK_CLASS_SPIN || class == CHECK_CLASS_INTERRUPT || class == CHECK_CLASS_EX_LIST;
}

/* `op` takes as `mine` a lock `use` saw taken as `other`, one of them the list routines'. */
static void report_api_mix(const sim_lock_op *op, check_class mine, check_class other, const lock_use *use) {
    bool harmless = shares_spin_word(mine) && shares_spin_word(other);
    check_report(SIM_FINDING_RELEASE_WRONG_FAMILY, harmless ? SIM_SEV_RULE : SIM_SEV_ERROR, op->lock, use->site[other],
                 use->ctx[other],
                 "%s takes %s as %s, also taken as %s: a lock of the ExInterlocked list routines "
                 "must serve them alone (%s)",
                 op->routine, check_lock_name(op->lock), class_name(mine), class_name(other),
                 harmless ? "DDI rule; harmless while no ISR takes it, R11 judges that"
                          : "DV C4/0x1008: the two word layouts corrupt each other");
}

void check_release_class_acquire(const sim_lock_op *op) {
    lock_use *use = use_of(sim_lock_id(op->lock));
    check_class mine = check_family_class(op->family);
    unsigned bit = 1u << mine, list = 1u << CHECK_CLASS_EX_LIST;
    sim_footprint_lock_record(op->lock, SIM_RECORD_USES, !(use->classes & bit));
    if (use->classes & bit)
        return;
    use->classes |= bit;
    use->site[mine] = op->site;
    use->ctx[mine] = sim_R->current->id;
    if (mine != CHECK_CLASS_EX_LIST && (use->classes & list)) {
        report_api_mix(op, mine, CHECK_CLASS_EX_LIST, use);
        return;
    }
    for (int other = 0; mine == CHECK_CLASS_EX_LIST && other < CHECK_CLASS_COUNT; other++)
        if (other != CHECK_CLASS_EX_LIST && (use->classes & (1u << other))) {
            report_api_mix(op, mine, (check_class)other, use);
            return;
        }
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
