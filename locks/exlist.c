/* exlist.c owns the interlocked doubly linked list routines:
 * ExInterlockedInsertHeadList, ExInterlockedInsertTailList and
 * ExInterlockedRemoveHeadList (docs/design.md, "The wdm.h surface beyond
 * locks").
 *
 * On Windows they take the caller's KSPIN_LOCK with interrupts disabled
 * around a few instructions, from any IRQL up to DIRQL, which is what lets
 * an ISR and a thread share a list this way. The machine has no interrupt
 * flag, so "interrupts disabled" is modelled as HIGH_LEVEL: save the IRQL,
 * raise to HIGH_LEVEL (no interrupt, DPC or thread switch can come in on
 * this CPU), take the word through the spin-lock code, do the list
 * operation, free the word, restore the IRQL. Taking it without the raise
 * would let an ISR interrupt a thread between its acquire and its release
 * and spin on a lock held below it: a deadlock Windows cannot have.
 *
 * The checkers see each call as an acquisition of the family
 * SIM_LOCK_EX_INTERLOCKED_LIST, reported as it happens: Old is the caller's
 * IRQL, the lock is held at HIGH_LEVEL (so the IRQL-consistency checker sees
 * a lock no interrupt can land on while it is held, which is what makes an
 * ISR and a thread sharing the list legal), and the release restores Old.
 * No driver code runs under the lock, so it orders nothing after it; locks
 * the caller holds are ordered before it, and a lock the driver also takes
 * through another API is judged (R7, R11). */
#include "lock_internal.h"

typedef enum list_op { LIST_INSERT_HEAD, LIST_INSERT_TAIL, LIST_REMOVE_HEAD } list_op;

static const char *const list_routine[] = {
    [LIST_INSERT_HEAD] = "ExInterlockedInsertHeadList",
    [LIST_INSERT_TAIL] = "ExInterlockedInsertTailList",
    [LIST_REMOVE_HEAD] = "ExInterlockedRemoveHeadList",
};

/* Returns the old first entry (inserts) or the removed one; NULL when the
 * list was empty. The list itself is plain memory the lock protects. */
static PLIST_ENTRY list_apply(list_op op, PLIST_ENTRY head, PLIST_ENTRY entry) {
    PLIST_ENTRY first = IsListEmpty(head) ? NULL : head->Flink;
    switch (op) {
    case LIST_INSERT_HEAD:
        InsertHeadList(head, entry);
        break;
    case LIST_INSERT_TAIL:
        InsertTailList(head, entry);
        break;
    case LIST_REMOVE_HEAD:
        if (first != NULL)
            RemoveHeadList(head);
        break;
    }
    return first;
}

static PLIST_ENTRY list_locked(list_op op, PLIST_ENTRY head, PLIST_ENTRY entry, PKSPIN_LOCK lock,
                               const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(list_routine[op], PASSIVE_LEVEL, SIM_IRQL_DIRQL_MAX, site);
    const KIRQL old = sim_irql_get();
    /* One op for both ends: the Old the acquire hands out is the level the
     * release restores. */
    const sim_lock_op lock_op = locks_op(list_routine[op], lock, SIM_LOCK_EX_INTERLOCKED_LIST, NULL, old, site);
    sim_check_acquire(&lock_op);
    locks_irql_set(HIGH_LEVEL);
    locks_spin_acquire(lock);
    sim_check_acquired(&lock_op);
    PLIST_ENTRY result = list_apply(op, head, entry);
    sim_check_release(&lock_op);
    locks_spin_release(lock);
    sim_check_released(&lock_op);
    locks_irql_set(old);
    return result;
}

PLIST_ENTRY spinsim_ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site) {
    return list_locked(LIST_INSERT_HEAD, ListHead, ListEntry, Lock, site);
}

PLIST_ENTRY spinsim_ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site) {
    return list_locked(LIST_INSERT_TAIL, ListHead, ListEntry, Lock, site);
}

PLIST_ENTRY spinsim_ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock, const sim_site *site) {
    return list_locked(LIST_REMOVE_HEAD, ListHead, NULL, Lock, site);
}
