/* irql.c owns the IRQL routines and the processor queries of wdm.h:
 * KeGetCurrentIrql, KeRaiseIrql, KeLowerIrql, KeRaiseIrqlToDpcLevel, the
 * processor number and count, the stall, pause and barrier primitives, and
 * PAGED_CODE (docs/windows-contract.md sect. 1 and 2).
 *
 * The IRQL itself is the machine's (sim_irql_get/sim_irql_set). These
 * routines change it as the free x64 kernel does, by writing it whatever
 * the direction, and report each explicit change to the checkers, which
 * judge the direction and what it does to locks still held. Every routine
 * here is a scheduling point (docs/design.md, "Code the scheduler cannot see"):
 * a query that changes nothing still takes one step first, so a driver loop
 * polling it cannot starve the other CPUs. */
#include "lock_internal.h"

KIRQL spinsim_KeGetCurrentIrql(const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeGetCurrentIrql");
    return sim_irql_get();
}

VOID spinsim_KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql, const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    sim_check_irql_change("KeRaiseIrql", old, NewIrql, site);
    sim_irql_set(NewIrql);
    *OldIrql = old;
}

VOID spinsim_KeLowerIrql(KIRQL NewIrql, const sim_site *site) {
    sim_site_set(site);
    sim_check_irql_change("KeLowerIrql", sim_irql_get(), NewIrql, site);
    sim_irql_set(NewIrql);
}

KIRQL spinsim_KeRaiseIrqlToDpcLevel(const sim_site *site) {
    sim_site_set(site);
    const KIRQL old = sim_irql_get();
    sim_check_irql_change("KeRaiseIrqlToDpcLevel", old, DISPATCH_LEVEL, site);
    sim_irql_set(DISPATCH_LEVEL);
    return old;
}

/* The CPU the caller runs on after the step: an unpinned thread may have
 * moved at it. */
ULONG spinsim_KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber, const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeGetCurrentProcessorNumberEx");
    const int cpu = sim_cpu_current();
    SIM_ASSERT(cpu >= 0 && cpu < SIM_CPUS_MAX);
    if (ProcNumber != NULL)
        *ProcNumber = (PROCESSOR_NUMBER){.Group = 0, .Number = (UCHAR)cpu, .Reserved = 0};
    return (ULONG)cpu;
}

/* ActiveProcessors, when given, receives one bit per CPU. */
ULONG spinsim_KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors, const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeQueryActiveProcessorCount");
    const int count = sim_cpu_count();
    if (ActiveProcessors != NULL)
        *ActiveProcessors = count == SIM_CPUS_MAX ? ~(KAFFINITY)0 : ((KAFFINITY)1 << count) - 1;
    return (ULONG)count;
}

/* No clock: a stall of any length is one step. */
VOID spinsim_KeStallExecutionProcessor(ULONG MicroSeconds, const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeStallExecutionProcessor");
}

VOID spinsim_YieldProcessor(const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("YieldProcessor");
}

/* The machine is sequentially consistent: a full barrier orders nothing
 * more, but it is a routine call, so a scheduling point. */
VOID spinsim_KeMemoryBarrier(const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeMemoryBarrier");
}

/* An assertion, not a routine (free builds compile it away): judged where
 * it stands, and no step of its own. */
VOID spinsim_PagedCode(const sim_site *site) {
    sim_site_set(site);
    sim_check_paged_code(site);
}
