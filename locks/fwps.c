/* fwps.c owns the modelled part of fwpsk.h, the Windows Filtering
 * Platform's callout interface, and the harness role sim_fwps_classify_later
 * (sim_fwps.h). spinsim has no filtering engine; what a callout driver can
 * get wrong against the engine is its IRQL contract and the life of the net
 * buffer lists it pends, clones and injects, and that is what is modelled:
 *
 * - Registration (FwpsCalloutRegister2, FwpsCalloutUnregisterById0/ByKey0,
 *   FwpsInjectionHandleCreate0/Destroy0) runs at PASSIVE_LEVEL. A
 *   registered callout is kept by id (1, 2...) for the harness role, which
 *   calls its classifyFn in a DPC at DISPATCH_LEVEL on a chosen CPU, as the
 *   engine classifies in the network stack's context; once the callout is
 *   unregistered, the engine no longer calls it.
 * - The data path runs at or below DISPATCH_LEVEL: pending and completing
 *   (FwpsPendOperation0, FwpsCompleteOperation0: the completion context is
 *   the completion handle, and completing triggers no reauthorization),
 *   cloning (a clone shares its parent's MDL chain and counts in the
 *   parent's ChildRefCount until FwpsFreeCloneNetBufferList0), references
 *   (checked, not counted), security information (never IPsec), and
 *   injection. An injected list is marked with its injection handle and
 *   context (NdisReserved, which belongs to the stack), so
 *   FwpsQueryPacketInjectionState0 sees it as injected by self when it
 *   comes back, and its clones as previously injected by self. Its
 *   completion function runs later, with dispatchLevel TRUE, in a DPC
 *   queued on the next CPU (the injecting one if it is the only one), so
 *   the scheduler chooses when: the engine completes injections
 *   asynchronously, so a driver that frees or reuses what it injected
 *   before the completion runs is caught there. */
#include "fwpsk.h"
#include "lock_internal.h"
#include "sim.h"
#include "sim_fwps.h"

enum { CALLOUTS_MAX = 64 };

typedef struct registered_callout {
    FWPS_CALLOUT2 callout;
    BOOLEAN registered;
} registered_callout;

static struct {
    registered_callout callouts[CALLOUTS_MAX];
    UINT32 count;
} engine;

/* Registration happens at PASSIVE_LEVEL, between steps of one context. */
LOCKS_BOOKKEEPING static void engine_reset_once(void) {
    if (locks_first_use_in_run(&engine, "WFP callouts"))
        engine.count = 0;
}

