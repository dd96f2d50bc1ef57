/* irp.c owns the lock-bearing part of the I/O model: the cancel spin lock
 * (IoAcquireCancelSpinLock, IoReleaseCancelSpinLock), IRP cancellation
 * (IoSetCancelRoutine, IoCancelIrp), IoMarkIrpPending, IoCompleteRequest,
 * IoCallDriver, IoAllocateIrp/IoFreeIrp and IoCreateDevice/IoDeleteDevice
 * (docs/design.md, "The wdm.h surface beyond locks"; docs/windows-contract.md
 * sect. 4 and 6).
 *
 * The cancel spin lock is one global KSPIN_LOCK, taken through spinlock.c
 * like any other, so every checker sees it ("IoCancelSpinLock"); it starts
 * free in every run (run_state.c). IoCancelIrp does what the I/O manager
 * does: take the cancel lock, set Irp->Cancel, exchange the cancel routine
 * out and, if there was one, store the lock's Old in Irp->CancelIrql and
 * call the routine with the lock held; the routine must release it with
 * IoReleaseCancelSpinLock(Irp->CancelIrql). One that returns holding it is
 * a `lock-leak` at its last call.
 *
 * IoCompleteRequest judges the IRP (`irp-misuse`): completing it with a
 * cancel routine still set (0x48 CANCEL_STATE_IN_COMPLETED_IRP), completing
 * it twice (0x44 MULTIPLE_IRP_COMPLETE_REQUESTS) or after IoFreeIrp. Each
 * of these is decided by one atomic step on the IRP (the cancel routine
 * word, spinsim_CompletedAt, spinsim_FreedAt), so two CPUs racing to
 * complete always see each other. Completion then walks the stack upward
 * as the I/O manager does: it propagates PendingReturned, calls each
 * completion routine whose Invoke flags match (STATUS_MORE_PROCESSING_REQUIRED
 * stops the walk and hands the IRP back: it may be completed again), and at
 * the top copies IoStatus to UserIosb and signals UserEvent, which is how a
 * harness waits for a pending IRP.
 *
 * IoCallDriver passes the IRP to the driver's dispatch routine for the next
 * stack location; a dispatch routine that returns STATUS_PENDING without
 * having called IoMarkIrpPending is an `irp-misuse` (DDI rule
 * MarkingQueuedIrps). Devices have no names: spinsim has no object
 * namespace and no security model, so IoCreateDevice ignores DeviceName,
 * IoCreateDeviceSecure (wdmsec.h) also its SDDL string and class GUID, and
 * IoCreateSymbolicLink and IoDeleteSymbolicLink only check the caller's
 * IRQL and take their step. */
#include "lock_internal.h"
#include "sim.h"
#include "wdmsec.h"

enum {
    IO_TYPE_DEVICE = 3,
    IO_TYPE_IRP = 6,
    CANCEL_FLAG_SIZE = (int)sizeof(BOOLEAN),
    POINTER_SIZE = (int)sizeof(PVOID)
};

static KSPIN_LOCK cancel_lock;

static PKSPIN_LOCK cancel_spin_lock(void) {
    /* A plain write: no context has touched the lock yet in this run. */
    if (locks_first_use_in_run(&cancel_lock, "IoCancelSpinLock"))
        cancel_lock = 0;
    return &cancel_lock;
}

VOID spinsim_IoAcquireCancelSpinLock(PKIRQL Irql, const sim_site *site) {
    sim_site_set(site);
    locks_spin_acquire_raising(cancel_spin_lock(), "IoAcquireCancelSpinLock", SIM_LOCK_SPIN, Irql, site);
}

VOID spinsim_IoReleaseCancelSpinLock(KIRQL Irql, const sim_site *site) {
    sim_site_set(site);
    locks_spin_release_as(cancel_spin_lock(), "IoReleaseCancelSpinLock", SIM_LOCK_SPIN, Irql, Irql, site);
}

/* The routine's name and site are written before the exchange that
 * publishes the routine, so whoever exchanges it out sees them. */
PDRIVER_CANCEL spinsim_IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine, const char *routine_name,
                                          const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoSetCancelRoutine", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    if (CancelRoutine != NULL) {
        Irp->spinsim_CancelName = routine_name;
        Irp->spinsim_CancelSite = site;
    }
    return (PDRIVER_CANCEL)(uintptr_t)sim_atomic_exchange((volatile void *)&Irp->CancelRoutine,
                                                          (uintptr_t)CancelRoutine, POINTER_SIZE);
}

VOID spinsim_IoMarkIrpPending(PIRP Irp, const sim_site *site) {
    spinsim_routine_enter("IoMarkIrpPending", HIGH_LEVEL, site);
    /* Its stack location exists only once IoCallDriver gave it a driver:
     * before, the mark would land past the IRP's stack. */
    if (Irp->CurrentLocation > Irp->StackCount) {
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, NULL,
                    "IoMarkIrpPending on an IRP no driver has received yet: it has no current stack location "
                    "(send it with IoCallDriver first)");
        return;
    }
    IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
}

