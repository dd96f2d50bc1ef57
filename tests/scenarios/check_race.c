/* check_race.c: scenarios for the data-race detector (sim/race.c,
 * sim/shadow.c): each buggy scenario touches shared data where nothing
 * orders two of its accesses, and its twin orders them the way drivers do.
 * Further correct patterns below must stay silent as they are: hand-offs
 * through a DPC queue, an Interlocked publish (with an Interlocked or a
 * plain volatile read), an event, data written before the roles start, a
 * reader/writer lock used right, per-CPU data at DISPATCH_LEVEL, a
 * threaded DPC's own statistics, and a long legitimate loop. */
#include "check_scenarios.h"

/* ---- a counter updated under its lock by a thread, plainly by a DPC --------- */

CHECK_CALL(race_counter_locked, (check_ext * ext), ext->counter++)
CHECK_CALL(race_counter_dpc, (check_ext * ext), ext->counter++)

static VOID counting_thread(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 3; i++) {
        KIRQL old;
        KeAcquireSpinLock(&ext->lock[0], &old);
        race_counter_locked(ext);
        KeReleaseSpinLock(&ext->lock[0], old);
    }
}

static VOID counting_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    if (!ext->buggy)
        KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    race_counter_dpc(ext);
    if (!ext->buggy)
        KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

static void setup_counter(check_ext *ext) {
    sim_thread(0, counting_thread, ext);
    sim_dpc(1, counting_dpc, ext);
}
CHECK_PAIR(chk_race_counter, SIM_FINDING_DATA_RACE, "a DPC increments a counter without the thread's lock",
           setup_counter)

/* ---- the same on 24 CPUs: clocks wider than the inline joins (sim/vclock.c) --- */

enum { WIDE_CPUS = 24 };

CHECK_CALL(race_wide_locked, (check_ext * ext), ext->counter++)
CHECK_CALL(race_wide_unlocked, (check_ext * ext), ext->counter++)

/* Calls `touch` holding lock `lock` of `ext`. */
static void call_locked(check_ext *ext, int lock, void (*touch)(check_ext *)) {
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[lock], &old);
    touch(ext);
    KeReleaseSpinLock(&ext->lock[lock], old);
}

static VOID wide_worker(PVOID Context) { call_locked(Context, 0, race_wide_locked); }

/* The last CPU's thread, which skips the lock in the buggy scenario. */
static VOID wide_last_worker(PVOID Context) {
    check_ext *ext = Context;
    if (ext->buggy)
        race_wide_unlocked(ext);
    else
        wide_worker(ext);
}

static void setup_wide(check_ext *ext) {
    sim_cpus(WIDE_CPUS);
    for (int cpu = 0; cpu < WIDE_CPUS - 1; cpu++)
        sim_thread(cpu, wide_worker, ext);
    sim_thread(WIDE_CPUS - 1, wide_last_worker, ext);
}
CHECK_PAIR(chk_race_wide, SIM_FINDING_DATA_RACE, "24 CPUs increment a counter under its lock, the last without it",
           setup_wide)

/* ---- a field an ISR writes and a thread polls without the interrupt lock ----- */

CHECK_CALL(race_isr_write, (check_ext * ext), ext->status = 1)
CHECK_CALL(race_poll_read, (check_ext * ext), ext->data = ext->status)

static BOOLEAN status_isr(PKINTERRUPT Interrupt, PVOID Context) {
    race_isr_write(Context);
    return TRUE;
}

static BOOLEAN read_status(PVOID Context) {
    race_poll_read(Context);
    return TRUE;
}

static VOID polling_thread(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 4; i++) {
        if (ext->buggy)
            read_status(ext);
        else
            KeSynchronizeExecution(ext->irq, read_status, ext);
        YieldProcessor();
    }
}

static void setup_isr_field(check_ext *ext) {
    ext->irq = sim_interrupt(status_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, polling_thread, ext);
}
CHECK_PAIR(chk_race_isr_field, SIM_FINDING_DATA_RACE, "a thread polls a field the ISR writes without its lock",
           setup_isr_field)

/* ---- a flag written under its lock, read outside it ----------------------------- */

CHECK_CALL(race_flag_write, (check_ext * ext), ext->data = 1)
CHECK_CALL(race_flag_read, (check_ext * ext), ext->counter = ext->data)

static VOID flag_setter(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[1], &old);
    race_flag_write(ext);
    KeReleaseSpinLock(&ext->lock[1], old);
}

static VOID flag_reader(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old = PASSIVE_LEVEL;
    if (!ext->buggy)
        KeAcquireSpinLock(&ext->lock[1], &old);
    race_flag_read(ext);
    if (!ext->buggy)
        KeReleaseSpinLock(&ext->lock[1], old);
}

