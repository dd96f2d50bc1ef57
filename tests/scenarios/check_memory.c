/* check_memory.c: scenarios for sim/check_lifetime.c and the pool model:
 * locks, queued KDPCs and data in pool used after ExFreePool, and an
 * in-stack queue handle whose frame returns while its lock is held, pool
 * freed twice. Each twin frees or returns only once nothing uses the memory
 * any more. */
#include "check_scenarios.h"

typedef struct mem_context {
    KSPIN_LOCK Lock;
    KDPC Dpc;
    LONG Pending;
    PKLOCK_QUEUE_HANDLE SavedHandle;
} mem_context;

enum { MEM_TAG = 'mMsS' };

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

static mem_context *mem_context_new(void) {
    mem_context *context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *context, MEM_TAG);
    KeInitializeSpinLock(&context->Lock);
    return context;
}

/* ---- freeing pool that holds a held lock (DV C4/0x100B) ------------------------ */

CHECK_CALL(mem_free_held_acquire, (mem_context * context, KIRQL *old), KeAcquireSpinLock(&context->Lock, old))
CHECK_CALL(mem_free_held_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))

static VOID free_while_held(PVOID Context) {
    check_ext *ext = Context;
    mem_context *context = mem_context_new();
    KIRQL old;
    mem_free_held_acquire(context, &old);
    context->Pending++;
    if (!ext->buggy)
        KeReleaseSpinLock(&context->Lock, old);
    mem_free_held_free(context);
    if (ext->buggy)
        KeLowerIrql(old);
}

static void setup_free_held(check_ext *ext) { sim_thread(0, free_while_held, ext); }
CHECK_PAIR(chk_mem_free_held_lock, SIM_FINDING_LOCK_IN_FREED_MEMORY, "pool freed while its lock is held",
           setup_free_held)

/* ---- a lock taken in pool freed earlier ------------------------------------------ */

CHECK_CALL(mem_stale_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))
CHECK_CALL(mem_stale_acquire, (mem_context * context, KIRQL *old), KeAcquireSpinLock(&context->Lock, old))

static VOID acquire_after_free(PVOID Context) {
    check_ext *ext = Context;
    mem_context *context = mem_context_new();
    if (ext->buggy)
        mem_stale_free(context);
    KIRQL old;
    mem_stale_acquire(context, &old);
    KeReleaseSpinLock(&context->Lock, old);
    if (!ext->buggy)
        ExFreePoolWithTag(context, MEM_TAG);
}

static void setup_stale_lock(check_ext *ext) { sim_thread(0, acquire_after_free, ext); }
CHECK_PAIR(chk_mem_stale_lock, SIM_FINDING_LOCK_IN_FREED_MEMORY, "a spin lock acquired in freed pool", setup_stale_lock)

/* ---- a KDPC freed while queued (0xC7) ---------------------------------------------- */

static VOID pending_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {}

CHECK_CALL(mem_dpc_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))

static VOID free_queued_dpc(PVOID Context) {
    check_ext *ext = Context;
    mem_context *context = mem_context_new();
    KeInitializeDpc(&context->Dpc, pending_dpc, context);
    KeSetTargetProcessorDpc(&context->Dpc, 1);
    KeInsertQueueDpc(&context->Dpc, NULL, NULL);
    if (!ext->buggy)
        KeRemoveQueueDpc(&context->Dpc);
    mem_dpc_free(context);
}

CHECK_PAIR_THREADS(chk_mem_queued_dpc, SIM_FINDING_LOCK_IN_FREED_MEMORY, "a KDPC freed while queued", free_queued_dpc,
                   idle_thread)

/* ---- data read from freed pool ------------------------------------------------------ */

CHECK_CALL(mem_data_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))
CHECK_CALL(mem_data_read, (check_ext * ext, mem_context *context), ext->counter = context->Pending)
CHECK_CALL(mem_copy_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))
CHECK_CALL(mem_copy_read, (check_ext * ext, mem_context *block), RtlCopyMemory(ext->snapshot, block, 24))

/* Reads a field of a pool block with `read`, after `free_block` frees it
 * in the buggy twin, before ExFreePoolWithTag does in the correct one. */
static void read_pool(check_ext *ext, void (*free_block)(mem_context *), void (*read)(check_ext *, mem_context *)) {
    mem_context *context = mem_context_new();
    context->Pending = 3;
    if (ext->buggy)
        free_block(context);
    read(ext, context);
    if (!ext->buggy)
        ExFreePoolWithTag(context, MEM_TAG);
}

