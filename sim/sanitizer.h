/* sanitizer.h: the minimal fiber annotations ASan and TSan need so that a
 * switch between simulated contexts is not mistaken for a stack corruption
 * (ASan) or a single thread's program order (TSan). sim/ is never compiled
 * with TSan instrumentation; the TSan variant defines SIM_TSAN and calls the
 * runtime directly. Turning sanitizer reports into findings lives elsewhere. */
#ifndef SIM_SANITIZER_H
#define SIM_SANITIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fiber.h"

/* SIM_ASAN: the program runs with ASan, whether or not this file is
 * instrumented (the fuzz targets link an uninstrumented machine). */
#if defined(__has_feature) && !defined(SIM_ASAN)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif

#if defined(SIM_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
static inline void sim_san_switch_begin(sim_fiber *from, const sim_fiber *to, bool from_dies) {
    __sanitizer_start_switch_fiber(from_dies ? NULL : &from->asan_fake_stack, to->stack_low, to->stack_size);
}
static inline void sim_san_switch_end(sim_fiber *now) {
    __sanitizer_finish_switch_fiber(now->asan_fake_stack, NULL, NULL);
}
/* Frames that never returned (a finished context's last calls, or a
 * context abandoned mid-call when a finding stopped its run) keep their
 * redzones poisoned; the next context on that stack must not inherit them.
 * Clears from `low` to the top of the stack. */
static inline void sim_san_stack_clear(sim_fiber *fiber, const void *low) {
    const char *top = fiber->stack_low + fiber->stack_size;
    __asan_unpoison_memory_region((void *)(uintptr_t)low, (size_t)(top - (const char *)low));
}
/* A function ASan leaves alone: no call to __asan_handle_no_return (a system
 * call and a whole-stack unpoisoning) before a call that does not return. */
#define SIM_SAN_NO_ASAN __attribute__((no_sanitize("address")))
#else
static inline void sim_san_stack_clear(sim_fiber *fiber, const void *low) { (void)fiber, (void)low; }
#define SIM_SAN_NO_ASAN
static inline void sim_san_switch_begin(sim_fiber *from, const sim_fiber *to, bool from_dies) {
    (void)from, (void)to, (void)from_dies;
}
static inline void sim_san_switch_end(sim_fiber *now) { (void)now; }
#endif

#if defined(SIM_TSAN)
#include <sanitizer/tsan_interface.h>
/* A new TSan fiber starts with no happens-before at all. TSan would give it
 * its creator's past, and its creator is whichever context happens to run
 * when the machine needs a fiber: a DPC would then follow the thread that
 * was switched out for it, and TSan would miss their races. Its edges come
 * from the machine alone (race.h; sim_race_san_entered). A fiber reused by
 * a later context keeps its TSan fiber, which orders the two occupants of
 * its stack (more order than the machine's: a miss, never a false race). */
void AnnotateIgnoreSyncBegin(const char *file, int line);
void AnnotateIgnoreSyncEnd(const char *file, int line);
static inline void *sim_san_fiber_create(void) {
    AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
    void *fiber = __tsan_create_fiber(0);
    AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
    return fiber;
}
static inline void sim_san_fiber_destroy(void *fiber) { __tsan_destroy_fiber(fiber); }
static inline void *sim_san_fiber_current(void) { return __tsan_get_current_fiber(); }
/* No implicit synchronisation: the happens-before between contexts is only
 * what lock operations declare, so unlocked driver data races. */
static inline void sim_san_fiber_enter(void *fiber) { __tsan_switch_to_fiber(fiber, __tsan_switch_to_fiber_no_sync); }
/* The machine is sequentially consistent: every atomic step on an address
 * acquires what earlier steps on it released. */
static inline void sim_san_acquire(const volatile void *addr) { __tsan_acquire((void *)(uintptr_t)addr); }
static inline void sim_san_release(const volatile void *addr) { __tsan_release((void *)(uintptr_t)addr); }
/* The machine's own bookkeeping runs on whichever context's fiber is
 * current, and its libc calls are intercepted: hide those accesses from
 * TSan, or the simulator would race with itself across fibers. Sync
 * (acquire/release) is not ignored. TSan's reads-ignore scope ignores
 * writes as well (both annotations open the same scope), so one call opens
 * a boundary: a stack overflow that faults on entry to that call leaves
 * nothing half open, and the depth is counted only once it returned. */
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
/* Boundary scopes open on the running fiber; switches save and restore it
 * (sim_fiber.san_depth), and a fiber that dies closes its own. */
extern int sim_san_depth;
static inline int sim_san_boundary_begin(void) {
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    return ++sim_san_depth;
}
static inline void sim_san_boundary_close(void) {
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    --sim_san_depth;
}
static inline void sim_san_boundary_end(int *scope) {
    (void)scope;
    sim_san_boundary_close();
}
static inline void sim_fiber_save_depth(sim_fiber *fiber) { fiber->san_depth = sim_san_depth; }
static inline void sim_fiber_restore_depth(const sim_fiber *fiber) { sim_san_depth = fiber->san_depth; }
/* Closes every scope of a fiber that will never run again. */
static inline void sim_san_boundary_close_all(void) {
    while (sim_san_depth > 0)
        sim_san_boundary_close();
}
/* The scopes open now, and closing those opened since (a longjmp skipped
 * their ends). */
static inline int sim_san_boundary_depth(void) { return sim_san_depth; }
static inline void sim_san_boundary_close_to(int depth) {
    while (sim_san_depth > depth)
        sim_san_boundary_close();
}
/* Gives a fiber about to host a new context a fresh TSan fiber: the old
 * one's shadow stack still holds the frames of a context that never
 * returned. A run stopped by a finding abandons fibers inside boundary
 * scopes; TSan refuses to destroy a fiber with ignores on, so they are
 * closed first, in that fiber's TSan state (no stack switch is needed). */
static inline void sim_san_fiber_renew(sim_fiber *fiber) {
    void *current = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(fiber->tsan_fiber, __tsan_switch_to_fiber_no_sync);
    for (; fiber->san_depth > 0; fiber->san_depth--)
        AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    __tsan_switch_to_fiber(current, __tsan_switch_to_fiber_no_sync);
    __tsan_destroy_fiber(fiber->tsan_fiber);
    fiber->tsan_fiber = sim_san_fiber_create();
}
/* Marks a function as an entry from driver code into the machine. */
#define SIM_BOUNDARY()                                                                                                 \
    __attribute__((cleanup(sim_san_boundary_end))) int sim_boundary_ = sim_san_boundary_begin();                       \
    (void)sim_boundary_
#else
static inline void *sim_san_fiber_create(void) { return NULL; }
static inline void sim_san_fiber_destroy(void *fiber) { (void)fiber; }
static inline void *sim_san_fiber_current(void) { return NULL; }
static inline void sim_san_fiber_enter(void *fiber) { (void)fiber; }
static inline void sim_san_acquire(const volatile void *addr) { (void)addr; }
static inline void sim_san_release(const volatile void *addr) { (void)addr; }
#define SIM_BOUNDARY() ((void)0)
static inline void sim_san_boundary_close_all(void) {}
static inline int sim_san_boundary_depth(void) { return 0; }
static inline void sim_san_boundary_close_to(int depth) { (void)depth; }
static inline void sim_san_fiber_renew(sim_fiber *fiber) { (void)fiber; }
static inline void sim_fiber_save_depth(sim_fiber *fiber) { (void)fiber; }
static inline void sim_fiber_restore_depth(const sim_fiber *fiber) { (void)fiber; }
#endif

#endif
