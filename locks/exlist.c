/* exlist.c owns the interlocked list routines: ExInterlockedInsertHeadList,
 * ExInterlockedInsertTailList, ExInterlockedRemoveHeadList and the singly
 * linked ExInterlockedPushEntryList and ExInterlockedPopEntryList, and the
 * NDIS ones that are the same (ndis.c passes its own routine names)
 * (docs/design.md, "The wdm.h surface beyond locks").
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

/* Returns the old first entry (inserts, push) or the removed one; NULL
 * when the list was empty. The list itself is plain memory the lock
 * protects. */
static PVOID list_apply(locks_list_op op, PVOID head, PVOID entry) {
    if (op == LOCKS_LIST_PUSH || op == LOCKS_LIST_POP) {
        PSINGLE_LIST_ENTRY single = head, first = single->Next;
        if (op == LOCKS_LIST_PUSH)
            PushEntryList(single, entry);
        else if (first != NULL)
            PopEntryList(single);
        return first;
    }
    PLIST_ENTRY list = head, first = IsListEmpty(list) ? NULL : list->Flink;
    if (op == LOCKS_LIST_INSERT_HEAD)
        InsertHeadList(list, entry);
    else if (op == LOCKS_LIST_INSERT_TAIL)
        InsertTailList(list, entry);
    else if (first != NULL)
        RemoveHeadList(list);
    return first;
}

PVOID locks_list_locked(const char *routine, locks_list_op op, PVOID head, PVOID entry, PKSPIN_LOCK lock,
                        const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(routine, PASSIVE_LEVEL, SIM_IRQL_DIRQL_MAX, site);
    const KIRQL old = sim_irql_get();
    /* One op for both ends: the Old the acquire hands out is the level the
     * release restores. */
    const sim_lock_op lock_op = locks_op(routine, lock, SIM_LOCK_EX_INTERLOCKED_LIST, NULL, old, site);
    sim_check_acquire(&lock_op);
    locks_irql_set(HIGH_LEVEL);
    locks_spin_acquire(lock);
    sim_check_acquired(&lock_op);
    PVOID result = list_apply(op, head, entry);
    sim_check_release(&lock_op);
    locks_spin_release(lock);
    sim_check_released(&lock_op);
    locks_irql_set(old);
    return result;
}

PLIST_ENTRY spinsim_ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site) {
    return locks_list_locked("ExInterlockedInsertHeadList", LOCKS_LIST_INSERT_HEAD, ListHead, ListEntry, Lock, site);
}

PLIST_ENTRY spinsim_ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                                const sim_site *site) {
    return locks_list_locked("ExInterlockedInsertTailList", LOCKS_LIST_INSERT_TAIL, ListHead, ListEntry, Lock, site);
}

PLIST_ENTRY spinsim_ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock, const sim_site *site) {
    return locks_list_locked("ExInterlockedRemoveHeadList", LOCKS_LIST_REMOVE_HEAD, ListHead, NULL, Lock, site);
}

PSINGLE_LIST_ENTRY spinsim_ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY ListEntry,
                                                      PKSPIN_LOCK Lock, const sim_site *site) {
    return locks_list_locked("ExInterlockedPushEntryList", LOCKS_LIST_PUSH, ListHead, ListEntry, Lock, site);
}

PSINGLE_LIST_ENTRY spinsim_ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PKSPIN_LOCK Lock,
                                                     const sim_site *site) {
    return locks_list_locked("ExInterlockedPopEntryList", LOCKS_LIST_POP, ListHead, NULL, Lock, site);
}
