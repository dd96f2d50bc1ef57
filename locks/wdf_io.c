/* wdf_io.c owns KMDF I/O queues and requests (wdfio.h) and the harness's
 * request delivery (sim_wdf_request_later, sim_wdf.h).
 *
 * What it models: WdfIoQueueCreate makes a queue that presents requests
 * to the driver's EvtIoRead, EvtIoWrite, EvtIoDeviceControl,
 * EvtIoInternalDeviceControl or, for any other type, EvtIoDefault; a
 * default queue (DefaultQueue) takes every type the device does not
 * dispatch elsewhere with WdfDeviceConfigureRequestDispatching. A
 * Sequential queue presents one request at a time: the next is presented
 * when the driver completes the one it holds, from the completing
 * context, at its IRQL (a completion in a DPC presents the next request
 * at DISPATCH_LEVEL, as KMDF does); a Parallel queue presents up to
 * NumberOfPresentedRequests at once. A request is delivered by the
 * harness's delivery thread at PASSIVE_LEVEL. Under synchronization scope
 * device (the device's attributes, which the queue's inherit), the
 * framework calls the queue's callbacks holding the device lock at
 * DISPATCH_LEVEL (wdf.c), and presents the request that follows a
 * completion from the queue's own DPC. WdfRequestComplete and
 * WdfRequestCompleteWithInformation may be called at DISPATCH_LEVEL or
 * below; completing a request twice is an `irp-misuse` naming both sites
 * (the first completion is decided by one atomic step, so two CPUs racing
 * to complete see each other). A request has one buffer of the delivered
 * length: a write's input, a read's output, both for device controls;
 * WdfRequestRetrieve*WdmMdl describe it with an MDL.
 *
 * What it leaves out: manual queues (WdfIoQueueCreate refuses them),
 * queue stop, purge and power management (queues never stop, EvtIoStop is
 * never called), cancellation, forwarding and requeueing, request
 * parameters and file objects, the IRP behind a request, queue-level
 * synchronization scope (a queue's scope is its device's or none), and
 * passive execution level. */
#include "lock_internal.h"
#include "sim.h"
#include "sim_wdf.h"
#include "wdf_internal.h"

enum { POINTER_SIZE = (int)sizeof(PVOID) };

static const char *site_file(const sim_site *site) { return site != NULL ? site->file : "?"; }
static int site_line(const sim_site *site) { return site != NULL ? site->line : 0; }

static KDEFERRED_ROUTINE present_later;

NTSTATUS spinsim_WdfIoQueueCreate(WDFDEVICE Device, PWDF_IO_QUEUE_CONFIG Config, PWDF_OBJECT_ATTRIBUTES QueueAttributes,
                                  WDFQUEUE *Queue, const sim_site *site) {
    spinsim_routine_enter("WdfIoQueueCreate", DISPATCH_LEVEL, site);
    wdf_object *device = wdf_of(Device, WDF_DEVICE);
    if (Config->DispatchType != WdfIoQueueDispatchSequential && Config->DispatchType != WdfIoQueueDispatchParallel)
        return STATUS_NOT_SUPPORTED;
    if (Config->DefaultQueue && device->device.default_queue != NULL)
        return STATUS_INVALID_DEVICE_STATE;
    wdf_object *queue = wdf_new(WDF_QUEUE, QueueAttributes, device);
    queue->queue.config = *Config;
    spinsim_KeInitializeDpc(&queue->queue.present_dpc, present_later, queue, "KMDF queue presentation", site);
    if (Config->DefaultQueue)
        device->device.default_queue = queue;
    if (Queue != NULL)
        *Queue = (WDFQUEUE)queue;
    return STATUS_SUCCESS;
}

WDFDEVICE spinsim_WdfIoQueueGetDevice(WDFQUEUE Queue, const sim_site *site) {
    spinsim_routine_enter("WdfIoQueueGetDevice", DISPATCH_LEVEL, site);
    return (WDFDEVICE)wdf_of(Queue, WDF_QUEUE)->parent;
}

NTSTATUS spinsim_WdfDeviceConfigureRequestDispatching(WDFDEVICE Device, WDFQUEUE Queue, WDF_REQUEST_TYPE RequestType,
                                                      const sim_site *site) {
    spinsim_routine_enter("WdfDeviceConfigureRequestDispatching", PASSIVE_LEVEL, site);
    wdf_object *device = wdf_of(Device, WDF_DEVICE);
    wdf_object *queue = wdf_of(Queue, WDF_QUEUE);
    if ((unsigned)RequestType >= WDF_DISPATCHED_TYPES)
        return STATUS_INVALID_PARAMETER;
    device->device.queue_for[RequestType] = queue;
    return STATUS_SUCCESS;
}

/* ---- presenting requests ------------------------------------------------------ */

/* The driver's callback for the request, as the framework picks it. False
 * when the queue has none for its type. */
