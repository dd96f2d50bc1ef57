/* reduction_random.c: small random programs for the soundness test of the
 * partial-order reduction (tests/test_reduction.c). The `program`
 * parameter seeds one: threads on two or three CPUs, perhaps a DPC they
 * queue and an interrupt that may strike any CPU, each context doing a few
 * Interlocked operations on two shared words, some under one of two spin
 * locks or at DISPATCH_LEVEL. A run's outcome is a hash of what every
 * operation returned and of the final words (red_program_outcome): two
 * runs with the same outcome did the same things, whatever their order.
 * The reduced search must reach exactly the outcomes the plain one
 * reaches, within each preemption bound. */
#include "sim.h"

#include "reduction_scenarios.h"

void (*red_program_outcome)(uint64_t outcome);

enum { WORDS = 2, LOCKS = 2, OPS_MAX = 3, CONTEXTS_MAX = 5 };

typedef enum {
    OP_ADD,        /* InterlockedExchangeAdd */
    OP_SWAP,       /* InterlockedExchange */
    OP_READ,       /* InterlockedCompareExchange that writes nothing */
    OP_QUEUE_DPC,  /* KeInsertQueueDpc: whether it was queued (not by the DPC) */
    OP_LOCKED_ADD, /* under a spin lock: read one word, add it to the other (threads only) */
    OP_RAISED_ADD, /* at DISPATCH_LEVEL: an add to each word (threads only) */
    OP_KINDS,
    OP_DPC_KINDS = OP_QUEUE_DPC,
    OP_ISR_KINDS = OP_LOCKED_ADD,
} OP_KIND;

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
    KDPC Dpc;
    LONG Words[WORDS];
    int ContextCount;
    RED_CONTEXT Contexts[CONTEXTS_MAX];
};

static void RedSee(PRED_CONTEXT Context, LONG Value) { Context->Seen = Context->Seen * 31 + (ULONG)Value + 1; }

static LONG RedReadWord(PRED_PROGRAM Program, int Word) {
    return InterlockedCompareExchange(&Program->Words[Word], -1, -1);
}

static void RedRunOp(PRED_CONTEXT Context, const RED_OP *Op) {
    PRED_PROGRAM Program = Context->Program;
    LONG volatile *Word = &Program->Words[Op->Word];
    KIRQL OldIrql;
    switch (Op->Kind) {
    case OP_ADD:
        RedSee(Context, InterlockedExchangeAdd(Word, Op->Value));
        break;
    case OP_SWAP:
        RedSee(Context, InterlockedExchange(Word, Op->Value));
        break;
    case OP_READ:
        RedSee(Context, RedReadWord(Program, Op->Word));
        break;
    case OP_QUEUE_DPC:
        RedSee(Context, KeInsertQueueDpc(&Program->Dpc, NULL, NULL));
        break;
    case OP_LOCKED_ADD:
        KeAcquireSpinLock(&Program->Locks[Op->Lock], &OldIrql);
        RedSee(Context, InterlockedExchangeAdd(Word, RedReadWord(Program, 1 - Op->Word) + Op->Value));
        KeReleaseSpinLock(&Program->Locks[Op->Lock], OldIrql);
        break;
    case OP_RAISED_ADD:
        KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
        RedSee(Context, InterlockedExchangeAdd(Word, Op->Value));
        RedSee(Context, InterlockedExchangeAdd(&Program->Words[1 - Op->Word], Op->Value));
        KeLowerIrql(OldIrql);
        break;
    case OP_KINDS:
        break;
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

/* A context of `ops` operations of the kinds before `kinds`. */
static PRED_CONTEXT red_context_new(PRED_PROGRAM program, uint32_t *state, int ops, int kinds) {
    PRED_CONTEXT context = &program->Contexts[program->ContextCount++];
    context->Program = program;
    context->OpCount = ops;
    for (int i = 0; i < ops; i++)
        context->Ops[i] = (RED_OP){.Kind = (OP_KIND)red_random(state, (uint32_t)kinds),
                                   .Word = (int)red_random(state, WORDS),
                                   .Lock = (int)red_random(state, LOCKS),
                                   .Value = 1 + (LONG)red_random(state, 3)};
    return context;
}

SIM_SCENARIO(red_random_program, "reduction: a random program of Interlocked operations, locks, a DPC, an interrupt") {
    PRED_PROGRAM program = sim_alloc(sizeof *program);
    uint32_t state = 2463534242u ^ (uint32_t)sim_param("program", 1) * 2654435761u;
    int cpus = 2 + (int)red_random(&state, 2);
    sim_cpus(cpus);
    for (int l = 0; l < LOCKS; l++)
        KeInitializeSpinLock(&program->Locks[l]);
    for (int cpu = 0; cpu < cpus; cpu++)
        sim_thread(cpu, RedProgramThread, red_context_new(program, &state, 1 + (int)red_random(&state, 2), OP_KINDS));
    /* The DPC targets one CPU; an operation of a thread or the ISR may queue it. */
    KeInitializeDpc(&program->Dpc, RedProgramDpc, red_context_new(program, &state, 1, OP_DPC_KINDS));
    KeSetTargetProcessorDpc(&program->Dpc, (CCHAR)red_random(&state, (uint32_t)cpus));
    if (red_random(&state, 2) == 0)
        sim_interrupt(RedProgramIsr, red_context_new(program, &state, 1, OP_ISR_KINDS), 5, 5, 1);
    sim_at_end(red_program_note, program);
}
