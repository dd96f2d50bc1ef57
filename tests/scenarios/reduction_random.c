/* reduction_random.c: small random programs for the soundness test of the
 * partial-order reduction (tests/test_reduction.c). The `program`
 * parameter seeds one: threads on two or three CPUs, perhaps a DPC they
 * queue and an interrupt that may strike any CPU, each context doing a few
 * Interlocked operations on two shared words, some under one of two spin
 * locks or at DISPATCH_LEVEL. With `wide` 1, the programs also take
 * in-stack queued locks and the interrupt spin lock, take the DPC back out
 * of its queue, set and read an event, run a thread on whichever CPU the
 * scheduler puts it, and may have the DPC inserted at any step as a device
 * would; with `wide` 2, they also take an executive spin lock shared or
 * exclusive, and the DPC may be a threaded one; with `wide` 3, threads
 * but the first also wait for the event, which the first sets last; with
 * `wide` 4, threads also set and cancel a timer whose expiry queues the
 * DPC, the DPC cancels it, and both call KeSynchronizeExecution; with
 * `wide` 5, threads but the first may also spin until a flag word the
 * first raises after its operations (sim_wait_until); with `wide` 6,
 * threads may also set the timer periodic (its DPC runs up to three
 * times), and the first starts a system thread of its own operations
 * (PsCreateSystemThread) at some point of its own.
 *
 * A run's outcome is a hash of what every operation returned and of the
 * final words (red_program_outcome): two runs with the same outcome did
 * the same things, whatever their order. The reduced search must reach
 * exactly the outcomes the plain one reaches, within each preemption
 * bound.
 */
#include "sim.h"

#include "reduction_scenarios.h"

void (*red_program_outcome)(uint64_t outcome);

enum { WORDS = 2, LOCKS = 2, OPS_MAX = 5, CONTEXTS_MAX = 6 };

typedef enum {
    OP_ADD,           /* InterlockedExchangeAdd */
    OP_SWAP,          /* InterlockedExchange */
    OP_READ,          /* InterlockedCompareExchange that writes nothing */
    OP_QUEUE_DPC,     /* KeInsertQueueDpc: whether it was queued */
    OP_LOCKED_ADD,    /* under a spin lock: read one word, add it to the other */
    OP_RAISED_ADD,    /* at DISPATCH_LEVEL: an add to each word */
    OP_QUEUED_ADD,    /* as OP_LOCKED_ADD, under an in-stack queued spin lock */
    OP_SYNC_ADD,      /* as OP_LOCKED_ADD, under the interrupt spin lock */
    OP_REMOVE_DPC,    /* KeRemoveQueueDpc: whether it was still queued */
    OP_SET_EVENT,     /* KeSetEvent: the event's previous state */
    OP_READ_EVENT,    /* KeReadStateEvent */
    OP_SHARED_READ,   /* under the executive spin lock, shared: read both words */
    OP_EXCLUSIVE_ADD, /* as OP_LOCKED_ADD, under the executive spin lock, exclusive */
    OP_WAIT_EVENT,    /* KeWaitForSingleObject on the event (threads but the first, `wide` 3) */
    OP_SET_TIMER,     /* KeSetTimer, expiring into the DPC: whether it was set already */
    OP_CANCEL_TIMER,  /* KeCancelTimer: whether it was set */
    OP_SYNC_EXECUTE,  /* as OP_LOCKED_ADD, in KeSynchronizeExecution */
    OP_SPIN_WAIT,     /* sim_wait_until the flag is raised (threads but the first, `wide` 5) */
    OP_RAISE_FLAG,    /* InterlockedExchange of the flag: the first thread's last, `wide` 5 */
    OP_SET_PERIODIC,  /* KeSetTimerEx with a period, expiring into the DPC: whether it was set already (`wide` 6) */
    OP_CREATE_THREAD, /* PsCreateSystemThread of the spawned context: the first thread's, `wide` 6 */
} OP_KIND;

/* What each kind of context may do: a DPC does not queue itself, an ISR
 * takes no spin lock and touches no event (DIRQL); the interrupt spin
 * lock, last, only where there is an interrupt. The programs without
 * `wide` use the first NARROW_*_KINDS of each list. */
