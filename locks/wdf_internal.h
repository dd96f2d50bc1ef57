/* wdf_internal.h: what the KMDF model's files share privately (wdf.c
 * for objects, the driver, devices, spin locks, interrupts and DPCs;
 * wdf_io.c for queues and requests; wdf_dma.c for DMA): the framework
 * object behind every handle. A handle is the address of a wdf_object of
 * the run whose kind matches the handle's type; objects live until the
 * run ends. */
#ifndef LOCKS_WDF_INTERNAL_H
#define LOCKS_WDF_INTERNAL_H

#include "lock_internal.h"
#include "wdf.h"

typedef enum wdf_kind {
    WDF_DRIVER,
    WDF_DEVICE,
    WDF_SPINLOCK,
    WDF_INTERRUPT,
    WDF_DPC,
    WDF_QUEUE,
    WDF_REQUEST,
    WDF_DMA_ENABLER,
    WDF_COMMON_BUFFER,
    WDF_DMA_TRANSACTION,
} wdf_kind;

/* The request types a device dispatches to a queue of its own: every
 * WDF_REQUEST_TYPE that names an IRP major function. */
enum { WDF_DISPATCHED_TYPES = WdfRequestTypePnp + 1 };

typedef struct wdf_object wdf_object;
struct wdf_object {
    wdf_kind kind;
    wdf_object *parent;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO context_type;
    PVOID context;
    WDF_SYNCHRONIZATION_SCOPE scope; /* as the attributes gave it */
    union {
        WDF_DRIVER_CONFIG driver;
        struct {
            wdf_object *default_queue;
            wdf_object *queue_for[WDF_DISPATCHED_TYPES];
            KSPIN_LOCK lock; /* the framework's device lock */
            KIRQL lock_old_irql;
            const sim_site *created_at;
        } device;
        struct {
            KSPIN_LOCK word;
            KIRQL old_irql;
        } spinlock;
        struct {
            PKINTERRUPT interrupt;
            WDF_INTERRUPT_CONFIG config;
            KDPC dpc;
            KIRQL old_irql;
        } interrupt;
        struct {
            KDPC dpc;
            WDF_DPC_CONFIG config;
        } dpc;
        struct {
            WDF_IO_QUEUE_CONFIG config;
            ULONG presented;     /* handed to the driver, not yet completed */
            wdf_object *waiting; /* FIFO of requests not yet presented */
            KDPC present_dpc;    /* presents waiting requests later, serialized queues only */
            volatile LONG order; /* the framework's queue lock, as one interlocked step */
        } queue;
        struct {
            WDF_REQUEST_TYPE type;
            wdf_object *device;
            wdf_object *queue;
            wdf_object *next_waiting;
            PVOID buffer;
            size_t input_length;
            size_t output_length;
            ULONG io_control_code;
            MDL mdl;
            ULONG_PTR information;
            NTSTATUS status;
            const sim_site *completed_at; /* exchanged atomically: the first completion wins */
        } request;
        struct {
            WDF_DMA_ENABLER_CONFIG config;
            size_t maximum_fragments;
            ULONG common_buffers;
        } enabler;
        struct {
            PVOID virtual_address;
            size_t length;
            PHYSICAL_ADDRESS logical_address;
        } common_buffer;
        struct {
            wdf_object *enabler;
            size_t maximum_length;
            BOOLEAN single_transfer;
            BOOLEAN initialized;
            BOOLEAN executing;
            PFN_WDF_PROGRAM_DMA program;
            WDF_DMA_DIRECTION direction;
            wdf_object *request;
            size_t length;
            size_t transferred;
            size_t current;
            WDFCONTEXT context;
            PSCATTER_GATHER_LIST sg_list; /* room for one element */
        } transaction;
    };
};

/* A new object of the run, with the context the attributes ask for; its
 * parent is the attributes' ParentObject, else `parent`. */
wdf_object *wdf_new(wdf_kind kind, PWDF_OBJECT_ATTRIBUTES attributes, wdf_object *parent);
/* The object behind a handle, which must be of `kind`: a wrong handle is
 * a bug check on Windows (0x10D WDF_VIOLATION). */
wdf_object *wdf_of(const void *handle, wdf_kind kind);

/* ---- the device lock (wdf.c) ------------------------------------------------- */

/* Whether the framework serializes the callbacks of `object`, a queue or
 * a DPC whose device has SynchronizationScopeDevice (the object's own
 * scope inheriting it): it then calls them holding the device's lock,
 * at DISPATCH_LEVEL. Returns that device, or NULL. */
wdf_object *wdf_serializing_device(const wdf_object *object);
/* Takes the device lock as the framework does around a serialized
 * callback, raising to DISPATCH_LEVEL; returns the entry IRQL. */
KIRQL wdf_device_lock(wdf_object *device);
void wdf_device_unlock(wdf_object *device, KIRQL old);

#endif