CHECK_PAIR_THREADS(chk_race_flag, SIM_FINDING_DATA_RACE, "a flag written under its lock is read outside it",
                   flag_setter, flag_reader)

/* ---- a list a thread fills under its lock and a DPC drains without it ---------- */

CHECK_CALL(race_list_insert, (check_ext * ext, int i), InsertTailList(&ext->list, &ext->entries[i]))
CHECK_CALL(race_list_remove, (check_ext * ext), if (!IsListEmpty(&ext->list)) RemoveHeadList(&ext->list))

static VOID list_filler(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 2; i++) {
        KIRQL old;
        KeAcquireSpinLock(&ext->lock[2], &old);
        race_list_insert(ext, i);
        KeReleaseSpinLock(&ext->lock[2], old);
    }
}

static VOID list_drain_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    if (!ext->buggy)
        KeAcquireSpinLockAtDpcLevel(&ext->lock[2]);
    race_list_remove(ext);
    if (!ext->buggy)
        KeReleaseSpinLockFromDpcLevel(&ext->lock[2]);
}

static void setup_list(check_ext *ext) {
    InitializeListHead(&ext->list);
    sim_thread(0, list_filler, ext);
    sim_dpc(1, list_drain_dpc, ext);
}
CHECK_PAIR(chk_race_list, SIM_FINDING_DATA_RACE, "a DPC removes from a list without the lock the thread uses",
           setup_list)

/* ---- counters a thread keeps under its lock, touched by memory routines -------- */

/* The C library's memory routines, RtlZeroMemory and RtlCopyMemory among
 * them, are calls, not loads and stores: driver code reaches them through
 * sim/driver_memory.c, which checks the bytes, as RtlCompareMemory
 * (locks/rtl.c) checks those it reads. Zeroing fields one by one
 * is the optimizer's memset unless driver code is built -fno-builtin. */
CHECK_CALL(race_stats_count, (check_ext * ext), ext->stats[1]++)
CHECK_CALL(race_stats_zero, (check_ext * ext), RtlZeroMemory(ext->stats, sizeof ext->stats))
CHECK_CALL(race_stats_copy, (check_ext * ext), RtlCopyMemory(ext->snapshot, ext->stats, sizeof ext->stats))
CHECK_CALL(race_stats_compare, (check_ext * ext), ext->data = memcmp(ext->snapshot, ext->stats, sizeof ext->stats))
CHECK_CALL(race_stats_fields, (check_ext * ext), for (int i = 0; i < CHECK_STATS; i++) ext->stats[i] = 0)
CHECK_CALL(race_stats_rtl_compare, (check_ext * ext), ext->data = (LONG)RtlCompareMemory(ext->snapshot, ext->stats, 24))

static VOID stats_thread(PVOID Context) { call_locked(Context, 3, race_stats_count); }

/* A DPC on CPU 1 that calls `touch`, without lock D in the buggy twin,
 * beside `thread` on CPU 0, which takes it. */
#define LOCKED_DPC(name, thread, touch)                                                                                \
    static VOID name(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {                                     \
        check_ext *ext = Context;                                                                                      \
        if (!ext->buggy)                                                                                               \
            KeAcquireSpinLockAtDpcLevel(&ext->lock[3]);                                                                \
        touch(ext);                                                                                                    \
        if (!ext->buggy)                                                                                               \
            KeReleaseSpinLockFromDpcLevel(&ext->lock[3]);                                                              \
    }                                                                                                                  \
    static void setup_##name(check_ext *ext) {                                                                         \
        sim_thread(0, thread, ext);                                                                                    \
        sim_dpc(1, name, ext);                                                                                         \
    }
/* A DPC that calls `touch` on the counters. */
#define STATS_DPC(name, touch) LOCKED_DPC(name, stats_thread, touch)
STATS_DPC(stats_zeroing_dpc, race_stats_zero)
STATS_DPC(stats_copying_dpc, race_stats_copy)
STATS_DPC(stats_comparing_dpc, race_stats_compare)
STATS_DPC(stats_field_dpc, race_stats_fields)
STATS_DPC(stats_rtl_comparing_dpc, race_stats_rtl_compare)
CHECK_PAIR(chk_race_zero_memory, SIM_FINDING_DATA_RACE, "a DPC resets counters with RtlZeroMemory without their lock",
           setup_stats_zeroing_dpc)
CHECK_PAIR(chk_race_copy_memory, SIM_FINDING_DATA_RACE, "a DPC copies counters with RtlCopyMemory without their lock",
           setup_stats_copying_dpc)
CHECK_PAIR(chk_race_compare_memory, SIM_FINDING_DATA_RACE, "a DPC compares counters with memcmp without their lock",
           setup_stats_comparing_dpc)
CHECK_PAIR(chk_race_field_reset, SIM_FINDING_DATA_RACE, "a DPC zeroes counters one by one without their lock",
           setup_stats_field_dpc)
