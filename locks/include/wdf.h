/* wdf.h: the KMDF surface, a subset of the WDK's wdf.h over the same
 * checked lock code as wdm.h (locks/wdf.c): framework objects with typed
 * contexts (WDF_DECLARE_CONTEXT_TYPE...), the driver and device objects
 * DriverEntry and EvtDriverDeviceAdd create, WDFSPINLOCK, WDFINTERRUPT (its
 * ISR, its DpcForIsr, its lock and WdfInterruptSynchronize) and WDFDPC;
 * and, one header each as in the WDK, I/O queues and requests (wdfio.h),
 * DMA (wdfdma.h) and the PnP and power side of a device (wdfdevice.h,
 * declared but not modelled). Reports name the KMDF routine (e.g.
 * WdfSpinLockAcquire) and the driver's line.
 *
 * What the subset leaves out: PnP and power transitions (a device never
 * enters D0, so EvtInterruptEnable, EvtInterruptDisable and the PnP and
 * power callbacks are not called by spinsim), passive-level interrupts,
 * and passive-level execution. Synchronization scope device is modelled:
 * the framework's device lock (WdfObjectAcquireLock) serializes the
 * device's queue callbacks and, with AutomaticSerialization, its DPCs
 * (locks/wdf.c). A harness adds a device and delivers requests through
 * sim_wdf.h. */
#ifndef SPINSIM_WDF_H
#define SPINSIM_WDF_H

#include "wdm.h"

/* ---- handles and objects ------------------------------------------------ */

typedef PVOID WDFOBJECT, *PWDFOBJECT;
typedef PVOID WDFCONTEXT;
typedef struct WDFDRIVER__ *WDFDRIVER;
typedef struct WDFDEVICE__ *WDFDEVICE;
typedef struct WDFINTERRUPT__ *WDFINTERRUPT;
typedef struct WDFSPINLOCK__ *WDFSPINLOCK;
typedef struct WDFDPC__ *WDFDPC;
typedef struct WDFQUEUE__ *WDFQUEUE;
typedef struct WDFREQUEST__ *WDFREQUEST;
typedef struct WDFDMAENABLER__ *WDFDMAENABLER;
typedef struct WDFCOMMONBUFFER__ *WDFCOMMONBUFFER;
typedef struct WDFDMATRANSACTION__ *WDFDMATRANSACTION;
typedef struct WDFCMRESLIST__ *WDFCMRESLIST;
typedef struct WDFDEVICE_INIT WDFDEVICE_INIT, *PWDFDEVICE_INIT;

#define WDF_NO_OBJECT_ATTRIBUTES NULL
#define WDF_NO_HANDLE NULL
#define WDF_NO_CONTEXT NULL

typedef enum _WDF_TRI_STATE { WdfFalse = FALSE, WdfTrue = TRUE, WdfUseDefault = 2 } WDF_TRI_STATE;

typedef enum _WDF_EXECUTION_LEVEL {
    WdfExecutionLevelInvalid = 0,
    WdfExecutionLevelInheritFromParent,
    WdfExecutionLevelPassive,
    WdfExecutionLevelDispatch,
} WDF_EXECUTION_LEVEL;

typedef enum _WDF_SYNCHRONIZATION_SCOPE {
    WdfSynchronizationScopeInvalid = 0,
    WdfSynchronizationScopeInheritFromParent,
    WdfSynchronizationScopeDevice,
    WdfSynchronizationScopeQueue,
    WdfSynchronizationScopeNone,
} WDF_SYNCHRONIZATION_SCOPE;

typedef struct _WDF_OBJECT_CONTEXT_TYPE_INFO {
    ULONG Size;
    PCHAR ContextName;
    size_t ContextSize;
    const struct _WDF_OBJECT_CONTEXT_TYPE_INFO *UniqueType;
    PVOID EvtDriverGetUniqueContextType;
} WDF_OBJECT_CONTEXT_TYPE_INFO, *PWDF_OBJECT_CONTEXT_TYPE_INFO;
typedef const WDF_OBJECT_CONTEXT_TYPE_INFO *PCWDF_OBJECT_CONTEXT_TYPE_INFO;

