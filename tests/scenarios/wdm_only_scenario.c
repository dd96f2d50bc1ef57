/* wdm_only_scenario.c runs wdm_only_driver.c, which knows nothing of the
 * simulator: two submit threads, the configuration thread, the device's
 * interrupt (irq_fires, default 2) and its completion DPC. Every packet
 * submitted is either completed or still pending, and the outstanding
 * count agrees. */
#include "sim.h"

enum { SUBMIT_THREADS = 2, PACKETS_PER_THREAD = 2 };

NTSTATUS WdmAddDevice(PVOID *Device);
VOID WdmSubmitThread(PVOID StartContext);
VOID WdmConfigThread(PVOID StartContext);
VOID WdmQueryCounts(PVOID Device, PULONG Submitted, PULONG Completed, PULONG Pending, PLONG Outstanding);

static void check_counts(PVOID device) {
    ULONG submitted, completed, pending;
    LONG outstanding;
    WdmQueryCounts(device, &submitted, &completed, &pending, &outstanding);
    SIM_CHECK(submitted == SUBMIT_THREADS * PACKETS_PER_THREAD);
    SIM_CHECK(completed + pending == submitted);
    SIM_CHECK(outstanding == (LONG)pending);
}

SIM_SCENARIO(lk_wdm_only_driver, "locks: a driver written against wdm.h alone, every lock family, no finding") {
    sim_cpus(2);
    PVOID device = NULL;
    const NTSTATUS status = WdmAddDevice(&device);
    SIM_CHECK(NT_SUCCESS(status) && device != NULL);
    if (device == NULL)
        return;
    sim_thread(0, WdmSubmitThread, device);
    sim_thread(1, WdmSubmitThread, device);
    sim_thread(1, WdmConfigThread, device);
    sim_at_end(check_counts, device);
    sim_expect(SIM_FINDING_NONE);
}
