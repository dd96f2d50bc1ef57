/* wait.c owns waiting on dispatcher objects: KeWaitForSingleObject and
 * KeWaitForMultipleObjects over events, semaphores, timers and the threads
 * a driver starts, and the wake-up of multi-object waiters by the routines
 * that signal an object (docs/design.md, "The wdm.h surface beyond locks";
 * docs/windows-contract.md R12).
 *
 * Satisfying a wait on one object is one step: a load for the objects that
 * stay signaled (notification events and timers, ended threads), a
 * compare-exchange that takes the signal for the others (a synchronization
 * event or timer goes back to not signaled, a semaphore's count down by
 * one), so two waiters can never both consume one signal.
 *
 * How each waiter sleeps until a step may have satisfied it:
 * - one object: on its SignalState, which every signal writes;
 * - WaitAll: on the SignalState of the first object it found not signaled
 *   (loads alone); once all are, it takes their signals, and if one is
 *   taken from under it meanwhile it gives back what it took and looks
 *   again;
 * - WaitAny: it cannot sleep on several words. It links one KWAIT_BLOCK per
 *   object into the object's WaitListHead, and each routine that signals an
 *   object calls locks_dispatcher_signaled, which stores to the wake word of
 *   every waiter linked there (one step each, none when no waiter is
 *   linked, so nothing else pays for it). The waiter reads its wake word
 *   after its last look at the objects and sleeps only if no store came.
 *   The wake word is run memory (sim_alloc), not the waiter's stack: a
 *   store that lands after the waiter has gone touches nothing.
 * The wait lists are the model's bookkeeping, like the kernel's dispatcher
 * database: they are read and written only between steps (no scheduling
 * point inside a list operation), so plain accesses are exact, and TSan is
 * told not to look at them.
 *
 * WaitAll takes the signals one step at a time, so "all signaled at one
 * instant" becomes "each signaled at its own step of one pass", with no
 * step of the waiter between: a notification object cleared in that window
 * is the one case that differs from Windows.
 *
 * There is no clock: a wait with a timeout (zero or not) that cannot be
 * satisfied returns STATUS_TIMEOUT at once, as if its time had run out. */
#include "lock_internal.h"
#include "sim.h"

enum { STATE_SIZE = (int)sizeof(LONG), NOT_SIGNALED = 0, SIGNALED = 1, WAKE_WAITERS_MAX = 64 };

typedef enum object_kind { KIND_NOTIFICATION, KIND_SYNCHRONIZATION, KIND_SEMAPHORE, KIND_UNWAITABLE } object_kind;

static object_kind kind_of(const DISPATCHER_HEADER *header) {
    switch (header->Type) {
    case EventNotificationObject:
    case TimerNotificationObject:
        return KIND_NOTIFICATION;
    case ThreadObject:
        return locks_thread_waitable(header) ? KIND_NOTIFICATION : KIND_UNWAITABLE;
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
        return KIND_SYNCHRONIZATION;
    case SemaphoreObject:
        return KIND_SEMAPHORE;
    default:
        return KIND_UNWAITABLE;
    }
}

/* One attempt, one step in the common case: true when the wait on the
 * object is satisfied, its signal taken if it is one to take. */
static bool object_take(PDISPATCHER_HEADER header) {
    switch (kind_of(header)) {
    case KIND_NOTIFICATION:
        return sim_atomic_load(&header->SignalState, STATE_SIZE) != NOT_SIGNALED;
    case KIND_SYNCHRONIZATION:
        /* Take the signal and reset in one step: one waiter wins. */
        return sim_atomic_compare_exchange(&header->SignalState, SIGNALED, NOT_SIGNALED, STATE_SIZE) == SIGNALED;
    case KIND_SEMAPHORE: {
        /* Count one down, starting from a guess of 1. */
        LONG seen = 1;
        for (;;) {
            const LONG old =
                (LONG)sim_atomic_compare_exchange(&header->SignalState, (ULONG)seen, (ULONG)(seen - 1), STATE_SIZE);
            if (old == seen)
                return true;
            if (old <= 0)
                return false;
            seen = old;
        }
    }
    case KIND_UNWAITABLE:
        break;
    }
    return false;
}

