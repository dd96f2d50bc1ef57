/* wdf.c owns the KMDF subset of wdf.h: framework objects and their typed
 * contexts, the driver and device objects, WDFSPINLOCK, WDFINTERRUPT and
 * WDFDPC, and sim_wdf_device_add for harnesses (sim_wdf.h).
 *
 * Every lock goes through the code the WDM routines use, under the KMDF
 * routine's name: a WDFSPINLOCK is a KSPIN_LOCK taken by spinlock.c's
 * raising acquire (the framework keeps the Old IRQL in the object, as
 * KMDF does, so WdfSpinLockRelease needs none); a WDFINTERRUPT is a
 * KINTERRUPT of interrupt.c (its ISR context runs EvtInterruptIsr at the
 * interrupt's SynchronizeIrql holding its lock, WdfInterruptAcquireLock
 * and WdfInterruptSynchronize take that lock, and the framework keeps the
 * Old IRQL in the object), with a KDPC of dpc.c for
 * WdfInterruptQueueDpcForIsr; a WDFDPC is a KDPC.
 *
 * What must stay true: a handle is the address of a wdf_object of the run
 * whose kind matches the handle's type; objects live until the run ends.
 * A WDFINTERRUPT connects in WdfInterruptCreate, so it must be created
 * during setup (EvtDriverDeviceAdd called through sim_wdf_device_add), as
 * the machine takes interrupt sources only then. Its line is at
 * WDF_INTERRUPT_DIRQL, SynchronizeIrql the same, and it may fire up to
 * sim_param("irq_fires", 2) times, as an IoConnectInterrupt'ed one. */
#include <stdio.h>

#include "lock_internal.h"
#include "sim.h"
#include "sim_wdf.h"
#include "wdf_internal.h"

enum { WDF_INTERRUPT_DIRQL = 5, WDF_NAME_MAX = 64 };

/* What sim_wdf_device_add hands EvtDriverDeviceAdd; WdfDeviceCreate
 * records the device there. */
struct WDFDEVICE_INIT {
    WDFDEVICE device;
};

wdf_object *wdf_new(wdf_kind kind, PWDF_OBJECT_ATTRIBUTES attributes, wdf_object *parent) {
    wdf_object *object = sim_alloc(sizeof *object);
    object->kind = kind;
    object->parent = parent;
    object->scope = WdfSynchronizationScopeInheritFromParent;
    if (attributes != NULL) {
        object->scope = attributes->SynchronizationScope;
        if (attributes->ParentObject != NULL)
            object->parent = attributes->ParentObject;
        if (attributes->ContextTypeInfo != NULL) {
            const size_t size = attributes->ContextSizeOverride > attributes->ContextTypeInfo->ContextSize
                                    ? attributes->ContextSizeOverride
                                    : attributes->ContextTypeInfo->ContextSize;
            object->context_type = attributes->ContextTypeInfo->UniqueType;
            object->context = sim_alloc(size);
        }
    }
    return object;
}

wdf_object *wdf_of(const void *handle, wdf_kind kind) {
    wdf_object *object = (wdf_object *)(uintptr_t)handle;
    if (object == NULL || object->kind != kind)
        locks_bug_check(0x10D /* WDF_VIOLATION */, 0, 0, 0, 0);
    return object;
}

/* "file.c:line" of a site, without the folder, in a static buffer: how
 * the framework's locks are named after their creation site. */
static const char *site_name(const sim_site *site) {
    static char name[WDF_NAME_MAX];
    const char *file = strrchr(site->file, '/');
    snprintf(name, sizeof name, "%s:%d", file != NULL ? file + 1 : site->file, site->line);
    return name;
}

/* A plain lookup, as in KMDF: no step. NULL when the object has no
 * context of that type. */
PVOID spinsim_WdfObjectGetTypedContext(WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo) {
    const wdf_object *object = Handle;
    return object != NULL && object->context_type == TypeInfo->UniqueType ? object->context : NULL;
}

/* ---- driver and device ---------------------------------------------------- */

static struct { wdf_object *driver; } framework;

static wdf_object *framework_driver(void) {
    if (locks_first_use_in_run(&framework, "KMDF framework"))
        framework.driver = NULL;
    return framework.driver;
}

