/* harness.c: the KMDF sampling driver (device.h) as the framework and an
 * application drive it. DriverEntry and EvtDriverDeviceAdd run in setup,
 * which connects the device's interrupt; it fires up to irq_fires times
 * (default 2), on either CPU, at any step. Two reader threads each read the
 * ring twice and check the interrupt count. At the end every sample the
 * hardware produced is delivered, still in the ring, or counted dropped,
 * in order.
 *
 * Built with -DEXAMPLE_BUG, the ISR takes the ring's WDFSPINLOCK at DIRQL
 * (isrdpc.c), and the scenario expects that `irql-violation`. */
#include "device.h"
#include "sim_wdf.h"

enum { READS_PER_THREAD = 2 };

static VOID Reader(PVOID Context) {
    WDFDEVICE device = Context;
    ULONG samples[ADC_RING_SIZE];

    for (int i = 0; i < READS_PER_THREAD; i++) {
        const ULONG taken = AdcReadSamples(device, samples, ADC_RING_SIZE);
        for (ULONG s = 1; s < taken; s++)
            SIM_CHECK(samples[s] == samples[s - 1] + 1);
        SIM_CHECK(AdcInterruptCount(device) <= 2);
    }
}

static VOID EverySampleAccountedFor(PVOID Context) {
    const ADC_DEVICE_CONTEXT *ctx = Context;
    SIM_CHECK(ctx->Latched == 0);
    SIM_CHECK(ctx->Interrupts == ctx->HwSequence);
    SIM_CHECK(ctx->Delivered + (ctx->Head - ctx->Tail) + ctx->Dropped == ctx->HwSequence);
}

SIM_SCENARIO(kmdf_isr_dpc_sampling, "example kmdf_isr_dpc: an ISR latches samples, its DPC files them, readers read") {
    SIM_CHECK(NT_SUCCESS(DriverEntry(sim_driver_object(), NULL)));
    WDFDEVICE device = sim_wdf_device_add(WdfGetDriver());
    SIM_CHECK(device != NULL);
    if (device == NULL)
        return;
    sim_thread(0, Reader, device);
    sim_thread(1, Reader, device);
    sim_at_end(EverySampleAccountedFor, AdcGetContext(device));
#ifdef EXAMPLE_BUG
    sim_expect(SIM_FINDING_IRQL_VIOLATION);
#else
    sim_expect(SIM_FINDING_NONE);
#endif
}
