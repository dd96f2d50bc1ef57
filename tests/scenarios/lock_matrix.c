/* lock_matrix.c: the IRQL matrix. One run calls one routine family (param
 * `op`) from one kind of caller (param `caller`, see lk_caller) and checks,
 * with SIM_CHECK, every value the routines determine: the IRQL inside and
 * on return, Old tokens, return values, lock-word and queue-handle
 * encodings. No finding means every check held.
 *
 * Rows the contract forbids (docs/windows-contract.md sect. 2) allow every
 * finding kind except `invariant`: their verdicts belong to the checkers'
 * tests (sim/check_irql.c and friends); here only the mechanics the lock
 * code determines are asserted, which are the same whether or not a checker
 * objects. */
#include "lock_scenarios.h"

#include "internal.h"

#define IRQL_BIT(irql) (1u << (irql))
#define IRQL_UP_TO(irql) ((IRQL_BIT(irql) << 1) - 1)
#define IRQL_ANY IRQL_UP_TO(HIGH_LEVEL)

enum { SENTINEL_IRQL = 0xee, POOL_BYTES = 64, POOL_FILL = 0xa5, POOL_TAG = 0x74736554 /* 'tseT' */, TIMER_CPU = 1 };

typedef struct mx {
    int op;
    KIRQL entry;           /* the caller's IRQL */
    int done;              /* ops that ran to their end */
    KSPIN_LOCK lock, busy; /* busy is held by no one, but its word says held */
    KLOCK_QUEUE_HANDLE handle;
    EX_SPIN_LOCK ex, ex_exclusive, ex_writer_waiting, ex_one_reader;
    PKINTERRUPT interrupt;      /* LK_SYNC_DIRQL / LK_SYNC_IRQL, never fires */
    PKINTERRUPT sync_interrupt; /* the same, connected with the driver's sync_lock */
    KSPIN_LOCK sync_lock;
    BOOLEAN sync_result;
    KIRQL sync_irql_seen;
    BOOLEAN sync_lock_free_seen;
    KDPC caller_dpc, dpc, timer_dpc; /* dpc targets the caller's other CPU, timer_dpc TIMER_CPU */
    int dpc_runs, dpc_runs_expected, timer_runs, timer_runs_expected;
    ULONG dpc_cpu_expected;
    PVOID dpc_arg1, dpc_arg2, dpc_arg1_expected, dpc_arg2_expected;
    KIRQL dpc_irql;
    ULONG dpc_cpu;
    KEVENT event;
    KTIMER timer;
    LIST_ENTRY list, entries[2];
    KSPIN_LOCK list_lock;
    volatile LONG v32;
    volatile LONG64 v64;
    PVOID volatile pointer;
} mx;

static const KIRQL caller_irql[LK_CALLER_COUNT] = {
    [LK_PASSIVE] = PASSIVE_LEVEL, [LK_APC] = APC_LEVEL,      [LK_DISPATCH] = DISPATCH_LEVEL,
    [LK_DIRQL] = LK_THREAD_DIRQL, [LK_DPC] = DISPATCH_LEVEL, [LK_THREADED_DPC] = PASSIVE_LEVEL,
    [LK_ISR] = LK_ISR_DIRQL,
};

static const char *const caller_names[LK_CALLER_COUNT] = {
    [LK_PASSIVE] = "a thread at PASSIVE_LEVEL",
    [LK_APC] = "a thread at APC_LEVEL",
    [LK_DISPATCH] = "a thread at DISPATCH_LEVEL",
    [LK_DIRQL] = "a thread at DIRQL 5",
    [LK_DPC] = "a DPC",
    [LK_THREADED_DPC] = "a threaded DPC",
    [LK_ISR] = "an ISR at DIRQL 4",
};

const char *lk_caller_name(lk_caller caller) { return caller_names[caller]; }
KIRQL lk_caller_irql(lk_caller caller) { return caller_irql[caller]; }

static KIRQL irql(void) { return KeGetCurrentIrql(); }

static KIRQL at_least_dispatch(KIRQL entry) { return entry >= DISPATCH_LEVEL ? entry : DISPATCH_LEVEL; }

/* ---- KSPIN_LOCK ------------------------------------------------------------- */

static void op_acquire_spin_lock(mx *m) {
    KIRQL old = SENTINEL_IRQL;
    KeAcquireSpinLock(&m->lock, &old);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    /* The owner tag: context id << 1 | 1. */
    SIM_CHECK(m->lock == ((ULONG_PTR)sim_ctx_current_id() << 1 | 1));
    KeReleaseSpinLock(&m->lock, old);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->lock == 0);
}

