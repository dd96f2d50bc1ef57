/* fiber.c owns fiber stacks and the switch protocol around the assembly
 * swap: guard pages, the initial frame of a fresh fiber, and the sanitizer
 * annotations on both sides of every switch. */
#define _GNU_SOURCE
#include "fiber.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sanitizer.h"
#include "sim_machine.h"
#include "step_assert.h"

void sim_fiber_swap(void **save_sp, void *load_sp);
void sim_fiber_trampoline(void);

static size_t page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

bool sim_fiber_create(sim_fiber *fiber, size_t stack_size) {
    size_t page = page_size();
    stack_size = (stack_size + page - 1) / page * page;
    char *map =
        mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED)
        return false;
    /* The guard page sits below the stack: x86-64 stacks grow down, so an
     * overflow faults here instead of corrupting the neighbouring mapping. */
    if (mprotect(map, page, PROT_NONE) != 0) {
        munmap(map, stack_size + page);
        return false;
    }
    memset(fiber, 0, sizeof *fiber);
    fiber->stack_low = map + page;
    fiber->stack_size = stack_size;
    fiber->tsan_fiber = sim_san_fiber_create();
    fiber->returned = true; /* nothing on its stack yet */
    return true;
}

void sim_fiber_destroy(sim_fiber *fiber) {
    SIM_ASSERT(fiber->stack_low != NULL);
    if (fiber->tsan_fiber)
        sim_san_fiber_destroy(fiber->tsan_fiber);
    munmap(fiber->stack_low - page_size(), fiber->stack_size + page_size());
    memset(fiber, 0, sizeof *fiber);
}

void sim_fiber_prepare(sim_fiber *fiber, void (*entry)(void *), void *arg) {
    SIM_ASSERT(fiber->stack_low != NULL);
    SIM_ASSERT(entry != NULL);
    /* A fiber abandoned inside driver code (a finding stopped its run) left
     * frames on TSan's shadow stack and ASan's poisoned redzones on its
     * stack: it gets a fresh TSan fiber and a clean stack, before the new
     * frame is written. A guard's jump does not save the stack pointer, so
     * the whole stack is cleared. A finished context switched away for the
     * last time from its exit call: only the frames above that point are
     * left. */
    if (!fiber->returned) {
        sim_san_fiber_renew(fiber);
        sim_san_stack_clear(fiber, fiber->stack_low);
    } else if (fiber->sp != NULL) {
        sim_san_stack_clear(fiber, fiber->sp);
    }
    /* Frame popped by sim_fiber_swap: r15 r14 r13 r12 rbx rbp, then the
     * return address. After the `ret` rsp must be 16-byte aligned so the
     * trampoline's call enters `entry` with the ABI's alignment. */
    uintptr_t top = ((uintptr_t)(fiber->stack_low + fiber->stack_size)) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 7 * sizeof(uint64_t));
    frame[0] = 0;                                         /* r15 */
    frame[1] = 0;                                         /* r14 */
    frame[2] = (uint64_t)(uintptr_t)entry;                /* r13 */
    frame[3] = (uint64_t)(uintptr_t)arg;                  /* r12 */
    frame[4] = 0;                                         /* rbx */
    frame[5] = 0;                                         /* rbp */
    frame[6] = (uint64_t)(uintptr_t)sim_fiber_trampoline; /* return address */
    fiber->sp = frame;
    fiber->asan_fake_stack = NULL;
    fiber->returned = false;
    SIM_ASSERT(fiber->san_depth == 0);
}

/* The calling thread's stack bounds. ASan takes them as the destination of
 * a switch back to the host, and LeakSanitizer scans that range. Looked up
 * once: for the main thread glibc reads /proc/self/maps. */
static void host_stack(char **low, size_t *size) {
    static char *known_low;
    static size_t known_size;
    static pthread_t known_thread;
    if (known_low == NULL || !pthread_equal(known_thread, pthread_self())) {
        pthread_attr_t attr;
        void *stack = NULL;
        size_t bytes = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            if (pthread_attr_getstack(&attr, &stack, &bytes) != 0)
                stack = NULL, bytes = 0;
            pthread_attr_destroy(&attr);
        }
        known_low = stack;
        known_size = bytes;
        known_thread = pthread_self();
    }
    *low = known_low;
    *size = known_size;
}

void sim_fiber_init_host(sim_fiber *host) {
    memset(host, 0, sizeof *host);
    host->tsan_fiber = sim_san_fiber_current();
    host_stack(&host->stack_low, &host->stack_size);
}

#if defined(SIM_TSAN)
int sim_san_depth;
#endif

void sim_fiber_switch(sim_fiber *from, sim_fiber *to, bool from_dies) {
    SIM_ASSERT_STEP(from != to);
    SIM_ASSERT_STEP(to->sp != NULL);
    if (from_dies)
        sim_san_boundary_close_all();
    sim_fiber_save_depth(from);
    sim_fiber_restore_depth(to);
    sim_san_switch_begin(from, to, from_dies);
    if (to->tsan_fiber)
        sim_san_fiber_enter(to->tsan_fiber);
    sim_fiber_swap(&from->sp, to->sp);
    /* Resumed: someone switched back to `from`. */
    sim_san_switch_end(from);
}

void sim_fiber_entered(sim_fiber *self) { sim_san_switch_end(self); }

bool sim_fiber_guard_hit(const sim_fiber *fiber, const void *address) {
    if (fiber->stack_low == NULL)
        return false;
    const char *a = address;
    return a >= fiber->stack_low - page_size() && a < fiber->stack_low;
}
