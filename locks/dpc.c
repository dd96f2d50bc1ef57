/* dpc.c owns the DPC object, KDPC: initialising it, queueing it on a CPU's
 * DPC queue through the machine, taking it back off, its target CPU and
 * importance, and sim_dpc for scenarios (docs/windows-contract.md sect. 2
 * and 5, docs/design.md "DPCs"). KeFlushQueuedDpcs, which reads the
 * machine's queues, is dpc_flush.c's: this file runs natively too
 * (locks/native/native_dpc.c queues its DPCs).
 *
 * KDPC.Inserted is the queued flag: DPC_IDLE or DPC_QUEUED. An insert wins
 * it with one compare-exchange, so a DPC is queued at most once and a
 * losing insert changes nothing (its arguments are dropped). The machine
 * clears the flag when it dequeues the DPC to run it, before the routine
 * runs, and never touches the KDPC again: the routine may re-queue or free
 * it. What the machine queues is a copy made at insert time: routine,
 * context and the two system arguments, which reach the routine as its
 * parameters. The KDPC's SystemArgument fields are not written: the queue,
 * not the object, carries a queued DPC's state, so CPUs inserting in turn
 * share no plain field. A DPC runs on the CPU set by
 * KeSetTargetProcessorDpc, else on the inserting CPU; a high-importance
 * DPC goes to the head of that queue, every other one to the tail. */
#include "internal.h"
#include "lock_internal.h"

enum { DPC_IDLE = LOCKS_DPC_IDLE, DPC_QUEUED = LOCKS_DPC_QUEUED, DPC_FLAG_SIZE = (int)sizeof(LONG) };

/* The body of a DPC context: the routine with the arguments of its insert. */
static void dpc_run(const sim_dpc_request *request) {
    PKDEFERRED_ROUTINE routine = (PKDEFERRED_ROUTINE)request->routine;
    routine((PKDPC)request->object, request->context, request->arg1, request->arg2);
}

static void dpc_init(PRKDPC dpc, UCHAR type, PKDEFERRED_ROUTINE routine, PVOID context, const char *name) {
    dpc->Type = type;
    dpc->Importance = MediumImportance;
    dpc->Number = 0;
    dpc->DeferredRoutine = routine;
    dpc->DeferredContext = context;
    dpc->SystemArgument1 = NULL;
    dpc->SystemArgument2 = NULL;
    dpc->Name = name;
    /* A store: a waiter of KeFlushQueuedDpcs may sleep on the flag. */
    sim_atomic_store(&dpc->Inserted, DPC_IDLE, DPC_FLAG_SIZE);
}

void locks_dpc_enqueue(PRKDPC dpc, int cpu, volatile LONG *queued_flag, void (*run)(const sim_dpc_request *),
                       PVOID arg1, PVOID arg2) {
    SIM_ASSERT(*queued_flag == DPC_QUEUED);
    const sim_dpc_request request = {
        .object = dpc,
        .queued_flag = queued_flag,
        .run = run,
        .routine = (void *)dpc->DeferredRoutine,
        .context = dpc->DeferredContext,
        .arg1 = arg1,
        .arg2 = arg2,
        .name = dpc->Name,
        .threaded = dpc->Type == DPC_THREADED,
        .high_importance = dpc->Importance == HighImportance,
    };
    sim_dpc_enqueue(cpu, &request);
}

/* During setup the CPU count is not settled yet: only the machine's limit
 * is known. */
bool locks_dpc_target(const KDPC *dpc, int cpu_default, int *cpu) {
    *cpu = dpc->Number != 0 ? dpc->Number - 1 : cpu_default;
    const int limit = sim_ctx_current_id() < 0 ? SIM_CPUS_MAX : sim_cpu_count();
    if (*cpu < limit)
        return true;
    sim_reportf(SIM_FINDING_INVARIANT, SIM_SEV_ERROR, NULL, NULL,
                "DPC %s targets cpu%d, which the %d-CPU machine does not have", dpc->Name, *cpu, limit);
    return false;
}

VOID spinsim_KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext,
                             const char *routine_name, const sim_site *site) {
    sim_site_set(site);
    dpc_init(Dpc, DPC_NORMAL, DeferredRoutine, DeferredContext, routine_name);
}

VOID spinsim_KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext,
                                     const char *routine_name, const sim_site *site) {
    sim_site_set(site);
    dpc_init(Dpc, DPC_THREADED, DeferredRoutine, DeferredContext, routine_name);
}

