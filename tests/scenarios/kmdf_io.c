/* kmdf_io.c: the scenarios of tests/test_kmdf.c, KMDF queues, requests,
 * the device lock and DMA (locks/wdf_io.c, locks/wdf_dma.c, wdf.c's
 * device lock), written as a KMDF driver's callbacks. Rule rows follow
 * check_scenarios.h's pattern: the offending call sits on a CHECK_CALL
 * line and each buggy scenario has a correct twin NAME_ok. */
#include "check_scenarios.h"
#include "sim_wdf.h"

enum { DMA_MAXIMUM_LENGTH = 16, DMA_WRITE_LENGTH = 40, COMMON_BUFFER_LENGTH = 64, SEQUENTIAL_WRITES = 3 };

typedef struct kmdf_fixture {
    check_ext *ext;
    WDF_SYNCHRONIZATION_SCOPE scope; /* the device's */
    WDF_IO_QUEUE_DISPATCH_TYPE dispatch;
    PFN_WDF_IO_QUEUE_IO_READ read;
    PFN_WDF_IO_QUEUE_IO_WRITE write;
    WDFDEVICE device;
    WDFQUEUE queue;
    WDFDPC dpc;
    WDFDMAENABLER enabler;
    WDFDMATRANSACTION transaction;
    WDFCOMMONBUFFER common_buffer;
    WDFREQUEST requests[SEQUENTIAL_WRITES];
    WDFREQUEST pending;               /* the write the DPC completes */
    WDF_IO_QUEUE_CONFIG queue_config; /* for WdfIoQueueCreate's row */
    WDFQUEUE other_queue;
    PVOID buffer; /* for WdfRequestRetrieveOutputBuffer's row */
    size_t length;
    int reads, in_flight, programmed;
    /* an IRQL row: EvtIoRead runs `call` at `bad` or `good`, then `undo` */
    void (*call)(struct kmdf_fixture *f, WDFREQUEST request);
    void (*undo)(struct kmdf_fixture *f, WDFREQUEST request);
    KIRQL bad, good;
} kmdf_fixture;

/* Setup runs alone: EvtDriverDeviceAdd finds its fixture here. */
static kmdf_fixture *adding;

static NTSTATUS kmdf_device_add(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit) {
    kmdf_fixture *f = adding;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.SynchronizationScope = f->scope;
    NTSTATUS status = WdfDeviceCreate(&DeviceInit, &attributes, &f->device);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG config;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, f->dispatch);
    config.EvtIoRead = f->read;
    config.EvtIoWrite = f->write;
    return WdfIoQueueCreate(f->device, &config, WDF_NO_OBJECT_ATTRIBUTES, &f->queue);
}

