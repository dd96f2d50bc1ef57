/* ddi_irql.c: the IRQL contract of every routine spinsim adds beyond the
 * lock families, one buggy scenario and its correct twin per routine
 * (DDI_IRQL_PAIR): the call at an IRQL its documentation forbids, and at
 * one it allows. Most are `irql-violation`s; the waits are
 * `wait-at-dispatch`. */
#include "ddi_scenarios.h"

#define TAG 0x20494444 /* 'DDI ' */

static const LARGE_INTEGER soon = {.QuadPart = -10};

static VOID counting_thread(PVOID StartContext) {
    ddi_fixture *f = StartContext;
    InterlockedIncrement(&f->count);
}

static VOID cancel_routine(PDEVICE_OBJECT DeviceObject, PIRP Irp) { IoReleaseCancelSpinLock(Irp->CancelIrql); }

static BOOLEAN synchronized(WDFINTERRUPT Interrupt, WDFCONTEXT Context) { return TRUE; }

static VOID wdf_dpc(WDFDPC Dpc) {}

static void prepare_wdf_dpc(ddi_fixture *f) {
    ddi_fixture_wdf(f);
    WDF_DPC_CONFIG_INIT(&f->dpc_config, wdf_dpc);
    WDF_OBJECT_ATTRIBUTES_INIT(&f->dpc_attributes);
    f->dpc_attributes.ParentObject = f->wdf_device;
}

static VOID counting_work(PDEVICE_OBJECT DeviceObject, PVOID Context) {
    ddi_fixture *f = Context;
    InterlockedIncrement(&f->count);
}

static void prepare_work_item(ddi_fixture *f) { f->object = IoAllocateWorkItem(f->device); }

static void release_cancel_lock(ddi_fixture *f) { IoReleaseCancelSpinLock(f->old); }
static void leave_critical_region(ddi_fixture *f) { KeLeaveCriticalRegion(); }
static void release_wdf_lock(ddi_fixture *f) { WdfSpinLockRelease(f->wdf_lock); }
static void release_wdf_interrupt_lock(ddi_fixture *f) { WdfInterruptReleaseLock(f->wdf_interrupt); }
static void release_ndis_dpr(ddi_fixture *f) { NdisDprReleaseSpinLock(&f->ndis_lock); }
static void release_ndis(ddi_fixture *f) { NdisReleaseSpinLock(&f->ndis_lock); }
static void release_rw(ddi_fixture *f) { NdisReleaseRWLock(f->rw_lock, &f->lock_state); }

/* ---- strings and printing --------------------------------------------------- */

CHECK_CALL(ddi_rtl_init_unicode, (ddi_fixture * f), RtlInitUnicodeString(&f->copy, L"x"))
DDI_IRQL_PAIR(ddi_rtl_init_unicode, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_init_ansi, (ddi_fixture * f), RtlInitAnsiString(&f->ansi, "y"))
DDI_IRQL_PAIR(ddi_rtl_init_ansi, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_copy, (ddi_fixture * f), RtlCopyUnicodeString(&f->copy, &f->name))
DDI_IRQL_PAIR(ddi_rtl_copy, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_compare, (ddi_fixture * f), RtlCompareUnicodeString(&f->name, &f->copy, TRUE))
DDI_IRQL_PAIR(ddi_rtl_compare, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_equal, (ddi_fixture * f), RtlEqualUnicodeString(&f->name, &f->name, FALSE))
DDI_IRQL_PAIR(ddi_rtl_equal, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_append, (ddi_fixture * f), RtlAppendUnicodeToString(&f->copy, L"z"))
DDI_IRQL_PAIR(ddi_rtl_append, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_rtl_append_string, (ddi_fixture * f), RtlAppendUnicodeStringToString(&f->copy, &f->name))
DDI_IRQL_PAIR(ddi_rtl_append_string, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_print_unicode, (ddi_fixture * f), DbgPrint("device %wZ\n", &f->name))
DDI_IRQL_PAIR(ddi_print_unicode, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_print_high, (ddi_fixture * f), DbgPrint("count %d\n", f->count))
DDI_IRQL_PAIR(ddi_print_high, SIM_FINDING_IRQL_VIOLATION, HIGH_LEVEL, CHECK_DIRQL, ddi_nothing, ddi_nothing)

