/* fiber.h: stackful coroutines for simulated contexts. A fiber is a stack
 * (mmap'd, with a PROT_NONE guard page below it) and a saved stack pointer.
 * sim_fiber_switch() saves the callee-saved registers of the running fiber on
 * its stack and resumes another; nothing else is saved (driver code does not
 * change MXCSR or the x87 control word).
 *
 * States: a fiber is FRESH after sim_fiber_prepare() (its first switch enters
 * `entry(arg)`), SUSPENDED while another runs, RUNNING once switched to. An
 * entry function never returns; it switches away for the last time. */
#ifndef SIM_FIBER_H
#define SIM_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_fiber {
    void *sp;              /* saved stack pointer while not running */
    char *stack_low;       /* lowest usable byte (just above the guard page) */
    size_t stack_size;     /* usable bytes */
    void *asan_fake_stack; /* ASan's fake-stack handle across a switch */
    void *tsan_fiber;      /* TSan's fiber handle, or NULL on the host fiber */
    int san_depth;         /* TSan ignore scopes open while suspended */
    bool returned;         /* its last context returned (no driver frame left behind) */
} sim_fiber;

/* Maps a stack of `stack_size` usable bytes plus a guard page. Returns false
 * when the mapping fails. */
bool sim_fiber_create(sim_fiber *fiber, size_t stack_size);
void sim_fiber_destroy(sim_fiber *fiber);
/* Makes `fiber` FRESH: the next switch to it calls entry(arg). */
void sim_fiber_prepare(sim_fiber *fiber, void (*entry)(void *), void *arg);
/* Describes the thread's own stack as the host fiber. */
void sim_fiber_init_host(sim_fiber *host);
/* Suspends `from` (the running fiber) and resumes `to`. `from_dies` says
 * `from` will never be resumed (ASan then frees its fake stack); set
 * `from->returned` first when its context returned rather than being abandoned. */
void sim_fiber_switch(sim_fiber *from, sim_fiber *to, bool from_dies);
/* The first call of every fiber entry function: completes the switch that
 * started it (the sanitizers pair it with the switch's beginning). */
void sim_fiber_entered(sim_fiber *self);
/* True when `address` lies in the guard page of `fiber`. */
bool sim_fiber_guard_hit(const sim_fiber *fiber, const void *address);
/* True when `address` lies in the usable stack of `fiber`. */
static inline bool sim_fiber_holds(const sim_fiber *fiber, uintptr_t address) {
    return address >= (uintptr_t)fiber->stack_low && address - (uintptr_t)fiber->stack_low < fiber->stack_size;
}

#endif