BOOLEAN spinsim_IoCancelIrp(PIRP Irp, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoCancelIrp", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    PKSPIN_LOCK lock = cancel_spin_lock();
    const KIRQL old = locks_spin_acquire_raising(lock, "IoCancelIrp", SIM_LOCK_SPIN, NULL, site);
    sim_atomic_store(&Irp->Cancel, TRUE, CANCEL_FLAG_SIZE);
    PDRIVER_CANCEL routine = spinsim_IoSetCancelRoutine(Irp, NULL, "NULL", site);
    if (routine == NULL) {
        locks_spin_release_as(lock, "IoCancelIrp", SIM_LOCK_SPIN, old, old, site);
        return FALSE;
    }
    Irp->CancelIrql = old;
    /* The device of the driver that holds the IRP; none before IoCallDriver. */
    routine(Irp->CurrentLocation <= Irp->StackCount ? IoGetCurrentIrpStackLocation(Irp)->DeviceObject : NULL, Irp);
    /* Reported at the routine's last call (the current site). */
    if (sim_lock_owner(lock) == sim_ctx_current_id())
        sim_reportf(SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, lock, site,
                    "cancel routine %s returned holding the cancel spin lock; it must release it with "
                    "IoReleaseCancelSpinLock(Irp->CancelIrql) (DDI SpinLock C4/0x40009)",
                    Irp->spinsim_CancelName);
    return TRUE;
}

static const char *site_file(const sim_site *site) { return site != NULL ? site->file : "?"; }
static int site_line(const sim_site *site) { return site != NULL ? site->line : 0; }

/* False, after a finding, when the IRP cannot be completed. */
static bool completion_allowed(PIRP Irp, const sim_site *site) {
    if (sim_atomic_load((volatile void *)&Irp->CancelRoutine, POINTER_SIZE) != 0) {
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, Irp->spinsim_CancelSite,
                    "IoCompleteRequest with cancel routine %s still set (at %s:%d): the I/O manager may call it on a "
                    "completed IRP (0x48 CANCEL_STATE_IN_COMPLETED_IRP)",
                    Irp->spinsim_CancelName, site_file(Irp->spinsim_CancelSite), site_line(Irp->spinsim_CancelSite));
        return false;
    }
    const sim_site *freed =
        (const sim_site *)(uintptr_t)sim_atomic_load((volatile void *)&Irp->spinsim_FreedAt, POINTER_SIZE);
    if (freed != NULL) {
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, freed,
                    "IoCompleteRequest of an IRP freed by IoFreeIrp at %s:%d", site_file(freed), site_line(freed));
        return false;
    }
    const sim_site *earlier = (const sim_site *)(uintptr_t)sim_atomic_exchange(
        (volatile void *)&Irp->spinsim_CompletedAt, (uintptr_t)site, POINTER_SIZE);
    if (earlier != NULL) {
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, earlier,
                    "IoCompleteRequest of an IRP already completed at %s:%d (0x44 MULTIPLE_IRP_COMPLETE_REQUESTS)",
                    site_file(earlier), site_line(earlier));
        return false;
    }
    return true;
}

static bool completion_wanted(const IO_STACK_LOCATION *location, const IRP *irp) {
    if (location->CompletionRoutine == NULL)
        return false;
    if (irp->Cancel && (location->Control & SL_INVOKE_ON_CANCEL))
        return true;
    return (location->Control & (NT_SUCCESS(irp->IoStatus.Status) ? SL_INVOKE_ON_SUCCESS : SL_INVOKE_ON_ERROR)) != 0;
}

VOID spinsim_IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoCompleteRequest", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    if (!completion_allowed(Irp, site))
        return;
    while (Irp->CurrentLocation <= Irp->StackCount) {
        const IO_STACK_LOCATION *location = IoGetCurrentIrpStackLocation(Irp);
        Irp->PendingReturned = (location->Control & SL_PENDING_RETURNED) != 0;
        const bool call = completion_wanted(location, Irp);
        const PIO_COMPLETION_ROUTINE routine = location->CompletionRoutine;
        PVOID context = location->Context;
        /* Up to the driver that set the routine. */
        IoSkipCurrentIrpStackLocation(Irp);
        const bool top = Irp->CurrentLocation > Irp->StackCount;
        if (call) {
            PDEVICE_OBJECT device = top ? NULL : IoGetCurrentIrpStackLocation(Irp)->DeviceObject;
            if (routine(device, Irp, context) == STATUS_MORE_PROCESSING_REQUIRED) {
                /* Handed back: its owner completes it again. */
                sim_atomic_store((volatile void *)&Irp->spinsim_CompletedAt, 0, POINTER_SIZE);
                return;
            }
        } else if (Irp->PendingReturned && !top) {
            /* As IoMarkIrpPending on behalf of the driver above. */
            IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
        }
    }
    if (Irp->UserIosb != NULL)
        *Irp->UserIosb = Irp->IoStatus;
    if (Irp->UserEvent != NULL)
        spinsim_KeSetEvent(Irp->UserEvent, PriorityBoost, FALSE, site);
}

