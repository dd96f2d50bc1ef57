/* lookaside.c owns the LOOKASIDE_LIST_EX routines of wdm.h:
 * ExInitializeLookasideListEx, ExDeleteLookasideListEx,
 * ExAllocateFromLookasideListEx and ExFreeToLookasideListEx, each checked
 * to run at or below DISPATCH_LEVEL (APC_LEVEL for a list of paged pool).
 * A list caches nothing: an allocation is a fresh pool block (or the
 * list's own allocate function's), a free gives it back at once, so a
 * freed entry touched again is reported, as a special-pool run would
 * report it. Depth is accepted and ignored. */
#include "lock_internal.h"

NTSTATUS spinsim_ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
                                             PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags, SIZE_T Size,
                                             ULONG Tag, USHORT Depth, const sim_site *site) {
    spinsim_routine_enter("ExInitializeLookasideListEx", locks_pool_irql_max(PoolType), site);
    *Lookaside =
        (LOOKASIDE_LIST_EX){.Type = PoolType, .Tag = Tag, .Size = (ULONG)Size, .AllocateEx = Allocate, .FreeEx = Free};
    return STATUS_SUCCESS;
}

VOID spinsim_ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, const sim_site *site) {
    spinsim_routine_enter("ExDeleteLookasideListEx", locks_pool_irql_max(Lookaside->Type), site);
}

PVOID spinsim_ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, const sim_site *site) {
    if (Lookaside->AllocateEx == NULL)
        return spinsim_ExAllocatePoolType("ExAllocateFromLookasideListEx", Lookaside->Type, FALSE, Lookaside->Size,
                                          Lookaside->Tag, site);
    spinsim_routine_enter("ExAllocateFromLookasideListEx", locks_pool_irql_max(Lookaside->Type), site);
    return Lookaside->AllocateEx(Lookaside->Type, Lookaside->Size, Lookaside->Tag, Lookaside);
}

VOID spinsim_ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry, const sim_site *site) {
    if (Lookaside->FreeEx == NULL) {
        locks_pool_free("ExFreeToLookasideListEx", Entry, site);
        return;
    }
    spinsim_routine_enter("ExFreeToLookasideListEx", locks_pool_irql_max(Lookaside->Type), site);
    Lookaside->FreeEx(Entry, Lookaside);
}
