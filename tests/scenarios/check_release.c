/* check_release.c: scenarios for sim/check_release.c, one buggy scenario and
 * its correct twin per rule: R4 ownership, R7 family, R3 Old token, R8
 * queue handles, and R8d release order (judged by sim/check_irql.c). */
#include "check_scenarios.h"

/* ---- R4: a context releases a lock another context holds (0x10, C4/0x1004) -- */

/* The holder keeps A until the releaser has had its go. Only a random
 * search interleaves them: the default schedule never leaves a spinning
 * holder. */
static VOID hold_until_flag(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[0], &old);
    while (InterlockedCompareExchange(&ext->flag, 0, 0) == 0)
        YieldProcessor();
    KeReleaseSpinLock(&ext->lock[0], old);
}

CHECK_CALL(release_foreign, (check_ext * ext), KeReleaseSpinLock(&ext->lock[0], PASSIVE_LEVEL))

static VOID release_foreign_lock(PVOID Context) {
    check_ext *ext = Context;
    while (KeTestSpinLock(&ext->lock[0]))
        YieldProcessor();
    release_foreign(ext);
    InterlockedExchange(&ext->flag, 1);
}

static VOID idle_thread_release(PVOID Context) { YieldProcessor(); }

static VOID take_and_release(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[0], &old);
    KeReleaseSpinLock(&ext->lock[0], old);
}

static void setup_wrong_owner(check_ext *ext) {
    sim_thread(0, ext->buggy ? hold_until_flag : take_and_release, ext);
    sim_thread(1, ext->buggy ? release_foreign_lock : take_and_release, ext);
}
CHECK_PAIR(chk_release_wrong_owner, SIM_FINDING_RELEASE_WRONG_OWNER, "a thread releases another thread's lock",
           setup_wrong_owner)

/* ---- R8c: a context releases with another context's queue handle ------------- */

static VOID queued_hold_until_flag(PVOID Context) {
    check_ext *ext = Context;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &ext->shared_handle);
    while (InterlockedCompareExchange(&ext->flag, 0, 0) == 0)
        YieldProcessor();
    KeReleaseInStackQueuedSpinLock(&ext->shared_handle);
}

CHECK_CALL(release_foreign_handle, (check_ext * ext), KeReleaseInStackQueuedSpinLock(&ext->shared_handle))

static VOID release_foreign_handle_thread(PVOID Context) {
    check_ext *ext = Context;
    while (KeTestSpinLock(&ext->lock[0]))
        YieldProcessor();
    release_foreign_handle(ext);
    InterlockedExchange(&ext->flag, 1);
}

static VOID queued_take_and_release(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &handle);
    KeReleaseInStackQueuedSpinLock(&handle);
}

static void setup_foreign_handle(check_ext *ext) {
    sim_thread(0, ext->buggy ? queued_hold_until_flag : queued_take_and_release, ext);
    sim_thread(1, ext->buggy ? release_foreign_handle_thread : queued_take_and_release, ext);
}
CHECK_PAIR(chk_release_handle_foreign, SIM_FINDING_HANDLE_MISUSE,
           "a thread releases a queued lock through another thread's handle", setup_foreign_handle)

/* ---- R7: KeReleaseSpinLock(L, DISPATCH_LEVEL) of an AtDpcLevel lock (`rule`) -- */

CHECK_CALL(release_raising_at_dispatch, (check_ext * ext), KeReleaseSpinLock(&ext->lock[0], DISPATCH_LEVEL))