NTSTATUS spinsim_IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp, const sim_site *site) {
    spinsim_routine_enter("IoCallDriver", DISPATCH_LEVEL, site);
    if (Irp->CurrentLocation <= 1)
        locks_bug_check(0x35 /* NO_MORE_IRP_STACK_LOCATIONS */, 0, 0, 0, 0);
    IoSetNextIrpStackLocation(Irp);
    PIO_STACK_LOCATION location = IoGetCurrentIrpStackLocation(Irp);
    location->DeviceObject = DeviceObject;
    PDRIVER_DISPATCH dispatch = DeviceObject->DriverObject->MajorFunction[location->MajorFunction];
    const NTSTATUS status = dispatch(DeviceObject, Irp);
    sim_site_set(site);
    /* The location is the IRP's memory still, whoever completed it since. */
    if (status == STATUS_PENDING && !(location->Control & SL_PENDING_RETURNED))
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, NULL,
                    "the dispatch routine for IRP_MJ 0x%02x returned STATUS_PENDING without calling IoMarkIrpPending "
                    "(DDI rule MarkingQueuedIrps)",
                    location->MajorFunction);
    return status;
}

PIRP spinsim_IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota, const sim_site *site) {
    spinsim_routine_enter("IoAllocateIrp", DISPATCH_LEVEL, site);
    const size_t size = sizeof(IRP) + (size_t)StackSize * sizeof(IO_STACK_LOCATION);
    PIRP irp = sim_alloc(size);
    PIO_STACK_LOCATION stack = (PIO_STACK_LOCATION)(irp + 1);
    irp->Type = IO_TYPE_IRP;
    irp->Size = (USHORT)size;
    irp->StackCount = StackSize;
    irp->CurrentLocation = (CHAR)(StackSize + 1);
    irp->Tail.Overlay.CurrentStackLocation = stack + StackSize;
    return irp;
}

VOID spinsim_IoFreeIrp(PIRP Irp, const sim_site *site) {
    spinsim_routine_enter("IoFreeIrp", DISPATCH_LEVEL, site);
    const sim_site *earlier = (const sim_site *)(uintptr_t)sim_atomic_exchange((volatile void *)&Irp->spinsim_FreedAt,
                                                                               (uintptr_t)site, POINTER_SIZE);
    if (earlier != NULL)
        sim_reportf(SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, NULL, earlier, "IoFreeIrp of an IRP already freed at %s:%d",
                    site_file(earlier), site_line(earlier));
}

static NTSTATUS create_device(const char *routine, PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                              ULONG DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                              PDEVICE_OBJECT *DeviceObject, const sim_site *site) {
    spinsim_routine_enter(routine, PASSIVE_LEVEL, site);
    PDEVICE_OBJECT device = sim_alloc(sizeof *device + DeviceExtensionSize);
    device->Type = IO_TYPE_DEVICE;
    device->Size = (USHORT)(sizeof *device + DeviceExtensionSize);
    device->ReferenceCount = 1;
    device->DriverObject = DriverObject;
    device->DeviceExtension = DeviceExtensionSize > 0 ? device + 1 : NULL;
    device->DeviceType = DeviceType;
    device->Characteristics = DeviceCharacteristics;
    device->Flags = DO_DEVICE_INITIALIZING | (Exclusive ? DO_EXCLUSIVE : 0);
    device->StackSize = 1;
    device->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = device;
    *DeviceObject = device;
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                                ULONG DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                                PDEVICE_OBJECT *DeviceObject, const sim_site *site) {
    return create_device("IoCreateDevice", DriverObject, DeviceExtensionSize, DeviceType, DeviceCharacteristics,
                         Exclusive, DeviceObject, site);
}

const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY = RTL_CONSTANT_STRING(L"D:P");
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL = RTL_CONSTANT_STRING(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");

NTSTATUS spinsim_IoCreateDeviceSecure(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                                      PUNICODE_STRING DeviceName, ULONG DeviceType, ULONG DeviceCharacteristics,
                                      BOOLEAN Exclusive, PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid,
                                      PDEVICE_OBJECT *DeviceObject, const sim_site *site) {
    return create_device("IoCreateDeviceSecure", DriverObject, DeviceExtensionSize, DeviceType, DeviceCharacteristics,
                         Exclusive, DeviceObject, site);
}

NTSTATUS spinsim_IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName, const char *routine,
                                      const sim_site *site) {
    spinsim_routine_enter(routine, PASSIVE_LEVEL, site);
    return STATUS_SUCCESS;
}

VOID spinsim_IoDeleteDevice(PDEVICE_OBJECT DeviceObject, const sim_site *site) {
    spinsim_routine_enter("IoDeleteDevice", PASSIVE_LEVEL, site);
    PDEVICE_OBJECT *link = &DeviceObject->DriverObject->DeviceObject;
    while (*link != NULL && *link != DeviceObject)
        link = &(*link)->NextDevice;
    if (*link != NULL)
        *link = DeviceObject->NextDevice;
}