static bool request_callback(wdf_object *queue, wdf_object *request) {
    const WDF_IO_QUEUE_CONFIG *config = &queue->queue.config;
    const WDFQUEUE q = (WDFQUEUE)queue;
    const WDFREQUEST r = (WDFREQUEST)request;
    switch (request->request.type) {
    case WdfRequestTypeRead:
        if (config->EvtIoRead != NULL) {
            config->EvtIoRead(q, r, request->request.output_length);
            return true;
        }
        break;
    case WdfRequestTypeWrite:
        if (config->EvtIoWrite != NULL) {
            config->EvtIoWrite(q, r, request->request.input_length);
            return true;
        }
        break;
    case WdfRequestTypeDeviceControl:
        if (config->EvtIoDeviceControl != NULL) {
            config->EvtIoDeviceControl(q, r, request->request.output_length, request->request.input_length,
                                       request->request.io_control_code);
            return true;
        }
        break;
    case WdfRequestTypeDeviceControlInternal:
        if (config->EvtIoInternalDeviceControl != NULL) {
            config->EvtIoInternalDeviceControl(q, r, request->request.output_length, request->request.input_length,
                                               request->request.io_control_code);
            return true;
        }
        break;
    default:
        break;
    }
    if (config->EvtIoDefault == NULL)
        return false;
    config->EvtIoDefault(q, r);
    return true;
}

/* Whether the queue may hand the driver one more request now. */
static bool queue_has_room(const wdf_object *queue) {
    const WDF_IO_QUEUE_CONFIG *config = &queue->queue.config;
    const ULONG limit =
        config->DispatchType == WdfIoQueueDispatchSequential ? 1 : config->Settings.Parallel.NumberOfPresentedRequests;
    return queue->queue.presented < limit;
}

LOCKS_BOOKKEEPING static void request_finish(wdf_object *request, NTSTATUS status, ULONG_PTR information);

/* The framework takes its queue's lock around the queue's bookkeeping,
 * which orders a completion before the presentation that follows it: one
 * interlocked step, after which the bookkeeping runs with no scheduling
 * point. */
static void queue_lock_step(wdf_object *queue) { sim_atomic_fetch_add(&queue->queue.order, 1, (int)sizeof(LONG)); }

/* Hands the request to the driver, or leaves it waiting at the queue's
 * tail when the queue holds as many as it presents. */
LOCKS_BOOKKEEPING static void queue_present(wdf_object *queue, wdf_object *request) {
    queue_lock_step(queue);
    request->request.queue = queue;
    if (!queue_has_room(queue)) {
        wdf_object **tail = &queue->queue.waiting;
        while (*tail != NULL)
            tail = &(*tail)->request.next_waiting;
        *tail = request;
        return;
    }
    queue->queue.presented++;
    wdf_object *device = wdf_serializing_device(queue);
    const KIRQL old = device != NULL ? wdf_device_lock(device) : PASSIVE_LEVEL;
    const bool taken = request_callback(queue, request);
    if (device != NULL)
        wdf_device_unlock(device, old);
    if (!taken)
        request_finish(request, STATUS_INVALID_DEVICE_REQUEST, 0);
}

/* Presents waiting requests while the queue has room. */
LOCKS_BOOKKEEPING static void queue_present_waiting(wdf_object *queue) {
    while (queue->queue.waiting != NULL && queue_has_room(queue)) {
        wdf_object *next = queue->queue.waiting;
        queue->queue.waiting = next->request.next_waiting;
        queue_present(queue, next);
    }
}

/* The queue's presentation DPC, for a serialized queue. */
static VOID present_later(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    queue_present_waiting(DeferredContext);
}

/* The driver is done with a presented request: the queue presents its
 * next waiting one, from this context; a serialized queue, whose
 * completing context may hold the device lock, from its presentation
 * DPC, as KMDF defers such a presentation. */
LOCKS_BOOKKEEPING static void queue_release(wdf_object *queue) {
    queue_lock_step(queue);
    queue->queue.presented--;
    if (queue->queue.waiting == NULL)
        return;
    if (wdf_serializing_device(queue) != NULL)
        locks_dpc_insert(&queue->queue.present_dpc, NULL, NULL);
    else
        queue_present_waiting(queue);
}

/* Records the outcome and lets the queue go on. The status is the
 * framework's bookkeeping, which a harness thread may poll
 * (sim_wdf_request_status). */
LOCKS_BOOKKEEPING static void request_finish(wdf_object *request, NTSTATUS status, ULONG_PTR information) {
    request->request.status = status;
    request->request.information = information;
    if (request->request.queue != NULL)
        queue_release(request->request.queue);
}

/* The framework's side of a delivery: the device's queue for the type,
 * else its default queue; with neither, the framework fails the request. */
static void deliver(PVOID context) {
    wdf_object *request = context;
    wdf_object *device = request->request.device;
    wdf_object *queue = device->device.queue_for[request->request.type];
    if (queue == NULL)
        queue = device->device.default_queue;
    if (queue == NULL) {
        request->request.status = STATUS_INVALID_DEVICE_REQUEST;
        return;
    }
    queue_present(queue, request);
}