/* ---- pool ------------------------------------------------------------------- */

CHECK_CALL(ddi_pool_zero, (ddi_fixture * f), f->allocation = ExAllocatePoolZero(NonPagedPoolNx, 16, TAG))
DDI_IRQL_PAIR(ddi_pool_zero, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_pool_zero_paged, (ddi_fixture * f), f->allocation = ExAllocatePoolZero(PagedPool, 16, TAG))
DDI_IRQL_PAIR(ddi_pool_zero_paged, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_ndis_memory, (ddi_fixture * f),
           f->allocation = NdisAllocateMemoryWithTagPriority(NULL, 16, TAG, NormalPoolPriority))
DDI_IRQL_PAIR(ddi_ndis_memory, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

/* ---- events, semaphores, timers, waits ------------------------------------- */

CHECK_CALL(ddi_reset_event, (ddi_fixture * f), KeResetEvent(&f->event))
DDI_IRQL_PAIR(ddi_reset_event, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_release_semaphore, (ddi_fixture * f), KeReleaseSemaphore(&f->semaphore, 0, 1, FALSE))
DDI_IRQL_PAIR(ddi_release_semaphore, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

/* Wait=TRUE promises a wait right after: below DISPATCH_LEVEL only. */
CHECK_CALL(ddi_release_semaphore_wait, (ddi_fixture * f), KeReleaseSemaphore(&f->semaphore, 0, 1, TRUE))
DDI_IRQL_PAIR(ddi_release_semaphore_wait, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing,
              ddi_nothing)

CHECK_CALL(ddi_set_timer_ex, (ddi_fixture * f), KeSetTimerEx(&f->timer, soon, 10, NULL))
DDI_IRQL_PAIR(ddi_set_timer_ex, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_wait_multiple, (ddi_fixture * f),
           KeWaitForMultipleObjects(2, f->objects, WaitAll, Executive, KernelMode, FALSE, NULL, NULL))
DDI_IRQL_PAIR(ddi_wait_multiple, SIM_FINDING_WAIT_AT_DISPATCH, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_delay, (ddi_fixture * f), KeDelayExecutionThread(KernelMode, FALSE, &f->interval))
DDI_IRQL_PAIR(ddi_delay, SIM_FINDING_WAIT_AT_DISPATCH, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

/* ---- threads and objects --------------------------------------------------- */

CHECK_CALL(ddi_create_thread, (ddi_fixture * f),
           PsCreateSystemThread(&f->thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, counting_thread, f))
DDI_IRQL_PAIR(ddi_create_thread, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_reference_handle, (ddi_fixture * f),
           ObReferenceObjectByHandle(f->thread, THREAD_ALL_ACCESS, *PsThreadType, KernelMode, &f->object, NULL))
DDI_IRQL_PAIR(ddi_reference_handle, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing,
              ddi_fixture_thread)

CHECK_CALL(ddi_dereference, (ddi_fixture * f), ObDereferenceObject(&f->event))
DDI_IRQL_PAIR(ddi_dereference, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_zw_close, (ddi_fixture * f), ZwClose(f->thread))
DDI_IRQL_PAIR(ddi_zw_close, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_fixture_thread)

CHECK_CALL(ddi_set_priority, (ddi_fixture * f), KeSetPriorityThread(KeGetCurrentThread(), LOW_REALTIME_PRIORITY))
DDI_IRQL_PAIR(ddi_set_priority, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_critical_region, (ddi_fixture * f), KeEnterCriticalRegion())
DDI_IRQL_PAIR(ddi_critical_region, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, APC_LEVEL, leave_critical_region,
              ddi_nothing)

/* ---- the I/O model ------------------------------------------------------------ */

CHECK_CALL(ddi_cancel_lock, (ddi_fixture * f), IoAcquireCancelSpinLock(&f->old))
DDI_IRQL_PAIR(ddi_cancel_lock, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, release_cancel_lock,
              ddi_nothing)

CHECK_CALL(ddi_set_cancel_routine, (ddi_fixture * f), IoSetCancelRoutine(f->irp, cancel_routine))
DDI_IRQL_PAIR(ddi_set_cancel_routine, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_complete, (ddi_fixture * f), IoCompleteRequest(f->irp, IO_NO_INCREMENT))
DDI_IRQL_PAIR(ddi_complete, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_cancel_irp, (ddi_fixture * f), IoCancelIrp(f->irp))
DDI_IRQL_PAIR(ddi_cancel_irp, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_call_driver, (ddi_fixture * f), IoCallDriver(f->device, f->irp))
DDI_IRQL_PAIR(ddi_call_driver, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_allocate_irp, (ddi_fixture * f), f->irp = IoAllocateIrp(1, FALSE))
DDI_IRQL_PAIR(ddi_allocate_irp, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_free_irp, (ddi_fixture * f), IoFreeIrp(f->irp))
DDI_IRQL_PAIR(ddi_free_irp, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_create_device, (ddi_fixture * f),
           IoCreateDevice(f->driver, 8, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &f->device))
DDI_IRQL_PAIR(ddi_create_device, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_delete_device, (ddi_fixture * f), IoDeleteDevice(f->device))
DDI_IRQL_PAIR(ddi_delete_device, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

/* ---- KMDF ------------------------------------------------------------------- */

CHECK_CALL(ddi_wdf_lock, (ddi_fixture * f), WdfSpinLockAcquire(f->wdf_lock))
DDI_IRQL_PAIR(ddi_wdf_lock, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, release_wdf_lock, ddi_fixture_wdf)

CHECK_CALL(ddi_wdf_lock_create, (ddi_fixture * f), WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &f->wdf_lock))
DDI_IRQL_PAIR(ddi_wdf_lock_create, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_wdf_interrupt_lock, (ddi_fixture * f), WdfInterruptAcquireLock(f->wdf_interrupt))
DDI_IRQL_PAIR(ddi_wdf_interrupt_lock, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL,
              release_wdf_interrupt_lock, ddi_fixture_wdf)

CHECK_CALL(ddi_wdf_synchronize, (ddi_fixture * f), WdfInterruptSynchronize(f->wdf_interrupt, synchronized, f))
DDI_IRQL_PAIR(ddi_wdf_synchronize, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              ddi_fixture_wdf)

CHECK_CALL(ddi_wdf_dpc_create, (ddi_fixture * f), WdfDpcCreate(&f->dpc_config, &f->dpc_attributes, &f->wdf_dpc))
DDI_IRQL_PAIR(ddi_wdf_dpc_create, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, prepare_wdf_dpc)

/* ---- NDIS ------------------------------------------------------------------- */

CHECK_CALL(ddi_ndis_dpr_acquire, (ddi_fixture * f), NdisDprAcquireSpinLock(&f->ndis_lock))
DDI_IRQL_PAIR(ddi_ndis_dpr_acquire, SIM_FINDING_IRQL_VIOLATION, PASSIVE_LEVEL, DISPATCH_LEVEL, release_ndis_dpr,
              ddi_nothing)

CHECK_CALL(ddi_ndis_acquire, (ddi_fixture * f), NdisAcquireSpinLock(&f->ndis_lock))
DDI_IRQL_PAIR(ddi_ndis_acquire, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, release_ndis, ddi_nothing)

/* The flag promises DISPATCH_LEVEL: a caller at PASSIVE_LEVEL breaks it. */
CHECK_CALL(ddi_ndis_read_at_dispatch, (ddi_fixture * f),
           NdisAcquireRWLockRead(f->rw_lock, &f->lock_state, NDIS_RWL_AT_DISPATCH_LEVEL))
DDI_IRQL_PAIR(ddi_ndis_read_at_dispatch, SIM_FINDING_IRQL_VIOLATION, PASSIVE_LEVEL, DISPATCH_LEVEL, release_rw,
              ddi_nothing)

CHECK_CALL(ddi_ndis_write, (ddi_fixture * f), NdisAcquireRWLockWrite(f->rw_lock, &f->lock_state, 0))
DDI_IRQL_PAIR(ddi_ndis_write, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, PASSIVE_LEVEL, release_rw, ddi_nothing)

CHECK_CALL(ddi_ndis_allocate_rw, (ddi_fixture * f), f->rw_lock = NdisAllocateRWLock(NULL))
DDI_IRQL_PAIR(ddi_ndis_allocate_rw, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_ndis_free_lock, (ddi_fixture * f), NdisFreeSpinLock(&f->ndis_lock))
DDI_IRQL_PAIR(ddi_ndis_free_lock, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

/* The interlocked lists run with interrupts off: callable up to DIRQL. */
CHECK_CALL(ddi_ndis_list, (ddi_fixture * f), NdisInterlockedInsertTailList(&f->list, &f->entry, &f->ndis_lock))
DDI_IRQL_PAIR(ddi_ndis_list, SIM_FINDING_IRQL_VIOLATION, HIGH_LEVEL, CHECK_DIRQL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_push_entry, (ddi_fixture * f), ExInterlockedPushEntryList(&f->slist, &f->sentry, &f->ndis_lock.SpinLock))
DDI_IRQL_PAIR(ddi_push_entry, SIM_FINDING_IRQL_VIOLATION, HIGH_LEVEL, CHECK_DIRQL, ddi_nothing, ddi_nothing)

/* ---- cancel-safe queues, remove locks, devices and links -------------------- */

static void prepare_irp_in_driver(ddi_fixture *f) {
    ddi_fixture_csq(f);
    IoSetNextIrpStackLocation(f->irp);
    IoGetCurrentIrpStackLocation(f->irp)->DeviceObject = f->device;
}

static void prepare_remove_lock(ddi_fixture *f) {
    IoInitializeRemoveLock(&f->remove_lock, TAG, 0, 0);
    IoAcquireRemoveLock(&f->remove_lock, NULL);
}

CHECK_CALL(ddi_csq_insert, (ddi_fixture * f), IoCsqInsertIrp(&f->csq, f->irp, NULL))
DDI_IRQL_PAIR(ddi_csq_insert, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              prepare_irp_in_driver)

CHECK_CALL(ddi_csq_remove_next, (ddi_fixture * f), IoCsqRemoveNextIrp(&f->csq, NULL))
DDI_IRQL_PAIR(ddi_csq_remove_next, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              ddi_fixture_csq)

CHECK_CALL(ddi_acquire_remove_lock, (ddi_fixture * f), IoAcquireRemoveLock(&f->remove_lock, NULL))
DDI_IRQL_PAIR(ddi_acquire_remove_lock, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              prepare_remove_lock)

CHECK_CALL(ddi_remove_lock_wait, (ddi_fixture * f), IoReleaseRemoveLockAndWait(&f->remove_lock, NULL))
DDI_IRQL_PAIR(ddi_remove_lock_wait, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing,
              prepare_remove_lock)

CHECK_CALL(ddi_create_device_secure, (ddi_fixture * f),
           IoCreateDeviceSecure(f->driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &f->name, NULL, &f->device))
DDI_IRQL_PAIR(ddi_create_device_secure, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing,
              ddi_nothing)

CHECK_CALL(ddi_symbolic_link, (ddi_fixture * f), IoCreateSymbolicLink(&f->copy, &f->name))
DDI_IRQL_PAIR(ddi_symbolic_link, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_driver_runtime, (ddi_fixture * f), ExInitializeDriverRuntime(DrvRtPoolNxOptIn))
DDI_IRQL_PAIR(ddi_driver_runtime, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

/* ---- work items --------------------------------------------------------------- */

CHECK_CALL(ddi_allocate_work_item, (ddi_fixture * f), f->object = IoAllocateWorkItem(f->device))
DDI_IRQL_PAIR(ddi_allocate_work_item, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_queue_work_item, (ddi_fixture * f), IoQueueWorkItem(f->object, counting_work, DelayedWorkQueue, f))
DDI_IRQL_PAIR(ddi_queue_work_item, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              prepare_work_item)