static const OP_KIND thread_kinds[] = {OP_ADD,        OP_SWAP,       OP_READ,       OP_QUEUE_DPC,
                                       OP_LOCKED_ADD, OP_RAISED_ADD, OP_QUEUED_ADD, OP_REMOVE_DPC,
                                       OP_SET_EVENT,  OP_READ_EVENT, OP_SYNC_ADD};
static const OP_KIND dpc_kinds[] = {OP_ADD, OP_SWAP, OP_READ, OP_LOCKED_ADD, OP_QUEUED_ADD, OP_SET_EVENT, OP_SYNC_ADD};
static const OP_KIND isr_kinds[] = {OP_ADD, OP_SWAP, OP_READ, OP_QUEUE_DPC, OP_REMOVE_DPC};
static const OP_KIND ex_kinds[] = {OP_SHARED_READ, OP_EXCLUSIVE_ADD}; /* threads and DPCs, `wide` 2 */
/* `wide` 4: the DPC does not set the timer that queues it. */
static const OP_KIND thread_timer_kinds[] = {OP_SET_TIMER, OP_CANCEL_TIMER};
static const OP_KIND dpc_timer_kinds[] = {OP_CANCEL_TIMER};
enum {
    THREAD_KINDS = sizeof thread_kinds / sizeof thread_kinds[0],
    DPC_KINDS = sizeof dpc_kinds / sizeof dpc_kinds[0],
    ISR_KINDS = sizeof isr_kinds / sizeof isr_kinds[0],
    EX_KINDS = sizeof ex_kinds / sizeof ex_kinds[0],
    THREAD_TIMER_KINDS = sizeof thread_timer_kinds / sizeof thread_timer_kinds[0],
    DPC_TIMER_KINDS = sizeof dpc_timer_kinds / sizeof dpc_timer_kinds[0],
    KINDS_MAX = THREAD_KINDS + EX_KINDS + THREAD_TIMER_KINDS + 4,
    NARROW_THREAD_KINDS = 6,
    NARROW_DPC_KINDS = 3,
    NARROW_ISR_KINDS = 4,
};

typedef struct _RED_OP {
    OP_KIND Kind;
    int Word, Lock;
    LONG Value;
} RED_OP;

typedef struct _RED_PROGRAM RED_PROGRAM, *PRED_PROGRAM;

typedef struct _RED_CONTEXT {
    PRED_PROGRAM Program;
    int OpCount;
    RED_OP Ops[OPS_MAX];
    ULONG Seen; /* a hash of what its operations returned */
} RED_CONTEXT, *PRED_CONTEXT;

struct _RED_PROGRAM {
    KSPIN_LOCK Locks[LOCKS];
    KSPIN_LOCK QueuedLocks[LOCKS];
    EX_SPIN_LOCK ExLock;
    KDPC OwnDpc;
    PKDPC Dpc; /* OwnDpc, or the one sim_dpc_later made */
    PKINTERRUPT Interrupt;
    KEVENT Event;
    KTIMER Timer;
    LONG Words[WORDS];
    LONG Flag;
    PRED_CONTEXT Spawned; /* what OP_CREATE_THREAD's thread does */
    int ContextCount;
    RED_CONTEXT Contexts[CONTEXTS_MAX];
};

static void RedSee(PRED_CONTEXT Context, LONG Value) { Context->Seen = Context->Seen * 31 + (ULONG)Value + 1; }

static LONG RedReadWord(PRED_PROGRAM Program, int Word) {
    return InterlockedCompareExchange(&Program->Words[Word], -1, -1);
}

/* Reads one word and adds it to the other: what the locked kinds do under their lock. */
static LONG RedCrossAdd(PRED_PROGRAM Program, const RED_OP *Op) {
    return InterlockedExchangeAdd(&Program->Words[Op->Word], RedReadWord(Program, 1 - Op->Word) + Op->Value);
}

typedef struct _RED_SYNCHRONIZED {
    PRED_PROGRAM Program;
    const RED_OP *Op;
    LONG Seen;
} RED_SYNCHRONIZED, *PRED_SYNCHRONIZED;