static VOID at_dpc_then_raising_release(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    if (ext->buggy)
        release_raising_at_dispatch(ext);
    else
        KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

static void setup_dpc_pair(check_ext *ext, PKDEFERRED_ROUTINE routine) {
    sim_dpc(0, routine, ext);
    sim_dpc(1, routine, ext);
    sim_thread(0, take_and_release, ext);
}

static void setup_family_rule(check_ext *ext) { setup_dpc_pair(ext, at_dpc_then_raising_release); }
CHECK_PAIR(chk_release_family_rule, SIM_FINDING_RELEASE_WRONG_FAMILY,
           "KeReleaseSpinLock(L, DISPATCH_LEVEL) of a lock taken AtDpcLevel", setup_family_rule)

/* ---- R7: the raising release of an AtDpcLevel lock lowers below the DPC ------ */

CHECK_CALL(release_raising_to_passive, (check_ext * ext), KeReleaseSpinLock(&ext->lock[0], PASSIVE_LEVEL))

static VOID at_dpc_then_lowering_release(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    if (ext->buggy)
        release_raising_to_passive(ext);
    else
        KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

static void setup_family_lowers(check_ext *ext) { setup_dpc_pair(ext, at_dpc_then_lowering_release); }
CHECK_PAIR(chk_release_family_lowers, SIM_FINDING_RELEASE_WRONG_FAMILY,
           "KeReleaseSpinLock(L, PASSIVE_LEVEL) of a lock a DPC took AtDpcLevel", setup_family_lowers)

/* ---- R7: KeAcquireSpinLock released FromDpcLevel: IRQL stuck at DISPATCH ---- */

CHECK_CALL(release_from_dpc_level, (check_ext * ext), KeReleaseSpinLockFromDpcLevel(&ext->lock[0]))

static VOID raising_then_from_dpc(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[0], &old);
    if (ext->buggy)
        release_from_dpc_level(ext);
    else
        KeReleaseSpinLock(&ext->lock[0], old);
}

CHECK_PAIR_THREADS(chk_release_family_stuck, SIM_FINDING_RELEASE_WRONG_FAMILY,
                   "KeAcquireSpinLock released with KeReleaseSpinLockFromDpcLevel", raising_then_from_dpc,
                   raising_then_from_dpc)

/* ---- R7: queued acquire, plain release on one KSPIN_LOCK (DV C4/0x1009) ------ */

CHECK_CALL(release_plain_of_queued, (check_ext * ext, KIRQL old), KeReleaseSpinLock(&ext->lock[0], old))

static VOID queued_then_plain(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &handle);
    if (ext->buggy)
        release_plain_of_queued(ext, handle.OldIrql);
    else
        KeReleaseInStackQueuedSpinLock(&handle);
}

CHECK_PAIR_THREADS(chk_release_family_mix, SIM_FINDING_RELEASE_WRONG_FAMILY,
                   "an in-stack queued lock released with KeReleaseSpinLock", queued_then_plain, queued_then_plain)

/* ---- R3: nested locks released with swapped Old values (C4/0x20015) --------- */

CHECK_CALL(release_swapped_old, (check_ext * ext, KIRQL old), KeReleaseSpinLock(&ext->lock[1], old))

static VOID nested_with_olds(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old_a, old_b;
    KeAcquireSpinLock(&ext->lock[0], &old_a);
    KeAcquireSpinLock(&ext->lock[1], &old_b);
    release_swapped_old(ext, ext->buggy ? old_a : old_b);
    KeReleaseSpinLock(&ext->lock[0], ext->buggy ? old_b : old_a);
}

CHECK_PAIR_THREADS(chk_release_swapped_old, SIM_FINDING_WRONG_NEW_IRQL, "nested locks released with swapped Old values",
                   nested_with_olds, nested_with_olds)

/* ---- R3: one OldIrql variable for two locks held at once (docs: a race) ----- */

/* The second acquire writes its Old (DISPATCH_LEVEL) over the first one's
 * (PASSIVE_LEVEL) while A is still held: reported at that acquire, naming
 * the first (once A's release hands the wrong value back). The twin shows
 * the correct patterns: a variable per lock held at once, the same
 * variable again once the first lock is released, AtDpcLevel (which writes
 * no Old) inside a held lock, and a helper that returns the Old by value,
 * whose dead local the next call reuses at the same address. */
CHECK_CALL(release_old_first, (check_ext * ext, PKIRQL old), KeAcquireSpinLock(&ext->lock[0], old))
CHECK_CALL(release_old_overwrite, (check_ext * ext, PKIRQL old), KeAcquireSpinLock(&ext->lock[1], old))