NTSTATUS spinsim_WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
                                 PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig,
                                 WDFDRIVER *Driver, const sim_site *site) {
    spinsim_routine_enter("WdfDriverCreate", PASSIVE_LEVEL, site);
    if (framework_driver() != NULL)
        return STATUS_INVALID_DEVICE_STATE;
    wdf_object *driver = wdf_new(WDF_DRIVER, DriverAttributes, NULL);
    driver->driver = *DriverConfig;
    framework.driver = driver;
    if (Driver != NULL)
        *Driver = (WDFDRIVER)driver;
    return STATUS_SUCCESS;
}

WDFDRIVER spinsim_WdfGetDriver(const sim_site *site) {
    spinsim_routine_enter("WdfGetDriver", HIGH_LEVEL, site);
    return (WDFDRIVER)framework_driver();
}

NTSTATUS spinsim_WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit, PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
                                 WDFDEVICE *Device, const sim_site *site) {
    spinsim_routine_enter("WdfDeviceCreate", PASSIVE_LEVEL, site);
    wdf_object *device = wdf_new(WDF_DEVICE, DeviceAttributes, framework_driver());
    device->device.created_at = site;
    char name[WDF_NAME_MAX];
    snprintf(name, sizeof name, "WDFDEVICE lock@%s", site_name(site));
    sim_name(&device->device.lock, name);
    (*DeviceInit)->device = (WDFDEVICE)device;
    /* The framework owns the init structure from here on. */
    *DeviceInit = NULL;
    *Device = (WDFDEVICE)device;
    return STATUS_SUCCESS;
}

WDFDEVICE sim_wdf_device_add(WDFDRIVER Driver) {
    const wdf_object *driver = wdf_of(Driver, WDF_DRIVER);
    WDFDEVICE_INIT *init = sim_alloc(sizeof *init);
    PWDFDEVICE_INIT handed = init;
    const NTSTATUS status = driver->driver.EvtDriverDeviceAdd(Driver, handed);
    return NT_SUCCESS(status) ? init->device : NULL;
}

/* ---- the device lock ------------------------------------------------------------ */

/* Reports name the framework's implicit acquires after this routine, at
 * the device's WdfDeviceCreate line. */
static const char DEVICE_LOCK_ROUTINE[] = "SynchronizationScopeDevice";

static bool device_scope_is_device(const wdf_object *device) {
    if (device->scope != WdfSynchronizationScopeInheritFromParent)
        return device->scope == WdfSynchronizationScopeDevice;
    return device->parent != NULL && device->parent->scope == WdfSynchronizationScopeDevice;
}

wdf_object *wdf_serializing_device(const wdf_object *object) {
    if (object->scope != WdfSynchronizationScopeInheritFromParent && object->scope != WdfSynchronizationScopeDevice)
        return NULL;
    wdf_object *device = object->parent;
    while (device != NULL && device->kind != WDF_DEVICE)
        device = device->parent;
    return device != NULL && device_scope_is_device(device) ? device : NULL;
}

KIRQL wdf_device_lock(wdf_object *device) {
    return locks_spin_acquire_raising(&device->device.lock, DEVICE_LOCK_ROUTINE, SIM_LOCK_SPIN, NULL,
                                      device->device.created_at);
}

void wdf_device_unlock(wdf_object *device, KIRQL old) {
    locks_spin_release_as(&device->device.lock, DEVICE_LOCK_ROUTINE, SIM_LOCK_SPIN, old, old,
                          device->device.created_at);
}

/* The device a WdfObjectAcquireLock names: a device, or a queue's (one
 * framework lock per device in this model). */
static wdf_object *object_lock_device(WDFOBJECT Object) {
    wdf_object *object = Object;
    if (object != NULL && object->kind == WDF_QUEUE)
        return object->parent;
    return wdf_of(Object, WDF_DEVICE);
}

VOID spinsim_WdfObjectAcquireLock(WDFOBJECT Object, const sim_site *site) {
    sim_site_set(site);
    wdf_object *device = object_lock_device(Object);
    locks_spin_acquire_raising(&device->device.lock, "WdfObjectAcquireLock", SIM_LOCK_SPIN,
                               &device->device.lock_old_irql, site);
}

VOID spinsim_WdfObjectReleaseLock(WDFOBJECT Object, const sim_site *site) {
    sim_site_set(site);
    wdf_object *device = object_lock_device(Object);
    const KIRQL old = device->device.lock_old_irql;
    locks_spin_release_as(&device->device.lock, "WdfObjectReleaseLock", SIM_LOCK_SPIN, old, old, site);
}

