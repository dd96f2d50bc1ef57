/* pool.c owns pool memory: ExAllocatePool2, the POOL_TYPE allocators
 * (ExAllocatePoolWithTag, ExAllocatePool, ExAllocatePoolZero,
 * ExAllocatePoolUninitialized, ExAllocatePoolQuotaZero: there is no quota),
 * ExFreePool(WithTag), the free other families' routines name
 * (locks_pool_free), and ExInitializeDriverRuntime (docs/design.md, "The
 * wdm.h surface beyond locks").
 *
 * Blocks come from sim_alloc, so whatever a run leaves allocated is freed
 * when the run ends: a leaking driver cannot leak into the next run, and no
 * address is reused within a run. Each block is a pool_header followed by
 * the caller's bytes. A free hands nothing back early. In every build it
 * tells the machine (sim_check_free): a held or awaited lock, a held lock's
 * queue handle or a queued KDPC in the block is `lock-in-freed-memory` at
 * once, and a later atomic step or plain access of driver code there is
 * `lock-in-freed-memory` or `use-after-free`. In the ASan build it also
 * poisons the whole block, header included, so ASan reports a touch the
 * machine does not see (a second free, here in this file, which stops the
 * process). ExAllocatePool2 zeroes unless asked not to, the *Zero
 * allocators always; other memory is filled with POOL_FILL, the same byte
 * in every build, so a driver that reads before it writes stays
 * deterministic. A request above POOL_REQUEST_MAX fails with NULL, as an
 * exhausted pool would. */
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "lock_internal.h"
#include "sim.h"

enum { POOL_FILL = 0xa5 };
static const SIZE_T POOL_REQUEST_MAX = (SIZE_T)256 << 20;

typedef struct pool_header {
    SIZE_T size;
    ULONG tag;
    BOOLEAN paged;
} __attribute__((aligned(16))) pool_header;

/* Paged memory is touchable below DISPATCH_LEVEL only, nonpaged up to it. */
static KIRQL irql_max(BOOLEAN paged) { return paged ? APC_LEVEL : DISPATCH_LEVEL; }

/* Bit 0 of a POOL_TYPE says paged (PagedPool, PagedPoolCacheAligned,
 * PagedPoolSession...). */
static BOOLEAN type_paged(POOL_TYPE type) { return (type & PagedPool) != 0; }

KIRQL locks_pool_irql_max(POOL_TYPE type) { return irql_max(type_paged(type)); }

static PVOID pool_allocate(const char *routine, BOOLEAN paged, BOOLEAN zeroed, SIZE_T size, ULONG tag,
                           const sim_site *site) {
    sim_site_set(site);
    sim_check_caller_irql(routine, PASSIVE_LEVEL, irql_max(paged), site);
    sim_yield_step(routine);
    if (size > POOL_REQUEST_MAX)
        return NULL;
    pool_header *header = sim_alloc(sizeof *header + size);
    *header = (pool_header){.size = size, .tag = tag, .paged = paged};
    if (!zeroed)
        memset(header + 1, POOL_FILL, size);
    return header + 1;
}

PVOID spinsim_ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, const sim_site *site) {
    return pool_allocate("ExAllocatePool2", (Flags & POOL_FLAG_PAGED) != 0, (Flags & POOL_FLAG_UNINITIALIZED) == 0,
                         NumberOfBytes, Tag, site);
}

PVOID spinsim_ExAllocatePoolType(const char *routine, POOL_TYPE PoolType, BOOLEAN zeroed, SIZE_T NumberOfBytes,
                                 ULONG Tag, const sim_site *site) {
    return pool_allocate(routine, type_paged(PoolType), zeroed, NumberOfBytes, Tag, site);
}

VOID spinsim_ExFreePoolWithTag(PVOID P, ULONG Tag, const sim_site *site) {
    locks_pool_free("ExFreePoolWithTag", P, site);
}

void locks_pool_free(const char *routine, PVOID P, const sim_site *site) {
    sim_site_set(site);
    if (sim_check_free_again(P, site))
        return;
    pool_header *header = (pool_header *)P - 1;
    sim_check_caller_irql(routine, PASSIVE_LEVEL, irql_max(header->paged), site);
    sim_yield_step(routine);
    sim_check_free(P, header->size, site);
    ASAN_POISON_MEMORY_REGION(header, sizeof *header + header->size);
}

/* Opts the driver in to no-execute pool. spinsim's pool has no execute
 * permission to change: it checks the caller's IRQL and takes its step. */
VOID spinsim_ExInitializeDriverRuntime(ULONG RuntimeFlags, const sim_site *site) {
    spinsim_routine_enter("ExInitializeDriverRuntime", PASSIVE_LEVEL, site);
}