static BOOLEAN RedSynchronizedAdd(PVOID SynchronizeContext) {
    PRED_SYNCHRONIZED Synchronized = SynchronizeContext;
    Synchronized->Seen = RedCrossAdd(Synchronized->Program, Synchronized->Op);
    return TRUE;
}

static KSTART_ROUTINE RedProgramThread;

static void RedRunOp(PRED_CONTEXT Context, const RED_OP *Op) {
    PRED_PROGRAM Program = Context->Program;
    KLOCK_QUEUE_HANDLE LockHandle;
    KIRQL OldIrql;
    switch (Op->Kind) {
    case OP_ADD:
        RedSee(Context, InterlockedExchangeAdd(&Program->Words[Op->Word], Op->Value));
        break;
    case OP_SWAP:
        RedSee(Context, InterlockedExchange(&Program->Words[Op->Word], Op->Value));
        break;
    case OP_READ:
        RedSee(Context, RedReadWord(Program, Op->Word));
        break;
    case OP_QUEUE_DPC:
        RedSee(Context, KeInsertQueueDpc(Program->Dpc, NULL, NULL));
        break;
    case OP_LOCKED_ADD:
        KeAcquireSpinLock(&Program->Locks[Op->Lock], &OldIrql);
        RedSee(Context, RedCrossAdd(Program, Op));
        KeReleaseSpinLock(&Program->Locks[Op->Lock], OldIrql);
        break;
    case OP_RAISED_ADD:
        KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
        RedSee(Context, InterlockedExchangeAdd(&Program->Words[Op->Word], Op->Value));
        RedSee(Context, InterlockedExchangeAdd(&Program->Words[1 - Op->Word], Op->Value));
        KeLowerIrql(OldIrql);
        break;
    case OP_QUEUED_ADD:
        KeAcquireInStackQueuedSpinLock(&Program->QueuedLocks[Op->Lock], &LockHandle);
        RedSee(Context, RedCrossAdd(Program, Op));
        KeReleaseInStackQueuedSpinLock(&LockHandle);
        break;
    case OP_SYNC_ADD:
        OldIrql = KeAcquireInterruptSpinLock(Program->Interrupt);
        RedSee(Context, RedCrossAdd(Program, Op));
        KeReleaseInterruptSpinLock(Program->Interrupt, OldIrql);
        break;
    case OP_REMOVE_DPC:
        RedSee(Context, KeRemoveQueueDpc(Program->Dpc));
        break;
    case OP_SET_EVENT:
        RedSee(Context, KeSetEvent(&Program->Event, IO_NO_INCREMENT, FALSE));
        break;
    case OP_READ_EVENT:
        RedSee(Context, KeReadStateEvent(&Program->Event));
        break;
    case OP_SHARED_READ:
        OldIrql = ExAcquireSpinLockShared(&Program->ExLock);
        RedSee(Context, RedReadWord(Program, Op->Word));
        RedSee(Context, RedReadWord(Program, 1 - Op->Word));
        ExReleaseSpinLockShared(&Program->ExLock, OldIrql);
        break;
    case OP_EXCLUSIVE_ADD:
        OldIrql = ExAcquireSpinLockExclusive(&Program->ExLock);
        RedSee(Context, RedCrossAdd(Program, Op));
        ExReleaseSpinLockExclusive(&Program->ExLock, OldIrql);
        break;
    case OP_WAIT_EVENT:
        RedSee(Context, KeWaitForSingleObject(&Program->Event, Executive, KernelMode, FALSE, NULL));
        break;
    case OP_SET_TIMER: {
        LARGE_INTEGER DueTime = {.QuadPart = -10000};
        RedSee(Context, KeSetTimer(&Program->Timer, DueTime, Program->Dpc));
        break;
    }
    case OP_CANCEL_TIMER:
        RedSee(Context, KeCancelTimer(&Program->Timer));
        break;
    case OP_SET_PERIODIC: {
        LARGE_INTEGER DueTime = {.QuadPart = -10000};
        RedSee(Context, KeSetTimerEx(&Program->Timer, DueTime, 1, Program->Dpc));
        break;
    }
    case OP_CREATE_THREAD: {
        HANDLE Thread;
        NTSTATUS Status =
            PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, RedProgramThread, Program->Spawned);
        RedSee(Context, Status);
        if (NT_SUCCESS(Status))
            ZwClose(Thread);
        break;
    }
    case OP_SPIN_WAIT:
        sim_wait_until(&Program->Flag, 1);
        RedSee(Context, RedReadWord(Program, Op->Word));
        break;
    case OP_RAISE_FLAG:
        RedSee(Context, InterlockedExchange(&Program->Flag, 1));
        break;
    case OP_SYNC_EXECUTE: {
        RED_SYNCHRONIZED Synchronized = {.Program = Program, .Op = Op};
        KeSynchronizeExecution(Program->Interrupt, RedSynchronizedAdd, &Synchronized);
        RedSee(Context, Synchronized.Seen);
        break;
    }
    }
}