CHECK_PAIR(chk_race_rtl_compare, SIM_FINDING_DATA_RACE,
           "a DPC compares counters with RtlCompareMemory without their lock", setup_stats_rtl_comparing_dpc)

/* ---- a name the Rtl string routines read and write ----------------------------- */

/* RtlCopyUnicodeString and its kin are lock code (locks/rtl.c), which the
 * compiler's hooks do not see: they report the string fields and the
 * characters they touch themselves. */
CHECK_CALL(race_name_rename, (check_ext * ext), RtlCopyUnicodeString(&ext->name, &ext->new_name))
CHECK_CALL(race_name_copy, (check_ext * ext), RtlCopyUnicodeString(&ext->name_copy, &ext->name))
CHECK_CALL(race_name_append, (check_ext * ext), RtlAppendUnicodeToString(&ext->name, L"!"))
CHECK_CALL(race_name_equal, (check_ext * ext), ext->data = RtlEqualUnicodeString(&ext->name, &ext->new_name, TRUE))

static VOID name_thread(PVOID Context) { call_locked(Context, 3, race_name_rename); }

LOCKED_DPC(name_copying_dpc, name_thread, race_name_copy)
LOCKED_DPC(name_appending_dpc, name_thread, race_name_append)
CHECK_PAIR(chk_race_copy_unicode, SIM_FINDING_DATA_RACE,
           "a DPC copies a name with RtlCopyUnicodeString without the lock it is renamed under", setup_name_copying_dpc)
CHECK_PAIR(chk_race_append_unicode, SIM_FINDING_DATA_RACE,
           "a DPC appends to a name with RtlAppendUnicodeToString without the lock it is renamed under",
           setup_name_appending_dpc)

/* RtlEqualUnicodeString wants PASSIVE_LEVEL: the comparing thread waits
 * for the renaming one's event instead of a lock, but not in the buggy twin. */
static VOID name_renamer(PVOID Context) {
    check_ext *ext = Context;
    race_name_rename(ext);
    KeSetEvent(&ext->event, 0, FALSE);
}

static VOID name_comparer(PVOID Context) {
    check_ext *ext = Context;
    check_wait_unless_buggy(ext);
    race_name_equal(ext);
}

CHECK_PAIR_THREADS(chk_race_equal_unicode, SIM_FINDING_DATA_RACE,
                   "a thread compares a name with RtlEqualUnicodeString before the event that says it was renamed",
                   name_renamer, name_comparer)

/* ---- correct patterns that must stay silent ----------------------------------- */

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

/* The thread fills the data, then queues the DPC that consumes it. */
static VOID handoff_consumer(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    ext->counter = ext->data + 1;
}

static VOID handoff_producer(PVOID Context) {
    check_ext *ext = Context;
    ext->data = 42;
    KeInsertQueueDpc(&ext->dpc, NULL, NULL);
}

SIM_SCENARIO(chk_race_ok_dpc_handoff, "data handed to a DPC on another CPU through its queue") {
    check_ext *ext = check_ext_new(false);
    KeInitializeDpc(&ext->dpc, handoff_consumer, ext);
    KeSetTargetProcessorDpc(&ext->dpc, 1);
    sim_thread(0, handoff_producer, ext);
    sim_thread(1, idle_thread, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* The producer publishes with InterlockedExchange; one consumer polls with
 * InterlockedCompareExchange, the other with a plain volatile read (x86
 * orders it like the interlocked write it reads). */
static VOID publisher(PVOID Context) {
    check_ext *ext = Context;
    ext->data = 7;
    ext->counter = 8;
    InterlockedExchange(&ext->flag, 1);
}

/* Each polls a few times and consumes only what it saw published. */
enum { POLLS = 3 };

static VOID interlocked_consumer(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < POLLS; i++, YieldProcessor())
        if (InterlockedCompareExchange(&ext->flag, 1, 1) == 1) {
            ext->status = ext->data + ext->counter;
            return;
        }
}

static VOID volatile_consumer(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < POLLS; i++, YieldProcessor())
        if (ext->flag == 1) {
            ext->per_cpu[0] = ext->data;
            return;
        }
}

