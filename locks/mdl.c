/* mdl.c owns memory descriptor lists as wdm.h declares them: IoAllocateMdl
 * and IoFreeMdl, MmBuildMdlForNonPagedPool and
 * MmGetSystemAddressForMdlSafe, each checked to run at or below
 * DISPATCH_LEVEL, and the description every MDL gets, a KMDF request's
 * too (locks_mdl_describe). An MDL is pool memory named by its routine,
 * so a freed MDL touched again is reported. Every buffer is mapped in
 * spinsim: the system address of an MDL is the address it was built for,
 * set by MmBuildMdlForNonPagedPool; there are no pages, locking or quotas,
 * and IoAllocateMdl does not chain the MDL to the IRP. */
#include "lock_internal.h"

enum { MDL_TAG = 0x206c644d }; /* 'Mdl ' */

void locks_mdl_describe(PMDL mdl, PVOID address, ULONG length) {
    const ULONG_PTR at = (ULONG_PTR)address;
    mdl->Size = (CSHORT)sizeof(MDL);
    mdl->StartVa = (PVOID)(at & ~(ULONG_PTR)(PAGE_SIZE - 1));
    mdl->ByteOffset = (ULONG)(at & (PAGE_SIZE - 1));
    mdl->ByteCount = length;
}

PMDL spinsim_IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota, PIRP Irp,
                           const sim_site *site) {
    PMDL mdl = spinsim_ExAllocatePoolType("IoAllocateMdl", NonPagedPoolNx, TRUE, sizeof(MDL), MDL_TAG, site);
    if (mdl != NULL)
        locks_mdl_describe(mdl, VirtualAddress, Length);
    return mdl;
}

VOID spinsim_IoFreeMdl(PMDL Mdl, const sim_site *site) { locks_pool_free("IoFreeMdl", Mdl, site); }

VOID spinsim_MmBuildMdlForNonPagedPool(PMDL Mdl, const sim_site *site) {
    spinsim_routine_enter("MmBuildMdlForNonPagedPool", DISPATCH_LEVEL, site);
    Mdl->MappedSystemVa = MmGetMdlVirtualAddress(Mdl);
    Mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}

PVOID spinsim_MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority, const sim_site *site) {
    spinsim_routine_enter("MmGetSystemAddressForMdlSafe", DISPATCH_LEVEL, site);
    return Mdl->MappedSystemVa != NULL ? Mdl->MappedSystemVa : MmGetMdlVirtualAddress(Mdl);
}
