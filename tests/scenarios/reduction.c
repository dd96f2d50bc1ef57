/* reduction.c: scenarios whose every outcome (how their runs end) the
 * partial-order reduction must still reach: each run's outcome is a bit in
 * red_outcomes_seen, and the reduced search must set the same bits as the
 * full one.
 *
 * red_dpc_taken_back: a thread queues a DPC for the other CPU and takes it
 * back one step later. The default schedule never delivers it (it runs the
 * thread on), so no run of the default policy has the DPC's step to race
 * with: only a search that explores the injection it was offered sees
 * the DPC run.
 *
 * red_lock_order: two threads and a DPC each take one spin lock and log
 * their number under it; the outcome is the order they took it in. Every
 * step of theirs touches the lock, so few orders of them are equivalent.
 *
 * red_dpc_position, red_isr_either_cpu and red_thread_placement: an
 * interrupt, a DPC or a thread switch is a choice of the CPU it happens
 * on, independent of the other CPU's steps unless they share something.
 * The outcome is where it struck: after how many of the CPU's own steps,
 * and what the other CPU had done by then; on which CPU each thread ran.
 *
 * red_dpc_later and red_dpc_importance: DPCs queued while the CPUs run,
 * by an interrupt that may strike either CPU (twice), or by the other
 * CPU's thread, a normal one then a high-importance one that may jump
 * ahead of it. The outcome is what each DPC run saw, in order.
 *
 * red_three_cpus_two_locks: threads on three CPUs, one of them with a DPC
 * queued behind it, take an outer and an inner lock in one order and log
 * under each; the outcome is who took each lock first and last.
 *
 * red_three_appenders: threads on three CPUs each append their number
 * twice to a shared log, a slot taken with InterlockedIncrement and then
 * filled; the outcome is the log, which most orders need preemptions for.
 *
 * red_irql_window: an interrupt that may strike either CPU samples the
 * CPU 0 thread's progress and queues a DPC for CPU 0, which samples it
 * again; the thread raises to DISPATCH_LEVEL for two of its four steps,
 * so the interrupt may strike inside that window and the DPC may not. The
 * outcome is what each saw, and where the interrupt struck.
 *
 * red_dpc_stacks: a DPC on each of two CPUs takes an in-stack queued spin
 * lock and logs its number under it, with how many had reached the lock.
 * A waiter's queue handle is on its DPC's stack, and the releasing CPU
 * writes into it, so each CPU's steps touch the other's stack. The
 * outcome is the log.
 *
 * red_shared_old_irql and red_own_old_irql: a receive thread and a
 * transmit thread at DISPATCH_LEVEL on two CPUs each take their own spin
 * lock, with one OldIrql
 * variable in the extension (a bug only while both hold their locks at
 * once) or each with its own. Only the lock code writes OldIrql, so only
 * what the checkers record of it orders the two. */
#include <wdm.h>

#include "reduction_scenarios.h"
#include "sim.h"

uint64_t red_outcomes_seen;

/* The run ended in outcome `outcome` (folded into 64). */
static void red_note(unsigned outcome) { red_outcomes_seen |= 1ull << (outcome % 64); }

typedef struct _RED_EXTENSION {
    KDPC Dpc;
    LONG Work;
    LONG DpcRan;
} RED_EXTENSION, *PRED_EXTENSION;

static VOID RedDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_EXTENSION Ext = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    InterlockedIncrement(&Ext->DpcRan);
}

static VOID RedQueueAndTakeBack(PVOID StartContext) {
    PRED_EXTENSION Ext = StartContext;
    KeInsertQueueDpc(&Ext->Dpc, NULL, NULL);
    InterlockedIncrement(&Ext->Work);
    KeRemoveQueueDpc(&Ext->Dpc);
}

static void red_note_outcome(PVOID context) {
    PRED_EXTENSION ext = context;
    red_note((unsigned)ext->DpcRan);
}

SIM_SCENARIO(red_dpc_taken_back, "reduction: a DPC queued for another CPU and taken back a step later") {
    PRED_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeDpc(&ext->Dpc, RedDpc, ext);
    KeSetTargetProcessorDpc(&ext->Dpc, 1);
    sim_thread(0, RedQueueAndTakeBack, ext);
    sim_at_end(red_note_outcome, ext);
}

typedef struct _RED_LOG {
    KSPIN_LOCK Lock;
    KDPC Dpc;
    LONG Count;
    LONG Order[3];
} RED_LOG, *PRED_LOG;

static VOID RedLogUnderLock(PRED_LOG Log, LONG Who) { Log->Order[Log->Count++] = Who; }