static void op_raise_to_dpc(mx *m) {
    KIRQL old = KeAcquireSpinLockRaiseToDpc(&m->lock);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    SIM_CHECK(!KeTestSpinLock(&m->lock));
    KeReleaseSpinLock(&m->lock, old);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(KeTestSpinLock(&m->lock));
}

static void op_at_dpc_level(mx *m) {
    KeAcquireSpinLockAtDpcLevel(&m->lock);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->lock & 1);
    KeReleaseSpinLockFromDpcLevel(&m->lock);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->lock == 0);
}

static void op_try_to_acquire(mx *m) {
    SIM_CHECK(KeTryToAcquireSpinLockAtDpcLevel(&m->lock) == TRUE);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->lock & 1);
    KeReleaseSpinLockFromDpcLevel(&m->lock);
    /* Busy: FALSE at once, and the busy word is left as it was. */
    SIM_CHECK(KeTryToAcquireSpinLockAtDpcLevel(&m->busy) == FALSE);
    SIM_CHECK(m->busy == 1);
    SIM_CHECK(irql() == m->entry);
}

static void op_test_spin_lock(mx *m) {
    SIM_CHECK(KeTestSpinLock(&m->lock) == TRUE);
    SIM_CHECK(KeTestSpinLock(&m->busy) == FALSE);
    SIM_CHECK(m->lock == 0 && m->busy == 1);
}

static void op_for_dpc(mx *m) {
    KIRQL old = KeAcquireSpinLockForDpc(&m->lock);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == at_least_dispatch(m->entry));
    KeReleaseSpinLockForDpc(&m->lock, old);
    /* PASSIVE (a threaded DPC) comes back down; DISPATCH stays. */
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->lock == 0);
}

/* ---- in-stack queued ----------------------------------------------------------- */

/* Held alone: the word is the tail, our entry; the entry has no successor
 * and carries the lock's address with the OWNER flag. */
static void check_held_alone(mx *m) {
    SIM_CHECK(m->lock == (ULONG_PTR)&m->handle.LockQueue);
    SIM_CHECK(m->handle.LockQueue.Next == NULL);
    SIM_CHECK(m->handle.LockQueue.Lock == (PKSPIN_LOCK)((ULONG_PTR)&m->lock | LOCK_QUEUE_OWNER));
}

static void check_released(mx *m) {
    SIM_CHECK(m->lock == 0);
    SIM_CHECK(m->handle.LockQueue.Lock == &m->lock);
    SIM_CHECK(irql() == m->entry);
}

static void op_queued(mx *m) {
    m->handle.OldIrql = SENTINEL_IRQL;
    KeAcquireInStackQueuedSpinLock(&m->lock, &m->handle);
    SIM_CHECK(m->handle.OldIrql == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    check_held_alone(m);
    KeReleaseInStackQueuedSpinLock(&m->handle);
    check_released(m);
}

static void op_queued_at_dpc_level(mx *m) {
    m->handle.OldIrql = SENTINEL_IRQL;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&m->lock, &m->handle);
    SIM_CHECK(m->handle.OldIrql == SENTINEL_IRQL);
    SIM_CHECK(irql() == m->entry);
    check_held_alone(m);
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&m->handle);
    check_released(m);
}

static void op_queued_for_dpc(mx *m) {
    m->handle.OldIrql = SENTINEL_IRQL;
    KeAcquireInStackQueuedSpinLockForDpc(&m->lock, &m->handle);
    SIM_CHECK(m->handle.OldIrql == m->entry);
    SIM_CHECK(irql() == at_least_dispatch(m->entry));
    check_held_alone(m);
    KeReleaseInStackQueuedSpinLockForDpc(&m->handle);
    check_released(m);
}

/* ---- interrupt locks --------------------------------------------------------------- */

static void op_interrupt_lock(mx *m) {
    KIRQL old = KeAcquireInterruptSpinLock(m->interrupt);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == LK_SYNC_IRQL);
    KeReleaseInterruptSpinLock(m->interrupt, old);
    SIM_CHECK(irql() == m->entry);
}

static BOOLEAN sync_routine(PVOID context) {
    mx *m = context;
    m->sync_irql_seen = KeGetCurrentIrql();
    m->sync_lock_free_seen = KeTestSpinLock(&m->sync_lock);
    return m->sync_result;
}

