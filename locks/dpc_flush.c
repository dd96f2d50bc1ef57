/* dpc_flush.c owns KeFlushQueuedDpcs (docs/windows-contract.md sect. 5):
 * waiting until no DPC is queued or running on any CPU. It reads the
 * machine's DPC queues and contexts, so it is apart from the DPC object's
 * routines in dpc.c, which the native backend runs as well. */
#include "footprint.h"
#include "internal.h"
#include "lock_internal.h"

/* What KeFlushQueuedDpcs still waits for: the queued flag of the first DPC
 * still queued on any CPU, else the end word of the first DPC still
 * running on one (other than the caller); NULL when there is neither. The
 * dequeue writes the flag, and the end of the DPC's context the word. */
static const volatile int32_t *first_unflushed(void) {
    const sim_run *run = sim_R;
    sim_footprint_cpus_read();
    for (int c = 0; c < run->cpu_count; c++)
        if (run->cpus[c].dpc_count > 0)
            return run->cpus[c].dpcq[0].queued_flag;
    for (int c = 0; c < run->cpu_count; c++)
        for (int d = 0; d < run->cpus[c].depth; d++) {
            const sim_ctx *ctx = run->cpus[c].stack[d];
            if ((ctx->kind == SIM_CTX_DPC || ctx->kind == SIM_CTX_THREADED_DPC) && ctx != run->current)
                return &ctx->ended;
        }
    return NULL;
}

/* Returns once no DPC is queued or running on any CPU: Windows returns once
 * the DPCs queued at the call have run to completion, and cannot return
 * while a CPU still runs one (the flush must get each CPU to itself, which
 * a running DPC holds at DISPATCH_LEVEL). One queued during the wait is
 * waited for too. The caller sleeps on the word that changes next: the
 * queued flag of the first DPC still queued (written by its dequeue or a
 * KeRemoveQueueDpc), else the end of the first DPC still running. */
VOID spinsim_KeFlushQueuedDpcs(const sim_site *site) {
    sim_site_set(site);
    /* A wait that blocks (R12), and a PASSIVE_LEVEL-only routine. */
    sim_check_wait("KeFlushQueuedDpcs", false, site);
    sim_check_caller_irql("KeFlushQueuedDpcs", PASSIVE_LEVEL, PASSIVE_LEVEL, site);
    sim_yield_step("KeFlushQueuedDpcs");
    for (const volatile int32_t *word = first_unflushed(); word != NULL; word = first_unflushed())
        sim_spin_wait(word, NULL);
}
