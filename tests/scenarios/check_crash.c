/* check_crash.c: scenarios for sim/guard.c: driver code that faults or
 * aborts in a context is a `crash` finding at the faulting line, and the
 * run, the report and the schedule survive it. A NULL pointer is caught by
 * the instrumentation before it faults; a wild pointer, a division by zero,
 * an illegal instruction and abort() by their signals. Each twin does the
 * same work with valid data. */
#include <stdint.h>
#include <stdlib.h>

#include "check_scenarios.h"

typedef struct crash_buffer {
    LONG length;
    LONG filled;
} crash_buffer;

/* Where the wild twin points: a page nothing maps. */
#define CRASH_WILD_ADDRESS ((uintptr_t)0x7ff0dead0000ull)

static VOID idle_thread(PVOID Context) { YieldProcessor(); }

/* ---- a NULL dereference under a spin lock --------------------------------------- */

CHECK_CALL(crash_null_read, (check_ext * ext, crash_buffer *buffer), ext->counter += buffer->length)

static VOID null_reader(PVOID Context) {
    check_ext *ext = Context;
    crash_buffer *buffer = ext->buggy ? NULL : sim_alloc(sizeof *buffer);
    KIRQL old;
    KeAcquireSpinLock(&ext->lock[0], &old);
    crash_null_read(ext, buffer);
    KeReleaseSpinLock(&ext->lock[0], old);
}

static void setup_null(check_ext *ext) { sim_thread(0, null_reader, ext); }
CHECK_PAIR(chk_crash_null, SIM_FINDING_CRASH, "a NULL dereference under a spin lock", setup_null)

/* ---- a wild pointer, written in a DPC -------------------------------------------- */

CHECK_CALL(crash_wild_write, (crash_buffer * buffer), buffer->filled = 1)

static VOID wild_dpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2) {
    check_ext *ext = Context;
    crash_buffer *valid = sim_alloc(sizeof *valid);
    crash_wild_write(ext->buggy ? (crash_buffer *)CRASH_WILD_ADDRESS : valid);
}

static void setup_wild(check_ext *ext) {
    sim_dpc(0, wild_dpc, ext);
    sim_thread(1, idle_thread, ext);
}
CHECK_PAIR(chk_crash_wild, SIM_FINDING_CRASH, "a DPC writes through a wild pointer", setup_wild)

/* ---- a division by zero in an ISR ------------------------------------------------ */

CHECK_CALL(crash_divide, (check_ext * ext), ext->status = 1000 / ext->data)

static BOOLEAN dividing_isr(PKINTERRUPT Interrupt, PVOID Context) {
    crash_divide(Context);
    return TRUE;
}

static void setup_divide(check_ext *ext) {
    ext->data = ext->buggy ? 0 : 10;
    sim_interrupt(dividing_isr, ext, CHECK_DIRQL, CHECK_DIRQL, 1);
    sim_thread(0, idle_thread, ext);
}
CHECK_PAIR(chk_crash_divide, SIM_FINDING_CRASH, "an ISR divides by zero", setup_divide)

/* ---- an illegal instruction, and abort() ----------------------------------------- */

CHECK_CALL(crash_trap, (check_ext * ext), if (ext->buggy) __builtin_trap())
CHECK_CALL(crash_abort, (check_ext * ext), if (ext->buggy) abort())

static VOID trapping_thread(PVOID Context) {
    check_ext *ext = Context;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    crash_trap(ext);
    KeLowerIrql(old);
}

static VOID aborting_thread(PVOID Context) {
    check_ext *ext = Context;
    YieldProcessor();
    crash_abort(ext);
}

static void setup_trap(check_ext *ext) { sim_thread(0, trapping_thread, ext); }
CHECK_PAIR(chk_crash_trap, SIM_FINDING_CRASH, "a thread executes an illegal instruction", setup_trap)

CHECK_PAIR_THREADS(chk_crash_abort, SIM_FINDING_CRASH, "a thread calls abort()", aborting_thread, idle_thread)