SIM_SCENARIO(chk_race_ok_interlocked_publish, "data published by InterlockedExchange") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, publisher, ext);
    sim_thread(1, interlocked_consumer, ext);
    sim_thread(1, volatile_consumer, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* The waiter reads what the setter wrote before KeSetEvent. */
static VOID event_setter(PVOID Context) {
    check_ext *ext = Context;
    ext->data = 3;
    KeSetEvent(&ext->event, 0, FALSE);
}

static VOID event_waiter(PVOID Context) {
    check_ext *ext = Context;
    KeWaitForSingleObject(&ext->event, Executive, KernelMode, FALSE, NULL);
    ext->counter = ext->data;
}

SIM_SCENARIO(chk_race_ok_event, "data handed over with an event") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, event_setter, ext);
    sim_thread(1, event_waiter, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* Configuration written in setup is read by every role without a lock;
 * the counter is only touched under its lock, by threads and a DPC. */
static VOID config_reader(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < ext->data; i++) {
        KIRQL old;
        KeAcquireSpinLock(&ext->lock[0], &old);
        ext->counter += ext->status;
        KeReleaseSpinLock(&ext->lock[0], old);
    }
}

static VOID config_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    KeAcquireSpinLockAtDpcLevel(&ext->lock[0]);
    ext->counter -= ext->status;
    KeReleaseSpinLockFromDpcLevel(&ext->lock[0]);
}

SIM_SCENARIO(chk_race_ok_setup_data, "data written before the roles start, then read-only") {
    check_ext *ext = check_ext_new(false);
    ext->data = 3;
    ext->status = 2;
    sim_thread(0, config_reader, ext);
    sim_thread(1, config_reader, ext);
    sim_dpc(1, config_dpc, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* Readers share the EX_SPIN_LOCK, the writer takes it exclusive. */
static VOID rw_reader(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 2; i++) {
        KIRQL old = ExAcquireSpinLockShared(&ext->ex);
        ext->per_cpu[KeGetCurrentProcessorNumber() & 1] += 0 * ext->data;
        ExReleaseSpinLockShared(&ext->ex, old);
    }
}

static VOID rw_writer(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old = ExAcquireSpinLockExclusive(&ext->ex);
    ext->data++;
    ExReleaseSpinLockExclusive(&ext->ex, old);
}

SIM_SCENARIO(chk_race_ok_rwlock, "a reader/writer spin lock used right") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, rw_writer, ext);
    sim_thread(1, rw_reader, ext);
    sim_thread(0, rw_writer, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* Per-CPU data: a pinned thread touches its CPU's slot at DISPATCH_LEVEL,
 * a DPC targeted at that CPU touches the same slot. */
static VOID per_cpu_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    ext->per_cpu[KeGetCurrentProcessorNumber()]++;
}

static VOID per_cpu_thread(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 2; i++) {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        ext->per_cpu[KeGetCurrentProcessorNumber()]++;
        KeLowerIrql(old);
    }
}

SIM_SCENARIO(chk_race_ok_per_cpu, "per-CPU data kept at DISPATCH_LEVEL") {
    check_ext *ext = check_ext_new(false);
    sim_thread(0, per_cpu_thread, ext);
    sim_thread(1, per_cpu_thread, ext);
    sim_dpc(0, per_cpu_dpc, ext);
    sim_dpc(1, per_cpu_dpc, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* A threaded DPC keeps its own statistics plainly: the threaded DPCs of a
 * CPU run one after another in its threaded-DPC thread, so a run of it
 * re-queued while the last one ran still follows that one. */
static VOID threaded_stats_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    ext->counter++;
    ext->status = ext->counter;
}

static VOID threaded_dpc_requeuer(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < 3; i++, YieldProcessor())
        KeInsertQueueDpc(&ext->dpc, NULL, NULL);
}

SIM_SCENARIO(chk_race_ok_threaded_dpc_serial, "a threaded DPC re-queued while it runs keeps private statistics") {
    check_ext *ext = check_ext_new(false);
    sim_cpus(2);
    KeInitializeThreadedDpc(&ext->dpc, threaded_stats_dpc, ext);
    KeSetTargetProcessorDpc(&ext->dpc, 1);
    sim_thread(0, threaded_dpc_requeuer, ext);
    sim_expect(SIM_FINDING_NONE);
}

/* Long legitimate loops: two threads and a DPC share a counter and a list
 * under one lock for hundreds of rounds. */
enum { LONG_ROUNDS = 100 };

static VOID long_worker(PVOID Context) {
    check_ext *ext = Context;
    for (int i = 0; i < LONG_ROUNDS; i++) {
        KLOCK_QUEUE_HANDLE handle;
        KeAcquireInStackQueuedSpinLock(&ext->lock[3], &handle);
        ext->counter++;
        if (IsListEmpty(&ext->list))
            InsertTailList(&ext->list, &ext->entries[i & 3]);
        else
            RemoveHeadList(&ext->list);
        KeReleaseInStackQueuedSpinLock(&handle);
    }
}

SIM_SCENARIO(chk_race_ok_long_loop, "a long loop over data kept under one lock") {
    check_ext *ext = check_ext_new(false);
    InitializeListHead(&ext->list);
    sim_thread(0, long_worker, ext);
    sim_thread(1, long_worker, ext);
    sim_expect(SIM_FINDING_NONE);
}
