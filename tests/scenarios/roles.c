/* roles.c: scenarios for the harness roles of sim.h and sim_io.h: the
 * initialization that runs first and alone (sim_init), threaded DPCs at the
 * start (sim_threaded_dpc), DPCs inserted at steps the scheduler chooses
 * (sim_dpc_later), threads it starts when it chooses (sim_thread_later,
 * sim_cancel_irp_later), and the harness's wait (sim_wait_until). */
#include "check_scenarios.h"
#include "sim_io.h"
#include "sim_machine.h"

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

/* ---- the initialization runs first, alone, and is checked ------------------------- */

typedef struct role_device {
    check_ext *ext;
    LONG Initialized; /* set last by the initialization */
    LONG Config;      /* written by the initialization, read unlocked after */
    LONG DpcRuns;
    LONG Observed;
} role_device;

CHECK_CALL(role_init_acquire, (check_ext * ext), KeAcquireSpinLockAtDpcLevel(&ext->lock[0]))

static VOID device_init(PVOID Context) {
    role_device *device = Context;
    check_ext *ext = device->ext;
    KIRQL old = ext->buggy ? PASSIVE_LEVEL : KeRaiseIrqlToDpcLevel();
    role_init_acquire(ext); /* buggy: AtDpcLevel at PASSIVE_LEVEL */
    device->Config = 7;
    KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
    if (!ext->buggy)
        KeLowerIrql(old);
    device->Initialized = 1;
}

/* Every role checks that the initialization is done, and reads what it
 * wrote without a lock. */
static VOID after_init_thread(PVOID Context) {
    role_device *device = Context;
    SIM_CHECK(device->Initialized == 1);
    device->Observed = device->Config;
}

static VOID after_init_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    role_device *device = Context;
    SIM_CHECK(device->Initialized == 1 && device->Config == 7);
}

static BOOLEAN after_init_isr(PKINTERRUPT Interrupt, PVOID Context) {
    role_device *device = Context;
    SIM_CHECK(device->Initialized == 1 && device->Config == 7);
    return TRUE;
}

static void setup_init(check_ext *ext) {
    role_device *device = sim_alloc(sizeof *device);
    device->ext = ext;
    sim_init(device_init, device);
    sim_thread(0, after_init_thread, device);
    sim_thread(1, idle_thread, device);
    sim_dpc(1, after_init_dpc, device);
    sim_interrupt(after_init_isr, device, CHECK_DIRQL, CHECK_DIRQL, 1);
}
CHECK_PAIR(chk_role_init, SIM_FINDING_IRQL_VIOLATION, "the initialization takes a lock AtDpcLevel at PASSIVE_LEVEL",
           setup_init)

/* ---- a threaded DPC runs at PASSIVE_LEVEL --------------------------------------------- */

static VOID threaded_routine(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    SIM_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL);
    KIRQL old = KeAcquireSpinLockForDpc(&ext->lock[0]);
    ext->counter++;
    KeReleaseSpinLockForDpc(&ext->lock[0], old);
}

SIM_SCENARIO(chk_role_threaded_dpc, "a threaded DPC queued at the start runs at PASSIVE_LEVEL") {
    check_ext *ext = check_ext_new(false);
    sim_threaded_dpc(1, threaded_routine, ext);
    sim_thread(0, idle_thread, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a DPC inserted at a step the scheduler chooses ------------------------------------- */

/* The thread marks a window with an Interlocked flag; the DPC must not run
 * inside it. It does only when an insert lands in the window. */
CHECK_CALL(role_window_check, (check_ext * ext), SIM_CHECK(InterlockedCompareExchange(&ext->flag, 0, 0) == 0))

static VOID window_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    role_window_check(ext);
    InterlockedIncrement(&ext->status);
}

static VOID window_thread(PVOID Context) {
    check_ext *ext = Context;
    InterlockedExchange(&ext->flag, 1);
    YieldProcessor();
    InterlockedExchange(&ext->flag, 0);
}

SIM_SCENARIO(chk_role_dpc_later, "a DPC inserted mid-way sees the thread's window open (found by a search)") {
    check_ext *ext = check_ext_new(true);
    sim_dpc_later(1, window_dpc, ext, 3);
    sim_thread(0, window_thread, ext);
    sim_thread(1, idle_thread, ext);
    sim_expect(SIM_FINDING_INVARIANT);
}

static void count_dpc_runs(PVOID Context) {
    check_ext *ext = Context;
    /* An insert while the DPC is still queued queues nothing more. */
    SIM_CHECK(ext->status >= 1 && ext->status <= 3);
}

static VOID counting_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    InterlockedIncrement(&ext->status);
}

