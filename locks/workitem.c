/* workitem.c owns I/O work items: IoAllocateWorkItem, IoFreeWorkItem,
 * IoInitializeWorkItem, IoUninitializeWorkItem, IoSizeofWorkItem,
 * IoQueueWorkItem and IoQueueWorkItemEx (docs/design.md, "The wdm.h surface
 * beyond locks").
 *
 * A queued work item runs its routine on a system worker thread at
 * PASSIVE_LEVEL: here a machine thread started for it (sim_thread_spawn),
 * named after the routine, on any CPU; the queue type only orders Windows'
 * worker pools and is ignored. A run can start SIM_THREADS_MAX threads in
 * all, so a driver that queues work items without end meets that limit.
 *
 * Queued is the item's flag: set by the queuing step, taken back by the
 * worker's first step (an exchange, which also orders what the queuer did
 * before for the worker). Queuing an item that is still queued corrupts
 * Windows' work queue: a `crash`. Items live until the run ends; freeing
 * one only checks that it is not queued. */
#include "lock_internal.h"
#include "sim.h"

enum { QUEUED_SIZE = (int)sizeof(LONG) };

struct _IO_WORKITEM {
    PVOID IoObject;
    PIO_WORKITEM_ROUTINE Routine;
    PIO_WORKITEM_ROUTINE_EX RoutineEx;
    PVOID Context;
    volatile LONG Queued;
};

PIO_WORKITEM spinsim_IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject, const sim_site *site) {
    spinsim_routine_enter("IoAllocateWorkItem", DISPATCH_LEVEL, site);
    PIO_WORKITEM item = sim_alloc(sizeof *item);
    item->IoObject = DeviceObject;
    return item;
}

VOID spinsim_IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem, const sim_site *site) {
    spinsim_routine_enter("IoInitializeWorkItem", DISPATCH_LEVEL, site);
    *IoWorkItem = (IO_WORKITEM){.IoObject = IoObject};
}

ULONG spinsim_IoSizeofWorkItem(const sim_site *site) {
    spinsim_routine_enter("IoSizeofWorkItem", HIGH_LEVEL, site);
    return sizeof(IO_WORKITEM);
}

/* IoFreeWorkItem and IoUninitializeWorkItem. */
VOID spinsim_IoFreeWorkItem(PIO_WORKITEM IoWorkItem, const char *routine, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(routine, PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    if (sim_atomic_load(&IoWorkItem->Queued, QUEUED_SIZE) != 0)
        sim_reportf(SIM_FINDING_CRASH, SIM_SEV_ERROR, IoWorkItem, NULL,
                    "%s of a work item that is still queued: its worker runs on freed memory", routine);
}

/* The worker thread's body. */
static void work_item_body(void *argument) {
    PIO_WORKITEM item = argument;
    sim_atomic_exchange(&item->Queued, 0, QUEUED_SIZE);
    if (item->RoutineEx != NULL)
        item->RoutineEx(item->IoObject, item->Context, item);
    else
        item->Routine(item->IoObject, item->Context);
}

VOID spinsim_IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                             PIO_WORKITEM_ROUTINE_EX WorkerRoutineEx, WORK_QUEUE_TYPE QueueType, PVOID Context,
                             const char *routine_name, const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql("IoQueueWorkItem", PASSIVE_LEVEL, DISPATCH_LEVEL, site);
    IoWorkItem->Routine = WorkerRoutine;
    IoWorkItem->RoutineEx = WorkerRoutineEx;
    IoWorkItem->Context = Context;
    if (sim_atomic_exchange(&IoWorkItem->Queued, 1, QUEUED_SIZE) != 0) {
        sim_reportf(SIM_FINDING_CRASH, SIM_SEV_ERROR, IoWorkItem, NULL,
                    "IoQueueWorkItem of a work item that is still queued: the work queue's list is corrupted");
        return;
    }
    sim_thread_spawn(work_item_body, IoWorkItem, routine_name);
}