WDFREQUEST sim_wdf_request_later(WDFDEVICE Device, WDF_REQUEST_TYPE RequestType, size_t Length, ULONG IoControlCode) {
    wdf_object *request = wdf_new(WDF_REQUEST, NULL, NULL);
    request->request.type = (unsigned)RequestType < WDF_DISPATCHED_TYPES ? RequestType : WdfRequestTypeOther;
    request->request.device = wdf_of(Device, WDF_DEVICE);
    request->request.buffer = Length > 0 ? sim_alloc(Length) : NULL;
    const bool device_control =
        RequestType == WdfRequestTypeDeviceControl || RequestType == WdfRequestTypeDeviceControlInternal;
    request->request.input_length = RequestType == WdfRequestTypeWrite || device_control ? Length : 0;
    request->request.output_length = RequestType == WdfRequestTypeRead || device_control ? Length : 0;
    request->request.io_control_code = IoControlCode;
    request->request.status = STATUS_PENDING;
    sim_thread_later_named(SIM_ANY_CPU, deliver, request, "KMDF request delivery");
    return (WDFREQUEST)request;
}

LOCKS_BOOKKEEPING NTSTATUS sim_wdf_request_status(WDFREQUEST Request) {
    return wdf_of(Request, WDF_REQUEST)->request.status;
}

/* ---- requests ---------------------------------------------------------------- */

VOID spinsim_WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information, BOOLEAN WithInformation,
                                const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    wdf_object *request = wdf_of(Request, WDF_REQUEST);
    const sim_site *earlier = (const sim_site *)(uintptr_t)sim_atomic_exchange(
        (volatile void *)&request->request.completed_at, (uintptr_t)site, POINTER_SIZE);
    if (earlier != NULL) {
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, earlier,
                    "%s of a request already completed at %s:%d (0x10D WDF_VIOLATION)", routine, site_file(earlier),
                    site_line(earlier));
        return;
    }
    request_finish(request, Status, WithInformation ? Information : request->request.information);
}

VOID spinsim_WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information, const sim_site *site) {
    spinsim_routine_enter("WdfRequestSetInformation", DISPATCH_LEVEL, site);
    wdf_of(Request, WDF_REQUEST)->request.information = Information;
}

ULONG_PTR spinsim_WdfRequestGetInformation(WDFREQUEST Request, const sim_site *site) {
    spinsim_routine_enter("WdfRequestGetInformation", DISPATCH_LEVEL, site);
    return wdf_of(Request, WDF_REQUEST)->request.information;
}

NTSTATUS spinsim_WdfRequestGetStatus(WDFREQUEST Request, const sim_site *site) {
    spinsim_routine_enter("WdfRequestGetStatus", DISPATCH_LEVEL, site);
    return wdf_of(Request, WDF_REQUEST)->request.status;
}

WDFQUEUE spinsim_WdfRequestGetIoQueue(WDFREQUEST Request, const sim_site *site) {
    spinsim_routine_enter("WdfRequestGetIoQueue", DISPATCH_LEVEL, site);
    return (WDFQUEUE)wdf_of(Request, WDF_REQUEST)->request.queue;
}

/* The request's buffer in the direction asked, or a failure status as
 * KMDF gives it: no such buffer, or a shorter one than required. */
static NTSTATUS request_buffer(const wdf_object *request, BOOLEAN output, size_t minimum, size_t *length) {
    *length = output ? request->request.output_length : request->request.input_length;
    if (*length == 0)
        return STATUS_INVALID_DEVICE_REQUEST;
    return *length < minimum ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

NTSTATUS spinsim_WdfRequestRetrieveBuffer(WDFREQUEST Request, BOOLEAN Output, size_t MinimumRequiredLength,
                                          PVOID *Buffer, size_t *Length, const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    const wdf_object *request = wdf_of(Request, WDF_REQUEST);
    size_t length;
    const NTSTATUS status = request_buffer(request, Output, MinimumRequiredLength, &length);
    if (!NT_SUCCESS(status))
        return status;
    *Buffer = request->request.buffer;
    if (Length != NULL)
        *Length = length;
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_WdfRequestRetrieveWdmMdl(WDFREQUEST Request, BOOLEAN Output, PMDL *Mdl, const char *routine,
                                          const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    wdf_object *request = wdf_of(Request, WDF_REQUEST);
    size_t length;
    const NTSTATUS status = request_buffer(request, Output, 0, &length);
    if (!NT_SUCCESS(status))
        return status;
    request->request.mdl = (MDL){.MappedSystemVa = request->request.buffer};
    locks_mdl_describe(&request->request.mdl, request->request.buffer, (ULONG)length);
    *Mdl = &request->request.mdl;
    return STATUS_SUCCESS;
}