static void op_synchronize_execution(mx *m) {
    for (BOOLEAN result = FALSE; result <= TRUE; result++) {
        m->sync_result = result;
        m->sync_irql_seen = SENTINEL_IRQL;
        SIM_CHECK(KeSynchronizeExecution(m->sync_interrupt, sync_routine, m) == result);
        SIM_CHECK(m->sync_irql_seen == LK_SYNC_IRQL);
        SIM_CHECK(m->sync_lock_free_seen == FALSE);
        SIM_CHECK(KeTestSpinLock(&m->sync_lock));
        SIM_CHECK(irql() == m->entry);
    }
}

/* ---- EX_SPIN_LOCK ---------------------------------------------------------------------- */

enum { EX_EXCLUSIVE = 0x80000000u, EX_WRITER_WAITING = 0x40000000u };

static void op_ex_shared(mx *m) {
    KIRQL old = ExAcquireSpinLockShared(&m->ex);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    SIM_CHECK(m->ex == 1);
    ExReleaseSpinLockShared(&m->ex, old);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 0);
}

static void op_ex_exclusive(mx *m) {
    KIRQL old = ExAcquireSpinLockExclusive(&m->ex);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    SIM_CHECK((ULONG)m->ex == EX_EXCLUSIVE);
    ExReleaseSpinLockExclusive(&m->ex, old);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 0);
}

static void op_ex_shared_at_dpc_level(mx *m) {
    ExAcquireSpinLockSharedAtDpcLevel(&m->ex);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 1);
    ExReleaseSpinLockSharedFromDpcLevel(&m->ex);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 0);
}

static void op_ex_exclusive_at_dpc_level(mx *m) {
    ExAcquireSpinLockExclusiveAtDpcLevel(&m->ex);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK((ULONG)m->ex == EX_EXCLUSIVE);
    ExReleaseSpinLockExclusiveFromDpcLevel(&m->ex);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 0);
}

static void op_ex_convert(mx *m) {
    KIRQL old = ExAcquireSpinLockShared(&m->ex);
    SIM_CHECK(ExTryConvertSharedSpinLockExclusive(&m->ex) == TRUE);
    SIM_CHECK((ULONG)m->ex == EX_EXCLUSIVE);
    ExReleaseSpinLockExclusive(&m->ex, old);
    SIM_CHECK(irql() == m->entry);
    SIM_CHECK(m->ex == 0);
    /* Another reader inside: no conversion, still shared. */
    old = ExAcquireSpinLockShared(&m->ex_one_reader);
    SIM_CHECK(m->ex_one_reader == 2);
    SIM_CHECK(ExTryConvertSharedSpinLockExclusive(&m->ex_one_reader) == FALSE);
    SIM_CHECK(m->ex_one_reader == 2);
    ExReleaseSpinLockShared(&m->ex_one_reader, old);
    SIM_CHECK(m->ex_one_reader == 1);
    SIM_CHECK(irql() == m->entry);
}

static void op_ex_try_shared(mx *m) {
    SIM_CHECK(ExTryAcquireSpinLockSharedAtDpcLevel(&m->ex) == TRUE);
    SIM_CHECK(m->ex == 1);
    ExReleaseSpinLockSharedFromDpcLevel(&m->ex);
    SIM_CHECK(m->ex == 0);
    SIM_CHECK(ExTryAcquireSpinLockSharedAtDpcLevel(&m->ex_exclusive) == FALSE);
    SIM_CHECK((ULONG)m->ex_exclusive == EX_EXCLUSIVE);
    /* Writer preference: a waiting writer keeps new readers out. */
    SIM_CHECK(ExTryAcquireSpinLockSharedAtDpcLevel(&m->ex_writer_waiting) == FALSE);
    SIM_CHECK((ULONG)m->ex_writer_waiting == (EX_WRITER_WAITING | 1));
    SIM_CHECK(irql() == m->entry);
}

static void op_ex_try_exclusive(mx *m) {
    SIM_CHECK(ExTryAcquireSpinLockExclusiveAtDpcLevel(&m->ex) == TRUE);
    SIM_CHECK((ULONG)m->ex == EX_EXCLUSIVE);
    ExReleaseSpinLockExclusiveFromDpcLevel(&m->ex);
    SIM_CHECK(m->ex == 0);
    SIM_CHECK(ExTryAcquireSpinLockExclusiveAtDpcLevel(&m->ex_one_reader) == FALSE);
    SIM_CHECK(m->ex_one_reader == 1);
    SIM_CHECK(irql() == m->entry);
}

