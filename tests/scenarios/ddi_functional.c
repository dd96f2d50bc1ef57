/* ddi_functional.c: what the added routines do, as scenarios whose own
 * checks (SIM_CHECK) must hold in every schedule: periodic timers, waits on
 * several objects, system threads, virtual time, counted strings, singly
 * linked interlocked lists, NDIS read recursion, the KMDF interrupt, and
 * the text DbgPrint puts into the trace (tests/test_ddi.c reads it). */
#include "ddi_scenarios.h"

#define TAG 0x20494444 /* 'DDI ' */

static ddi_fixture *fixture(void) { return ddi_fixture_new(check_ext_new(false)); }

/* ---- KeSetTimerEx: a periodic timer fires timer_expiries times ---------- */

static VOID counting_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    ddi_fixture *f = Context;
    InterlockedIncrement(&f->count);
}

static VOID start_periodic(PVOID Context) {
    ddi_fixture *f = Context;
    KeInitializeDpc(&f->dpc, counting_dpc, f);
    SIM_CHECK(!KeSetTimerEx(&f->timer, (LARGE_INTEGER){.QuadPart = -10000}, 10, &f->dpc));
}

static VOID expired_three_times(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(f->count == 3);
    SIM_CHECK(f->timer.Header.SignalState == 1 && f->timer.Inserted == 0 && f->dpc.Inserted == 0);
}

SIM_SCENARIO(ddi_timer_periodic, "ddi: a periodic timer's DPC runs timer_expiries (3) times") {
    ddi_fixture *f = fixture();
    sim_thread(0, start_periodic, f);
    sim_at_end(expired_three_times, f);
    sim_expect(SIM_FINDING_NONE);
}

/* The DPC cancels the timer at its second run: the third expiry, already
 * queued, is taken back. */
static VOID cancelling_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    ddi_fixture *f = Context;
    if (InterlockedIncrement(&f->count) == 2)
        SIM_CHECK(KeCancelTimer(&f->timer));
}

static VOID start_cancelling(PVOID Context) {
    ddi_fixture *f = Context;
    KeInitializeDpc(&f->dpc, cancelling_dpc, f);
    KeSetTimerEx(&f->timer, (LARGE_INTEGER){.QuadPart = -10000}, 10, &f->dpc);
}

static VOID expired_twice(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(f->count == 2);
}