static void RedRunOps(PRED_CONTEXT Context) {
    for (int i = 0; i < Context->OpCount; i++)
        RedRunOp(Context, &Context->Ops[i]);
}

static VOID RedProgramThread(PVOID StartContext) { RedRunOps(StartContext); }

static VOID RedProgramDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    RedRunOps(DeferredContext);
}

static BOOLEAN RedProgramIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    UNREFERENCED_PARAMETER(Interrupt);
    RedRunOps(ServiceContext);
    return TRUE;
}

static void red_program_note(PVOID context) {
    PRED_PROGRAM program = context;
    uint64_t outcome = 14695981039346656037ull;
    for (int i = 0; i < program->ContextCount; i++)
        outcome = (outcome ^ program->Contexts[i].Seen) * 1099511628211ull;
    for (int w = 0; w < WORDS; w++)
        outcome = (outcome ^ (uint32_t)program->Words[w]) * 1099511628211ull;
    if (red_program_outcome != NULL)
        red_program_outcome(outcome);
}

/* xorshift32: the program's generator, seeded by its number. */
static uint32_t red_random(uint32_t *state, uint32_t below) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state % below;
}

/* A context of `ops` operations of the first `count` of `kinds`. */
static PRED_CONTEXT red_context_new(PRED_PROGRAM program, uint32_t *state, int ops, const OP_KIND *kinds, int count) {
    PRED_CONTEXT context = &program->Contexts[program->ContextCount++];
    context->Program = program;
    context->OpCount = ops;
    for (int i = 0; i < ops; i++)
        context->Ops[i] = (RED_OP){.Kind = kinds[red_random(state, (uint32_t)count)],
                                   .Word = (int)red_random(state, WORDS),
                                   .Lock = (int)red_random(state, LOCKS),
                                   .Value = 1 + (LONG)red_random(state, 3)};
    return context;
}

/* The kinds a context of a program at level `wide` may use, into `into`:
 * the list of `all` but the interrupt spin lock, its last, unless there is
 * an interrupt; from `wide` 2 the executive spin lock's too; at 4 its
 * `timers`, and KeSynchronizeExecution where there is an interrupt. */
static int wide_kinds(OP_KIND *into, const OP_KIND *kinds, int all, BOOLEAN interrupt, int64_t wide,
                      const OP_KIND *timers, int timer_count) {
    int count = 0;
    for (int i = 0; i < all - 1; i++)
        into[count++] = kinds[i];
    for (int i = 0; wide > 1 && i < EX_KINDS; i++)
        into[count++] = ex_kinds[i];
    if (interrupt)
        into[count++] = kinds[all - 1];
    for (int i = 0; wide > 3 && i < timer_count; i++)
        into[count++] = timers[i];
    if (wide > 3 && interrupt)
        into[count++] = OP_SYNC_EXECUTE;
    return count;
}