/* ---- IRQL routines and processor queries --------------------------------------------- */

static void op_raise_lower(mx *m) {
    KIRQL old = SENTINEL_IRQL;
    KeRaiseIrql(SYNCH_LEVEL, &old);
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == SYNCH_LEVEL);
    KeLowerIrql(old);
    SIM_CHECK(irql() == m->entry);
}

static void op_raise_to_dpc_level(mx *m) {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    SIM_CHECK(old == m->entry);
    SIM_CHECK(irql() == DISPATCH_LEVEL);
    KeLowerIrql(old);
    SIM_CHECK(irql() == m->entry);
}

static void op_get_irql(mx *m) { SIM_CHECK(KeGetCurrentIrql() == m->entry); }

static void op_processor(mx *m) {
    PROCESSOR_NUMBER number = {.Group = 7, .Number = 7, .Reserved = 7};
    SIM_CHECK(KeGetCurrentProcessorNumberEx(&number) == (ULONG)sim_cpu_current());
    SIM_CHECK(number.Group == 0 && number.Number == sim_cpu_current() && number.Reserved == 0);
    SIM_CHECK(KeGetCurrentProcessorNumber() == (ULONG)sim_cpu_current());
    KAFFINITY active = 0;
    SIM_CHECK(KeQueryActiveProcessorCount(&active) == 2);
    SIM_CHECK(active == 3);
    SIM_CHECK(KeQueryActiveProcessorCount(NULL) == 2);
    SIM_CHECK(irql() == m->entry);
}

static void op_stall(mx *m) {
    const uint64_t steps = sim_R->current->steps;
    KeStallExecutionProcessor(50);
    YieldProcessor();
    SIM_CHECK(sim_R->current->steps == steps + 2);
    SIM_CHECK(irql() == m->entry);
}

static void op_paged_code(mx *m) {
    PAGED_CODE();
    SIM_CHECK(irql() == m->entry);
}

/* ---- DPCs, events, timers ----------------------------------------------------------------- */

static VOID probe_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    mx *m = context;
    SIM_CHECK(dpc == &m->dpc);
    m->dpc_runs++;
    m->dpc_arg1 = arg1;
    m->dpc_arg2 = arg2;
    m->dpc_irql = KeGetCurrentIrql();
    m->dpc_cpu = KeGetCurrentProcessorNumber();
}

/* The probe DPC goes to the CPU the caller is not on: remote, it waits for
 * the scheduler, and a caller that blocks on it never sits in its way. */
static void target_other_cpu(mx *m) {
    m->dpc_cpu_expected = 1 - KeGetCurrentProcessorNumber();
    KeSetTargetProcessorDpc(&m->dpc, (CCHAR)m->dpc_cpu_expected);
}

static void op_dpc_queue(mx *m) {
    int a, b, c, d;
    target_other_cpu(m);
    SIM_CHECK(KeInsertQueueDpc(&m->dpc, &a, &b) == TRUE);
    SIM_CHECK(m->dpc.Inserted == 1);
    SIM_CHECK(KeRemoveQueueDpc(&m->dpc) == TRUE);
    SIM_CHECK(m->dpc.Inserted == 0);
    SIM_CHECK(KeRemoveQueueDpc(&m->dpc) == FALSE);
    /* Arguments that outlive the caller: the DPC runs after it. */
    SIM_CHECK(KeInsertQueueDpc(&m->dpc, &m->entries[0], &m->entries[1]) == TRUE);
    /* Queued already: FALSE, and the first insert's arguments are kept. */
    SIM_CHECK(KeInsertQueueDpc(&m->dpc, &c, &d) == FALSE);
    m->dpc_arg1_expected = &m->entries[0];
    m->dpc_arg2_expected = &m->entries[1];
    m->dpc_runs_expected = 1;
    SIM_CHECK(irql() == m->entry);
}

static void op_flush_queued_dpcs(mx *m) {
    target_other_cpu(m);
    SIM_CHECK(KeInsertQueueDpc(&m->dpc, m, NULL) == TRUE);
    KeFlushQueuedDpcs();
    /* Dequeued to run on the other CPU (it may still be running). */
    SIM_CHECK(m->dpc.Inserted == 0);
    m->dpc_arg1_expected = m;
    m->dpc_runs_expected = 1;
    SIM_CHECK(irql() == m->entry);
}