static kmdf_fixture *kmdf_fixture_new(check_ext *ext, WDF_SYNCHRONIZATION_SCOPE scope,
                                      WDF_IO_QUEUE_DISPATCH_TYPE dispatch, PFN_WDF_IO_QUEUE_IO_READ read,
                                      PFN_WDF_IO_QUEUE_IO_WRITE write) {
    kmdf_fixture *f = sim_alloc(sizeof *f);
    f->ext = ext;
    f->scope = scope;
    f->dispatch = dispatch;
    f->read = read;
    f->write = write;
    WDF_DRIVER_CONFIG config;
    WDF_DRIVER_CONFIG_INIT(&config, kmdf_device_add);
    WdfDriverCreate(sim_driver_object(), NULL, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
    adding = f;
    SIM_CHECK(sim_wdf_device_add(WdfGetDriver()) == f->device);
    return f;
}

static kmdf_fixture *queue_fixture(WDFQUEUE Queue) {
    kmdf_fixture *f = adding;
    SIM_CHECK(WdfIoQueueGetDevice(Queue) == f->device);
    return f;
}

/* ---- WdfRequestComplete twice (0x10D WDF_VIOLATION) ------------------------ */

CHECK_CALL(kmdf_complete_first, (WDFREQUEST request), WdfRequestComplete(request, STATUS_SUCCESS))
CHECK_CALL(kmdf_complete_again, (WDFREQUEST request), WdfRequestComplete(request, STATUS_SUCCESS))

static VOID complete_twice(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    kmdf_complete_first(Request);
    if (f->ext->buggy)
        kmdf_complete_again(Request);
}

static void setup_complete_twice(check_ext *ext) {
    kmdf_fixture_new(ext, WdfSynchronizationScopeNone, WdfIoQueueDispatchSequential, complete_twice, NULL);
    sim_wdf_request_later(adding->device, WdfRequestTypeRead, 8, 0);
}
CHECK_PAIR(chk_kmdf_request_double_complete, SIM_FINDING_IRP_MISUSE, "WdfRequestComplete twice on one request",
           setup_complete_twice)

/* ---- callbacks the device lock does not serialize race --------------------- */

CHECK_CALL(kmdf_count_read, (kmdf_fixture * f), f->reads++)

static VOID count_read(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_count_read(queue_fixture(Queue));
    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
}

/* Two reads on a parallel queue: SynchronizationScopeDevice serializes
 * EvtIoRead (the twin); without it they race on the count. */
static void setup_unserialized(check_ext *ext) {
    kmdf_fixture_new(ext, ext->buggy ? WdfSynchronizationScopeNone : WdfSynchronizationScopeDevice,
                     WdfIoQueueDispatchParallel, count_read, NULL);
    sim_wdf_request_later(adding->device, WdfRequestTypeRead, 8, 0);
    sim_wdf_request_later(adding->device, WdfRequestTypeRead, 8, 0);
}
CHECK_PAIR(chk_kmdf_unserialized_callbacks, SIM_FINDING_DATA_RACE,
           "parallel EvtIoRead callbacks without SynchronizationScopeDevice", setup_unserialized)

/* ---- WdfObjectAcquireLock inside a callback the device lock serializes ----- */

CHECK_CALL(kmdf_object_lock, (kmdf_fixture * f), WdfObjectAcquireLock(f->device))

static VOID lock_device(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    kmdf_object_lock(f);
    f->reads++;
    WdfObjectReleaseLock(f->device);
    WdfRequestComplete(Request, STATUS_SUCCESS);
}

static void setup_object_lock(check_ext *ext) {
    kmdf_fixture_new(ext, ext->buggy ? WdfSynchronizationScopeDevice : WdfSynchronizationScopeNone,
                     WdfIoQueueDispatchSequential, lock_device, NULL);
    sim_wdf_request_later(adding->device, WdfRequestTypeRead, 8, 0);
}
CHECK_PAIR(chk_kmdf_object_lock_in_serialized_callback, SIM_FINDING_RECURSIVE_ACQUIRE,
           "WdfObjectAcquireLock in a callback the device lock already serializes", setup_object_lock)

/* ---- a transfer reported done twice (0x10D WDF_VIOLATION) ------------------ */

static BOOLEAN program_nothing(WDFDMATRANSACTION Transaction, WDFDEVICE Device, WDFCONTEXT Context,
                               WDF_DMA_DIRECTION Direction, PSCATTER_GATHER_LIST SgList) {
    return TRUE;
}

CHECK_CALL(kmdf_dma_completed_again, (kmdf_fixture * f, NTSTATUS *status),
           WdfDmaTransactionDmaCompleted(f->transaction, status))

static VOID read_by_dma_twice(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    NTSTATUS status;
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionInitializeUsingRequest(f->transaction, Request, program_nothing,
                                                                 WdfDmaDirectionReadFromDevice)));
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionExecute(f->transaction, NULL)));
    SIM_CHECK(WdfDmaTransactionDmaCompleted(f->transaction, &status) && status == STATUS_SUCCESS);
    if (f->ext->buggy)
        kmdf_dma_completed_again(f, &status);
    WdfDmaTransactionRelease(f->transaction);
    WdfRequestComplete(Request, status);
}

static void setup_dma_completed_twice(check_ext *ext) {
    kmdf_fixture *f =
        kmdf_fixture_new(ext, WdfSynchronizationScopeNone, WdfIoQueueDispatchSequential, read_by_dma_twice, NULL);
    WDF_DMA_ENABLER_CONFIG config;
    WDF_DMA_ENABLER_CONFIG_INIT(&config, WdfDmaProfileScatterGather64, DMA_MAXIMUM_LENGTH);
    SIM_CHECK(NT_SUCCESS(WdfDmaEnablerCreate(f->device, &config, WDF_NO_OBJECT_ATTRIBUTES, &f->enabler)));
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionCreate(f->enabler, WDF_NO_OBJECT_ATTRIBUTES, &f->transaction)));
    sim_wdf_request_later(f->device, WdfRequestTypeRead, 8, 0);
}
CHECK_PAIR(chk_kmdf_dma_completed_twice, SIM_FINDING_BUG_CHECK,
           "WdfDmaTransactionDmaCompleted after the transaction's last transfer", setup_dma_completed_twice)