static void one_old_nested(check_ext *ext) {
    KIRQL old;
    release_old_first(ext, &old);
    release_old_overwrite(ext, &old);
    KeReleaseSpinLock(&ext->lock[1], old);
    KeReleaseSpinLock(&ext->lock[0], old);
}

static __attribute__((noinline)) KIRQL lock_by_helper(PKSPIN_LOCK lock) {
    KIRQL old;
    KeAcquireSpinLock(lock, &old);
    return old;
}

static void olds_done_right(check_ext *ext) {
    KIRQL old, old_b;
    release_old_first(ext, &old);
    release_old_overwrite(ext, &old_b);
    KeReleaseSpinLock(&ext->lock[1], old_b);
    KeReleaseSpinLock(&ext->lock[0], old);
    release_old_first(ext, &old);
    KeReleaseSpinLock(&ext->lock[0], old);
    release_old_overwrite(ext, &old);
    KeReleaseSpinLock(&ext->lock[1], old);
    release_old_first(ext, &old);
    KeAcquireSpinLockAtDpcLevel(&ext->lock[1]);
    KeReleaseSpinLockFromDpcLevel(&ext->lock[1]);
    KeReleaseSpinLock(&ext->lock[0], old);
    old = lock_by_helper(&ext->lock[0]);
    old_b = lock_by_helper(&ext->lock[1]);
    KeReleaseSpinLock(&ext->lock[1], old_b);
    KeReleaseSpinLock(&ext->lock[0], old);
}

static VOID old_user(PVOID Context) {
    check_ext *ext = Context;
    if (ext->buggy)
        one_old_nested(ext);
    else
        olds_done_right(ext);
}

CHECK_PAIR_THREADS(chk_release_old_shared, SIM_FINDING_WRONG_NEW_IRQL, "one OldIrql variable for two nested locks",
                   old_user, old_user)

/* The same race across contexts: a thread holds A with its Old in the
 * extension and queues a DPC on the other CPU, which takes B with that
 * same variable. Only the DPC can overwrite (the thread wrote before it
 * queued the DPC), so the report is at the DPC's acquire. */
typedef struct old_in_ext {
    check_ext *ext;
    KIRQL old; /* the bug: one Old for every caller */
} old_in_ext;

CHECK_CALL(release_old_ext_first, (old_in_ext * s), KeAcquireSpinLock(&s->ext->lock[0], &s->old))
CHECK_CALL(release_old_ext_dpc, (old_in_ext * s, PKIRQL old), KeAcquireSpinLock(&s->ext->lock[1], old))

static VOID old_ext_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    old_in_ext *s = Context;
    KIRQL own;
    PKIRQL old = s->ext->buggy ? &s->old : &own;
    release_old_ext_dpc(s, old);
    KeReleaseSpinLock(&s->ext->lock[1], *old);
}

static VOID old_ext_thread(PVOID Context) {
    old_in_ext *s = Context;
    release_old_ext_first(s);
    KeInsertQueueDpc(&s->ext->dpc, NULL, NULL);
    InterlockedIncrement(&s->ext->flag);
    KeReleaseSpinLock(&s->ext->lock[0], s->old);
}

static void setup_old_ext(check_ext *ext) {
    old_in_ext *s = sim_alloc(sizeof *s);
    s->ext = ext;
    KeInitializeDpc(&ext->dpc, old_ext_dpc, s);
    KeSetTargetProcessorDpc(&ext->dpc, 1);
    sim_thread(0, old_ext_thread, s);
    sim_thread(1, idle_thread_release, s);
}
CHECK_PAIR(chk_release_old_across, SIM_FINDING_WRONG_NEW_IRQL,
           "a thread and a DPC keep the Old of two locks in one variable", setup_old_ext)

/* ---- R8a: one KLOCK_QUEUE_HANDLE for two acquisitions at once (C4/0x40006) --- */

