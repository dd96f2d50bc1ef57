/* check_exlist.c: scenarios for the lock of the ExInterlocked list routines
 * (SIM_LOCK_EX_INTERLOCKED_LIST), one buggy scenario and its correct twin
 * per rule. The routines take their KSPIN_LOCK with interrupts off, so an
 * ISR and a thread may share a list through them (the documented exception
 * of R11), but the lock must serve them alone: taken with KeAcquireSpinLock
 * as well it breaks the DDI rule (`rule`), deadlocks against an ISR using
 * the list (R11), and can close a lock-order cycle (R14). Nothing is
 * acquired under the list routines' own hold, so a cycle through their
 * lock always comes from such a second use. */
#include "check_scenarios.h"

enum { EXLIST_ENTRIES = 2 };

typedef struct exlist {
    check_ext *ext;
    KSPIN_LOCK list_lock;
    LIST_ENTRY list;
    LIST_ENTRY entries[EXLIST_ENTRIES];
    volatile LONG removed;
} exlist;

static exlist *exlist_new(check_ext *ext) {
    exlist *s = sim_alloc(sizeof *s);
    s->ext = ext;
    KeInitializeSpinLock(&s->list_lock);
    sim_name(&s->list_lock, "list_lock");
    InitializeListHead(&s->list);
    return s;
}

static void remove_one(exlist *s) {
    if (ExInterlockedRemoveHeadList(&s->list, &s->list_lock) != NULL)
        InterlockedIncrement(&s->removed);
}

/* The bug every row below shares: walking the list under the list
 * routines' lock, taken with KeAcquireSpinLock. */
static int count_entries(exlist *s) {
    int count = 0;
    for (PLIST_ENTRY e = s->list.Flink; e != &s->list; e = e->Flink)
        count++;
    return count;
}

/* ---- R7: the list lock also taken with KeAcquireSpinLock (`rule`) --------- */

/* Each offending call sits on its CHECK_CALL line: a report names it. */
CHECK_CALL(exlist_insert, (exlist * s),
           for (int i = 0; i < EXLIST_ENTRIES; i++)
               ExInterlockedInsertTailList(&s->list, &s->entries[i], &s->list_lock))
CHECK_CALL(exlist_walk_plain, (exlist * s, PKIRQL old), KeAcquireSpinLock(&s->list_lock, old))

static VOID exlist_producer(PVOID Context) { exlist_insert(Context); }

/* Buggy: counts the entries under the list lock; the twin pops one. */
static VOID exlist_consumer(PVOID Context) {
    exlist *s = Context;
    if (!s->ext->buggy) {
        remove_one(s);
        return;
    }
    KIRQL old;
    exlist_walk_plain(s, &old);
    (void)count_entries(s);
    KeReleaseSpinLock(&s->list_lock, old);
}

static void setup_mixed(check_ext *ext) {
    exlist *s = exlist_new(ext);
    sim_thread(0, exlist_producer, s);
    sim_thread(1, exlist_consumer, s);
}
CHECK_PAIR(chk_exlist_mixed, SIM_FINDING_RELEASE_WRONG_FAMILY,
           "a list lock of ExInterlocked*List also taken with KeAcquireSpinLock", setup_mixed)

/* ---- R7: the list lock also taken as an in-stack queued lock (DV C4/0x1008) - */

CHECK_CALL(exlist_walk_queued, (exlist * s, PKLOCK_QUEUE_HANDLE handle),
           KeAcquireInStackQueuedSpinLock(&s->list_lock, handle))

static VOID exlist_queued_consumer(PVOID Context) {
    exlist *s = Context;
    if (!s->ext->buggy) {
        remove_one(s);
        return;
    }
    KLOCK_QUEUE_HANDLE handle;
    exlist_walk_queued(s, &handle);
    (void)count_entries(s);
    KeReleaseInStackQueuedSpinLock(&handle);
}

static void setup_queued_mix(check_ext *ext) {
    exlist *s = exlist_new(ext);
    sim_thread(0, exlist_producer, s);
    sim_thread(1, exlist_queued_consumer, s);
}
CHECK_PAIR(chk_exlist_queued_mix, SIM_FINDING_RELEASE_WRONG_FAMILY,
           "a list lock of ExInterlocked*List also taken as an in-stack queued lock", setup_queued_mix)