static void op_event(mx *m) {
    LARGE_INTEGER zero = {.QuadPart = 0};
    KeInitializeEvent(&m->event, NotificationEvent, FALSE);
    SIM_CHECK(KeSetEvent(&m->event, 0, FALSE) == 0);
    SIM_CHECK(KeSetEvent(&m->event, 0, FALSE) == 1);
    /* A notification event stays signaled for every waiter. */
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0);
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0);
    KeClearEvent(&m->event);
    SIM_CHECK(m->event.Header.SignalState == 0);
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, &zero) == STATUS_TIMEOUT);
    SIM_CHECK(irql() == m->entry);
}

static void op_synchronization_event(mx *m) {
    LARGE_INTEGER zero = {.QuadPart = 0};
    KeInitializeEvent(&m->event, SynchronizationEvent, TRUE);
    /* One waiter takes the signal and resets the event. */
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, &zero) == STATUS_WAIT_0);
    SIM_CHECK(m->event.Header.SignalState == 0);
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, &zero) == STATUS_TIMEOUT);
    SIM_CHECK(KeSetEvent(&m->event, 0, FALSE) == 0);
    SIM_CHECK(irql() == m->entry);
}

static void op_wait_blocking(mx *m) {
    KeInitializeEvent(&m->event, NotificationEvent, TRUE);
    SIM_CHECK(KeWaitForSingleObject(&m->event, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0);
    SIM_CHECK(irql() == m->entry);
}

static VOID timer_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) {
    mx *m = context;
    SIM_CHECK(dpc == &m->timer_dpc && arg1 == NULL && arg2 == NULL);
    SIM_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL);
    m->timer_runs++;
}

static void op_timer(mx *m) {
    LARGE_INTEGER due = {.QuadPart = -10000};
    SIM_CHECK(KeSetTimer(&m->timer, due, &m->timer_dpc) == FALSE);
    SIM_CHECK(m->timer.Inserted == 1 && m->timer_dpc.Inserted == 1);
    /* Set again while set: TRUE, the old expiry is replaced. */
    SIM_CHECK(KeSetTimer(&m->timer, due, &m->timer_dpc) == TRUE);
    SIM_CHECK(KeCancelTimer(&m->timer) == TRUE);
    SIM_CHECK(m->timer.Inserted == 0 && m->timer_dpc.Inserted == 0);
    SIM_CHECK(KeCancelTimer(&m->timer) == FALSE);
    SIM_CHECK(KeSetTimer(&m->timer, due, &m->timer_dpc) == FALSE);
    m->timer_runs_expected = 1;
    SIM_CHECK(irql() == m->entry);
}

/* ---- pool, lists, interlocked --------------------------------------------------------------- */

static bool all_bytes(const void *memory, int byte, size_t size) {
    const unsigned char *p = memory;
    for (size_t i = 0; i < size; i++)
        if (p[i] != byte)
            return false;
    return true;
}

static void op_pool(mx *m) {
    void *zeroed = ExAllocatePool2(POOL_FLAG_NON_PAGED, POOL_BYTES, POOL_TAG);
    void *filled = ExAllocatePoolWithTag(NonPagedPoolNx, POOL_BYTES, POOL_TAG);
    SIM_CHECK(zeroed != NULL && filled != NULL && zeroed != filled);
    SIM_CHECK(all_bytes(zeroed, 0, POOL_BYTES));
    SIM_CHECK(all_bytes(filled, POOL_FILL, POOL_BYTES));
    SIM_CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED, (SIZE_T)1 << 40, POOL_TAG) == NULL);
    ExFreePoolWithTag(zeroed, POOL_TAG);
    ExFreePool(filled);
    SIM_CHECK(irql() == m->entry);
}

static void op_pool_paged(mx *m) {
    void *paged = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, POOL_BYTES, POOL_TAG);
    SIM_CHECK(paged != NULL && all_bytes(paged, POOL_FILL, POOL_BYTES));
    ExFreePoolWithTag(paged, POOL_TAG);
    SIM_CHECK(irql() == m->entry);
}

static void op_interlocked_list(mx *m) {
    PLIST_ENTRY e0 = &m->entries[0], e1 = &m->entries[1];
    SIM_CHECK(ExInterlockedInsertTailList(&m->list, e0, &m->list_lock) == NULL);
    SIM_CHECK(ExInterlockedInsertHeadList(&m->list, e1, &m->list_lock) == e0);
    SIM_CHECK(m->list.Flink == e1 && e1->Flink == e0 && e0->Flink == &m->list && m->list.Blink == e0);
    SIM_CHECK(ExInterlockedRemoveHeadList(&m->list, &m->list_lock) == e1);
    SIM_CHECK(ExInterlockedRemoveHeadList(&m->list, &m->list_lock) == e0);
    SIM_CHECK(ExInterlockedRemoveHeadList(&m->list, &m->list_lock) == NULL);
    SIM_CHECK(IsListEmpty(&m->list) && m->list_lock == 0);
    SIM_CHECK(irql() == m->entry);
}