static VOID RedLogThread(PVOID StartContext) {
    PRED_LOG Log = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Log->Lock, &OldIrql);
    RedLogUnderLock(Log, (LONG)KeGetCurrentProcessorNumber());
    KeReleaseSpinLock(&Log->Lock, OldIrql);
}

static VOID RedLogDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_LOG Log = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Log->Lock);
    RedLogUnderLock(Log, 2);
    KeReleaseSpinLockFromDpcLevel(&Log->Lock);
}

/* The order as a number: the first's number times 3 plus the second's. */
static void red_note_order(PVOID context) {
    PRED_LOG log = context;
    red_note((unsigned)(log->Order[0] * 3 + log->Order[1]));
}

SIM_SCENARIO(red_lock_order, "reduction: two threads and a DPC log their turn under one spin lock") {
    PRED_LOG log = sim_alloc(sizeof *log);
    sim_cpus(2);
    KeInitializeSpinLock(&log->Lock);
    sim_thread(0, RedLogThread, log);
    sim_thread(1, RedLogThread, log);
    sim_dpc(1, RedLogDpc, log);
    sim_at_end(red_note_order, log);
}

typedef struct _RED_PORTS {
    KSPIN_LOCK RxLock;
    KSPIN_LOCK TxLock;
    KIRQL SavedIrql; /* one Old for both locks: the bug */
    LONG RxPackets;
    LONG TxPackets;
} RED_PORTS, *PRED_PORTS;

static VOID RedRxSharedOld(PVOID StartContext) {
    PRED_PORTS Ports = StartContext;
    KeAcquireSpinLock(&Ports->RxLock, &Ports->SavedIrql);
    Ports->RxPackets++;
    KeReleaseSpinLock(&Ports->RxLock, Ports->SavedIrql);
}

/* The transmit path runs raised, so the two Old values differ. */
static VOID RedTxSharedOld(PVOID StartContext) {
    PRED_PORTS Ports = StartContext;
    KIRQL Entry;
    KeRaiseIrql(DISPATCH_LEVEL, &Entry);
    KeAcquireSpinLock(&Ports->TxLock, &Ports->SavedIrql);
    Ports->TxPackets++;
    KeReleaseSpinLock(&Ports->TxLock, Ports->SavedIrql);
    KeLowerIrql(Entry);
}

static VOID RedRxOwnOld(PVOID StartContext) {
    PRED_PORTS Ports = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Ports->RxLock, &OldIrql);
    Ports->RxPackets++;
    KeReleaseSpinLock(&Ports->RxLock, OldIrql);
}

static VOID RedTxOwnOld(PVOID StartContext) {
    PRED_PORTS Ports = StartContext;
    KIRQL Entry, OldIrql;
    KeRaiseIrql(DISPATCH_LEVEL, &Entry);
    KeAcquireSpinLock(&Ports->TxLock, &OldIrql);
    Ports->TxPackets++;
    KeReleaseSpinLock(&Ports->TxLock, OldIrql);
    KeLowerIrql(Entry);
}

static void red_ports(PKSTART_ROUTINE rx, PKSTART_ROUTINE tx) {
    PRED_PORTS ports = sim_alloc(sizeof *ports);
    sim_cpus(2);
    KeInitializeSpinLock(&ports->RxLock);
    KeInitializeSpinLock(&ports->TxLock);
    sim_thread(0, rx, ports);
    sim_thread(1, tx, ports);
}

SIM_SCENARIO(red_shared_old_irql, "reduction: two threads on two CPUs keep two locks' Old in one variable") {
    red_ports(RedRxSharedOld, RedTxSharedOld);
    sim_expect(SIM_FINDING_WRONG_NEW_IRQL);
}

SIM_SCENARIO(red_own_old_irql, "reduction: two threads on two CPUs, each lock's Old in its own variable") {
    red_ports(RedRxOwnOld, RedTxOwnOld);
    sim_expect(SIM_FINDING_NONE);
}

typedef struct _RED_PROGRESS {
    LONG Steps[2]; /* steps each CPU's thread took so far */
    LONG Flag;     /* set by the CPU 0 thread */
    LONG Seen;     /* 1 + what the DPC or ISR saw; 0 while it has not run */
} RED_PROGRESS, *PRED_PROGRESS;

static LONG RedRead(LONG volatile *Word) { return InterlockedCompareExchange(Word, 0, 0); }

static VOID RedSetFlag(PVOID StartContext) {
    PRED_PROGRESS Progress = StartContext;
    InterlockedExchange(&Progress->Flag, 1);
}