typedef _Function_class_(EVT_WDF_OBJECT_CONTEXT_CLEANUP) VOID EVT_WDF_OBJECT_CONTEXT_CLEANUP(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_CLEANUP *PFN_WDF_OBJECT_CONTEXT_CLEANUP;
typedef _Function_class_(EVT_WDF_OBJECT_CONTEXT_DESTROY) VOID EVT_WDF_OBJECT_CONTEXT_DESTROY(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_DESTROY *PFN_WDF_OBJECT_CONTEXT_DESTROY;

/* Cleanup and destroy callbacks are kept but never called: objects live
 * until the run ends. */
typedef struct _WDF_OBJECT_ATTRIBUTES {
    ULONG Size;
    PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback;
    PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback;
    WDF_EXECUTION_LEVEL ExecutionLevel;
    WDF_SYNCHRONIZATION_SCOPE SynchronizationScope;
    WDFOBJECT ParentObject;
    size_t ContextSizeOverride;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

FORCEINLINE VOID WDF_OBJECT_ATTRIBUTES_INIT(PWDF_OBJECT_ATTRIBUTES Attributes) {
    RtlZeroMemory(Attributes, sizeof(WDF_OBJECT_ATTRIBUTES));
    Attributes->Size = sizeof(WDF_OBJECT_ATTRIBUTES);
    Attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
    Attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
}

/* A context type's descriptor is a weak definition, like the WDK's
 * selectany one: every file that declares the type shares one copy, so
 * its address identifies the type. */
#define WDF_GET_CONTEXT_TYPE_INFO(_contexttype) (&_WDF_##_contexttype##_TYPE_INFO)
#define WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, _castingfunction)                                             \
    __attribute__((weak)) const WDF_OBJECT_CONTEXT_TYPE_INFO _WDF_##_contexttype##_TYPE_INFO = {                       \
        sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO), #_contexttype, sizeof(_contexttype), &_WDF_##_contexttype##_TYPE_INFO,   \
        NULL};                                                                                                         \
    FORCEINLINE _contexttype *_castingfunction(WDFOBJECT Handle) {                                                     \
        return (_contexttype *)spinsim_WdfObjectGetTypedContext(Handle, WDF_GET_CONTEXT_TYPE_INFO(_contexttype));      \
    }
#define WDF_DECLARE_CONTEXT_TYPE(_contexttype)                                                                         \
    WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, WdfObjectGet_##_contexttype)
#define WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype)                                              \
    ((_attributes)->ContextTypeInfo = WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType)
#define WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(_attributes, _contexttype)                                             \
    do {                                                                                                               \
        WDF_OBJECT_ATTRIBUTES_INIT(_attributes);                                                                       \
        WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype);                                             \
    } while (0)
#define WdfObjectGetTypedContext(handle, type)                                                                         \
    ((type *)spinsim_WdfObjectGetTypedContext((handle), WDF_GET_CONTEXT_TYPE_INFO(type)))

/* ---- driver and device ---------------------------------------------------- */

typedef _Function_class_(EVT_WDF_DRIVER_DEVICE_ADD) NTSTATUS
    EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD *PFN_WDF_DRIVER_DEVICE_ADD;
typedef _Function_class_(EVT_WDF_DRIVER_UNLOAD) VOID EVT_WDF_DRIVER_UNLOAD(WDFDRIVER Driver);
typedef EVT_WDF_DRIVER_UNLOAD *PFN_WDF_DRIVER_UNLOAD;

