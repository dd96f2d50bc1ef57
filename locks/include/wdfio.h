/* wdfio.h: KMDF I/O queues and requests, as wdf.h includes them, over
 * locks/wdf_io.c. A queue presents requests to the driver's EvtIoRead,
 * EvtIoWrite, EvtIoDeviceControl or EvtIoDefault, one at a time
 * (WdfIoQueueDispatchSequential) or as they come (Parallel); the driver
 * completes each exactly once. A harness delivers requests with
 * sim_wdf_request_later (sim_wdf.h). Reports name the KMDF routine. */
#ifndef SPINSIM_WDFIO_H
#define SPINSIM_WDFIO_H

#include "wdf.h"

typedef enum _WDF_IO_QUEUE_DISPATCH_TYPE {
    WdfIoQueueDispatchInvalid = 0,
    WdfIoQueueDispatchSequential,
    WdfIoQueueDispatchParallel,
    WdfIoQueueDispatchManual,
    WdfIoQueueDispatchMax,
} WDF_IO_QUEUE_DISPATCH_TYPE;

/* The major function codes of the IRPs behind the requests. */
typedef enum _WDF_REQUEST_TYPE {
    WdfRequestTypeCreate = 0x0,
    WdfRequestTypeCreateNamedPipe = 0x1,
    WdfRequestTypeClose = 0x2,
    WdfRequestTypeRead = 0x3,
    WdfRequestTypeWrite = 0x4,
    WdfRequestTypeQueryInformation = 0x5,
    WdfRequestTypeSetInformation = 0x6,
    WdfRequestTypeQueryEA = 0x7,
    WdfRequestTypeSetEA = 0x8,
    WdfRequestTypeFlushBuffers = 0x9,
    WdfRequestTypeQueryVolumeInformation = 0xa,
    WdfRequestTypeSetVolumeInformation = 0xb,
    WdfRequestTypeDirectoryControl = 0xc,
    WdfRequestTypeFileSystemControl = 0xd,
    WdfRequestTypeDeviceControl = 0xe,
    WdfRequestTypeDeviceControlInternal = 0xf,
    WdfRequestTypeShutdown = 0x10,
    WdfRequestTypeLockControl = 0x11,
    WdfRequestTypeCleanup = 0x12,
    WdfRequestTypeCreateMailSlot = 0x13,
    WdfRequestTypeQuerySecurity = 0x14,
    WdfRequestTypeSetSecurity = 0x15,
    WdfRequestTypePower = 0x16,
    WdfRequestTypeSystemControl = 0x17,
    WdfRequestTypeDeviceChange = 0x18,
    WdfRequestTypeQueryQuota = 0x19,
    WdfRequestTypeSetQuota = 0x1a,
    WdfRequestTypePnp = 0x1b,
    WdfRequestTypeOther = 0x1c,
    WdfRequestTypeUsb = 0x40,
    WdfRequestTypeNoFormat = 0xff,
    WdfRequestTypeMax,
} WDF_REQUEST_TYPE;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_DEFAULT) VOID
    EVT_WDF_IO_QUEUE_IO_DEFAULT(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_DEFAULT *PFN_WDF_IO_QUEUE_IO_DEFAULT;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_READ) VOID
    EVT_WDF_IO_QUEUE_IO_READ(WDFQUEUE Queue, WDFREQUEST Request, size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_READ *PFN_WDF_IO_QUEUE_IO_READ;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_WRITE) VOID
    EVT_WDF_IO_QUEUE_IO_WRITE(WDFQUEUE Queue, WDFREQUEST Request, size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_WRITE *PFN_WDF_IO_QUEUE_IO_WRITE;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL) VOID
    EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength,
                                       size_t InputBufferLength, ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL) VOID
    EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength,
                                                size_t InputBufferLength, ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_STOP) VOID
    EVT_WDF_IO_QUEUE_IO_STOP(WDFQUEUE Queue, WDFREQUEST Request, ULONG ActionFlags);
typedef EVT_WDF_IO_QUEUE_IO_STOP *PFN_WDF_IO_QUEUE_IO_STOP;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_RESUME) VOID
    EVT_WDF_IO_QUEUE_IO_RESUME(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_RESUME *PFN_WDF_IO_QUEUE_IO_RESUME;
typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE) VOID
    EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE *PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE;

/* EvtIoStop, EvtIoResume and EvtIoCanceledOnQueue are kept but never
 * called: queues never stop and requests are never cancelled. */
typedef struct _WDF_IO_QUEUE_CONFIG {
    ULONG Size;
    WDF_IO_QUEUE_DISPATCH_TYPE DispatchType;
    WDF_TRI_STATE PowerManaged;
    BOOLEAN AllowZeroLengthRequests;
    BOOLEAN DefaultQueue;
    PFN_WDF_IO_QUEUE_IO_DEFAULT EvtIoDefault;
    PFN_WDF_IO_QUEUE_IO_READ EvtIoRead;
    PFN_WDF_IO_QUEUE_IO_WRITE EvtIoWrite;
    PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL EvtIoDeviceControl;
    PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL EvtIoInternalDeviceControl;
    PFN_WDF_IO_QUEUE_IO_STOP EvtIoStop;
    PFN_WDF_IO_QUEUE_IO_RESUME EvtIoResume;
    PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE EvtIoCanceledOnQueue;
    union {
        struct {
            ULONG NumberOfPresentedRequests;
        } Parallel;
    } Settings;
    WDFDRIVER Driver;
} WDF_IO_QUEUE_CONFIG, *PWDF_IO_QUEUE_CONFIG;