static VOID RedStepTwice(PVOID StartContext) {
    PRED_PROGRESS Progress = StartContext;
    ULONG Cpu = KeGetCurrentProcessorNumber();
    InterlockedIncrement(&Progress->Steps[Cpu]);
    InterlockedIncrement(&Progress->Steps[Cpu]);
}

static VOID RedSampleDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_PROGRESS Progress = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    LONG Steps = RedRead(&Progress->Steps[1]);
    InterlockedExchange(&Progress->Seen, 1 + Steps * 2 + RedRead(&Progress->Flag));
}

static void red_note_seen(PVOID context) {
    PRED_PROGRESS progress = context;
    red_note((unsigned)progress->Seen);
}

SIM_SCENARIO(red_dpc_position, "reduction: a DPC strikes its CPU's thread between any two of its steps") {
    PRED_PROGRESS progress = sim_alloc(sizeof *progress);
    sim_cpus(2);
    sim_thread(0, RedSetFlag, progress);
    sim_thread(1, RedStepTwice, progress);
    sim_dpc(1, RedSampleDpc, progress);
    sim_at_end(red_note_seen, progress);
}

static BOOLEAN RedSampleIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PRED_PROGRESS Progress = ServiceContext;
    ULONG Cpu = KeGetCurrentProcessorNumber();
    UNREFERENCED_PARAMETER(Interrupt);
    InterlockedExchange(&Progress->Seen, 1 + (LONG)Cpu * 3 + RedRead(&Progress->Steps[Cpu]));
    return TRUE;
}

SIM_SCENARIO(red_isr_either_cpu, "reduction: one interrupt taken by either CPU between any two of its steps") {
    PRED_PROGRESS progress = sim_alloc(sizeof *progress);
    sim_cpus(2);
    sim_interrupt(RedSampleIsr, progress, 5, 5, 1);
    sim_thread(0, RedStepTwice, progress);
    sim_thread(1, RedStepTwice, progress);
    sim_at_end(red_note_seen, progress);
}

typedef struct _RED_PLACEMENT {
    LONG Work[3];
    LONG RanOn[3]; /* 1 + the CPU each thread ended on */
} RED_PLACEMENT, *PRED_PLACEMENT;

static VOID RedPlacedThread(PVOID StartContext) {
    PLONG Slot = StartContext;
    PRED_PLACEMENT Placement = CONTAINING_RECORD(Slot, RED_PLACEMENT, Work[0]);
    InterlockedIncrement(Slot);
    InterlockedExchange(&Placement->RanOn[Slot - Placement->Work], 1 + (LONG)KeGetCurrentProcessorNumber());
}

/* The run ended with `digits` read as a number in `base`, folded into
 * `fold` outcomes. */
static void red_note_digits(const LONG *digits, int count, unsigned base, unsigned fold) {
    unsigned outcome = 0;
    for (int i = 0; i < count; i++)
        outcome = outcome * base + (unsigned)digits[i];
    red_note(outcome % fold);
}

static void red_note_placement(PVOID context) {
    PRED_PLACEMENT placement = context;
    red_note_digits(placement->RanOn, 3, 3, 32);
}

SIM_SCENARIO(red_thread_placement, "reduction: three threads for any CPU on two CPUs, switched between steps") {
    PRED_PLACEMENT placement = sim_alloc(sizeof *placement);
    sim_cpus(2);
    for (int i = 0; i < 3; i++)
        sim_thread(SIM_ANY_CPU, RedPlacedThread, &placement->Work[i]);
    sim_at_end(red_note_placement, placement);
}

typedef struct _RED_QUEUED {
    KDPC Normal;
    KDPC Urgent;
    LONG Steps; /* the CPU 1 thread's steps so far */
    LONG Seen;  /* each DPC run appends 1 + (what it saw), base 8 */
} RED_QUEUED, *PRED_QUEUED;

static VOID RedStepOnCpu1(PVOID StartContext) {
    PRED_QUEUED Queued = StartContext;
    InterlockedIncrement(&Queued->Steps);
    InterlockedIncrement(&Queued->Steps);
}

static VOID RedAppend(PRED_QUEUED Queued, LONG What) {
    LONG Seen = RedRead(&Queued->Seen);
    InterlockedExchange(&Queued->Seen, Seen * 8 + 1 + What);
}

static VOID RedLaterDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_QUEUED Queued = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    RedAppend(Queued, RedRead(&Queued->Steps));
}

static void red_note_queued(PVOID context) {
    PRED_QUEUED queued = context;
    red_note((unsigned)queued->Seen % 32);
}