/* ---- R11: an ISR uses the list, a thread holds its lock at DISPATCH_LEVEL ---- */

/* The thread fills the list through the routines; the buggy one then
 * walks it under KeAcquireSpinLock, which holds the lock with interrupts
 * on: the ISR, landing on that CPU, spins on it forever (the docs: the
 * driver "cannot reuse the spin lock it passes to the ExInterlockedXxxList
 * routines" in KeXxxSpinLock calls when its ISR uses them). The twin only
 * uses the routines: an ISR and a thread sharing the list is legal. */
CHECK_CALL(exlist_isr_remove, (exlist * s),
           if (ExInterlockedRemoveHeadList(&s->list, &s->list_lock) != NULL) InterlockedIncrement(&s->removed))

static BOOLEAN exlist_isr(PKINTERRUPT Interrupt, PVOID Context) {
    exlist_isr_remove(Context);
    return TRUE;
}

static VOID exlist_popper(PVOID Context) { remove_one(Context); }

static VOID exlist_fill_and_walk(PVOID Context) {
    exlist *s = Context;
    exlist_insert(s);
    if (!s->ext->buggy)
        return;
    KIRQL old;
    exlist_walk_plain(s, &old);
    (void)count_entries(s);
    KeReleaseSpinLock(&s->list_lock, old);
}

static void setup_isr(check_ext *ext) {
    exlist *s = exlist_new(ext);
    sim_interrupt(exlist_isr, s, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, exlist_fill_and_walk, s);
    sim_thread(1, exlist_popper, s);
}
CHECK_PAIR(chk_exlist_isr, SIM_FINDING_IRQ_UNSAFE_LOCK,
           "an ISR uses ExInterlocked*List, a thread takes the list lock with KeAcquireSpinLock", setup_isr)

/* ---- R14: a lock-order cycle through the list lock ------------------------- */

/* The producer inserts under A (A -> list_lock); the buggy consumer walks
 * the list under its lock and takes A inside (list_lock -> A). On two
 * CPUs: the producer, holding A, spins on list_lock at HIGH_LEVEL inside
 * the list routine while the consumer, holding list_lock, spins on A. The
 * twin pops with the routine, then takes A. */
CHECK_CALL(exlist_insert_under_a, (exlist * s),
           for (int i = 0; i < EXLIST_ENTRIES; i++)
               ExInterlockedInsertTailList(&s->list, &s->entries[i], &s->list_lock))
CHECK_CALL(exlist_a_under_walk, (exlist * s, PKIRQL old), KeAcquireSpinLock(&s->ext->lock[0], old))

static VOID exlist_producer_under_a(PVOID Context) {
    exlist *s = Context;
    KIRQL old;
    KeAcquireSpinLock(&s->ext->lock[0], &old);
    exlist_insert_under_a(s);
    KeReleaseSpinLock(&s->ext->lock[0], old);
}

static VOID exlist_walk_then_a(PVOID Context) {
    exlist *s = Context;
    KIRQL old_list, old_a;
    if (!s->ext->buggy) {
        remove_one(s);
        KeAcquireSpinLock(&s->ext->lock[0], &old_a);
        KeReleaseSpinLock(&s->ext->lock[0], old_a);
        return;
    }
    KeAcquireSpinLock(&s->list_lock, &old_list);
    (void)count_entries(s);
    exlist_a_under_walk(s, &old_a);
    KeReleaseSpinLock(&s->ext->lock[0], old_a);
    KeReleaseSpinLock(&s->list_lock, old_list);
}

static void setup_order(check_ext *ext) {
    exlist *s = exlist_new(ext);
    sim_thread(0, exlist_producer_under_a, s);
    sim_thread(1, exlist_walk_then_a, s);
}
CHECK_PAIR(chk_exlist_order_cycle, SIM_FINDING_LOCK_ORDER_CYCLE,
           "A held around ExInterlockedInsertTailList, the list lock held around A", setup_order)