SIM_SCENARIO(ddi_timer_cancel_in_dpc, "ddi: a periodic timer's DPC cancels the timer on its second run") {
    ddi_fixture *f = fixture();
    sim_thread(0, start_cancelling, f);
    sim_at_end(expired_twice, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- KeWaitForMultipleObjects -------------------------------------------- */

/* Waits for a notification event (never set) or the semaphore (released by
 * the other thread): the semaphore satisfies the wait and is taken. */
static VOID wait_any(PVOID Context) {
    ddi_fixture *f = Context;
    PVOID objects[2] = {&f->event, &f->semaphore};
    const NTSTATUS status = KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode, FALSE, NULL, NULL);
    SIM_CHECK(status == STATUS_WAIT_1);
    SIM_CHECK(KeReadStateSemaphore(&f->semaphore) == 0);
}

static VOID release_semaphore(PVOID Context) {
    ddi_fixture *f = Context;
    KeReleaseSemaphore(&f->semaphore, SEMAPHORE_INCREMENT, 1, FALSE);
}

SIM_SCENARIO(ddi_wait_any, "ddi: WaitAny on an event and a semaphore, the semaphore released by another thread") {
    ddi_fixture *f = fixture();
    KeClearEvent(&f->event);
    sim_thread(0, wait_any, f);
    sim_thread(1, release_semaphore, f);
    sim_expect(SIM_FINDING_NONE);
}

/* Two waiters each wait for either of two synchronization events; two
 * setters set one each. Both waiters get one signal: none is lost, none is
 * taken twice. */
static VOID wait_any_of_two(PVOID Context) {
    ddi_fixture *f = Context;
    const NTSTATUS status = KeWaitForMultipleObjects(2, f->objects, WaitAny, Executive, KernelMode, FALSE, NULL, NULL);
    SIM_CHECK(status == STATUS_WAIT_0 || status == STATUS_WAIT_1);
    InterlockedIncrement(&f->count);
}

static VOID set_first(PVOID Context) {
    ddi_fixture *f = Context;
    KeSetEvent(f->objects[0], IO_NO_INCREMENT, FALSE);
}

static VOID set_second(PVOID Context) {
    ddi_fixture *f = Context;
    KeSetEvent(f->objects[1], IO_NO_INCREMENT, FALSE);
}

static VOID both_woke_signals_taken(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(f->count == 2);
    SIM_CHECK(f->event.Header.SignalState == 0 && f->event2.Header.SignalState == 0);
}

SIM_SCENARIO(ddi_wait_any_two_waiters, "ddi: two WaitAny waiters, two synchronization events set once each") {
    sim_cpus(3);
    ddi_fixture *f = fixture();
    KeInitializeEvent(&f->event, SynchronizationEvent, FALSE);
    KeInitializeEvent(&f->event2, SynchronizationEvent, FALSE);
    sim_thread(0, wait_any_of_two, f);
    sim_thread(1, wait_any_of_two, f);
    sim_thread(2, set_first, f);
    sim_thread(2, set_second, f);
    sim_at_end(both_woke_signals_taken, f);
    sim_expect(SIM_FINDING_NONE);
}

/* WaitAll on two synchronization events set by two threads: both are
 * taken together. */
static VOID wait_all(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(KeWaitForMultipleObjects(2, f->objects, WaitAll, Executive, KernelMode, FALSE, NULL, NULL) ==
              STATUS_SUCCESS);
    SIM_CHECK(KeReadStateEvent(&f->event) == 0 && KeReadStateEvent(&f->event2) == 0);
}

SIM_SCENARIO(ddi_wait_all, "ddi: WaitAll on two synchronization events, each set by its own thread") {
    ddi_fixture *f = fixture();
    KeInitializeEvent(&f->event, SynchronizationEvent, FALSE);
    KeInitializeEvent(&f->event2, SynchronizationEvent, FALSE);
    sim_thread(0, wait_all, f);
    sim_thread(1, set_first, f);
    sim_thread(1, set_second, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- PsCreateSystemThread: wait for the thread's end ----------------------- */

/* Counts once, then terminates itself: the second count never happens. */
static VOID short_lived(PVOID StartContext) {
    ddi_fixture *f = StartContext;
    InterlockedIncrement(&f->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
    InterlockedIncrement(&f->count);
}

static VOID start_and_join(PVOID Context) {
    ddi_fixture *f = Context;
    HANDLE handle;
    PETHREAD thread;
    SIM_CHECK(NT_SUCCESS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, short_lived, f)));
    SIM_CHECK(
        NT_SUCCESS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, (PVOID *)&thread, NULL)));
    SIM_CHECK(NT_SUCCESS(ZwClose(handle)));
    SIM_CHECK(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0);
    SIM_CHECK(f->count == 1);
    ObDereferenceObject(thread);
    /* A scenario thread is no system thread: it cannot terminate itself. */
    SIM_CHECK(PsTerminateSystemThread(STATUS_SUCCESS) == STATUS_INVALID_PARAMETER);
}

SIM_SCENARIO(ddi_system_thread, "ddi: a system thread's creator waits for its end") {
    sim_thread(0, start_and_join, fixture());
    sim_expect(SIM_FINDING_NONE);
}

/* ---- virtual time ------------------------------------------------------------ */

static VOID read_clock(PVOID Context) {
    const ULONGLONG first = KeQueryInterruptTime();
    LARGE_INTEGER delay = {.QuadPart = -1000}, system, frequency;
    KeDelayExecutionThread(KernelMode, FALSE, &delay);
    SIM_CHECK(first == 10 && KeQueryInterruptTime() == 1020);
    KeQuerySystemTime(&system);
    SIM_CHECK(system.QuadPart == 133801632000000000LL + 1030);
    SIM_CHECK(KeQueryPerformanceCounter(&frequency).QuadPart == 1040 && frequency.QuadPart == 10000000);
}