SIM_SCENARIO(red_dpc_later, "reduction: an interrupt on either CPU queues a DPC for CPU 1, twice") {
    PRED_QUEUED queued = sim_alloc(sizeof *queued);
    sim_cpus(2);
    sim_thread(1, RedStepOnCpu1, queued);
    sim_dpc_later(1, RedLaterDpc, queued, 2);
    sim_at_end(red_note_queued, queued);
}

/* The normal DPC appends what it saw, the urgent one 4 more. */
static VOID RedUrgentDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_QUEUED Queued = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    RedAppend(Queued, 4 + RedRead(&Queued->Steps));
}

static VOID RedQueueBoth(PVOID StartContext) {
    PRED_QUEUED Queued = StartContext;
    KeInsertQueueDpc(&Queued->Normal, NULL, NULL);
    KeInsertQueueDpc(&Queued->Urgent, NULL, NULL);
}

SIM_SCENARIO(red_dpc_importance, "reduction: a high-importance DPC queued for CPU 1 may overtake a normal one") {
    PRED_QUEUED queued = sim_alloc(sizeof *queued);
    sim_cpus(2);
    KeInitializeDpc(&queued->Normal, RedLaterDpc, queued);
    KeSetTargetProcessorDpc(&queued->Normal, 1);
    KeInitializeDpc(&queued->Urgent, RedUrgentDpc, queued);
    KeSetTargetProcessorDpc(&queued->Urgent, 1);
    KeSetImportanceDpc(&queued->Urgent, HighImportance);
    sim_thread(0, RedQueueBoth, queued);
    sim_thread(1, RedStepOnCpu1, queued);
    sim_at_end(red_note_queued, queued);
}

typedef struct _RED_NEST {
    KSPIN_LOCK Outer;
    KSPIN_LOCK Inner;
    LONG OuterLog; /* base 4: 1 + each taker's number, in order */
    LONG InnerLog;
} RED_NEST, *PRED_NEST;

static VOID RedNestTake(PRED_NEST Nest, LONG Who, BOOLEAN BothLocks) {
    KIRQL OldIrql;
    KeAcquireSpinLock(&Nest->Outer, &OldIrql);
    Nest->OuterLog = Nest->OuterLog * 4 + 1 + Who;
    if (BothLocks) {
        KeAcquireSpinLockAtDpcLevel(&Nest->Inner);
        Nest->InnerLog = Nest->InnerLog * 4 + 1 + Who;
        KeReleaseSpinLockFromDpcLevel(&Nest->Inner);
    }
    KeReleaseSpinLock(&Nest->Outer, OldIrql);
}

static VOID RedNestBoth(PVOID StartContext) { RedNestTake(StartContext, (LONG)KeGetCurrentProcessorNumber(), TRUE); }

static VOID RedNestInnerOnly(PVOID StartContext) {
    PRED_NEST Nest = StartContext;
    KIRQL OldIrql;
    KeAcquireSpinLock(&Nest->Inner, &OldIrql);
    Nest->InnerLog = Nest->InnerLog * 4 + 1 + (LONG)KeGetCurrentProcessorNumber();
    KeReleaseSpinLock(&Nest->Inner, OldIrql);
}

static VOID RedNestDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    RedNestTake(DeferredContext, 3, FALSE);
}

/* The rank of the order a log (base 4, 1 + each taker's number, the
 * first most significant) lists `members` in: 0..5. */
static unsigned red_order_rank(LONG log, const LONG members[3]) {
    unsigned position[3];
    for (int i = 2; i >= 0; i--, log /= 4)
        for (unsigned m = 0; m < 3; m++)
            if (members[m] == log % 4 - 1)
                position[i] = m;
    return position[0] * 2 + (position[1] > position[2]);
}

/* The orders the outer and the inner lock were taken in: one of 36. */
static void red_note_nest(PVOID context) {
    static const LONG outer_takers[3] = {0, 1, 3}, inner_takers[3] = {0, 1, 2};
    PRED_NEST nest = context;
    red_note(red_order_rank(nest->OuterLog, outer_takers) * 6 + red_order_rank(nest->InnerLog, inner_takers));
}

SIM_SCENARIO(red_three_cpus_two_locks, "reduction: three CPUs and a DPC take an outer and an inner lock") {
    PRED_NEST nest = sim_alloc(sizeof *nest);
    sim_cpus(3);
    KeInitializeSpinLock(&nest->Outer);
    KeInitializeSpinLock(&nest->Inner);
    sim_thread(0, RedNestBoth, nest);
    sim_thread(1, RedNestBoth, nest);
    sim_thread(2, RedNestInnerOnly, nest);
    sim_dpc(1, RedNestDpc, nest);
    sim_at_end(red_note_nest, nest);
}