/* ---- IRQL rows: EvtIoRead makes the call at the wrong IRQL ------------------ */

static VOID read_at_irql(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    KIRQL entry;
    KeRaiseIrql(f->ext->buggy ? f->bad : f->good, &entry);
    f->call(f, Request);
    f->undo(f, Request);
    KeLowerIrql(entry);
}

static void complete_read(kmdf_fixture *f, WDFREQUEST request) { WdfRequestComplete(request, STATUS_SUCCESS); }
static void nothing(kmdf_fixture *f, WDFREQUEST request) {}

static void finish_transfer(kmdf_fixture *f, WDFREQUEST request) {
    NTSTATUS status;
    SIM_CHECK(WdfDmaTransactionDmaCompletedFinal(f->transaction, 0, &status));
    WdfDmaTransactionRelease(f->transaction);
    complete_read(f, request);
}

static void release_object_lock(kmdf_fixture *f, WDFREQUEST request) {
    WdfObjectReleaseLock(f->device);
    complete_read(f, request);
}

CHECK_CALL(kmdf_complete_irql, (kmdf_fixture * f, WDFREQUEST request), WdfRequestComplete(request, STATUS_SUCCESS))
CHECK_CALL(kmdf_retrieve_irql, (kmdf_fixture * f, WDFREQUEST request),
           WdfRequestRetrieveOutputBuffer(request, 8, &f->buffer, &f->length))
CHECK_CALL(kmdf_execute_irql, (kmdf_fixture * f, WDFREQUEST request), WdfDmaTransactionExecute(f->transaction, NULL))
CHECK_CALL(kmdf_common_buffer_irql, (kmdf_fixture * f, WDFREQUEST request),
           WdfCommonBufferCreate(f->enabler, 32, WDF_NO_OBJECT_ATTRIBUTES, &f->common_buffer))
CHECK_CALL(kmdf_queue_create_irql, (kmdf_fixture * f, WDFREQUEST request),
           WdfIoQueueCreate(f->device, &f->queue_config, WDF_NO_OBJECT_ATTRIBUTES, &f->other_queue))
CHECK_CALL(kmdf_object_lock_irql, (kmdf_fixture * f, WDFREQUEST request), WdfObjectAcquireLock(f->device))

/* A read request whose EvtIoRead runs `call`, with a DMA enabler and a
 * transaction initialized over the request's buffer. */
static void setup_irql_row(check_ext *ext, void (*call)(kmdf_fixture *f, WDFREQUEST request),
                           void (*undo)(kmdf_fixture *f, WDFREQUEST request), KIRQL bad, KIRQL good) {
    kmdf_fixture *f =
        kmdf_fixture_new(ext, WdfSynchronizationScopeNone, WdfIoQueueDispatchSequential, read_at_irql, NULL);
    f->call = call;
    f->undo = undo;
    f->bad = bad;
    f->good = good;
    WDF_IO_QUEUE_CONFIG_INIT(&f->queue_config, WdfIoQueueDispatchParallel);
    WDF_DMA_ENABLER_CONFIG config;
    WDF_DMA_ENABLER_CONFIG_INIT(&config, WdfDmaProfileScatterGather64, DMA_MAXIMUM_LENGTH);
    SIM_CHECK(NT_SUCCESS(WdfDmaEnablerCreate(f->device, &config, WDF_NO_OBJECT_ATTRIBUTES, &f->enabler)));
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionCreate(f->enabler, WDF_NO_OBJECT_ATTRIBUTES, &f->transaction)));
    WDFREQUEST request = sim_wdf_request_later(f->device, WdfRequestTypeRead, 8, 0);
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionInitializeUsingRequest(f->transaction, request, program_nothing,
                                                                 WdfDmaDirectionReadFromDevice)));
}