/* Undoes object_take on an object that is not a notification one. */
static void object_give_back(PDISPATCHER_HEADER header) {
    if (kind_of(header) == KIND_SEMAPHORE)
        sim_atomic_fetch_add(&header->SignalState, 1, STATE_SIZE);
    else
        sim_atomic_store(&header->SignalState, SIGNALED, STATE_SIZE);
    locks_dispatcher_signaled(header);
}

/* False, after a finding, when the object is none a wait can name. */
static bool check_waitable(PDISPATCHER_HEADER header, const char *routine) {
    if (kind_of(header) != KIND_UNWAITABLE)
        return true;
    if (header->Type == ThreadObject)
        sim_reportf(SIM_FINDING_INVARIANT, SIM_SEV_ERROR, header, NULL,
                    "%s waits for a thread the scenario declared: only threads started with PsCreateSystemThread "
                    "can be waited for in spinsim",
                    routine);
    else
        sim_reportf(SIM_FINDING_CRASH, SIM_SEV_ERROR, header, NULL,
                    "%s on an object of type %u: not an initialised event, semaphore, timer or thread", routine,
                    header->Type);
    return false;
}

/* ---- wait lists (the model's bookkeeping, between steps) -------------------- */

LOCKS_BOOKKEEPING void locks_dispatcher_init(PDISPATCHER_HEADER header, UCHAR type) {
    header->Type = type;
    InitializeListHead(&header->WaitListHead);
}

/* The distinct wake words linked on the object; an object never
 * initialised (a zero list head) has none. */
LOCKS_BOOKKEEPING static int linked_wake_words(const DISPATCHER_HEADER *header, volatile LONG **wake) {
    const LIST_ENTRY *head = &header->WaitListHead;
    int count = 0;
    if (head->Flink == NULL)
        return 0;
    for (const LIST_ENTRY *entry = head->Flink; entry != head; entry = entry->Flink) {
        volatile LONG *word = CONTAINING_RECORD(entry, KWAIT_BLOCK, WaitListEntry)->Wake;
        int i = 0;
        while (i < count && wake[i] != word)
            i++;
        if (i == count) {
            SIM_ASSERT(count < WAKE_WAITERS_MAX);
            wake[count++] = word;
        }
    }
    return count;
}

void locks_dispatcher_signaled(PDISPATCHER_HEADER header) {
    volatile LONG *wake[WAKE_WAITERS_MAX];
    const int count = linked_wake_words(header, wake);
    for (int i = 0; i < count; i++)
        sim_atomic_store(wake[i], 1, STATE_SIZE);
}

LOCKS_BOOKKEEPING static void link_blocks(ULONG count, PVOID objects[], PKWAIT_BLOCK blocks, volatile LONG *wake) {
    for (ULONG i = 0; i < count; i++) {
        PDISPATCHER_HEADER header = objects[i];
        blocks[i] = (KWAIT_BLOCK){.WaitType = WaitAny, .WaitKey = (USHORT)i, .Object = objects[i], .Wake = wake};
        InsertTailList(&header->WaitListHead, &blocks[i].WaitListEntry);
    }
}

LOCKS_BOOKKEEPING static void unlink_blocks(ULONG count, PKWAIT_BLOCK blocks) {
    for (ULONG i = 0; i < count; i++)
        RemoveEntryList(&blocks[i].WaitListEntry);
}

/* ---- the waits ------------------------------------------------------------ */

NTSTATUS spinsim_KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                       BOOLEAN Alertable, PLARGE_INTEGER Timeout, const sim_site *site) {
    sim_site_set(site);
    const bool poll = Timeout != NULL && Timeout->QuadPart == 0;
    sim_check_wait("KeWaitForSingleObject", poll, site);
    PDISPATCHER_HEADER header = Object;
    if (!check_waitable(header, "KeWaitForSingleObject"))
        return STATUS_INVALID_HANDLE;
    while (!object_take(header)) {
        if (Timeout != NULL)
            return STATUS_TIMEOUT;
        /* Not satisfied, and nothing has run since we looked: sleep until
         * a step writes the state, then look again. */
        sim_spin_wait(&header->SignalState, NULL);
    }
    return STATUS_WAIT_0;
}