/* ---- WDFSPINLOCK ---------------------------------------------------------- */

/* Reports name the lock after its creation site (its word is the
 * framework's: a harness cannot name it). */
NTSTATUS spinsim_WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock,
                                   const sim_site *site) {
    spinsim_routine_enter("WdfSpinLockCreate", DISPATCH_LEVEL, site);
    wdf_object *lock = wdf_new(WDF_SPINLOCK, SpinLockAttributes, NULL);
    char name[WDF_NAME_MAX];
    snprintf(name, sizeof name, "WDFSPINLOCK@%s", site_name(site));
    sim_name(&lock->spinlock.word, name);
    *SpinLock = (WDFSPINLOCK)lock;
    return STATUS_SUCCESS;
}

VOID spinsim_WdfSpinLockAcquire(WDFSPINLOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    wdf_object *lock = wdf_of(SpinLock, WDF_SPINLOCK);
    locks_spin_acquire_raising(&lock->spinlock.word, "WdfSpinLockAcquire", SIM_LOCK_SPIN, &lock->spinlock.old_irql,
                               site);
}

VOID spinsim_WdfSpinLockRelease(WDFSPINLOCK SpinLock, const sim_site *site) {
    sim_site_set(site);
    wdf_object *lock = wdf_of(SpinLock, WDF_SPINLOCK);
    const KIRQL old = lock->spinlock.old_irql;
    locks_spin_release_as(&lock->spinlock.word, "WdfSpinLockRelease", SIM_LOCK_SPIN, old, old, site);
}

/* ---- WDFINTERRUPT --------------------------------------------------------- */

/* The KINTERRUPT's service routine: the driver's EvtInterruptIsr. */
static BOOLEAN wdf_isr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    const wdf_object *interrupt = ServiceContext;
    return interrupt->interrupt.config.EvtInterruptIsr((WDFINTERRUPT)ServiceContext, 0);
}

/* The DpcForIsr's routine: the driver's EvtInterruptDpc. */
static VOID wdf_interrupt_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    const wdf_object *interrupt = DeferredContext;
    wdf_object *device = interrupt->interrupt.config.AutomaticSerialization ? wdf_serializing_device(interrupt) : NULL;
    const KIRQL old = device != NULL ? wdf_device_lock(device) : DISPATCH_LEVEL;
    interrupt->interrupt.config.EvtInterruptDpc((WDFINTERRUPT)DeferredContext, interrupt->parent);
    if (device != NULL)
        wdf_device_unlock(device, old);
}