CHECK_CALL(release_handle_reused, (check_ext * ext, PKLOCK_QUEUE_HANDLE handle),
           KeAcquireInStackQueuedSpinLock(&ext->lock[1], handle))

static VOID nested_queued(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE outer, inner;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &outer);
    release_handle_reused(ext, ext->buggy ? &outer : &inner);
    KeReleaseInStackQueuedSpinLock(ext->buggy ? &outer : &inner);
    KeReleaseInStackQueuedSpinLock(&outer);
}

CHECK_PAIR_THREADS(chk_release_handle_reused, SIM_FINDING_HANDLE_MISUSE, "one queue handle for two nested acquisitions",
                   nested_queued, nested_queued)

/* ---- R8a: a queue handle shared by every caller, kept in the extension ------- */

CHECK_CALL(release_handle_shared, (check_ext * ext, PKLOCK_QUEUE_HANDLE handle),
           KeAcquireInStackQueuedSpinLock(&ext->lock[0], handle))

static VOID queued_worker(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE local;
    PKLOCK_QUEUE_HANDLE handle = ext->buggy ? &ext->shared_handle : &local;
    release_handle_shared(ext, handle);
    KeReleaseInStackQueuedSpinLock(handle);
}

CHECK_PAIR_THREADS(chk_release_handle_shared, SIM_FINDING_HANDLE_MISUSE, "a queue handle shared through the extension",
                   queued_worker, queued_worker)

/* ---- R8a across time: a shared handle used one caller after the other --------- */

/* Buggy: the second thread takes the extension's handle with nothing
 * ordering it after the first's release; the twin waits for the event the
 * first sets once its release returned. */
CHECK_CALL(handle_passed_first, (check_ext * ext), KeAcquireInStackQueuedSpinLock(&ext->lock[0], &ext->shared_handle))
CHECK_CALL(handle_passed_second, (check_ext * ext), KeAcquireInStackQueuedSpinLock(&ext->lock[0], &ext->shared_handle))

static VOID first_user(PVOID Context) {
    check_ext *ext = Context;
    handle_passed_first(ext);
    ext->counter++;
    KeReleaseInStackQueuedSpinLock(&ext->shared_handle);
    KeSetEvent(&ext->event, 0, FALSE);
}

static VOID second_user(PVOID Context) {
    check_ext *ext = Context;
    check_wait_unless_buggy(ext);
    handle_passed_second(ext);
    ext->counter++;
    KeReleaseInStackQueuedSpinLock(&ext->shared_handle);
}

CHECK_PAIR_THREADS(chk_release_handle_unordered, SIM_FINDING_HANDLE_MISUSE,
                   "a queue handle in the extension used by one thread after another, nothing ordering the two",
                   first_user, second_user)

/* A handle inside a request, handed to a DPC with the request: the insert
 * orders the DPC's use after the thread's. Correct; must stay silent. */
typedef struct handle_request {
    KDPC Dpc;
    KLOCK_QUEUE_HANDLE Handle;
    check_ext *Ext;
} handle_request;

static VOID request_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    handle_request *request = Context;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&request->Ext->lock[0], &request->Handle);
    request->Ext->counter++;
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&request->Handle);
    ExFreePoolWithTag(request, 'qRsS');
}

static VOID request_submitter(PVOID Context) {
    check_ext *ext = Context;
    handle_request *request = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *request, 'qRsS');
    request->Ext = ext;
    KeInitializeDpc(&request->Dpc, request_dpc, request);
    KeSetTargetProcessorDpc(&request->Dpc, 1);
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &request->Handle);
    ext->counter++;
    KeReleaseInStackQueuedSpinLock(&request->Handle);
    KeInsertQueueDpc(&request->Dpc, NULL, NULL);
}

static VOID idle_on_cpu1(PVOID Context) { YieldProcessor(); }