SIM_SCENARIO(ddi_time, "ddi: the virtual clock starts afresh in every run and moves by queries and delays") {
    sim_thread(0, read_clock, NULL);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- counted strings -------------------------------------------------------- */

static VOID use_strings(PVOID Context) {
    UNICODE_STRING name, other, copy;
    static const UNICODE_STRING constant = RTL_CONSTANT_STRING(L"Device");
    WCHAR buffer[7];
    RtlInitUnicodeString(&name, L"Device");
    SIM_CHECK(name.Length == 12 && name.MaximumLength == 14 && sizeof(L"ab") == 6);
    SIM_CHECK(constant.Length == 12 && constant.MaximumLength == 14);
    RtlInitUnicodeString(&other, L"DEVICE");
    SIM_CHECK(RtlEqualUnicodeString(&name, &other, TRUE) && !RtlEqualUnicodeString(&name, &other, FALSE));
    SIM_CHECK(RtlCompareUnicodeString(&name, &other, FALSE) > 0 &&
              RtlCompareUnicodeString(&name, &constant, FALSE) == 0);
    copy = (UNICODE_STRING){0, sizeof buffer, buffer};
    RtlCopyUnicodeString(&copy, &name);
    SIM_CHECK(copy.Length == 12 && buffer[6] == 0 && RtlEqualUnicodeString(&copy, &name, FALSE));
    SIM_CHECK(RtlAppendUnicodeToString(&copy, L"12") == STATUS_BUFFER_TOO_SMALL && copy.Length == 12);
    SIM_CHECK(RtlAppendUnicodeToString(&copy, L"1") == STATUS_SUCCESS && copy.Length == 14);
    SIM_CHECK(RtlCompareMemory("abcd", "abxd", 4) == 2);
    UCHAR bytes[4];
    RtlFillBytes(bytes, sizeof bytes, 0x5a);
    RtlZeroBytes(bytes, 2);
    RtlCopyBytes(bytes + 3, "x", 1);
    SIM_CHECK(bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x5a && bytes[3] == 'x');
    ANSI_STRING ansi;
    RtlInitAnsiString(&ansi, "text");
    SIM_CHECK(ansi.Length == 4 && ansi.MaximumLength == 5);
    LARGE_INTEGER large = {.QuadPart = 0x0000000200000001LL};
    SIM_CHECK(large.LowPart == 1 && large.HighPart == 2 && large.u.LowPart == 1 && large.u.HighPart == 2);
}

SIM_SCENARIO(ddi_strings, "ddi: counted strings, memory routines and LARGE_INTEGER halves") {
    sim_thread(0, use_strings, NULL);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- ExInterlockedPushEntryList / PopEntryList: last in, first out -------- */

static VOID push_and_pop(PVOID Context) {
    ddi_fixture *f = Context;
    SINGLE_LIST_ENTRY second;
    SIM_CHECK(ExInterlockedPushEntryList(&f->slist, &f->sentry, &f->ndis_lock.SpinLock) == NULL);
    SIM_CHECK(ExInterlockedPushEntryList(&f->slist, &second, &f->ndis_lock.SpinLock) == &f->sentry);
    SIM_CHECK(ExInterlockedPopEntryList(&f->slist, &f->ndis_lock.SpinLock) == &second);
    SIM_CHECK(ExInterlockedPopEntryList(&f->slist, &f->ndis_lock.SpinLock) == &f->sentry);
    SIM_CHECK(ExInterlockedPopEntryList(&f->slist, &f->ndis_lock.SpinLock) == NULL);
}

SIM_SCENARIO(ddi_single_list, "ddi: the interlocked singly linked list is last in, first out") {
    sim_thread(0, push_and_pop, fixture());
    sim_expect(SIM_FINDING_NONE);
}

/* ---- NDIS_RW_LOCK_EX: a reader may read again on its processor ---------- */

static VOID read_twice(PVOID Context) {
    ddi_fixture *f = Context;
    LOCK_STATE_EX outer, inner;
    NdisAcquireRWLockRead(f->rw_lock, &outer, 0);
    NdisAcquireRWLockRead(f->rw_lock, &inner, NDIS_RWL_AT_DISPATCH_LEVEL);
    InterlockedIncrement(&f->count);
    NdisReleaseRWLock(f->rw_lock, &inner);
    NdisReleaseRWLock(f->rw_lock, &outer);
}

static VOID write_once(PVOID Context) {
    ddi_fixture *f = Context;
    LOCK_STATE_EX state;
    NdisAcquireRWLockWrite(f->rw_lock, &state, 0);
    f->count += 10;
    NdisReleaseRWLock(f->rw_lock, &state);
}

SIM_SCENARIO(ddi_ndis_read_recursion, "ddi: an NDIS read lock taken twice on one processor, a writer on another") {
    ddi_fixture *f = fixture();
    sim_thread(0, read_twice, f);
    sim_thread(1, write_once, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- WDFINTERRUPT: ISR, DpcForIsr, the interrupt lock ---------------------- */

typedef struct wdf_device_state {
    ULONG pending; /* guarded by the interrupt lock */
    ULONG handled; /* guarded by the WDFSPINLOCK */
    WDFSPINLOCK lock;
    WDFINTERRUPT interrupt;
} wdf_device_state;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(wdf_device_state, device_state_of)

static BOOLEAN device_isr(WDFINTERRUPT Interrupt, ULONG MessageID) {
    device_state_of(WdfInterruptGetDevice(Interrupt))->pending++;
    WdfInterruptQueueDpcForIsr(Interrupt);
    return TRUE;
}

static VOID device_dpc(WDFINTERRUPT Interrupt, WDFOBJECT Device) {
    wdf_device_state *state = device_state_of(Device);
    WdfInterruptAcquireLock(Interrupt);
    const ULONG taken = state->pending;
    state->pending = 0;
    WdfInterruptReleaseLock(Interrupt);
    WdfSpinLockAcquire(state->lock);
    state->handled += taken;
    WdfSpinLockRelease(state->lock);
}

static NTSTATUS device_add(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit) {
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, wdf_device_state);
    WDFDEVICE device;
    NTSTATUS status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (NT_SUCCESS(status))
        status = WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &device_state_of(device)->lock);
    WDF_INTERRUPT_CONFIG config;
    WDF_INTERRUPT_CONFIG_INIT(&config, device_isr, device_dpc);
    return NT_SUCCESS(status)
               ? WdfInterruptCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &device_state_of(device)->interrupt)
               : status;
}

static BOOLEAN read_pending(WDFINTERRUPT Interrupt, WDFCONTEXT Context) {
    *(ULONG *)Context = device_state_of(WdfInterruptGetDevice(Interrupt))->pending;
    return TRUE;
}

static VOID poll_device(PVOID Context) {
    const wdf_device_state *state = Context;
    ULONG pending;
    SIM_CHECK(WdfInterruptSynchronize(state->interrupt, read_pending, &pending));
}

static VOID counts_add_up(PVOID Context) {
    const wdf_device_state *state = Context;
    SIM_CHECK(state->pending == 0);
}

SIM_SCENARIO(ddi_wdf_interrupt, "ddi: a KMDF ISR queues its DPC, which drains under the interrupt lock") {
    WDF_DRIVER_CONFIG config;
    WDF_DRIVER_CONFIG_INIT(&config, device_add);
    WdfDriverCreate(sim_driver_object(), NULL, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
    WDFDEVICE device = sim_wdf_device_add(WdfGetDriver());
    SIM_CHECK(device != NULL);
    sim_thread(0, poll_device, device_state_of(device));
    sim_at_end(counts_add_up, device_state_of(device));
    sim_expect(SIM_FINDING_NONE);
}

/* ---- DbgPrint: the formatted text goes into the trace ----------------------- */

static VOID print_things(PVOID Context) {
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"Dev0");
    ANSI_STRING ansi = RTL_CONSTANT_STRING("ansi");
    DbgPrint("count=%d name=%wZ wide=%ws %I64x %s %Z%%\n", 5, &name, L"w\x00e9", 0x123456789ULL, "ok", &ansi);
    /* %l is 32 bits, as LONG is on Windows. */
    KdPrint(("kd %u %C %ld %lx\n", 7u, L'x', (LONG)-1, (ULONG)0xdeadbeef));
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "ex %-4s|%04X\n", "ab", 0xbeef);
}