NTSTATUS spinsim_FwpsCalloutRegister(void *deviceObject, const FWPS_CALLOUT2 *callout, UINT32 *calloutId,
                                     const sim_site *site) {
    spinsim_routine_enter("FwpsCalloutRegister2", PASSIVE_LEVEL, site);
    engine_reset_once();
    if (engine.count == CALLOUTS_MAX)
        return STATUS_INSUFFICIENT_RESOURCES;
    engine.callouts[engine.count] = (registered_callout){.callout = *callout, .registered = TRUE};
    engine.count++;
    if (calloutId != NULL)
        *calloutId = engine.count;
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_FwpsCalloutUnregisterById(UINT32 calloutId, const sim_site *site) {
    spinsim_routine_enter("FwpsCalloutUnregisterById0", PASSIVE_LEVEL, site);
    engine_reset_once();
    if (calloutId == 0 || calloutId > engine.count || !engine.callouts[calloutId - 1].registered)
        return STATUS_NOT_FOUND;
    engine.callouts[calloutId - 1].registered = FALSE;
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_FwpsCalloutUnregisterByKey(const GUID *calloutKey, const sim_site *site) {
    spinsim_routine_enter("FwpsCalloutUnregisterByKey0", PASSIVE_LEVEL, site);
    engine_reset_once();
    for (UINT32 index = 0; index < engine.count; index++) {
        registered_callout *entry = &engine.callouts[index];
        if (entry->registered && IsEqualGUID(&entry->callout.calloutKey, calloutKey)) {
            entry->registered = FALSE;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NOT_FOUND;
}

/* ---- injection ------------------------------------------------------------ */

/* An injection handle is an object of the run that marks what it injects. */
NTSTATUS spinsim_FwpsInjectionHandleCreate(ADDRESS_FAMILY addressFamily, UINT32 flags, HANDLE *injectionHandle,
                                           const sim_site *site) {
    spinsim_routine_enter("FwpsInjectionHandleCreate0", PASSIVE_LEVEL, site);
    *injectionHandle = sim_alloc(1);
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_FwpsInjectionHandleDestroy(HANDLE injectionHandle, const sim_site *site) {
    spinsim_routine_enter("FwpsInjectionHandleDestroy0", PASSIVE_LEVEL, site);
    return STATUS_SUCCESS;
}

enum { MARK_HANDLE, MARK_CONTEXT };

FWPS_PACKET_INJECTION_STATE spinsim_FwpsQueryPacketInjectionState(HANDLE injectionHandle,
                                                                  const NET_BUFFER_LIST *netBufferList,
                                                                  HANDLE *injectionContext, const sim_site *site) {
    spinsim_routine_enter("FwpsQueryPacketInjectionState0", DISPATCH_LEVEL, site);
    const HANDLE marked = netBufferList->NdisReserved[MARK_HANDLE];
    if (marked == injectionHandle) {
        if (injectionContext != NULL)
            *injectionContext = netBufferList->NdisReserved[MARK_CONTEXT];
        return FWPS_PACKET_INJECTED_BY_SELF;
    }
    if (marked != NULL)
        return FWPS_PACKET_INJECTED_BY_OTHER;
    for (const NET_BUFFER_LIST *parent = netBufferList->ParentNetBufferList; parent != NULL;
         parent = parent->ParentNetBufferList)
        if (parent->NdisReserved[MARK_HANDLE] == injectionHandle)
            return FWPS_PACKET_PREVIOUSLY_INJECTED_BY_SELF;
    return FWPS_PACKET_NOT_INJECTED;
}

typedef struct injection_completion {
    KDPC dpc;
    FWPS_INJECT_COMPLETE0 *completionFn;
    HANDLE completionContext;
    NET_BUFFER_LIST *netBufferList;
} injection_completion;

static VOID complete_injection(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    injection_completion *completion = DeferredContext;
    completion->completionFn(completion->completionContext, completion->netBufferList, TRUE);
}

NTSTATUS spinsim_FwpsInject(const char *routine, HANDLE injectionHandle, HANDLE injectionContext,
                            NET_BUFFER_LIST *netBufferList, FWPS_INJECT_COMPLETE0 *completionFn,
                            HANDLE completionContext, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    netBufferList->NdisReserved[MARK_HANDLE] = injectionHandle;
    netBufferList->NdisReserved[MARK_CONTEXT] = injectionContext;
    netBufferList->Status = NDIS_STATUS_SUCCESS;
    if (completionFn == NULL)
        return STATUS_SUCCESS;
    injection_completion *completion = sim_alloc(sizeof *completion);
    *completion = (injection_completion){
        .completionFn = completionFn, .completionContext = completionContext, .netBufferList = netBufferList};
    spinsim_KeInitializeDpc(&completion->dpc, complete_injection, completion, "injection completion", site);
    locks_dpc_aim(&completion->dpc, (sim_cpu_current() + 1) % sim_cpu_count()); /* the next CPU */
    spinsim_KeInsertQueueDpc(&completion->dpc, NULL, NULL, site);
    return STATUS_SUCCESS;
}

/* ---- pending, cloning, references ------------------------------------------ */

NTSTATUS spinsim_FwpsPendOperation(HANDLE completionHandle, HANDLE *completionContext, const sim_site *site) {
    spinsim_routine_enter("FwpsPendOperation0", DISPATCH_LEVEL, site);
    *completionContext = completionHandle;
    return STATUS_SUCCESS;
}

void spinsim_FwpsCompleteOperation(HANDLE completionContext, NET_BUFFER_LIST *netBufferList, const sim_site *site) {
    spinsim_routine_enter("FwpsCompleteOperation0", DISPATCH_LEVEL, site);
}

NTSTATUS spinsim_FwpsAllocateCloneNetBufferList(NET_BUFFER_LIST *originalNetBufferList, NET_BUFFER_LIST **netBufferList,
                                                const sim_site *site) {
    const NET_BUFFER *original = originalNetBufferList->FirstNetBuffer;
    NET_BUFFER_LIST *clone = spinsim_NdisAllocateNetBufferList(
        "FwpsAllocateCloneNetBufferList0", NULL, 0, 0, original != NULL ? original->MdlChain : NULL,
        original != NULL ? original->DataOffset : 0, original != NULL ? original->DataLength : 0, original != NULL,
        site);
    *netBufferList = clone;
    if (clone == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    clone->ParentNetBufferList = originalNetBufferList;
    originalNetBufferList->ChildRefCount++;
    return STATUS_SUCCESS;
}

void spinsim_FwpsFreeCloneNetBufferList(NET_BUFFER_LIST *netBufferList, const sim_site *site) {
    sim_site_set(site);
    if (netBufferList->ParentNetBufferList != NULL)
        netBufferList->ParentNetBufferList->ChildRefCount--;
    locks_pool_free("FwpsFreeCloneNetBufferList0", netBufferList, site);
}

void spinsim_FwpsReferenceNetBufferList(const char *routine, NET_BUFFER_LIST *netBufferList, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
}

NTSTATUS spinsim_FwpsGetPacketListSecurityInformation(NET_BUFFER_LIST *packetList, UINT32 queryFlags,
                                                      FWPS_PACKET_LIST_INFORMATION0 *packetInformation,
                                                      const sim_site *site) {
    spinsim_routine_enter("FwpsGetPacketListSecurityInformation0", DISPATCH_LEVEL, site);
    *packetInformation = (FWPS_PACKET_LIST_INFORMATION0){0};
    return STATUS_SUCCESS;
}

/* ---- the harness role: the engine classifies --------------------------------- */

typedef struct classification {
    const UINT32 *calloutId;
    FWPS_FILTER2 filter;
    const FWPS_INCOMING_VALUES0 *values;
    const FWPS_INCOMING_METADATA_VALUES0 *metadata;
    void *layerData;
    UINT64 flowContext;
    FWPS_CLASSIFY_OUT0 *classifyOut;
} classification;

static VOID classify(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    classification *request = DeferredContext;
    const UINT32 id = *request->calloutId;
    engine_reset_once();
    if (id == 0 || id > engine.count)
        sim_scenario_cannot_go_on("sim_fwps_classify_later: no callout of that id was registered in this run");
    if (!engine.callouts[id - 1].registered)
        return;
    request->filter.action = (FWPS_ACTION0){.type = FWP_ACTION_CALLOUT_TERMINATING, .calloutId = id};
    request->classifyOut->rights |= FWPS_RIGHT_ACTION_WRITE;
    engine.callouts[id - 1].callout.classifyFn(request->values, request->metadata, request->layerData, NULL,
                                               &request->filter, request->flowContext, request->classifyOut);
}

void sim_fwps_classify_later(int cpu, const UINT32 *calloutId, const FWPS_INCOMING_VALUES0 *values,
                             const FWPS_INCOMING_METADATA_VALUES0 *metadata, void *layerData, UINT64 flowContext,
                             FWPS_CLASSIFY_OUT0 *classifyOut) {
    classification *request = sim_alloc(sizeof *request);
    *request = (classification){.calloutId = calloutId,
                                .values = values,
                                .metadata = metadata,
                                .layerData = layerData,
                                .flowContext = flowContext,
                                .classifyOut = classifyOut};
    sim_dpc_later_named(cpu, classify, request, 1, "classifyFn");
}