FORCEINLINE VOID WDF_IO_QUEUE_CONFIG_INIT(PWDF_IO_QUEUE_CONFIG Config, WDF_IO_QUEUE_DISPATCH_TYPE DispatchType) {
    RtlZeroMemory(Config, sizeof(WDF_IO_QUEUE_CONFIG));
    Config->Size = sizeof(WDF_IO_QUEUE_CONFIG);
    Config->PowerManaged = WdfUseDefault;
    Config->DispatchType = DispatchType;
    if (DispatchType == WdfIoQueueDispatchParallel)
        Config->Settings.Parallel.NumberOfPresentedRequests = (ULONG)-1;
}

FORCEINLINE VOID WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(PWDF_IO_QUEUE_CONFIG Config,
                                                        WDF_IO_QUEUE_DISPATCH_TYPE DispatchType) {
    WDF_IO_QUEUE_CONFIG_INIT(Config, DispatchType);
    Config->DefaultQueue = TRUE;
}

/* ---- the implementation behind the macros ------------------------------- */

NTSTATUS spinsim_WdfIoQueueCreate(WDFDEVICE Device, PWDF_IO_QUEUE_CONFIG Config, PWDF_OBJECT_ATTRIBUTES QueueAttributes,
                                  WDFQUEUE *Queue, const sim_site *site);
WDFDEVICE spinsim_WdfIoQueueGetDevice(WDFQUEUE Queue, const sim_site *site);
NTSTATUS spinsim_WdfDeviceConfigureRequestDispatching(WDFDEVICE Device, WDFQUEUE Queue, WDF_REQUEST_TYPE RequestType,
                                                      const sim_site *site);
VOID spinsim_WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information, BOOLEAN WithInformation,
                                const char *routine, const sim_site *site);
VOID spinsim_WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information, const sim_site *site);
ULONG_PTR spinsim_WdfRequestGetInformation(WDFREQUEST Request, const sim_site *site);
NTSTATUS spinsim_WdfRequestGetStatus(WDFREQUEST Request, const sim_site *site);
NTSTATUS spinsim_WdfRequestRetrieveBuffer(WDFREQUEST Request, BOOLEAN Output, size_t MinimumRequiredLength,
                                          PVOID *Buffer, size_t *Length, const char *routine, const sim_site *site);
NTSTATUS spinsim_WdfRequestRetrieveWdmMdl(WDFREQUEST Request, BOOLEAN Output, PMDL *Mdl, const char *routine,
                                          const sim_site *site);
WDFQUEUE spinsim_WdfRequestGetIoQueue(WDFREQUEST Request, const sim_site *site);

/* ---- the KMDF names ----------------------------------------------------------- */

#define WdfIoQueueCreate(Device, Config, Attributes, Queue)                                                            \
    spinsim_WdfIoQueueCreate((Device), (Config), (Attributes), (Queue), SPINSIM_SITE)
#define WdfIoQueueGetDevice(Queue) spinsim_WdfIoQueueGetDevice((Queue), SPINSIM_SITE)
#define WdfDeviceConfigureRequestDispatching(Device, Queue, RequestType)                                               \
    spinsim_WdfDeviceConfigureRequestDispatching((Device), (Queue), (RequestType), SPINSIM_SITE)
#define WdfRequestComplete(Request, Status)                                                                            \
    spinsim_WdfRequestComplete((Request), (Status), 0, FALSE, "WdfRequestComplete", SPINSIM_SITE)
#define WdfRequestCompleteWithInformation(Request, Status, Information)                                                \
    spinsim_WdfRequestComplete((Request), (Status), (Information), TRUE, "WdfRequestCompleteWithInformation",          \
                               SPINSIM_SITE)
#define WdfRequestSetInformation(Request, Information)                                                                 \
    spinsim_WdfRequestSetInformation((Request), (Information), SPINSIM_SITE)
#define WdfRequestGetInformation(Request) spinsim_WdfRequestGetInformation((Request), SPINSIM_SITE)
#define WdfRequestGetStatus(Request) spinsim_WdfRequestGetStatus((Request), SPINSIM_SITE)
#define WdfRequestGetIoQueue(Request) spinsim_WdfRequestGetIoQueue((Request), SPINSIM_SITE)
#define WdfRequestRetrieveInputBuffer(Request, MinimumRequiredLength, Buffer, Length)                                  \
    spinsim_WdfRequestRetrieveBuffer((Request), FALSE, (MinimumRequiredLength), (Buffer), (Length),                    \
                                     "WdfRequestRetrieveInputBuffer", SPINSIM_SITE)
#define WdfRequestRetrieveOutputBuffer(Request, MinimumRequiredLength, Buffer, Length)                                 \
    spinsim_WdfRequestRetrieveBuffer((Request), TRUE, (MinimumRequiredLength), (Buffer), (Length),                     \
                                     "WdfRequestRetrieveOutputBuffer", SPINSIM_SITE)
#define WdfRequestRetrieveInputWdmMdl(Request, Mdl)                                                                    \
    spinsim_WdfRequestRetrieveWdmMdl((Request), FALSE, (Mdl), "WdfRequestRetrieveInputWdmMdl", SPINSIM_SITE)
#define WdfRequestRetrieveOutputWdmMdl(Request, Mdl)                                                                   \
    spinsim_WdfRequestRetrieveWdmMdl((Request), TRUE, (Mdl), "WdfRequestRetrieveOutputWdmMdl", SPINSIM_SITE)

#endif