SIM_SCENARIO(ddi_print, "ddi: DbgPrint, KdPrint and DbgPrintEx format Microsoft conversions into the trace") {
    sim_thread(0, print_things, NULL);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a cancel-safe queue: insert, cancel, remove ------------------------------ */

/* Two IRPs go into the queue; one is cancelled while the other thread takes
 * the next one out. Each IRP completes exactly once: cancelled through the
 * queue's callback, or taken. */
static VOID csq_producer(PVOID Context) {
    ddi_fixture *f = Context;
    IoCsqInsertIrp(&f->csq, f->irp, NULL);
    IoCsqInsertIrp(&f->csq, f->object, NULL);
    KeSetEvent(&f->event, IO_NO_INCREMENT, FALSE);
    IoCancelIrp(f->irp);
}

static VOID csq_consumer(PVOID Context) {
    ddi_fixture *f = Context;
    KeWaitForSingleObject(&f->event, Executive, KernelMode, FALSE, NULL);
    PIRP taken = IoCsqRemoveNextIrp(&f->csq, NULL);
    SIM_CHECK(taken == f->irp || taken == f->object);
    taken->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(taken, IO_NO_INCREMENT);
}

/* Every IRP is completed (taken or cancelled) or still queued; only the
 * cancelled one can have been cancelled. */
static VOID csq_all_accounted_for(PVOID Context) {
    ddi_fixture *f = Context;
    const PIRP irps[2] = {f->irp, f->object};
    int completed = 0, queued = 0;
    for (int i = 0; i < 2; i++)
        completed += irps[i]->IoStatus.Status != STATUS_PENDING;
    for (PLIST_ENTRY entry = f->csq_irps.Flink; entry != &f->csq_irps; entry = entry->Flink)
        queued++;
    SIM_CHECK(completed + queued == 2 && f->count <= 1);
    SIM_CHECK(((PIRP)f->object)->IoStatus.Status != STATUS_CANCELLED);
}

SIM_SCENARIO(ddi_csq, "ddi: a cancel-safe queue with an insert, a cancel and a removal racing") {
    ddi_fixture *f = fixture();
    ddi_fixture_csq(f);
    KeClearEvent(&f->event);
    f->object = sim_irp(f->device, IRP_MJ_READ);
    const PIRP irps[2] = {f->irp, f->object};
    for (int i = 0; i < 2; i++) {
        IoSetNextIrpStackLocation(irps[i]);
        IoGetCurrentIrpStackLocation(irps[i])->DeviceObject = f->device;
        irps[i]->IoStatus.Status = STATUS_PENDING;
    }
    sim_thread(0, csq_producer, f);
    sim_thread(1, csq_consumer, f);
    sim_at_end(csq_all_accounted_for, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a remove lock: the remover waits for the last holder ---------------- */

static VOID hold_remove_lock(PVOID Context) {
    ddi_fixture *f = Context;
    if (NT_SUCCESS(IoAcquireRemoveLock(&f->remove_lock, NULL))) {
        InterlockedIncrement(&f->count);
        IoReleaseRemoveLock(&f->remove_lock, NULL);
    }
}

static VOID remove_device(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(NT_SUCCESS(IoAcquireRemoveLock(&f->remove_lock, NULL)));
    IoReleaseRemoveLockAndWait(&f->remove_lock, NULL);
    /* The holder has released, or is refused from now on. */
    const LONG held = f->count;
    SIM_CHECK(IoAcquireRemoveLock(&f->remove_lock, NULL) == STATUS_DELETE_PENDING);
    SIM_CHECK(f->count == held);
}

SIM_SCENARIO(ddi_remove_lock, "ddi: IoReleaseRemoveLockAndWait waits for the holders, then refuses new ones") {
    ddi_fixture *f = fixture();
    IoInitializeRemoveLock(&f->remove_lock, TAG, 0, 0);
    sim_thread(0, hold_remove_lock, f);
    sim_thread(1, remove_device, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a work item: a DPC defers PASSIVE_LEVEL work ---------------------------- */

static VOID passive_work(PDEVICE_OBJECT DeviceObject, PVOID Context) {
    ddi_fixture *f = Context;
    PAGED_CODE();
    SIM_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL && DeviceObject == f->device);
    KeDelayExecutionThread(KernelMode, FALSE, &f->interval);
    KeSetEvent(&f->event, IO_NO_INCREMENT, FALSE);
}

static VOID deferring_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    ddi_fixture *f = Context;
    IoQueueWorkItem(f->object, passive_work, DelayedWorkQueue, f);
}

static VOID wait_for_work(PVOID Context) {
    ddi_fixture *f = Context;
    SIM_CHECK(KeWaitForSingleObject(&f->event, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0);
    IoFreeWorkItem(f->object);
}

SIM_SCENARIO(ddi_work_item, "ddi: a DPC queues a work item that runs at PASSIVE_LEVEL and wakes a waiter") {
    ddi_fixture *f = fixture();
    KeClearEvent(&f->event);
    f->object = IoAllocateWorkItem(f->device);
    sim_dpc(1, deferring_dpc, f);
    sim_thread(0, wait_for_work, f);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- device registers: one step per access, in order ------------------------ */

static VOID device_model(PVOID Context) {
    ddi_fixture *f = Context;
    while (READ_REGISTER_ULONG((volatile ULONG *)&f->count) == 0)
        YieldProcessor();
    WRITE_REGISTER_UCHAR((volatile UCHAR *)&f->old, 0x5a);
}

static VOID driver_side(PVOID Context) {
    ddi_fixture *f = Context;
    WRITE_REGISTER_ULONG((volatile ULONG *)&f->count, 1);
    while (READ_REGISTER_UCHAR((volatile UCHAR *)&f->old) != 0x5a)
        YieldProcessor();
}

SIM_SCENARIO(ddi_registers, "ddi: a driver and a device model hand-shake through registers") {
    ddi_fixture *f = fixture();
    sim_thread(0, driver_side, f);
    sim_thread(1, device_model, f);
    sim_expect(SIM_FINDING_NONE);
}