SIM_SCENARIO(chk_release_handle_with_request_ok, "a queue handle inside a request handed to a DPC: correct") {
    check_ext *ext = check_ext_new(false);
    sim_expect(SIM_FINDING_NONE);
    sim_thread(0, request_submitter, ext);
    sim_thread(1, idle_on_cpu1, ext);
}

/* ---- R8c: the release gets a copy of the handle, not the handle (C4/0x40007) - */

CHECK_CALL(release_handle_copy, (PKLOCK_QUEUE_HANDLE handle), KeReleaseInStackQueuedSpinLock(handle))

static VOID release_by_copy(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle, copy;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &handle);
    if (ext->buggy)
        copy = handle;
    release_handle_copy(ext->buggy ? &copy : &handle);
}

CHECK_PAIR_THREADS(chk_release_handle_copy, SIM_FINDING_HANDLE_MISUSE,
                   "a queued lock released through a copy of its handle", release_by_copy, release_by_copy)

/* ---- R8d: nested locks released outer first, which lowers the IRQL ----------- */

CHECK_CALL(release_outer_plain, (check_ext * ext, KIRQL old), KeReleaseSpinLock(&ext->lock[0], old))

static VOID plain_outer_first(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old_a, old_b;
    KeAcquireSpinLock(&ext->lock[0], &old_a);
    KeAcquireSpinLock(&ext->lock[1], &old_b);
    if (ext->buggy) {
        release_outer_plain(ext, old_a);
        KeReleaseSpinLock(&ext->lock[1], old_b);
    } else {
        KeReleaseSpinLock(&ext->lock[1], old_b);
        release_outer_plain(ext, old_a);
    }
}

CHECK_PAIR_THREADS(chk_release_order_plain, SIM_FINDING_RELEASE_ORDER, "nested spin locks released outer first",
                   plain_outer_first, plain_outer_first)

CHECK_CALL(release_outer_queued, (PKLOCK_QUEUE_HANDLE handle), KeReleaseInStackQueuedSpinLock(handle))

static VOID queued_outer_first(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE outer, inner;
    KeAcquireInStackQueuedSpinLock(&ext->lock[0], &outer);
    KeAcquireInStackQueuedSpinLock(&ext->lock[1], &inner);
    release_outer_queued(ext->buggy ? &outer : &inner);
    release_outer_queued(ext->buggy ? &inner : &outer);
}

CHECK_PAIR_THREADS(chk_release_order_queued, SIM_FINDING_RELEASE_ORDER, "nested queued locks released outer first",
                   queued_outer_first, queued_outer_first)

/* ---- no finding: EX shared holds converted to exclusive, released either way - */

/* `at_dpc`: the shared hold was taken AtDpcLevel, so there is no Old. */
static void convert_and_release(check_ext *ext, bool at_dpc, KIRQL old) {
    BOOLEAN exclusive = ExTryConvertSharedSpinLockExclusive(&ext->ex) != 0;
    if (exclusive)
        InterlockedIncrement(&ext->flag);
    if (exclusive && at_dpc)
        ExReleaseSpinLockExclusiveFromDpcLevel(&ext->ex);
    else if (exclusive)
        ExReleaseSpinLockExclusive(&ext->ex, old);
    else if (at_dpc)
        ExReleaseSpinLockSharedFromDpcLevel(&ext->ex);
    else
        ExReleaseSpinLockShared(&ext->ex, old);
}

static VOID converting_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    ExAcquireSpinLockSharedAtDpcLevel(&ext->ex);
    convert_and_release(ext, true, DISPATCH_LEVEL);
}

static VOID converting_thread(PVOID Context) {
    check_ext *ext = Context;
    convert_and_release(ext, false, ExAcquireSpinLockShared(&ext->ex));
}

SIM_SCENARIO(chk_release_ex_convert, "shared EX holds converted to exclusive and released in either form") {
    check_ext *ext = check_ext_new(false);
    sim_dpc(1, converting_dpc, ext);
    sim_thread(0, converting_thread, ext);
    sim_thread(1, converting_thread, ext);
    sim_expect(SIM_FINDING_NONE);
}
