/* ddi_wfp.c: the IRQL contracts of the WFP callout surface (fwpsk.h,
 * fwpmk.h) and of the net buffer lists, MDLs and lookaside lists it uses
 * (ndis.h, wdm.h),
 * one buggy scenario and its correct twin per routine (DDI_IRQL_PAIR):
 * registration and management at DISPATCH_LEVEL instead of PASSIVE_LEVEL,
 * the data path at device IRQL instead of DISPATCH_LEVEL; and what an
 * injection does: its completion runs later, in a DPC, so a callout that
 * frees the list it injected before the completion has it touches freed
 * memory there. */
#include "ddi_scenarios.h"
#include "fwpsk.h"

#define TAG 0x20504657 /* 'WFP ' */

static void classify(const FWPS_INCOMING_VALUES0 *inFixedValues, const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
                     void *layerData, const void *classifyContext, const FWPS_FILTER2 *filter, UINT64 flowContext,
                     FWPS_CLASSIFY_OUT0 *classifyOut) {
    classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS notify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey, const FWPS_FILTER2 *filter) {
    return STATUS_SUCCESS;
}

static const FWPS_CALLOUT2 callout = {.classifyFn = classify, .notifyFn = notify};
static const FWPM_FILTER0 filter = {.action = {.type = FWP_ACTION_CALLOUT_TERMINATING}};

/* An MDL over f->packet, a list pool and a list over the MDL, made in setup. */
static void prepare_packet(ddi_fixture *f) {
    NET_BUFFER_LIST_POOL_PARAMETERS parameters = {
        .Header = {.Type = NDIS_OBJECT_TYPE_DEFAULT,
                   .Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1,
                   .Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1},
        .fAllocateNetBuffer = TRUE,
        .PoolTag = TAG,
    };
    f->mdl = IoAllocateMdl(f->packet, sizeof f->packet, FALSE, FALSE, NULL);
    MmBuildMdlForNonPagedPool(f->mdl);
    f->nbl_pool = NdisAllocateNetBufferListPool(NULL, &parameters);
    f->nbl = NdisAllocateNetBufferAndNetBufferList(f->nbl_pool, 0, 0, f->mdl, 0, sizeof f->packet);
    FwpsInjectionHandleCreate0(AF_INET, FWPS_INJECTION_TYPE_TRANSPORT, &f->injection);
}

CHECK_CALL(ddi_wfp_allocate_mdl, (ddi_fixture * f), f->mdl = IoAllocateMdl(f->packet, 16, FALSE, FALSE, NULL))
DDI_IRQL_PAIR(ddi_wfp_allocate_mdl, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_wfp_allocate_nbl, (ddi_fixture * f),
           f->clone = NdisAllocateNetBufferAndNetBufferList(f->nbl_pool, 0, 0, f->mdl, 0, 16))
DDI_IRQL_PAIR(ddi_wfp_allocate_nbl, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              prepare_packet)

CHECK_CALL(ddi_wfp_get_data, (ddi_fixture * f),
           f->allocation = NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(f->nbl), 20, NULL, 1, 0))
DDI_IRQL_PAIR(ddi_wfp_get_data, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, prepare_packet)

CHECK_CALL(ddi_wfp_retreat, (ddi_fixture * f),
           NdisRetreatNetBufferDataStart(NET_BUFFER_LIST_FIRST_NB(f->nbl), 0, 0, NULL))
DDI_IRQL_PAIR(ddi_wfp_retreat, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, prepare_packet)

CHECK_CALL(ddi_wfp_clone, (ddi_fixture * f), FwpsAllocateCloneNetBufferList0(f->nbl, NULL, NULL, 0, &f->clone))
DDI_IRQL_PAIR(ddi_wfp_clone, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, prepare_packet)

CHECK_CALL(ddi_wfp_inject, (ddi_fixture * f),
           FwpsInjectTransportReceiveAsync0(f->injection, NULL, NULL, 0, AF_INET, 0, 0, 0, f->nbl, NULL, NULL))
DDI_IRQL_PAIR(ddi_wfp_inject, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing, prepare_packet)

static void prepare_lookaside(ddi_fixture *f) {
    ExInitializeLookasideListEx(&f->lookaside, NULL, NULL, NonPagedPoolNx, 0, 32, TAG, 0);
}

CHECK_CALL(ddi_wfp_lookaside_allocate, (ddi_fixture * f), f->allocation = ExAllocateFromLookasideListEx(&f->lookaside))
DDI_IRQL_PAIR(ddi_wfp_lookaside_allocate, SIM_FINDING_IRQL_VIOLATION, CHECK_DIRQL, DISPATCH_LEVEL, ddi_nothing,
              prepare_lookaside)

CHECK_CALL(ddi_wfp_register, (ddi_fixture * f), FwpsCalloutRegister2(NULL, &callout, &f->callout_id))
DDI_IRQL_PAIR(ddi_wfp_register, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

CHECK_CALL(ddi_wfp_filter_add, (ddi_fixture * f), FwpmFilterAdd0(f->object, &filter, NULL, NULL))
DDI_IRQL_PAIR(ddi_wfp_filter_add, SIM_FINDING_IRQL_VIOLATION, DISPATCH_LEVEL, PASSIVE_LEVEL, ddi_nothing, ddi_nothing)

/* ---- an injection completes later ------------------------------------------ */

CHECK_CALL(ddi_wfp_completion_reads, (PNET_BUFFER_LIST nbl), (void)*(volatile PNET_BUFFER *)&nbl->FirstNetBuffer)

static void inject_complete(void *context, NET_BUFFER_LIST *netBufferList, BOOLEAN dispatchLevel) {
    ddi_wfp_completion_reads(netBufferList);
}

/* The buggy callout frees the list it injected at once; its twin frees it
 * in the completion. */
static VOID injecting_thread(PVOID StartContext) {
    ddi_fixture *f = StartContext;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    FwpsInjectTransportReceiveAsync0(f->injection, NULL, NULL, 0, AF_INET, 0, 0, 0, f->nbl, inject_complete, f);
    if (f->ext->buggy)
        NdisFreeNetBufferList(f->nbl);
    KeLowerIrql(old);
}

static void ddi_wfp_free_before_completion_setup(check_ext *ext) {
    ddi_fixture *f = ddi_fixture_new(ext);
    prepare_packet(f);
    sim_thread(0, injecting_thread, f);
}
CHECK_PAIR(chk_ddi_wfp_free_before_completion, SIM_FINDING_USE_AFTER_FREE,
           "a callout frees the list it injected before the injection completes", ddi_wfp_free_before_completion_setup)
