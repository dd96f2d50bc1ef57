/* ddi_common.c: the fixture the DDI scenarios share, the thread that runs
 * an IRQL row's call at its level, and the small driver (WDM dispatch,
 * KMDF callbacks) the fixture's objects belong to. */
#include "ddi_scenarios.h"

void ddi_nothing(ddi_fixture *f) {}

/* The fixture device's dispatch routine: completes at once. */
static NTSTATUS ddi_dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID ddi_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    ddi_fixture *f = Context;
    InterlockedIncrement(&f->count);
}

ddi_fixture *ddi_fixture_new(check_ext *ext) {
    ddi_fixture *f = sim_alloc(sizeof *f);
    f->ext = ext;
    RtlInitUnicodeString(&f->name, L"Device");
    f->copy = (UNICODE_STRING){0, sizeof f->buffer, f->buffer};
    RtlInitAnsiString(&f->ansi, "ansi");
    KeInitializeEvent(&f->event, NotificationEvent, TRUE);
    KeInitializeEvent(&f->event2, SynchronizationEvent, TRUE);
    f->objects[0] = &f->event;
    f->objects[1] = &f->event2;
    f->interval.QuadPart = -10;
    KeInitializeSemaphore(&f->semaphore, 0, 4);
    KeInitializeTimer(&f->timer);
    KeInitializeDpc(&f->dpc, ddi_dpc, f);
    f->driver = sim_driver_object();
    f->driver->MajorFunction[IRP_MJ_READ] = ddi_dispatch;
    IoCreateDevice(f->driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &f->device);
    f->irp = sim_irp(f->device, IRP_MJ_READ);
    NdisAllocateSpinLock(&f->ndis_lock);
    f->rw_lock = NdisAllocateRWLock(NULL);
    InitializeListHead(&f->list);
    return f;
}

static VOID ddi_thread_routine(PVOID StartContext) {
    ddi_fixture *f = StartContext;
    InterlockedIncrement(&f->count);
}

void ddi_fixture_thread(ddi_fixture *f) {
    PsCreateSystemThread(&f->thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, ddi_thread_routine, f);
}

/* ---- a cancel-safe queue ------------------------------------------------------ */

static ddi_fixture *csq_fixture(PIO_CSQ Csq) { return CONTAINING_RECORD(Csq, ddi_fixture, csq); }

static VOID csq_insert(PIO_CSQ Csq, PIRP Irp) {
    InsertTailList(&csq_fixture(Csq)->csq_irps, &Irp->Tail.Overlay.ListEntry);
}

static VOID csq_remove(PIO_CSQ Csq, PIRP Irp) { RemoveEntryList(&Irp->Tail.Overlay.ListEntry); }

static PIRP csq_peek(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext) {
    PLIST_ENTRY head = &csq_fixture(Csq)->csq_irps;
    PLIST_ENTRY next = Irp == NULL ? head->Flink : Irp->Tail.Overlay.ListEntry.Flink;
    return next == head ? NULL : CONTAINING_RECORD(next, IRP, Tail.Overlay.ListEntry);
}

static VOID csq_acquire(PIO_CSQ Csq, PKIRQL Irql) { KeAcquireSpinLock(&csq_fixture(Csq)->csq_lock, Irql); }

static VOID csq_release(PIO_CSQ Csq, KIRQL Irql) { KeReleaseSpinLock(&csq_fixture(Csq)->csq_lock, Irql); }

static VOID csq_complete_canceled(PIO_CSQ Csq, PIRP Irp) {
    InterlockedIncrement(&csq_fixture(Csq)->count);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

void ddi_fixture_csq(ddi_fixture *f) {
    KeInitializeSpinLock(&f->csq_lock);
    InitializeListHead(&f->csq_irps);
    IoCsqInitialize(&f->csq, csq_insert, csq_remove, csq_peek, csq_acquire, csq_release, csq_complete_canceled);
}

/* ---- the KMDF driver ------------------------------------------------------ */

typedef struct ddi_wdf_context {
    ddi_fixture *fixture;
} ddi_wdf_context;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(ddi_wdf_context, ddi_wdf_context_of)

static BOOLEAN ddi_wdf_isr(WDFINTERRUPT Interrupt, ULONG MessageID) {
    ddi_fixture *f = ddi_wdf_context_of(WdfInterruptGetDevice(Interrupt))->fixture;
    InterlockedIncrement(&f->count);
    return TRUE;
}

static VOID ddi_wdf_dpc(WDFINTERRUPT Interrupt, WDFOBJECT Device) {}

static ddi_fixture *adding;

static NTSTATUS ddi_wdf_device_add(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit) {
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, ddi_wdf_context);
    WDFDEVICE device;
    NTSTATUS status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    ddi_wdf_context_of(device)->fixture = adding;
    adding->wdf_device = device;
    status = WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &adding->wdf_lock);
    if (!NT_SUCCESS(status))
        return status;
    WDF_INTERRUPT_CONFIG config;
    WDF_INTERRUPT_CONFIG_INIT(&config, ddi_wdf_isr, ddi_wdf_dpc);
    return WdfInterruptCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &adding->wdf_interrupt);
}

void ddi_fixture_wdf(ddi_fixture *f) {
    WDF_DRIVER_CONFIG config;
    WDF_DRIVER_CONFIG_INIT(&config, ddi_wdf_device_add);
    WdfDriverCreate(f->driver, NULL, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
    /* Setup runs alone: the callback finds its fixture here. */
    adding = f;
    SIM_CHECK(sim_wdf_device_add(WdfGetDriver()) == f->wdf_device);
}

/* ---- IRQL rows ------------------------------------------------------------ */

static VOID ddi_irql_thread(PVOID Context) {
    ddi_fixture *f = Context;
    KIRQL entry;
    KeRaiseIrql(f->ext->buggy ? f->bad : f->good, &entry);
    f->call(f);
    f->undo(f);
    KeLowerIrql(entry);
}

void ddi_run_at(ddi_fixture *f, void (*call)(ddi_fixture *f), void (*undo)(ddi_fixture *f), KIRQL bad, KIRQL good) {
    f->call = call;
    f->undo = undo;
    f->bad = bad;
    f->good = good;
    sim_thread(0, ddi_irql_thread, f);
}