/* Each call is exactly one step of the calling context. */
#define ONE_STEP(call, expected)                                                                                       \
    do {                                                                                                               \
        const uint64_t steps_ = sim_R->current->steps;                                                                 \
        SIM_CHECK((call) == (expected));                                                                               \
        SIM_CHECK(sim_R->current->steps == steps_ + 1);                                                                \
    } while (0)

static void op_interlocked(mx *m) {
    volatile LONG *v32 = &m->v32;
    volatile LONG64 *v64 = &m->v64;
    PVOID volatile *pointer = &m->pointer;
    *v32 = 5;
    ONE_STEP(InterlockedIncrement(v32), 6);
    ONE_STEP(InterlockedDecrement(v32), 5);
    ONE_STEP(InterlockedExchange(v32, 9), 5);
    ONE_STEP(InterlockedExchangeAdd(v32, 3), 9);
    ONE_STEP(InterlockedCompareExchange(v32, 1, 12), 12);
    ONE_STEP(InterlockedCompareExchange(v32, 7, 12), 1);
    ONE_STEP(InterlockedOr(v32, 6), 1);
    ONE_STEP(InterlockedAnd(v32, 5), 7);
    ONE_STEP(InterlockedXor(v32, 3), 5);
    SIM_CHECK(*v32 == 6);
    *v32 = 0;
    ONE_STEP(InterlockedDecrement(v32), -1);
    ONE_STEP(InterlockedExchangeAdd(v32, -2), -1);
    SIM_CHECK(*v32 == -3);
    *v64 = (LONG64)1 << 40;
    ONE_STEP(InterlockedIncrement64(v64), ((LONG64)1 << 40) + 1);
    ONE_STEP(InterlockedDecrement64(v64), (LONG64)1 << 40);
    ONE_STEP(InterlockedExchange64(v64, -2), (LONG64)1 << 40);
    ONE_STEP(InterlockedExchangeAdd64(v64, -3), -2);
    ONE_STEP(InterlockedCompareExchange64(v64, 4, -5), -5);
    ONE_STEP(InterlockedOr64(v64, 3), 4);
    ONE_STEP(InterlockedAnd64(v64, 6), 7);
    ONE_STEP(InterlockedXor64(v64, 15), 6);
    SIM_CHECK(*v64 == 9);
    *pointer = NULL;
    ONE_STEP(InterlockedExchangePointer(pointer, m), NULL);
    ONE_STEP(InterlockedCompareExchangePointer(pointer, NULL, m), (PVOID)m);
    ONE_STEP(InterlockedCompareExchangePointer(pointer, m, m), NULL);
    SIM_CHECK(*pointer == NULL);
    SIM_CHECK(irql() == m->entry);
}

/* ---- the table --------------------------------------------------------------------------------- */

/* `legal`: the IRQLs at which the contract allows the call without any
 * finding. `dispatch_restricted`: the op waits or touches paged memory,
 * which a threaded DPC may not do even at PASSIVE_LEVEL (R9: threaded DPCs
 * obey DISPATCH_LEVEL's restrictions). */