NTSTATUS spinsim_WdfInterruptCreate(WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration,
                                    PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt, const sim_site *site) {
    spinsim_routine_enter("WdfInterruptCreate", PASSIVE_LEVEL, site);
    if (Configuration->PassiveHandling || Configuration->EvtInterruptIsr == NULL)
        return STATUS_NOT_SUPPORTED;
    wdf_object *interrupt = wdf_new(WDF_INTERRUPT, Attributes, wdf_of(Device, WDF_DEVICE));
    interrupt->interrupt.config = *Configuration;
    const char *isr_name = Configuration->spinsim_IsrName != NULL ? Configuration->spinsim_IsrName : "EvtInterruptIsr";
    const char *dpc_name = Configuration->spinsim_DpcName != NULL ? Configuration->spinsim_DpcName : "EvtInterruptDpc";
    if (Configuration->EvtInterruptDpc != NULL)
        spinsim_KeInitializeDpc(&interrupt->interrupt.dpc, wdf_interrupt_dpc, interrupt, dpc_name, site);
    PKSPIN_LOCK lock =
        Configuration->SpinLock != NULL ? &wdf_of(Configuration->SpinLock, WDF_SPINLOCK)->spinlock.word : NULL;
    interrupt->interrupt.interrupt = locks_interrupt_create(
        wdf_isr, interrupt, lock, WDF_INTERRUPT_DIRQL, WDF_INTERRUPT_DIRQL, (int)sim_param("irq_fires", 2), isr_name);
    if (interrupt->interrupt.interrupt == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Interrupt = (WDFINTERRUPT)interrupt;
    return STATUS_SUCCESS;
}

/* Any IRQL: the ISR calls it at DIRQL. FALSE when the DPC is queued already. */
BOOLEAN spinsim_WdfInterruptQueueDpcForIsr(WDFINTERRUPT Interrupt, const sim_site *site) {
    sim_site_set(site);
    return locks_dpc_insert(&wdf_of(Interrupt, WDF_INTERRUPT)->interrupt.dpc, NULL, NULL);
}

VOID spinsim_WdfInterruptAcquireLock(WDFINTERRUPT Interrupt, const sim_site *site) {
    sim_site_set(site);
    wdf_object *interrupt = wdf_of(Interrupt, WDF_INTERRUPT);
    const KIRQL old =
        locks_interrupt_lock(interrupt->interrupt.interrupt, "WdfInterruptAcquireLock", DISPATCH_LEVEL, site);
    interrupt->interrupt.old_irql = old;
}

VOID spinsim_WdfInterruptReleaseLock(WDFINTERRUPT Interrupt, const sim_site *site) {
    sim_site_set(site);
    wdf_object *interrupt = wdf_of(Interrupt, WDF_INTERRUPT);
    locks_interrupt_unlock(interrupt->interrupt.interrupt, interrupt->interrupt.old_irql, "WdfInterruptReleaseLock",
                           site);
}

/* What WdfInterruptSynchronize's callback gets, through the KSYNCHRONIZE_ROUTINE. */
typedef struct synchronize_call {
    PFN_WDF_INTERRUPT_SYNCHRONIZE callback;
    WDFINTERRUPT interrupt;
    WDFCONTEXT context;
} synchronize_call;

static BOOLEAN wdf_synchronize(PVOID SynchronizeContext) {
    const synchronize_call *call = SynchronizeContext;
    return call->callback(call->interrupt, call->context);
}

BOOLEAN spinsim_WdfInterruptSynchronize(WDFINTERRUPT Interrupt, PFN_WDF_INTERRUPT_SYNCHRONIZE Callback,
                                        WDFCONTEXT Context, const char *callback_name, const sim_site *site) {
    sim_site_set(site);
    wdf_object *interrupt = wdf_of(Interrupt, WDF_INTERRUPT);
    synchronize_call call = {Callback, Interrupt, Context};
    return locks_interrupt_synchronize(interrupt->interrupt.interrupt, "WdfInterruptSynchronize", DISPATCH_LEVEL,
                                       wdf_synchronize, &call, callback_name, site);
}

WDFDEVICE spinsim_WdfInterruptGetDevice(WDFINTERRUPT Interrupt, const sim_site *site) {
    spinsim_routine_enter("WdfInterruptGetDevice", HIGH_LEVEL, site);
    return (WDFDEVICE)wdf_of(Interrupt, WDF_INTERRUPT)->parent;
}

/* ---- WDFDPC --------------------------------------------------------------- */

static VOID wdf_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    const wdf_object *dpc = DeferredContext;
    wdf_object *device = dpc->dpc.config.AutomaticSerialization ? wdf_serializing_device(dpc) : NULL;
    const KIRQL old = device != NULL ? wdf_device_lock(device) : DISPATCH_LEVEL;
    dpc->dpc.config.EvtDpcFunc((WDFDPC)DeferredContext);
    if (device != NULL)
        wdf_device_unlock(device, old);
}

/* The attributes must name the parent (a device), as KMDF requires. */
NTSTATUS spinsim_WdfDpcCreate(PWDF_DPC_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDPC *Dpc,
                              const sim_site *site) {
    spinsim_routine_enter("WdfDpcCreate", DISPATCH_LEVEL, site);
    if (Attributes == NULL || Attributes->ParentObject == NULL)
        return STATUS_INVALID_PARAMETER;
    wdf_object *dpc = wdf_new(WDF_DPC, Attributes, NULL);
    dpc->dpc.config = *Config;
    spinsim_KeInitializeDpc(&dpc->dpc.dpc, wdf_dpc, dpc,
                            Config->spinsim_DpcName != NULL ? Config->spinsim_DpcName : "EvtDpcFunc", site);
    *Dpc = (WDFDPC)dpc;
    return STATUS_SUCCESS;
}

BOOLEAN spinsim_WdfDpcEnqueue(WDFDPC Dpc, const sim_site *site) {
    sim_site_set(site);
    return locks_dpc_insert(&wdf_of(Dpc, WDF_DPC)->dpc.dpc, NULL, NULL);
}

WDFOBJECT spinsim_WdfDpcGetParentObject(WDFDPC Dpc, const sim_site *site) {
    spinsim_routine_enter("WdfDpcGetParentObject", HIGH_LEVEL, site);
    return wdf_of(Dpc, WDF_DPC)->parent;
}