/* The first object of WaitAny that satisfies the wait, taking its signal;
 * false when none does. */
static bool take_any(ULONG count, PVOID objects[], ULONG *index) {
    for (ULONG i = 0; i < count; i++)
        if (object_take(objects[i])) {
            *index = i;
            return true;
        }
    return false;
}

/* The first object not signaled, by loads alone, or `count`. */
static ULONG first_not_signaled(ULONG count, PVOID objects[]) {
    for (ULONG i = 0; i < count; i++)
        if ((LONG)sim_atomic_load(&((PDISPATCHER_HEADER)objects[i])->SignalState, STATE_SIZE) <= NOT_SIGNALED)
            return i;
    return count;
}

/* Takes every object's signal; when one is gone already, gives back those
 * taken and returns false. */
static bool take_all(ULONG count, PVOID objects[]) {
    for (ULONG taken = 0; taken < count; taken++) {
        if (object_take(objects[taken]))
            continue;
        while (taken-- > 0)
            if (kind_of(objects[taken]) != KIND_NOTIFICATION)
                object_give_back(objects[taken]);
        return false;
    }
    return true;
}

static NTSTATUS wait_all(ULONG count, PVOID objects[], PLARGE_INTEGER timeout) {
    for (;;) {
        const ULONG blocker = first_not_signaled(count, objects);
        if (blocker == count) {
            if (take_all(count, objects))
                return STATUS_SUCCESS;
            continue;
        }
        if (timeout != NULL)
            return STATUS_TIMEOUT;
        /* The load of the blocker was the last step: no signal is missed. */
        sim_spin_wait(&((PDISPATCHER_HEADER)objects[blocker])->SignalState, NULL);
    }
}

static NTSTATUS wait_any(ULONG count, PVOID objects[], PLARGE_INTEGER timeout, PKWAIT_BLOCK blocks) {
    ULONG index;
    if (take_any(count, objects, &index))
        return STATUS_WAIT_0 + (NTSTATUS)index;
    if (timeout != NULL)
        return STATUS_TIMEOUT;
    volatile LONG *wake = sim_alloc(sizeof *wake);
    link_blocks(count, objects, blocks, wake);
    while (!take_any(count, objects, &index)) {
        /* A signal since our look at its object has stored 1 here. */
        if (sim_atomic_load(wake, STATE_SIZE) == 0)
            sim_spin_wait(wake, NULL);
        sim_atomic_store(wake, 0, STATE_SIZE);
    }
    unlink_blocks(count, blocks);
    return STATUS_WAIT_0 + (NTSTATUS)index;
}

NTSTATUS spinsim_KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
                                          KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                          PKWAIT_BLOCK WaitBlockArray, const sim_site *site) {
    sim_site_set(site);
    const bool poll = Timeout != NULL && Timeout->QuadPart == 0;
    sim_check_wait("KeWaitForMultipleObjects", poll, site);
    /* More objects than the thread's own wait blocks, and no array. */
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && WaitBlockArray == NULL))
        locks_bug_check(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, 0, 0, 0);
    for (ULONG i = 0; i < Count; i++)
        if (!check_waitable(Object[i], "KeWaitForMultipleObjects"))
            return STATUS_INVALID_HANDLE;
    if (WaitType == WaitAll)
        return wait_all(Count, Object, Timeout);
    if (WaitType != WaitAny)
        return STATUS_INVALID_PARAMETER_3;
    KWAIT_BLOCK own_blocks[THREAD_WAIT_OBJECTS];
    return wait_any(Count, Object, Timeout, WaitBlockArray != NULL ? WaitBlockArray : own_blocks);
}
