/* native_machine.c is the native backend of the machine interface: the part
 * of sim_machine.h and sim_check.h that the lock code run natively (the
 * families' files, irql.c, interlocked.c, dpc.c, event.c and wait.c)
 * calls, implemented on C11 <stdatomic.h>, the x86 pause instruction and a
 * thread-local IRQL, so the very same lock code runs on real pthreads
 * (tests/native/stress.c) and a benchmark can set simulated against native
 * speed. There is no scheduler here: an atomic step is just the atomic
 * instruction (sequentially consistent, as the machine is), a spin wait is
 * a pause, the IRQL records what the lock code sets and masks interrupts
 * below it (native_interrupt.c), contexts are threads and each thread is its
 * own CPU (numbered by a harness, or by itself), every checker hook is a
 * no-op but the owner check a stress test may turn on (native_owner.c), and
 * a finding (lock code raises one only for a lock word it must not write
 * through) aborts. */
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "native.h"
#include "sim_check.h"
#include "sim_machine.h"

/* A waiter gives its core away after this many pauses in a row: the host
 * may have fewer cores than threads, and a preempted holder (or an MCS
 * successor that has not linked yet) only gets going when it runs. */
enum { SPINS_BEFORE_YIELD = 128 };

/* volatile: an interrupt (a signal) reads it between any two instructions. */
static _Thread_local volatile uint8_t irql_current;
/* A thread bound to -1 is no context, as setup code is (native_roles.c);
 * one never bound numbers itself on its first lock operation. */
enum { CTX_UNNUMBERED = -2 };
static _Thread_local int ctx_id = CTX_UNNUMBERED;
static _Thread_local unsigned spins;
static atomic_int ctx_count;
static int cpu_count; /* 0: the host's */

_Noreturn void sim_panic(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spinsim-native: internal error: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}

/* Calls OP(T) with T the unsigned type of `size` bytes. */
#define SIZED(size, OP)                                                                                                \
    do {                                                                                                               \
        switch (size) {                                                                                                \
        case 1:                                                                                                        \
            OP(uint8_t);                                                                                               \
        case 2:                                                                                                        \
            OP(uint16_t);                                                                                              \
        case 4:                                                                                                        \
            OP(uint32_t);                                                                                              \
        case 8:                                                                                                        \
            OP(uint64_t);                                                                                              \
        }                                                                                                              \
        sim_panic("atomic access of %d bytes", size);                                                                  \
    } while (0)

#define AS_ATOMIC(T, addr) ((volatile _Atomic T *)(addr))

uint64_t sim_atomic_load(const volatile void *addr, int size) {
#define OP(T) return atomic_load(AS_ATOMIC(T, addr))
    SIZED(size, OP);
#undef OP
}

void sim_atomic_store(volatile void *addr, uint64_t value, int size) {
#define OP(T)                                                                                                          \
    atomic_store(AS_ATOMIC(T, addr), (T)value);                                                                        \
    return
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_exchange(volatile void *addr, uint64_t value, int size) {
#define OP(T) return atomic_exchange(AS_ATOMIC(T, addr), (T)value)
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_compare_exchange(volatile void *addr, uint64_t expected, uint64_t desired, int size) {
#define OP(T)                                                                                                          \
    {                                                                                                                  \
        T seen = (T)expected;                                                                                          \
        atomic_compare_exchange_strong(AS_ATOMIC(T, addr), &seen, (T)desired);                                         \
        return seen;                                                                                                   \
    }
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_fetch_add(volatile void *addr, uint64_t value, int size) {
#define OP(T) return atomic_fetch_add(AS_ATOMIC(T, addr), (T)value)
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_fetch_or(volatile void *addr, uint64_t value, int size) {
#define OP(T) return atomic_fetch_or(AS_ATOMIC(T, addr), (T)value)
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_fetch_and(volatile void *addr, uint64_t value, int size) {
#define OP(T) return atomic_fetch_and(AS_ATOMIC(T, addr), (T)value)
    SIZED(size, OP);
#undef OP
}

uint64_t sim_atomic_fetch_xor(volatile void *addr, uint64_t value, int size) {
#define OP(T) return atomic_fetch_xor(AS_ATOMIC(T, addr), (T)value)
    SIZED(size, OP);
#undef OP
}

/* The spin loop's pause; the caller re-reads what it waits on. */
void sim_spin_wait(const volatile void *watch, const void *lock) {
    (void)watch, (void)lock;
    if (++spins % SPINS_BEFORE_YIELD == 0)
        sched_yield();
    else
        __builtin_ia32_pause();
}

void sim_yield_step(const char *what) {
    (void)what;
    __builtin_ia32_pause();
}

uint8_t sim_irql_get(void) { return irql_current; }

/* A lowering unmasks the interrupts that arrived while the level was
 * above their DIRQL: they run now, as the CPU takes them at the EOI. */
void sim_irql_set(uint8_t irql) {
    SIM_ASSERT(irql <= SIM_IRQL_HIGH);
    irql_current = irql;
    atomic_signal_fence(memory_order_seq_cst);
    native_interrupts_unmasked(irql);
}

void native_ctx_bind(int id) { ctx_id = id; }

/* Unbound threads number themselves 0, 1, ... on their first lock operation. */
int sim_ctx_current_id(void) {
    if (ctx_id == CTX_UNNUMBERED)
        ctx_id = atomic_fetch_add(&ctx_count, 1);
    return ctx_id;
}

/* Each thread is a CPU of its own. */
int sim_cpu_current(void) { return sim_ctx_current_id(); }

void native_cpu_count_set(int count) { cpu_count = count; }
int sim_cpu_count(void) { return cpu_count > 0 ? cpu_count : (int)sysconf(_SC_NPROCESSORS_ONLN); }

void sim_site_set(const sim_site *site) { (void)site; }

void sim_check_acquire(const sim_lock_op *op) { (void)op; }
void sim_check_acquired(const sim_lock_op *op) { native_owner_acquired(op); }
void sim_check_release(const sim_lock_op *op) { native_owner_release(op); }
void sim_check_released(const sim_lock_op *op) { (void)op; }
void sim_check_caller_irql(const char *routine, uint8_t irql_min, uint8_t irql_max, const sim_site *site) {
    (void)routine, (void)irql_min, (void)irql_max, (void)site;
}
void sim_check_irql_change(const char *routine, uint8_t irql_from, uint8_t irql_to, const sim_site *site) {
    (void)routine, (void)irql_from, (void)irql_to, (void)site;
}
void sim_check_paged_code(const sim_site *site) { (void)site; }
void sim_check_wait(const char *routine, bool timeout_zero, const sim_site *site) {
    (void)routine, (void)timeout_zero, (void)site;
}
sim_check_callback sim_check_callback_enter(sim_callback_kind kind, const char *routine, const void *function) {
    return (sim_check_callback){.kind = kind, .routine = routine, .function = function, .irql = irql_current};
}
void sim_check_callback_exit(const sim_check_callback *callback) { (void)callback; }

/* A finding natively is fatal: there is no run to stop. */
void sim_reportf(sim_kind kind, sim_severity severity, const void *lock, const sim_site *other_site, const char *format,
                 ...) {
    (void)kind, (void)severity, (void)lock, (void)other_site;
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spinsim-native: finding: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}
