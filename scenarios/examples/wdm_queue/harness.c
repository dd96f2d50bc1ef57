/* harness.c: the polled sensor driver (queue.h) as the I/O manager and its
 * users drive it. DriverEntry runs in setup; two readers each send a read
 * and wait for it; a canceller cancels the first read as soon as it is
 * issued; a cleanup role, once both reads are issued, sends IRP_MJ_CLEANUP
 * and, once both are done, unloads the driver. Meanwhile the poll timer's
 * DPC fires (timer_expiries times) and completes whatever read it can
 * take. Each read must complete exactly once: with a sample, or cancelled.
 *
 * Built with -DEXAMPLE_BUG, the driver takes a read off its queue without
 * checking that it owns it (queue.c): the cancel routine and the poll DPC
 * then both own one IRP and both write its status before both complete it.
 * Where nothing orders the two writes, the first sign is a `data-race`;
 * where the queue lock happens to order them (a later poll DPC on the same
 * CPU took it before the cancel routine), it is the second completion
 * (`irp-misuse`). The scenario expects the sign the default strategy meets
 * first with its default seed: the second completion. */
#include "queue.h"
#include "sim_io.h"

enum { READERS = 2 };

typedef struct sensor_run {
    PDRIVER_OBJECT driver;
    PDEVICE_OBJECT device;
    PIRP reads[READERS];
    ULONG samples[READERS];
    KEVENT issued[READERS];
    KEVENT finished[READERS];
} sensor_run;

typedef struct reader {
    sensor_run *run;
    int index;
} reader;

static VOID Reader(PVOID Context) {
    const reader *self = Context;
    sensor_run *run = self->run;
    const int i = self->index;
    KEVENT done;
    PIRP irp = sim_irp(run->device, IRP_MJ_READ);

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp->UserEvent = &done;
    irp->AssociatedIrp.SystemBuffer = &run->samples[i];
    run->reads[i] = irp;
    const NTSTATUS status = IoCallDriver(run->device, irp);
    KeSetEvent(&run->issued[i], IO_NO_INCREMENT, FALSE);
    SIM_CHECK(status == STATUS_PENDING);
    KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    if (irp->IoStatus.Status == STATUS_SUCCESS)
        SIM_CHECK(irp->IoStatus.Information == sizeof(ULONG) && run->samples[i] > 0);
    else
        SIM_CHECK(irp->IoStatus.Status == STATUS_CANCELLED && irp->IoStatus.Information == 0);
    KeSetEvent(&run->finished[i], IO_NO_INCREMENT, FALSE);
}

static VOID Canceller(PVOID Context) {
    sensor_run *run = Context;
    KeWaitForSingleObject(&run->issued[0], Executive, KernelMode, FALSE, NULL);
    IoCancelIrp(run->reads[0]);
}

static VOID CleanupAndUnload(PVOID Context) {
    sensor_run *run = Context;
    PVOID issued[READERS] = {&run->issued[0], &run->issued[1]};
    PVOID finished[READERS] = {&run->finished[0], &run->finished[1]};

    KeWaitForMultipleObjects(READERS, issued, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    PIRP cleanup = sim_irp(run->device, IRP_MJ_CLEANUP);
    SIM_CHECK(IoCallDriver(run->device, cleanup) == STATUS_SUCCESS);
    /* The I/O manager unloads a driver only once its requests are done. */
    KeWaitForMultipleObjects(READERS, finished, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    run->driver->DriverUnload(run->driver);
}

SIM_SCENARIO(wdm_queue_cancel_races_poll, "example wdm_queue: reads completed by a poll DPC, a cancel and cleanup") {
    sensor_run *run = sim_alloc(sizeof *run);
    run->driver = sim_driver_object();
    SIM_CHECK(NT_SUCCESS(DriverEntry(run->driver, NULL)));
    run->device = run->driver->DeviceObject;
    sim_name(&((PQUEUE_EXTENSION)run->device->DeviceExtension)->QueueLock, "QueueLock");
    for (int i = 0; i < READERS; i++) {
        KeInitializeEvent(&run->issued[i], NotificationEvent, FALSE);
        KeInitializeEvent(&run->finished[i], NotificationEvent, FALSE);
        reader *self = sim_alloc(sizeof *self);
        *self = (reader){run, i};
        sim_thread(i, Reader, self);
    }
    sim_thread(1, Canceller, run);
    sim_thread(0, CleanupAndUnload, run);
#ifdef EXAMPLE_BUG
    sim_expect(SIM_FINDING_IRP_MISUSE);
#else
    sim_expect(SIM_FINDING_NONE);
#endif
}
