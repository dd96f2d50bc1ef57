/* ddi_rules.c: the misuse rules of the routines spinsim adds, one buggy
 * scenario and its correct twin each: IRP completion (`irp-misuse`), the
 * cancel routine's cancel lock (`lock-leak`), assertions
 * (`assertion-failure`), bug checks (`bug-check`), KMDF spin-lock recursion,
 * a semaphore released past its limit and waits the model refuses. */
#include "ddi_scenarios.h"

static ddi_fixture *fixture_of(PIRP Irp) { return Irp->Tail.Overlay.DriverContext[0]; }

/* ---- IoCompleteRequest twice (0x44 MULTIPLE_IRP_COMPLETE_REQUESTS) -------- */

CHECK_CALL(ddi_complete_first, (ddi_fixture * f), IoCompleteRequest(f->irp, IO_NO_INCREMENT))
CHECK_CALL(ddi_complete_again, (ddi_fixture * f), IoCompleteRequest(f->irp, IO_NO_INCREMENT))

static VOID complete_twice(PVOID Context) {
    ddi_fixture *f = Context;
    ddi_complete_first(f);
    if (f->ext->buggy)
        ddi_complete_again(f);
}

static void setup_complete_twice(check_ext *ext) { sim_thread(0, complete_twice, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_irp_double_complete, SIM_FINDING_IRP_MISUSE, "IoCompleteRequest twice on one IRP",
           setup_complete_twice)

/* ---- completion with the cancel routine still set (0x48) ----------------- */

static VOID releasing_cancel(PDEVICE_OBJECT DeviceObject, PIRP Irp) { IoReleaseCancelSpinLock(Irp->CancelIrql); }

CHECK_CALL(ddi_cancelable_set, (ddi_fixture * f), IoSetCancelRoutine(f->irp, releasing_cancel))
CHECK_CALL(ddi_cancelable_complete, (ddi_fixture * f), IoCompleteRequest(f->irp, IO_NO_INCREMENT))

static VOID complete_cancelable(PVOID Context) {
    ddi_fixture *f = Context;
    ddi_cancelable_set(f);
    if (!f->ext->buggy)
        IoSetCancelRoutine(f->irp, NULL);
    ddi_cancelable_complete(f);
}

static void setup_complete_cancelable(check_ext *ext) { sim_thread(0, complete_cancelable, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_irp_complete_cancelable, SIM_FINDING_IRP_MISUSE, "IoCompleteRequest with a cancel routine set",
           setup_complete_cancelable)

/* ---- a cancel routine that keeps the cancel spin lock (C4/0x40009) -------- */

CHECK_CALL(ddi_cancel_last_call, (PIRP Irp), IoCompleteRequest(Irp, IO_NO_INCREMENT))

static VOID forgetful_cancel(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    if (!fixture_of(Irp)->ext->buggy)
        IoReleaseCancelSpinLock(Irp->CancelIrql);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    ddi_cancel_last_call(Irp);
}

CHECK_CALL(ddi_cancel_call, (ddi_fixture * f), IoCancelIrp(f->irp))

static VOID cancel_pending_irp(PVOID Context) {
    ddi_fixture *f = Context;
    f->irp->Tail.Overlay.DriverContext[0] = f;
    IoSetCancelRoutine(f->irp, forgetful_cancel);
    ddi_cancel_call(f);
}

static void setup_cancel_leak(check_ext *ext) { sim_thread(0, cancel_pending_irp, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_cancel_lock_leak, SIM_FINDING_LOCK_LEAK, "a cancel routine returns holding the cancel spin lock",
           setup_cancel_leak)

/* ---- STATUS_PENDING without IoMarkIrpPending (MarkingQueuedIrps) --------- */

static NTSTATUS pending_dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    if (!fixture_of(Irp)->ext->buggy)
        IoMarkIrpPending(Irp);
    return STATUS_PENDING;
}

CHECK_CALL(ddi_call_pending, (ddi_fixture * f), IoCallDriver(f->device, f->irp))

static VOID call_then_complete(PVOID Context) {
    ddi_fixture *f = Context;
    f->irp->Tail.Overlay.DriverContext[0] = f;
    ddi_call_pending(f);
    IoCompleteRequest(f->irp, IO_NO_INCREMENT);
}

static void setup_pending(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    f->driver->MajorFunction[IRP_MJ_READ] = pending_dispatch;
    sim_thread(0, call_then_complete, f);
}
CHECK_PAIR(chk_ddi_pending_unmarked, SIM_FINDING_IRP_MISUSE, "STATUS_PENDING without IoMarkIrpPending", setup_pending)

/* ---- IoFreeIrp twice --------------------------------------------------------- */

CHECK_CALL(ddi_free_first, (ddi_fixture * f), IoFreeIrp(f->irp))
CHECK_CALL(ddi_free_again, (ddi_fixture * f), IoFreeIrp(f->irp))

static VOID free_twice(PVOID Context) {
    ddi_fixture *f = Context;
    ddi_free_first(f);
    if (f->ext->buggy)
        ddi_free_again(f);
}

static void setup_free_twice(check_ext *ext) { sim_thread(0, free_twice, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_irp_double_free, SIM_FINDING_IRP_MISUSE, "IoFreeIrp twice on one IRP", setup_free_twice)

/* ---- assertions ---------------------------------------------------------------- */

/* The buggy twin counts one before the assertion that the count is zero. */
static void count_if_buggy(ddi_fixture *f) {
    if (f->ext->buggy)
        InterlockedIncrement(&f->count);
}

CHECK_CALL(ddi_assert, (ddi_fixture * f), ASSERT(f->count == 0))
CHECK_CALL(ddi_nt_assert, (ddi_fixture * f), NT_ASSERT(f->count == 0))
CHECK_CALL(ddi_assertmsg, (ddi_fixture * f), ASSERTMSG("the queue must be empty", f->count == 0))
CHECK_CALL(ddi_nt_verify, (ddi_fixture * f), (void)NT_VERIFY(InterlockedIncrement(&f->count) == 1))

static VOID assert_thread(PVOID Context) {
    ddi_fixture *f = Context;
    count_if_buggy(f);
    f->call(f);
}

static ddi_fixture *setup_assert(check_ext *ext, void (*assertion)(ddi_fixture *f)) {
    ddi_fixture *f = ddi_fixture_new(ext);
    f->call = assertion;
    sim_thread(0, assert_thread, f);
    return f;
}

static void setup_ddi_assert(check_ext *ext) { setup_assert(ext, ddi_assert); }
static void setup_ddi_nt_assert(check_ext *ext) { setup_assert(ext, ddi_nt_assert); }
static void setup_ddi_assertmsg(check_ext *ext) { setup_assert(ext, ddi_assertmsg); }

/* NT_VERIFY's expression runs exactly once, failing or not. */
static VOID verified_once(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(f->count == (f->ext->buggy ? 2 : 1));
}

static void setup_ddi_nt_verify(check_ext *ext) { sim_at_end(verified_once, setup_assert(ext, ddi_nt_verify)); }

CHECK_PAIR(chk_ddi_assert, SIM_FINDING_ASSERTION_FAILURE, "ASSERT fails", setup_ddi_assert)
CHECK_PAIR(chk_ddi_nt_assert, SIM_FINDING_ASSERTION_FAILURE, "NT_ASSERT fails", setup_ddi_nt_assert)
CHECK_PAIR(chk_ddi_assertmsg, SIM_FINDING_ASSERTION_FAILURE, "ASSERTMSG fails", setup_ddi_assertmsg)
CHECK_PAIR(chk_ddi_nt_verify, SIM_FINDING_ASSERTION_FAILURE, "NT_VERIFY fails", setup_ddi_nt_verify)

/* ---- KeBugCheckEx ------------------------------------------------------------ */

CHECK_CALL(ddi_bug_check, (ddi_fixture * f), KeBugCheckEx(0xDEAD, 1, 2, 3, f->count))

static VOID bug_check_thread(PVOID Context) {
    ddi_fixture *f = Context;
    InterlockedIncrement(&f->count);
    if (f->ext->buggy)
        ddi_bug_check(f);
}

static void setup_bug_check(check_ext *ext) { sim_thread(0, bug_check_thread, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_bug_check, SIM_FINDING_BUG_CHECK, "KeBugCheckEx", setup_bug_check)

/* ---- WdfSpinLockAcquire on a lock the caller holds (0xF) ------------------- */

CHECK_CALL(ddi_wdf_reacquire, (ddi_fixture * f), WdfSpinLockAcquire(f->wdf_lock))

static VOID wdf_reacquire(PVOID Context) {
    ddi_fixture *f = Context;
    WdfSpinLockAcquire(f->wdf_lock);
    if (!f->ext->buggy)
        WdfSpinLockRelease(f->wdf_lock);
    ddi_wdf_reacquire(f);
    WdfSpinLockRelease(f->wdf_lock);
}

static void setup_wdf_reacquire(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &f->wdf_lock);
    sim_thread(0, wdf_reacquire, f);
}
CHECK_PAIR(chk_ddi_wdf_recursion, SIM_FINDING_RECURSIVE_ACQUIRE, "WdfSpinLockAcquire on a held WDFSPINLOCK",
           setup_wdf_reacquire)

/* ---- KeReleaseSemaphore past its limit (STATUS_SEMAPHORE_LIMIT_EXCEEDED) --- */

CHECK_CALL(ddi_release_past_limit, (ddi_fixture * f), KeReleaseSemaphore(&f->semaphore, 0, 1, FALSE))

/* The twin takes the one count first. */
static VOID release_full_semaphore(PVOID Context) {
    ddi_fixture *f = Context;
    if (!f->ext->buggy)
        KeWaitForSingleObject(&f->semaphore, Executive, KernelMode, FALSE, NULL);
    ddi_release_past_limit(f);
}

static void setup_semaphore_limit(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    KeInitializeSemaphore(&f->semaphore, 1, 1);
    sim_thread(0, release_full_semaphore, f);
}
CHECK_PAIR(chk_ddi_semaphore_limit, SIM_FINDING_CRASH, "KeReleaseSemaphore past the limit", setup_semaphore_limit)

/* ---- KeWaitForMultipleObjects past THREAD_WAIT_OBJECTS without blocks (0xC) */

CHECK_CALL(ddi_wait_four, (ddi_fixture * f, PVOID *objects, PKWAIT_BLOCK blocks),
           KeWaitForMultipleObjects(4, objects, WaitAny, Executive, KernelMode, FALSE, NULL, blocks))

static VOID wait_for_four(PVOID Context) {
    ddi_fixture *f = Context;
    PVOID objects[4] = {&f->event, &f->event, &f->event, &f->event};
    KWAIT_BLOCK blocks[4];
    ddi_wait_four(f, objects, f->ext->buggy ? NULL : blocks);
}

static void setup_wait_four(check_ext *ext) { sim_thread(0, wait_for_four, ddi_fixture_new(ext)); }
CHECK_PAIR(chk_ddi_wait_blocks, SIM_FINDING_BUG_CHECK, "KeWaitForMultipleObjects on 4 objects without wait blocks",
           setup_wait_four)

/* ---- a wait for a thread the scenario declared (not modelled) -------------- */

CHECK_CALL(ddi_wait_thread, (ddi_fixture * f), KeWaitForSingleObject(f->object, Executive, KernelMode, FALSE, NULL))

static VOID wait_for_a_thread(PVOID Context) {
    ddi_fixture *f = Context;
    if (f->ext->buggy)
        f->object = PsGetCurrentThread();
    else
        ObReferenceObjectByHandle(f->thread, SYNCHRONIZE, *PsThreadType, KernelMode, &f->object, NULL);
    ddi_wait_thread(f);
}

static void setup_wait_thread(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    ddi_fixture_thread(f);
    sim_thread(0, wait_for_a_thread, f);
}
CHECK_PAIR(chk_ddi_wait_declared_thread, SIM_FINDING_INVARIANT, "a wait for a thread the scenario declared",
           setup_wait_thread)

/* ---- PsTerminateSystemThread above PASSIVE_LEVEL ------------------------- */

CHECK_CALL(ddi_terminate, (ddi_fixture * f), PsTerminateSystemThread(STATUS_SUCCESS))

static VOID terminating_thread(PVOID StartContext) {
    ddi_fixture *f = StartContext;
    KIRQL old;
    KeRaiseIrql(f->ext->buggy ? DISPATCH_LEVEL : PASSIVE_LEVEL, &old);
    ddi_terminate(f);
}

static void setup_terminate(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    PsCreateSystemThread(&f->thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, terminating_thread, f);
}
CHECK_PAIR(chk_ddi_terminate_at_dispatch, SIM_FINDING_IRQL_VIOLATION, "PsTerminateSystemThread at DISPATCH_LEVEL",
           setup_terminate)

/* ---- IoQueueWorkItem of a work item still queued --------------------------- */

static VOID idle_work(PDEVICE_OBJECT DeviceObject, PVOID Context) {}

CHECK_CALL(ddi_queue_again, (ddi_fixture * f), IoQueueWorkItem(f->object, idle_work, DelayedWorkQueue, f))

/* The twin waits for the first run before queuing again. */
static VOID counted_work(PDEVICE_OBJECT DeviceObject, PVOID Context) {
    ddi_fixture *f = Context;
    KeSetEvent(&f->event2, IO_NO_INCREMENT, FALSE);
}

static VOID queue_twice(PVOID Context) {
    ddi_fixture *f = Context;
    IoQueueWorkItem(f->object, counted_work, DelayedWorkQueue, f);
    if (!f->ext->buggy)
        KeWaitForSingleObject(&f->event2, Executive, KernelMode, FALSE, NULL);
    ddi_queue_again(f);
}

static void setup_queue_twice(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    KeClearEvent(&f->event2);
    f->object = IoAllocateWorkItem(f->device);
    sim_thread(0, queue_twice, f);
}
CHECK_PAIR(chk_ddi_work_item_queued_twice, SIM_FINDING_CRASH, "IoQueueWorkItem of a queued work item",
           setup_queue_twice)