static const struct {
    const char *name;
    void (*run)(mx *m);
    uint32_t legal;
    bool dispatch_restricted;
} ops[] = {
    {"KeAcquireSpinLock", op_acquire_spin_lock, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeAcquireSpinLockRaiseToDpc", op_raise_to_dpc, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeAcquireSpinLockAtDpcLevel", op_at_dpc_level, IRQL_BIT(DISPATCH_LEVEL), false},
    {"KeTryToAcquireSpinLockAtDpcLevel", op_try_to_acquire, IRQL_BIT(DISPATCH_LEVEL), false},
    {"KeTestSpinLock", op_test_spin_lock, IRQL_ANY, false},
    {"KeAcquireSpinLockForDpc", op_for_dpc, IRQL_BIT(PASSIVE_LEVEL) | IRQL_BIT(DISPATCH_LEVEL), false},
    {"KeAcquireInStackQueuedSpinLock", op_queued, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeAcquireInStackQueuedSpinLockAtDpcLevel", op_queued_at_dpc_level, IRQL_BIT(DISPATCH_LEVEL), false},
    {"KeAcquireInStackQueuedSpinLockForDpc", op_queued_for_dpc, IRQL_BIT(PASSIVE_LEVEL) | IRQL_BIT(DISPATCH_LEVEL),
     false},
    {"KeAcquireInterruptSpinLock", op_interrupt_lock, IRQL_UP_TO(LK_SYNC_IRQL), false},
    {"KeSynchronizeExecution", op_synchronize_execution, IRQL_UP_TO(LK_SYNC_IRQL), false},
    {"ExAcquireSpinLockShared", op_ex_shared, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"ExAcquireSpinLockExclusive", op_ex_exclusive, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"ExAcquireSpinLockSharedAtDpcLevel", op_ex_shared_at_dpc_level, IRQL_BIT(DISPATCH_LEVEL), false},
    {"ExAcquireSpinLockExclusiveAtDpcLevel", op_ex_exclusive_at_dpc_level, IRQL_BIT(DISPATCH_LEVEL), false},
    {"ExTryConvertSharedSpinLockExclusive", op_ex_convert, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"ExTryAcquireSpinLockSharedAtDpcLevel", op_ex_try_shared, IRQL_BIT(DISPATCH_LEVEL), false},
    {"ExTryAcquireSpinLockExclusiveAtDpcLevel", op_ex_try_exclusive, IRQL_BIT(DISPATCH_LEVEL), false},
    {"KeRaiseIrql/KeLowerIrql", op_raise_lower, IRQL_UP_TO(SYNCH_LEVEL), false},
    {"KeRaiseIrqlToDpcLevel", op_raise_to_dpc_level, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeGetCurrentIrql", op_get_irql, IRQL_ANY, false},
    {"KeGetCurrentProcessorNumberEx/KeQueryActiveProcessorCount", op_processor, IRQL_ANY, false},
    {"KeStallExecutionProcessor/YieldProcessor", op_stall, IRQL_ANY, false},
    {"PAGED_CODE", op_paged_code, IRQL_UP_TO(APC_LEVEL), true},
    {"KeInsertQueueDpc/KeRemoveQueueDpc", op_dpc_queue, IRQL_ANY, false},
    {"KeFlushQueuedDpcs", op_flush_queued_dpcs, IRQL_BIT(PASSIVE_LEVEL), true},
    {"KeSetEvent/KeClearEvent (notification)", op_event, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeWaitForSingleObject (synchronization, polled)", op_synchronization_event, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"KeWaitForSingleObject (blocking)", op_wait_blocking, IRQL_UP_TO(APC_LEVEL), true},
    {"KeSetTimer/KeCancelTimer", op_timer, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"ExAllocatePool2/ExAllocatePoolWithTag (nonpaged)", op_pool, IRQL_UP_TO(DISPATCH_LEVEL), false},
    {"ExAllocatePool2 (paged)", op_pool_paged, IRQL_UP_TO(APC_LEVEL), true},
    {"ExInterlocked*List", op_interlocked_list, IRQL_UP_TO(SIM_IRQL_DIRQL_MAX), false},
    {"Interlocked*", op_interlocked, IRQL_ANY, false},
};

enum { OP_COUNT = (int)(sizeof ops / sizeof ops[0]) };

int lk_matrix_op_count(void) { return OP_COUNT; }
const char *lk_matrix_op_name(int op) { return ops[op].name; }
bool lk_matrix_op_legal(int op, lk_caller caller) {
    if (caller == LK_THREADED_DPC && ops[op].dispatch_restricted)
        return false;
    return (ops[op].legal & IRQL_BIT(caller_irql[caller])) != 0;
}

/* ---- the callers ---------------------------------------------------------------------------------- */

static void run_op(mx *m) {
    SIM_CHECK(KeGetCurrentIrql() == m->entry);
    ops[m->op].run(m);
    SIM_CHECK(KeGetCurrentIrql() == m->entry);
    m->done++;
}

static void caller_thread(PVOID context) {
    mx *m = context;
    KIRQL old = PASSIVE_LEVEL;
    if (m->entry != PASSIVE_LEVEL)
        KeRaiseIrql(m->entry, &old);
    run_op(m);
    if (m->entry != PASSIVE_LEVEL)
        KeLowerIrql(old);
}

static VOID caller_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2) { run_op(context); }

static BOOLEAN caller_isr(PKINTERRUPT interrupt, PVOID context) {
    run_op(context);
    return TRUE;
}

static BOOLEAN never_fires(PKINTERRUPT interrupt, PVOID context) {
    SIM_CHECK(!"an interrupt with no fires ran");
    return FALSE;
}

static void check_end(PVOID context) {
    mx *m = context;
    SIM_CHECK(m->done == 1);
    SIM_CHECK(m->dpc_runs == m->dpc_runs_expected);
    if (m->dpc_runs > 0) {
        SIM_CHECK(m->dpc_irql == DISPATCH_LEVEL && m->dpc_cpu == m->dpc_cpu_expected);
        SIM_CHECK(m->dpc_arg1 == m->dpc_arg1_expected && m->dpc_arg2 == m->dpc_arg2_expected);
        SIM_CHECK(m->dpc.Inserted == 0);
    }
    SIM_CHECK(m->timer_runs == m->timer_runs_expected);
    SIM_CHECK(m->timer.Inserted == 0 && m->timer_dpc.Inserted == 0);
    SIM_CHECK(m->timer.Header.SignalState == m->timer_runs);
}

/* The locks and objects every op may use, in their starting states. */
static void objects_init(mx *m) {
    KeInitializeSpinLock(&m->lock);
    m->busy = 1;
    m->ex_exclusive = (LONG)EX_EXCLUSIVE;
    m->ex_writer_waiting = (LONG)(EX_WRITER_WAITING | 1);
    m->ex_one_reader = 1;
    m->interrupt = sim_interrupt(never_fires, m, LK_SYNC_DIRQL, LK_SYNC_IRQL, 0);
    NTSTATUS status = IoConnectInterrupt(&m->sync_interrupt, never_fires, m, &m->sync_lock, 0, LK_SYNC_DIRQL,
                                         LK_SYNC_IRQL, LevelSensitive, FALSE, 1, FALSE);
    SIM_CHECK(status == STATUS_SUCCESS && m->sync_interrupt != NULL);
    KeInitializeDpc(&m->dpc, probe_dpc, m);
    KeInitializeDpc(&m->timer_dpc, timer_dpc, m);
    KeSetTargetProcessorDpc(&m->timer_dpc, TIMER_CPU);
    KeInitializeTimer(&m->timer);
    InitializeListHead(&m->list);
    KeInitializeSpinLock(&m->list_lock);
}

static void caller_start(mx *m, lk_caller caller) {
    switch (caller) {
    case LK_PASSIVE:
    case LK_APC:
    case LK_DISPATCH:
    case LK_DIRQL:
        sim_thread(0, caller_thread, m);
        return;
    case LK_DPC:
        sim_dpc(0, caller_dpc, m);
        return;
    case LK_THREADED_DPC:
        KeInitializeThreadedDpc(&m->caller_dpc, caller_dpc, m);
        KeSetTargetProcessorDpc(&m->caller_dpc, 0);
        SIM_CHECK(KeInsertQueueDpc(&m->caller_dpc, NULL, NULL));
        return;
    case LK_ISR:
        sim_interrupt(caller_isr, m, LK_ISR_DIRQL, LK_ISR_DIRQL, 1);
        return;
    case LK_CALLER_COUNT:
        break;
    }
    SIM_CHECK(!"unknown caller");
}

/* Params: op (index into the table), caller (lk_caller); irq_fires 0 keeps
 * the IoConnectInterrupt object quiet; strict 1 lets an illegal cell's
 * findings through instead of allowing them. */
SIM_SCENARIO(lk_matrix, "locks: one routine from one kind of caller, every value it determines checked") {
    sim_cpus(2);
    mx *m = sim_alloc(sizeof *m);
    m->op = (int)sim_param("op", 0);
    const int64_t caller = sim_param("caller", LK_PASSIVE);
    if (m->op < 0 || m->op >= OP_COUNT || caller < 0 || caller >= LK_CALLER_COUNT) {
        SIM_CHECK(!"op or caller out of range");
        return;
    }
    m->entry = caller_irql[caller];
    objects_init(m);
    if (!lk_matrix_op_legal(m->op, (lk_caller)caller) && sim_param("strict", 0) == 0)
        for (int kind = SIM_FINDING_NONE + 1; kind < SIM_KIND_COUNT; kind++)
            if (kind != SIM_FINDING_INVARIANT)
                sim_allow((sim_kind)kind);
    caller_start(m, (lk_caller)caller);
    sim_at_end(check_end, m);
}