typedef struct _WDF_DRIVER_CONFIG {
    ULONG Size;
    PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
    PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
    ULONG DriverInitFlags;
    ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

FORCEINLINE VOID WDF_DRIVER_CONFIG_INIT(PWDF_DRIVER_CONFIG Config, PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd) {
    RtlZeroMemory(Config, sizeof(WDF_DRIVER_CONFIG));
    Config->Size = sizeof(WDF_DRIVER_CONFIG);
    Config->EvtDriverDeviceAdd = EvtDriverDeviceAdd;
}

/* ---- interrupts ------------------------------------------------------------- */

typedef _Function_class_(EVT_WDF_INTERRUPT_ISR) BOOLEAN EVT_WDF_INTERRUPT_ISR(WDFINTERRUPT Interrupt, ULONG MessageID);
typedef EVT_WDF_INTERRUPT_ISR *PFN_WDF_INTERRUPT_ISR;
typedef _Function_class_(EVT_WDF_INTERRUPT_DPC) VOID
    EVT_WDF_INTERRUPT_DPC(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject);
typedef EVT_WDF_INTERRUPT_DPC *PFN_WDF_INTERRUPT_DPC;
typedef _Function_class_(EVT_WDF_INTERRUPT_ENABLE) NTSTATUS
    EVT_WDF_INTERRUPT_ENABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef EVT_WDF_INTERRUPT_ENABLE *PFN_WDF_INTERRUPT_ENABLE;
typedef _Function_class_(EVT_WDF_INTERRUPT_DISABLE) NTSTATUS
    EVT_WDF_INTERRUPT_DISABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef EVT_WDF_INTERRUPT_DISABLE *PFN_WDF_INTERRUPT_DISABLE;
typedef _Function_class_(EVT_WDF_INTERRUPT_SYNCHRONIZE) BOOLEAN
    EVT_WDF_INTERRUPT_SYNCHRONIZE(WDFINTERRUPT Interrupt, WDFCONTEXT Context);
typedef EVT_WDF_INTERRUPT_SYNCHRONIZE *PFN_WDF_INTERRUPT_SYNCHRONIZE;

/* The spinsim_ names are what WDF_INTERRUPT_CONFIG_INIT saw, for reports. */
typedef struct _WDF_INTERRUPT_CONFIG {
    ULONG Size;
    WDFSPINLOCK SpinLock;
    WDF_TRI_STATE ShareVector;
    BOOLEAN FloatingSave;
    BOOLEAN AutomaticSerialization;
    PFN_WDF_INTERRUPT_ISR EvtInterruptIsr;
    PFN_WDF_INTERRUPT_DPC EvtInterruptDpc;
    PFN_WDF_INTERRUPT_ENABLE EvtInterruptEnable;
    PFN_WDF_INTERRUPT_DISABLE EvtInterruptDisable;
    BOOLEAN PassiveHandling;
    const char *spinsim_IsrName;
    const char *spinsim_DpcName;
} WDF_INTERRUPT_CONFIG, *PWDF_INTERRUPT_CONFIG;

FORCEINLINE VOID spinsim_WDF_INTERRUPT_CONFIG_INIT(PWDF_INTERRUPT_CONFIG Configuration,
                                                   PFN_WDF_INTERRUPT_ISR EvtInterruptIsr,
                                                   PFN_WDF_INTERRUPT_DPC EvtInterruptDpc, const char *IsrName,
                                                   const char *DpcName) {
    RtlZeroMemory(Configuration, sizeof(WDF_INTERRUPT_CONFIG));
    Configuration->Size = sizeof(WDF_INTERRUPT_CONFIG);
    Configuration->ShareVector = WdfUseDefault;
    Configuration->EvtInterruptIsr = EvtInterruptIsr;
    Configuration->EvtInterruptDpc = EvtInterruptDpc;
    Configuration->spinsim_IsrName = IsrName;
    Configuration->spinsim_DpcName = DpcName;
}
#define WDF_INTERRUPT_CONFIG_INIT(Configuration, EvtInterruptIsr, EvtInterruptDpc)                                     \
    spinsim_WDF_INTERRUPT_CONFIG_INIT((Configuration), (EvtInterruptIsr), (EvtInterruptDpc), #EvtInterruptIsr,         \
                                      #EvtInterruptDpc)

/* ---- DPCs ----------------------------------------------------------------- */

typedef _Function_class_(EVT_WDF_DPC) VOID EVT_WDF_DPC(WDFDPC Dpc);
typedef EVT_WDF_DPC *PFN_WDF_DPC;

typedef struct _WDF_DPC_CONFIG {
    ULONG Size;
    PFN_WDF_DPC EvtDpcFunc;
    BOOLEAN AutomaticSerialization;
    const char *spinsim_DpcName;
} WDF_DPC_CONFIG, *PWDF_DPC_CONFIG;

FORCEINLINE VOID spinsim_WDF_DPC_CONFIG_INIT(PWDF_DPC_CONFIG Config, PFN_WDF_DPC EvtDpcFunc, const char *DpcName) {
    RtlZeroMemory(Config, sizeof(WDF_DPC_CONFIG));
    Config->Size = sizeof(WDF_DPC_CONFIG);
    Config->EvtDpcFunc = EvtDpcFunc;
    Config->AutomaticSerialization = TRUE;
    Config->spinsim_DpcName = DpcName;
}
#define WDF_DPC_CONFIG_INIT(Config, EvtDpcFunc) spinsim_WDF_DPC_CONFIG_INIT((Config), (EvtDpcFunc), #EvtDpcFunc)

/* ---- the implementation behind the macros ------------------------------- */

PVOID spinsim_WdfObjectGetTypedContext(WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo);
VOID spinsim_WdfObjectAcquireLock(WDFOBJECT Object, const sim_site *site);
VOID spinsim_WdfObjectReleaseLock(WDFOBJECT Object, const sim_site *site);
NTSTATUS spinsim_WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
                                 PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig,
                                 WDFDRIVER *Driver, const sim_site *site);
WDFDRIVER spinsim_WdfGetDriver(const sim_site *site);
NTSTATUS spinsim_WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit, PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
                                 WDFDEVICE *Device, const sim_site *site);