static VOID read_after_free(PVOID Context) { read_pool(Context, mem_data_free, mem_data_read); }
static VOID copy_after_free(PVOID Context) { read_pool(Context, mem_copy_free, mem_copy_read); }
static void setup_read_after_free(check_ext *ext) { sim_thread(0, read_after_free, ext); }
static void setup_copy_after_free(check_ext *ext) { sim_thread(0, copy_after_free, ext); }
CHECK_PAIR(chk_mem_use_after_free, SIM_FINDING_USE_AFTER_FREE, "a field read from freed pool", setup_read_after_free)
CHECK_PAIR(chk_mem_copy_after_free, SIM_FINDING_USE_AFTER_FREE, "freed pool copied with RtlCopyMemory",
           setup_copy_after_free)

/* ---- pool freed twice (0xC2 BAD_POOL_CALLER) ------------------------------------------ */

/* Buggy: the error path frees the block and falls through to the common
 * cleanup, which frees it again; the twin returns after its free. */
CHECK_CALL(mem_twice_error_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))
CHECK_CALL(mem_twice_cleanup_free, (mem_context * context), ExFreePoolWithTag(context, MEM_TAG))

static VOID free_twice(PVOID Context) {
    check_ext *ext = Context;
    mem_context *context = mem_context_new();
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(status)) {
        mem_twice_error_free(context);
        if (!ext->buggy)
            return;
    }
    mem_twice_cleanup_free(context);
}

static void setup_free_twice(check_ext *ext) { sim_thread(0, free_twice, ext); }
CHECK_PAIR(chk_mem_double_free, SIM_FINDING_MEMORY_ERROR, "pool freed on an error path and again at cleanup",
           setup_free_twice)

/* ---- an in-stack queue handle whose frame returns with its lock held ----------------- */

/* Buggy: the handle is the helper's local; the twin's is the caller's. */
CHECK_CALL(mem_scope_acquire, (check_ext * ext, PKLOCK_QUEUE_HANDLE handle),
           KeAcquireInStackQueuedSpinLock(&ext->lock[0], handle))
CHECK_CALL(mem_scope_next_call, (void), KeStallExecutionProcessor(1))

static __attribute__((noinline)) void acquire_with_local_handle(check_ext *ext) {
    KLOCK_QUEUE_HANDLE handle;
    mem_scope_acquire(ext, &handle);
    ext->shared_handle.OldIrql = handle.OldIrql;
}

static __attribute__((noinline)) void acquire_with_callers_handle(check_ext *ext, PKLOCK_QUEUE_HANDLE handle) {
    mem_scope_acquire(ext, handle);
}

static VOID scope_thread(PVOID Context) {
    check_ext *ext = Context;
    KLOCK_QUEUE_HANDLE handle;
    if (ext->buggy)
        acquire_with_local_handle(ext);
    else
        acquire_with_callers_handle(ext, &handle);
    mem_scope_next_call();
    if (!ext->buggy)
        KeReleaseInStackQueuedSpinLock(&handle);
}

CHECK_PAIR_THREADS(chk_mem_handle_out_of_scope, SIM_FINDING_USE_AFTER_SCOPE,
                   "a helper returns holding an in-stack queued lock through its own local handle", scope_thread,
                   idle_thread)

/* ---- a read past the end of a pool block (what only ASan sees) ----------------------- */

enum { MEM_SLOTS = 4 };

CHECK_CALL(mem_overflow_read, (check_ext * ext, const LONG *slots, int index), ext->counter = slots[index])

static VOID overflowing_reader(PVOID Context) {
    check_ext *ext = Context;
    LONG *slots = ExAllocatePool2(POOL_FLAG_NON_PAGED, MEM_SLOTS * sizeof *slots, MEM_TAG);
    for (int i = 0; i <= (ext->buggy ? MEM_SLOTS : MEM_SLOTS - 1); i++)
        mem_overflow_read(ext, slots, i);
    ExFreePoolWithTag(slots, MEM_TAG);
}

static void setup_overflow(check_ext *ext) { sim_thread(0, overflowing_reader, ext); }
CHECK_PAIR(chk_mem_overflow, SIM_FINDING_MEMORY_ERROR, "a read one past the end of a pool block", setup_overflow)