BOOLEAN locks_dpc_insert(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2) {
    /* Win the queued flag: only one insert queues the DPC until it is
     * dequeued; a loser changes nothing. */
    if (sim_atomic_compare_exchange(&Dpc->Inserted, DPC_IDLE, DPC_QUEUED, DPC_FLAG_SIZE) != DPC_IDLE)
        return FALSE;
    int cpu;
    if (!locks_dpc_target(Dpc, sim_cpu_current(), &cpu)) {
        /* Give the flag back: nothing was queued. */
        sim_atomic_store(&Dpc->Inserted, DPC_IDLE, DPC_FLAG_SIZE);
        return FALSE;
    }
    locks_dpc_enqueue(Dpc, cpu, &Dpc->Inserted, dpc_run, SystemArgument1, SystemArgument2);
    return TRUE;
}

BOOLEAN spinsim_KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2, const sim_site *site) {
    sim_site_set(site);
    return locks_dpc_insert(Dpc, SystemArgument1, SystemArgument2);
}

BOOLEAN spinsim_KeRemoveQueueDpc(PRKDPC Dpc, const sim_site *site) {
    sim_site_set(site);
    /* Not queued: nothing to remove (a running DPC is not waited for). */
    if (sim_atomic_load(&Dpc->Inserted, DPC_FLAG_SIZE) == DPC_IDLE)
        return FALSE;
    if (!sim_dpc_dequeue(Dpc))
        return FALSE;
    /* Off the queue; until this store a racing insert still sees it queued
     * and loses, as it would have just before the removal. */
    sim_atomic_store(&Dpc->Inserted, DPC_IDLE, DPC_FLAG_SIZE);
    return TRUE;
}

/* For later inserts only; CPU numbers are 0..count-1. */
void locks_dpc_aim(PRKDPC dpc, int cpu) { dpc->Number = (USHORT)(cpu + 1); }

VOID spinsim_KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number, const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeSetTargetProcessorDpc");
    locks_dpc_aim(Dpc, (UCHAR)Number);
}

VOID spinsim_KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance, const sim_site *site) {
    sim_site_set(site);
    sim_yield_step("KeSetImportanceDpc");
    Dpc->Importance = (UCHAR)Importance;
}

/* A KDPC of the scenario targeting `cpu`; NULL (a bad scenario) when no
 * machine has that CPU. */
static PKDPC scenario_dpc(const char *what, int cpu, UCHAR type, PKDEFERRED_ROUTINE routine, PVOID context,
                          const char *name) {
    if (cpu < 0 || cpu >= SIM_CPUS_MAX) {
        sim_run_bad_scenario("%s %s: cpu%d does not exist", what, name, cpu);
        return NULL;
    }
    PKDPC dpc = sim_alloc(sizeof *dpc);
    dpc_init(dpc, type, routine, context, name);
    locks_dpc_aim(dpc, cpu);
    return dpc;
}

/* Queued in setup, where there is no current CPU: the machine makes it a
 * remote request, delivered when the scheduler chooses. */
static PKDPC queue_at_start(const char *what, int cpu, UCHAR type, PKDEFERRED_ROUTINE routine, PVOID context,
                            const char *name) {
    PKDPC dpc = scenario_dpc(what, cpu, type, routine, context, name);
    if (dpc == NULL)
        return NULL;
    const BOOLEAN queued = locks_dpc_insert(dpc, NULL, NULL);
    SIM_ASSERT(queued);
    return dpc;
}

PKDPC sim_dpc_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, const char *name) {
    return queue_at_start("sim_dpc", cpu, DPC_NORMAL, routine, context, name);
}

PKDPC sim_threaded_dpc_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, const char *name) {
    return queue_at_start("sim_threaded_dpc", cpu, DPC_THREADED, routine, context, name);
}

/* The body of a sim_dpc_later insert: an ISR of the highest device level
 * queueing the DPC, as a device's ISR does. A DPC still queued from the
 * last insert stays queued once (KeInsertQueueDpc returns FALSE). */
static void insert_later(void *arg) { locks_dpc_insert(arg, NULL, NULL); }

PKDPC sim_dpc_later_named(int cpu, PKDEFERRED_ROUTINE routine, PVOID context, int fires, const char *name) {
    PKDPC dpc = scenario_dpc("sim_dpc_later", cpu, DPC_NORMAL, routine, context, name);
    if (dpc == NULL)
        return NULL;
    char source[48];
    snprintf(source, sizeof source, "%s.insert", name);
    sim_irq_register(source, SIM_IRQL_DIRQL_MAX, fires, insert_later, dpc);
    return dpc;
}