/* Three inserts run the DPC once per insert that found it idle. */
SIM_SCENARIO(chk_role_dpc_later_counts, "a DPC inserted up to three times runs once per insert") {
    check_ext *ext = check_ext_new(false);
    sim_dpc_later(1, counting_dpc, ext, 3);
    sim_thread(0, idle_thread, ext);
    sim_at_end(count_dpc_runs, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* ---- a thread started when the scheduler chooses --------------------------------------- */

CHECK_CALL(role_later_check, (check_ext * ext), SIM_CHECK(InterlockedCompareExchange(&ext->flag, 0, 0) == 0))

static VOID early_thread(PVOID Context) {
    check_ext *ext = Context;
    YieldProcessor();
    role_later_check(ext);
}

static VOID later_thread(PVOID Context) {
    check_ext *ext = Context;
    InterlockedExchange(&ext->flag, 1);
}

SIM_SCENARIO(chk_role_thread_later, "a thread the scheduler starts early breaks an assumption (found by a search)") {
    check_ext *ext = check_ext_new(true);
    sim_thread(0, early_thread, ext);
    sim_thread_later(1, later_thread, ext);
    sim_expect(SIM_FINDING_INVARIANT);
}

/* ---- the I/O manager cancels an IRP when the scheduler chooses --------------------------- */

typedef struct role_queue {
    check_ext *ext;
    PDEVICE_OBJECT Device;
    PIRP Irp;
    KSPIN_LOCK Lock;
    BOOLEAN Queued; /* guarded by Lock */
} role_queue;

CHECK_CALL(role_cancel_complete, (PIRP irp), IoCompleteRequest(irp, IO_NO_INCREMENT))
CHECK_CALL(role_complete, (PIRP irp), IoCompleteRequest(irp, IO_NO_INCREMENT))

static VOID role_cancel(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    role_queue *queue = Irp->Tail.Overlay.DriverContext[0];
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KIRQL old;
    KeAcquireSpinLock(&queue->Lock, &old);
    queue->Queued = FALSE;
    KeReleaseSpinLock(&queue->Lock, old);
    role_cancel_complete(Irp);
}

/* The read dispatch routine queues the IRP, cancelable. */
static NTSTATUS role_dispatch_read(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    role_queue *queue = DeviceObject->DeviceExtension;
    Irp->Tail.Overlay.DriverContext[0] = queue;
    KIRQL old;
    KeAcquireSpinLock(&queue->Lock, &old);
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, role_cancel);
    queue->Queued = TRUE;
    KeReleaseSpinLock(&queue->Lock, old);
    return STATUS_PENDING;
}

/* The requester sends the read, then the device completes it unless the
 * cancel routine owns it. The buggy twin ignores what IoSetCancelRoutine
 * returns. */
static VOID requesting_thread(PVOID Context) {
    role_queue *queue = Context;
    PIRP irp = queue->Irp;
    IoCallDriver(queue->Device, irp);
    YieldProcessor();
    KIRQL old;
    KeAcquireSpinLock(&queue->Lock, &old);
    BOOLEAN mine = IoSetCancelRoutine(irp, NULL) != NULL;
    if (mine || queue->ext->buggy)
        queue->Queued = FALSE;
    KeReleaseSpinLock(&queue->Lock, old);
    if (mine || queue->ext->buggy)
        role_complete(irp);
}

static void setup_cancel(check_ext *ext) {
    PDRIVER_OBJECT driver = sim_driver_object();
    driver->MajorFunction[IRP_MJ_READ] = role_dispatch_read;
    PDEVICE_OBJECT device = sim_alloc(sizeof *device);
    role_queue *queue = sim_alloc(sizeof *queue);
    device->DriverObject = driver;
    device->DeviceExtension = queue;
    device->StackSize = 1;
    queue->ext = ext;
    queue->Device = device;
    KeInitializeSpinLock(&queue->Lock);
    queue->Irp = sim_irp(device, IRP_MJ_READ);
    sim_thread(0, requesting_thread, queue);
    sim_cancel_irp_later(queue->Irp);
}
CHECK_PAIR(chk_role_cancel, SIM_FINDING_IRP_MISUSE, "an IRP cancelled while its driver completes it", setup_cancel)

/* ---- the harness's wait ------------------------------------------------------------------- */

static VOID signalling_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    InterlockedExchange(&ext->status, 5);
}