#define KMDF_IRQL_PAIR(name, undo, bad, good)                                                                          \
    static void name##_setup(check_ext *ext) { setup_irql_row(ext, name, undo, bad, good); }                           \
    CHECK_PAIR(chk_##name, SIM_FINDING_IRQL_VIOLATION, #name " at the wrong IRQL", name##_setup)

KMDF_IRQL_PAIR(kmdf_complete_irql, nothing, CHECK_DIRQL, DISPATCH_LEVEL)
KMDF_IRQL_PAIR(kmdf_retrieve_irql, complete_read, CHECK_DIRQL, DISPATCH_LEVEL)
KMDF_IRQL_PAIR(kmdf_execute_irql, finish_transfer, CHECK_DIRQL, DISPATCH_LEVEL)
KMDF_IRQL_PAIR(kmdf_common_buffer_irql, complete_read, DISPATCH_LEVEL, PASSIVE_LEVEL)
KMDF_IRQL_PAIR(kmdf_queue_create_irql, complete_read, CHECK_DIRQL, DISPATCH_LEVEL)
KMDF_IRQL_PAIR(kmdf_object_lock_irql, release_object_lock, CHECK_DIRQL, DISPATCH_LEVEL)

/* ---- what queues do: one request at a time on a sequential queue ------------- */

/* The WDFDPC completes the write EvtIoWrite left pending. */
static VOID complete_pending(WDFDPC Dpc) {
    kmdf_fixture *f = adding;
    SIM_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL);
    WDFREQUEST request = f->pending;
    f->pending = NULL;
    f->in_flight--;
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 4);
}

static VOID write_one_at_a_time(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    SIM_CHECK(++f->in_flight == 1);
    SIM_CHECK(Length == 4);
    /* serialized: at DISPATCH_LEVEL under the device lock; else PASSIVE_LEVEL
     * from a delivery, DISPATCH_LEVEL from the DPC's completion */
    SIM_CHECK(f->scope != WdfSynchronizationScopeDevice || KeGetCurrentIrql() == DISPATCH_LEVEL);
    PVOID buffer;
    size_t length;
    SIM_CHECK(WdfRequestRetrieveInputBuffer(Request, 8, &buffer, &length) == STATUS_BUFFER_TOO_SMALL);
    SIM_CHECK(WdfRequestRetrieveOutputBuffer(Request, 0, &buffer, &length) == STATUS_INVALID_DEVICE_REQUEST);
    SIM_CHECK(NT_SUCCESS(WdfRequestRetrieveInputBuffer(Request, 4, &buffer, &length)) && length == 4);
    PMDL mdl;
    SIM_CHECK(NT_SUCCESS(WdfRequestRetrieveInputWdmMdl(Request, &mdl)));
    SIM_CHECK(MmGetMdlVirtualAddress(mdl) == buffer && MmGetMdlByteCount(mdl) == 4);
    /* Described as IoAllocateMdl describes a buffer: from the start of its page. */
    SIM_CHECK(((ULONG_PTR)mdl->StartVa & (PAGE_SIZE - 1)) == 0 &&
              MmGetMdlByteOffset(mdl) == ((ULONG_PTR)buffer & (PAGE_SIZE - 1)));
    f->pending = Request;
    WdfDpcEnqueue(f->dpc);
}

static VOID every_write_completed(PVOID Context) {
    const kmdf_fixture *f = Context;
    SIM_CHECK(f->in_flight == 0);
    for (int i = 0; i < SEQUENTIAL_WRITES; i++)
        SIM_CHECK(sim_wdf_request_status(f->requests[i]) == STATUS_SUCCESS);
}

static void setup_sequential(WDF_SYNCHRONIZATION_SCOPE scope) {
    kmdf_fixture *f =
        kmdf_fixture_new(check_ext_new(false), scope, WdfIoQueueDispatchSequential, NULL, write_one_at_a_time);
    WDF_DPC_CONFIG config;
    WDF_DPC_CONFIG_INIT(&config, complete_pending);
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = f->device;
    SIM_CHECK(NT_SUCCESS(WdfDpcCreate(&config, &attributes, &f->dpc)));
    for (int i = 0; i < SEQUENTIAL_WRITES; i++)
        f->requests[i] = sim_wdf_request_later(f->device, WdfRequestTypeWrite, 4, 0);
    sim_at_end(every_write_completed, f);
    sim_expect(SIM_FINDING_NONE);
}

SIM_SCENARIO(kmdf_sequential_queue, "a sequential queue presents one write at a time; a WDFDPC completes each") {
    setup_sequential(WdfSynchronizationScopeNone);
}

SIM_SCENARIO(kmdf_sequential_queue_serialized,
             "the same under SynchronizationScopeDevice: EvtIoWrite and the DPC hold the device lock") {
    setup_sequential(WdfSynchronizationScopeDevice);
}

/* ---- what DMA does: a 40-byte write in transfers of at most 16 ---------------- */