SIM_SCENARIO(red_random_program, "reduction: a random program of Interlocked operations, locks, a DPC, an interrupt") {
    PRED_PROGRAM program = sim_alloc(sizeof *program);
    uint32_t state = 2463534242u ^ (uint32_t)sim_param("program", 1) * 2654435761u;
    int64_t wide = sim_param("wide", 0);
    /* A wide program decides first whether it has an interrupt, which its
     * other contexts' interrupt spin lock needs. */
    BOOLEAN interrupt = wide > 0 && red_random(&state, 2) == 0;
    OP_KIND wide_threads[KINDS_MAX], wide_dpcs[KINDS_MAX];
    const OP_KIND *threads = thread_kinds, *dpcs = dpc_kinds;
    int thread_count = NARROW_THREAD_KINDS, dpc_count = NARROW_DPC_KINDS;
    if (wide > 0) {
        threads = wide_threads;
        dpcs = wide_dpcs;
        thread_count = wide_kinds(wide_threads, thread_kinds, THREAD_KINDS, interrupt, wide, thread_timer_kinds,
                                  THREAD_TIMER_KINDS);
        dpc_count = wide_kinds(wide_dpcs, dpc_kinds, DPC_KINDS, interrupt, wide, dpc_timer_kinds, DPC_TIMER_KINDS);
        if (wide > 5)
            wide_threads[thread_count++] = OP_SET_PERIODIC;
    }
    int cpus = 2 + (int)red_random(&state, 2);
    sim_cpus(cpus);
    for (int l = 0; l < LOCKS; l++) {
        KeInitializeSpinLock(&program->Locks[l]);
        KeInitializeSpinLock(&program->QueuedLocks[l]);
    }
    KeInitializeEvent(&program->Event, NotificationEvent, FALSE);
    KeInitializeTimer(&program->Timer);
    for (int cpu = 0; cpu < cpus; cpu++) {
        /* Waiting threads wait for the first, which sets the event last
         * and then raises the flag. */
        int waits = 0;
        if (wide > 2 && cpu > 0)
            wide_threads[thread_count + waits++] = OP_WAIT_EVENT;
        if (wide > 4 && cpu > 0)
            wide_threads[thread_count + waits++] = OP_SPIN_WAIT;
        PRED_CONTEXT thread = red_context_new(program, &state, 1 + (int)red_random(&state, wide > 0 ? 3 : 2), threads,
                                              thread_count + waits);
        if (wide > 2 && cpu == 0)
            thread->Ops[thread->OpCount - 1].Kind = OP_SET_EVENT;
        if (wide > 4 && cpu == 0)
            thread->Ops[thread->OpCount++] = (RED_OP){.Kind = OP_RAISE_FLAG};
        sim_thread(wide > 0 && red_random(&state, 3) == 0 ? SIM_ANY_CPU : cpu, RedProgramThread, thread);
    }
    /* The first thread starts the spawned one before one of its own
     * operations. */
    if (wide > 5) {
        PRED_CONTEXT first = &program->Contexts[0];
        int at = (int)red_random(&state, (uint32_t)first->OpCount);
        program->Spawned = red_context_new(program, &state, 1 + (int)red_random(&state, 2), threads, thread_count);
        RtlMoveMemory(&first->Ops[at + 1], &first->Ops[at], (size_t)(first->OpCount - at) * sizeof first->Ops[0]);
        first->Ops[at] = (RED_OP){.Kind = OP_CREATE_THREAD};
        first->OpCount++;
    }
    PRED_CONTEXT dpc = red_context_new(program, &state, 1, dpcs, dpc_count);
    int dpc_cpu = (int)red_random(&state, (uint32_t)cpus);
    /* The DPC targets one CPU; an operation may queue it, and a wide
     * program's device may insert it at any step. */
    if (wide > 0 && red_random(&state, 3) == 0) {
        program->Dpc = sim_dpc_later(dpc_cpu, RedProgramDpc, dpc, 1);
    } else {
        program->Dpc = &program->OwnDpc;
        if (wide > 1 && red_random(&state, 3) == 0)
            KeInitializeThreadedDpc(program->Dpc, RedProgramDpc, dpc);
        else
            KeInitializeDpc(program->Dpc, RedProgramDpc, dpc);
        KeSetTargetProcessorDpc(program->Dpc, (CCHAR)dpc_cpu);
    }
    if (wide > 0 ? interrupt : red_random(&state, 2) == 0)
        program->Interrupt = sim_interrupt(
            RedProgramIsr, red_context_new(program, &state, 1, isr_kinds, wide > 0 ? ISR_KINDS : NARROW_ISR_KINDS), 5,
            5, 1);
    sim_at_end(red_program_note, program);
}