static VOID waiting_thread(PVOID Context) {
    check_ext *ext = Context;
    sim_wait_until(&ext->status, 5);
    SIM_CHECK(ext->status == 5);
}

SIM_SCENARIO(chk_role_wait, "a harness thread waits for what a DPC sets") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, waiting_thread, ext);
    sim_dpc_later(1, signalling_dpc, ext, 1);
    sim_expect(SIM_FINDING_NONE);
}

CHECK_CALL(role_wait_in_dpc, (check_ext * ext), sim_wait_until(&ext->status, 5))

static VOID waiting_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) { role_wait_in_dpc(Context); }

SIM_SCENARIO(chk_role_wait_in_dpc, "a DPC cannot wait") {
    check_ext *ext = check_ext_new(true);
    sim_dpc(1, waiting_dpc, ext);
    sim_thread(0, idle_thread, ext);
    sim_expect(SIM_FINDING_WAIT_AT_DISPATCH);
}

/* Driver initialization that waits, called from setup, where nothing else
 * runs yet: a bad scenario, not an internal error. */
SIM_SCENARIO(chk_role_wait_in_setup, "setup waits on an event nobody sets") {
    check_ext *ext = check_ext_new(false);
    KeWaitForSingleObject(&ext->event, Executive, KernelMode, FALSE, NULL);
    sim_thread(0, idle_thread, ext);
}

/* ---- a harness that sleeps again at once after being woken --------------------------- */

static VOID double_sleeper(PVOID Context) {
    check_ext *ext = Context;
    sim_spin_wait(&ext->status, NULL);
    sim_spin_wait(&ext->status, NULL); /* woken and chosen, it sleeps again before any step */
}

static VOID incrementing_thread(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 4; i++) {
        InterlockedIncrement(&ext->status);
        YieldProcessor();
    }
}

/* Default schedule: the increments all come before the second sleep, which
 * nothing ends: a deadlock, reported as such. */
SIM_SCENARIO(chk_role_sleep_again, "a harness thread sleeps twice in a row on one word") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, double_sleeper, ext);
    sim_thread(1, incrementing_thread, ext);
    sim_expect(SIM_FINDING_DEADLOCK);
}

/* ---- setup-only calls made by a running context ------------------------------------- */

static VOID end_check(PVOID Context) {}

static BOOLEAN never_isr(PKINTERRUPT Interrupt, PVOID Context) { return FALSE; }

static VOID thread_declares_thread(PVOID Context) { sim_thread(1, idle_thread, Context); }

static VOID thread_declares_interrupt(PVOID Context) { sim_interrupt(never_isr, Context, CHECK_DIRQL, CHECK_DIRQL, 1); }

static VOID thread_declares_end_check(PVOID Context) { sim_at_end(end_check, Context); }

SIM_SCENARIO(chk_role_thread_in_run, "a running thread calls sim_thread") {
    sim_thread(0, thread_declares_thread, check_ext_new(false));
}

SIM_SCENARIO(chk_role_interrupt_in_run, "a running thread calls sim_interrupt") {
    sim_thread(0, thread_declares_interrupt, check_ext_new(false));
}

SIM_SCENARIO(chk_role_at_end_in_run, "a running thread calls sim_at_end") {
    sim_thread(0, thread_declares_end_check, check_ext_new(false));
}

/* ---- routines the headers declare but spinsim does not model ------------------------- */

/* The harness's own definition replaces the library's weak one. */
NTSTATUS IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action) { return STATUS_SUCCESS; }

static VOID thread_registers_interface(PVOID Context) {
    check_ext *ext = Context;
    if (NT_SUCCESS(IoWMIRegistrationControl(NULL, 1)))
        InterlockedIncrement(&ext->counter);
    UNICODE_STRING link;
    RtlInitUnicodeString(&link, L"\\??\\spinsim");
    IoSetDeviceInterfaceState(&link, TRUE);
    InterlockedIncrement(&ext->counter);
}

SIM_SCENARIO(chk_role_unmodelled_in_run, "a thread calls a routine spinsim declares but does not model") {
    sim_thread(0, thread_registers_interface, check_ext_new(false));
}

SIM_SCENARIO(chk_role_unmodelled_in_setup, "the setup calls a routine spinsim declares but does not model") {
    UNICODE_STRING link;
    RtlInitUnicodeString(&link, L"\\??\\spinsim");
    IoSetDeviceInterfaceState(&link, TRUE);
    sim_thread(0, idle_thread, check_ext_new(false));
}