static BOOLEAN program_write(WDFDMATRANSACTION Transaction, WDFDEVICE Device, WDFCONTEXT Context,
                             WDF_DMA_DIRECTION Direction, PSCATTER_GATHER_LIST SgList) {
    kmdf_fixture *f = Context;
    SIM_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL);
    SIM_CHECK(Device == f->device && Direction == WdfDmaDirectionWriteToDevice);
    SIM_CHECK(SgList->NumberOfElements == 1);
    const ULONG expected = f->programmed < 2 ? DMA_MAXIMUM_LENGTH : DMA_WRITE_LENGTH - 2 * DMA_MAXIMUM_LENGTH;
    SIM_CHECK(SgList->Elements[0].Length == expected);
    SIM_CHECK(WdfDmaTransactionGetCurrentDmaTransferLength(Transaction) == expected);
    f->programmed++;
    /* the device is done at once: its completion DPC runs next */
    WdfDpcEnqueue(f->dpc);
    return TRUE;
}

static VOID transfer_done(WDFDPC Dpc) {
    kmdf_fixture *f = adding;
    NTSTATUS status;
    if (!WdfDmaTransactionDmaCompleted(f->transaction, &status))
        return;
    SIM_CHECK(status == STATUS_SUCCESS && f->programmed == 3);
    SIM_CHECK(WdfDmaTransactionGetBytesTransferred(f->transaction) == DMA_WRITE_LENGTH);
    WDFREQUEST request = WdfDmaTransactionGetRequest(f->transaction);
    SIM_CHECK(request == f->requests[0]);
    SIM_CHECK(WdfDmaTransactionGetDevice(f->transaction) == f->device);
    WdfDmaTransactionRelease(f->transaction);
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, DMA_WRITE_LENGTH);
}

static VOID write_by_dma(WDFQUEUE Queue, WDFREQUEST Request, size_t Length) {
    kmdf_fixture *f = queue_fixture(Queue);
    SIM_CHECK(NT_SUCCESS(
        WdfDmaTransactionInitializeUsingRequest(f->transaction, Request, program_write, WdfDmaDirectionWriteToDevice)));
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionExecute(f->transaction, f)));
}

static VOID write_transferred(PVOID Context) {
    const kmdf_fixture *f = Context;
    SIM_CHECK(sim_wdf_request_status(f->requests[0]) == STATUS_SUCCESS);
}

SIM_SCENARIO(kmdf_dma_transaction, "a DMA write in three transfers, each programmed at DISPATCH_LEVEL") {
    kmdf_fixture *f = kmdf_fixture_new(check_ext_new(false), WdfSynchronizationScopeDevice,
                                       WdfIoQueueDispatchSequential, NULL, write_by_dma);
    WDF_DMA_ENABLER_CONFIG config;
    WDF_DMA_ENABLER_CONFIG_INIT(&config, WdfDmaProfileScatterGather64Duplex, DMA_MAXIMUM_LENGTH);
    SIM_CHECK(NT_SUCCESS(WdfDmaEnablerCreate(f->device, &config, WDF_NO_OBJECT_ATTRIBUTES, &f->enabler)));
    SIM_CHECK(NT_SUCCESS(
        WdfCommonBufferCreate(f->enabler, COMMON_BUFFER_LENGTH, WDF_NO_OBJECT_ATTRIBUTES, &f->common_buffer)));
    SIM_CHECK(WdfCommonBufferGetLength(f->common_buffer) == COMMON_BUFFER_LENGTH);
    SIM_CHECK(WdfCommonBufferGetAlignedVirtualAddress(f->common_buffer) != NULL);
    SIM_CHECK(WdfCommonBufferGetAlignedLogicalAddress(f->common_buffer).QuadPart == 0x100000000LL);
    SIM_CHECK(NT_SUCCESS(WdfDmaTransactionCreate(f->enabler, WDF_NO_OBJECT_ATTRIBUTES, &f->transaction)));
    WDF_DPC_CONFIG dpc_config;
    WDF_DPC_CONFIG_INIT(&dpc_config, transfer_done);
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = f->device;
    SIM_CHECK(NT_SUCCESS(WdfDpcCreate(&dpc_config, &attributes, &f->dpc)));
    f->requests[0] = sim_wdf_request_later(f->device, WdfRequestTypeWrite, DMA_WRITE_LENGTH, 0);
    sim_at_end(write_transferred, f);
    sim_expect(SIM_FINDING_NONE);
}