typedef struct _RED_APPEND_LOG {
    LONG Count;
    LONG Slots[6];
} RED_APPEND_LOG, *PRED_APPEND_LOG;

static VOID RedAppendTwice(PVOID StartContext) {
    PRED_APPEND_LOG Log = StartContext;
    for (int i = 0; i < 2; i++) {
        LONG Slot = InterlockedIncrement(&Log->Count) - 1;
        InterlockedExchange(&Log->Slots[Slot], 1 + (LONG)KeGetCurrentProcessorNumber());
    }
}

/* The log as a base-4 number, folded into 61. */
static void red_note_appends(PVOID context) {
    PRED_APPEND_LOG log = context;
    red_note_digits(log->Slots, 6, 4, 61);
}

SIM_SCENARIO(red_three_appenders, "reduction: threads on three CPUs append twice each to one log") {
    PRED_APPEND_LOG log = sim_alloc(sizeof *log);
    sim_cpus(3);
    for (int cpu = 0; cpu < 3; cpu++)
        sim_thread(cpu, RedAppendTwice, log);
    sim_at_end(red_note_appends, log);
}

typedef struct _RED_WINDOW {
    KDPC Dpc;
    LONG Steps;  /* the CPU 0 thread's steps so far */
    LONG IsrSaw; /* 1 + its CPU * 5 + the steps it saw */
    LONG DpcSaw; /* 1 + the steps it saw */
} RED_WINDOW, *PRED_WINDOW;

static VOID RedWindowThread(PVOID StartContext) {
    PRED_WINDOW Window = StartContext;
    KIRQL OldIrql;
    InterlockedIncrement(&Window->Steps);
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    InterlockedIncrement(&Window->Steps);
    InterlockedIncrement(&Window->Steps);
    KeLowerIrql(OldIrql);
    InterlockedIncrement(&Window->Steps);
}

static BOOLEAN RedWindowIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PRED_WINDOW Window = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    InterlockedExchange(&Window->IsrSaw, 1 + (LONG)KeGetCurrentProcessorNumber() * 5 + RedRead(&Window->Steps));
    KeInsertQueueDpc(&Window->Dpc, NULL, NULL);
    return TRUE;
}

static VOID RedWindowDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_WINDOW Window = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    InterlockedExchange(&Window->DpcSaw, 1 + RedRead(&Window->Steps));
}

/* One of 50: the interrupt's sighting (10) by the DPC's (5). */
static void red_note_window(PVOID context) {
    PRED_WINDOW window = context;
    red_note((unsigned)((window->IsrSaw - 1) * 5 + window->DpcSaw - 1));
}

SIM_SCENARIO(red_irql_window, "reduction: an interrupt on either CPU and its DPC around a DISPATCH_LEVEL window") {
    PRED_WINDOW window = sim_alloc(sizeof *window);
    sim_cpus(2);
    KeInitializeDpc(&window->Dpc, RedWindowDpc, window);
    KeSetTargetProcessorDpc(&window->Dpc, 0);
    sim_interrupt(RedWindowIsr, window, 5, 5, 1);
    sim_thread(0, RedWindowThread, window);
    sim_at_end(red_note_window, window);
}

typedef struct _RED_STACKS {
    KSPIN_LOCK Lock; /* in-stack queued */
    LONG Arrived;    /* DPCs that reached the lock */
    LONG Log[2];     /* each turn in order: 1 + its CPU + 2 * how many had arrived */
    LONG Turns;
} RED_STACKS, *PRED_STACKS;

static VOID RedStacksDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PRED_STACKS Stacks = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KLOCK_QUEUE_HANDLE Handle;
    InterlockedIncrement(&Stacks->Arrived);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&Stacks->Lock, &Handle);
    Stacks->Log[Stacks->Turns++] = 1 + (LONG)KeGetCurrentProcessorNumber() + 2 * RedRead(&Stacks->Arrived);
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&Handle);
}

static void red_note_stacks(PVOID context) {
    PRED_STACKS stacks = context;
    red_note_digits(stacks->Log, 2, 6, 64);
}

SIM_SCENARIO(red_dpc_stacks, "reduction: DPCs on two CPUs take an in-stack queued lock, each handle on its stack") {
    PRED_STACKS stacks = sim_alloc(sizeof *stacks);
    sim_cpus(2);
    KeInitializeSpinLock(&stacks->Lock);
    sim_dpc(0, RedStacksDpc, stacks);
    sim_dpc(1, RedStacksDpc, stacks);
    sim_at_end(red_note_stacks, stacks);
}