NTSTATUS spinsim_WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock,
                                   const sim_site *site);
VOID spinsim_WdfSpinLockAcquire(WDFSPINLOCK SpinLock, const sim_site *site);
VOID spinsim_WdfSpinLockRelease(WDFSPINLOCK SpinLock, const sim_site *site);
NTSTATUS spinsim_WdfInterruptCreate(WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration,
                                    PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt, const sim_site *site);
BOOLEAN spinsim_WdfInterruptQueueDpcForIsr(WDFINTERRUPT Interrupt, const sim_site *site);
VOID spinsim_WdfInterruptAcquireLock(WDFINTERRUPT Interrupt, const sim_site *site);
VOID spinsim_WdfInterruptReleaseLock(WDFINTERRUPT Interrupt, const sim_site *site);
BOOLEAN spinsim_WdfInterruptSynchronize(WDFINTERRUPT Interrupt, PFN_WDF_INTERRUPT_SYNCHRONIZE Callback,
                                        WDFCONTEXT Context, const char *callback_name, const sim_site *site);
WDFDEVICE spinsim_WdfInterruptGetDevice(WDFINTERRUPT Interrupt, const sim_site *site);
NTSTATUS spinsim_WdfDpcCreate(PWDF_DPC_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDPC *Dpc,
                              const sim_site *site);
BOOLEAN spinsim_WdfDpcEnqueue(WDFDPC Dpc, const sim_site *site);
WDFOBJECT spinsim_WdfDpcGetParentObject(WDFDPC Dpc, const sim_site *site);

/* ---- the KMDF names ----------------------------------------------------------- */

#define WdfDriverCreate(DriverObject, RegistryPath, Attributes, Config, Driver)                                        \
    spinsim_WdfDriverCreate((DriverObject), (RegistryPath), (Attributes), (Config), (Driver), SPINSIM_SITE)
#define WdfGetDriver() spinsim_WdfGetDriver(SPINSIM_SITE)
#define WdfObjectAcquireLock(Object) spinsim_WdfObjectAcquireLock((Object), SPINSIM_SITE)
#define WdfObjectReleaseLock(Object) spinsim_WdfObjectReleaseLock((Object), SPINSIM_SITE)
#define WdfDeviceCreate(DeviceInit, Attributes, Device)                                                                \
    spinsim_WdfDeviceCreate((DeviceInit), (Attributes), (Device), SPINSIM_SITE)
#define WdfSpinLockCreate(Attributes, SpinLock) spinsim_WdfSpinLockCreate((Attributes), (SpinLock), SPINSIM_SITE)
#define WdfSpinLockAcquire(SpinLock) spinsim_WdfSpinLockAcquire((SpinLock), SPINSIM_SITE)
#define WdfSpinLockRelease(SpinLock) spinsim_WdfSpinLockRelease((SpinLock), SPINSIM_SITE)
#define WdfInterruptCreate(Device, Configuration, Attributes, Interrupt)                                               \
    spinsim_WdfInterruptCreate((Device), (Configuration), (Attributes), (Interrupt), SPINSIM_SITE)
#define WdfInterruptQueueDpcForIsr(Interrupt) spinsim_WdfInterruptQueueDpcForIsr((Interrupt), SPINSIM_SITE)
#define WdfInterruptAcquireLock(Interrupt) spinsim_WdfInterruptAcquireLock((Interrupt), SPINSIM_SITE)
#define WdfInterruptReleaseLock(Interrupt) spinsim_WdfInterruptReleaseLock((Interrupt), SPINSIM_SITE)
#define WdfInterruptSynchronize(Interrupt, Callback, Context)                                                          \
    spinsim_WdfInterruptSynchronize((Interrupt), (Callback), (Context), #Callback, SPINSIM_SITE)
#define WdfInterruptGetDevice(Interrupt) spinsim_WdfInterruptGetDevice((Interrupt), SPINSIM_SITE)
#define WdfDpcCreate(Config, Attributes, Dpc) spinsim_WdfDpcCreate((Config), (Attributes), (Dpc), SPINSIM_SITE)
#define WdfDpcEnqueue(Dpc) spinsim_WdfDpcEnqueue((Dpc), SPINSIM_SITE)
#define WdfDpcGetParentObject(Dpc) spinsim_WdfDpcGetParentObject((Dpc), SPINSIM_SITE)

/* ---- the rest of the surface, one header each as in the WDK ------------- */

#include "wdf_control.h" /* control devices, the Parameters key (not modelled) */
#include "wdfdevice.h"
#include "wdfdma.h"
#include "wdfio.h"

#endif
