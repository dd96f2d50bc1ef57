/* time.c owns virtual time: KeQuerySystemTime(Precise), KeQueryInterruptTime,
 * KeQueryUnbiasedInterruptTime, KeQueryPerformanceCounter,
 * KeQueryTickCount, KeQueryTimeIncrement and KeDelayExecutionThread
 * (docs/design.md, "Determinism").
 *
 * No wall clock reaches a run. Time is one per-run counter in 100 ns units,
 * the virtual clock, which starts at 0 in every run (run_state.c). Every
 * query advances it by CLOCK_QUERY_TICK (1 us) and reads it, in one step,
 * so time is strictly increasing, identical on replay, and a loop that
 * polls it makes progress. KeDelayExecutionThread advances it by the delay
 * (a relative interval) or to the due time (an absolute one), also in one
 * step, and does not sleep: the scheduler may run others at that step, as
 * at any other. So elapsed virtual time says how often the clock was read
 * and how long threads asked to wait, not how much work ran in between.
 *
 * The readings: interrupt time and the performance counter (10 MHz) are the
 * clock; system time is CLOCK_EPOCH (2025-01-01 00:00 UTC, in 100 ns since
 * 1601) plus the clock; the tick count is the clock in ticks of
 * CLOCK_TIME_INCREMENT (15.625 ms, the usual x64 timer resolution). */
#include "lock_internal.h"

enum { CLOCK_SIZE = (int)sizeof(ULONG64) };

static const ULONG64 CLOCK_QUERY_TICK = 10;
static const ULONG64 CLOCK_EPOCH = 133801632000000000ULL;
static const ULONG CLOCK_TIME_INCREMENT = 156250;
static const LONGLONG CLOCK_FREQUENCY = 10000000;

static volatile ULONG64 virtual_clock;

/* The clock, zero at its first use in a run (a plain write: no context
 * has touched it yet in this run). */
static volatile ULONG64 *clock_of_run(void) {
    if (locks_first_use_in_run(&virtual_clock, "virtual clock"))
        virtual_clock = 0;
    return &virtual_clock;
}

/* Adds `delta` to the clock in one step; returns the new reading. */
static ULONG64 clock_advance(ULONG64 delta) { return sim_atomic_fetch_add(clock_of_run(), delta, CLOCK_SIZE) + delta; }

VOID spinsim_KeQuerySystemTime(PLARGE_INTEGER CurrentTime, const sim_site *site) {
    sim_site_set(site);
    CurrentTime->QuadPart = (LONGLONG)(CLOCK_EPOCH + clock_advance(CLOCK_QUERY_TICK));
}

ULONGLONG spinsim_KeQueryInterruptTime(const sim_site *site) {
    sim_site_set(site);
    return clock_advance(CLOCK_QUERY_TICK);
}

LARGE_INTEGER spinsim_KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency, const sim_site *site) {
    sim_site_set(site);
    if (PerformanceFrequency != NULL)
        PerformanceFrequency->QuadPart = CLOCK_FREQUENCY;
    return (LARGE_INTEGER){.QuadPart = (LONGLONG)clock_advance(CLOCK_QUERY_TICK)};
}

VOID spinsim_KeQueryTickCount(PLARGE_INTEGER TickCount, const sim_site *site) {
    sim_site_set(site);
    TickCount->QuadPart = (LONGLONG)(clock_advance(CLOCK_QUERY_TICK) / CLOCK_TIME_INCREMENT);
}

ULONG spinsim_KeQueryTimeIncrement(const sim_site *site) {
    spinsim_routine_enter("KeQueryTimeIncrement", HIGH_LEVEL, site);
    return CLOCK_TIME_INCREMENT;
}

/* A negative Interval is relative; a positive one is an absolute system
 * time, which costs a second step to read the clock (a due time already
 * past advances it by one query tick). A wait, so PASSIVE_LEVEL or
 * APC_LEVEL only. */
NTSTATUS spinsim_KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval,
                                        const sim_site *site) {
    sim_site_set(site);
    sim_check_wait("KeDelayExecutionThread", false, site);
    sim_check_caller_irql("KeDelayExecutionThread", PASSIVE_LEVEL, APC_LEVEL, site);
    ULONG64 delta = CLOCK_QUERY_TICK;
    if (Interval->QuadPart < 0) {
        delta = (ULONG64)-Interval->QuadPart;
    } else {
        const ULONG64 now = CLOCK_EPOCH + sim_atomic_load(clock_of_run(), CLOCK_SIZE);
        if ((ULONG64)Interval->QuadPart > now)
            delta = (ULONG64)Interval->QuadPart - now;
    }
    clock_advance(delta);
    return STATUS_SUCCESS;
}
