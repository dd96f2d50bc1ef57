/* stress_event.c: the kernel event of locks/event.c and the waits of
 * locks/wait.c, native, on CPUs as real threads, one case each: two
 * synchronization events played ping-pong between two CPUs ROUNDS times
 * (each signal wakes exactly one wait and is consumed by it); a
 * notification event set once releasing every waiter and staying set
 * until reset; KeWaitForMultipleObjects' WaitAll returning only once both
 * events are set, taking both signals. A lost or doubled signal hangs (the
 * watchdog's failure) or miscounts. (WaitAny links wait blocks into the
 * objects' wait lists, bookkeeping that is exact only between the
 * machine's steps: the native backend does not run it.) */
#include <stdatomic.h>
#include <stdio.h>
#include <wdm.h>

#include "stress.h"

enum { ROUNDS = 10000, BROADCAST_WAITERS = 3 };

typedef struct event_state {
    KEVENT first, second;
    atomic_int passed;
    NTSTATUS status;
    LONG state_after; /* what the case reads back once the waits are done */
    LONG reset_returned;
} event_state;

/* CPU 0 serves, CPU 1 returns each ball. */
static void ping_pong(int cpu, void *arg) {
    event_state *s = arg;
    for (int round = 0; round < ROUNDS; round++)
        if (cpu == 0) {
            KeSetEvent(&s->first, 0, FALSE);
            KeWaitForSingleObject(&s->second, Executive, KernelMode, FALSE, NULL);
        } else {
            KeWaitForSingleObject(&s->first, Executive, KernelMode, FALSE, NULL);
            atomic_fetch_add(&s->passed, 1);
            KeSetEvent(&s->second, 0, FALSE);
        }
}

static bool ping_pong_ok(event_state *s) {
    return atomic_load(&s->passed) == ROUNDS && KeReadStateEvent(&s->first) == 0 && KeReadStateEvent(&s->second) == 0;
}

/* CPU 0 opens the gate once every other CPU waits at it, or soon will. */
static void broadcast(int cpu, void *arg) {
    event_state *s = arg;
    if (cpu != 0) {
        KeWaitForSingleObject(&s->first, Executive, KernelMode, FALSE, NULL);
        atomic_fetch_add(&s->passed, 1);
        return;
    }
    KeSetEvent(&s->first, 0, FALSE);
    while (atomic_load(&s->passed) < BROADCAST_WAITERS)
        YieldProcessor();
    s->state_after = KeReadStateEvent(&s->first);
    s->reset_returned = KeResetEvent(&s->first);
    LARGE_INTEGER poll = {.QuadPart = 0};
    s->status = KeWaitForSingleObject(&s->first, Executive, KernelMode, FALSE, &poll);
}

static bool broadcast_ok(event_state *s) {
    return atomic_load(&s->passed) == BROADCAST_WAITERS && s->state_after == 1 && s->reset_returned == 1 &&
           s->status == STATUS_TIMEOUT;
}

/* CPU 1 waits for both events; CPU 0 sets the second, sees the wait still
 * waiting, then sets the first. */
static void wait_all(int cpu, void *arg) {
    event_state *s = arg;
    PVOID both[] = {&s->first, &s->second};
    if (cpu == 1) {
        s->status = KeWaitForMultipleObjects(2, both, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
        atomic_fetch_add(&s->passed, 1);
        return;
    }
    KeSetEvent(&s->second, 0, FALSE);
    for (int look = 0; look < ROUNDS; look++)
        YieldProcessor();
    s->state_after = atomic_load(&s->passed);
    KeSetEvent(&s->first, 0, FALSE);
}

static bool wait_all_ok(event_state *s) {
    return s->status == STATUS_SUCCESS && s->state_after == 0 && atomic_load(&s->passed) == 1 &&
           KeReadStateEvent(&s->first) == 0 && KeReadStateEvent(&s->second) == 0;
}

typedef struct event_case {
    const char *name;
    EVENT_TYPE type;
    int cpus;
    void (*body)(int cpu, void *arg);
    bool (*ok)(event_state *s);
} event_case;

static const event_case cases[] = {
    {"synchronization events, ping-pong", SynchronizationEvent, 2, ping_pong, ping_pong_ok},
    {"notification event releases every waiter", NotificationEvent, 1 + BROADCAST_WAITERS, broadcast, broadcast_ok},
    {"KeWaitForMultipleObjects WaitAll takes both signals", SynchronizationEvent, 2, wait_all, wait_all_ok},
};

int stress_events(void) {
    native_cpu_count_set(NATIVE_CPUS_MAX);
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static event_state s;
        s = (event_state){0};
        KeInitializeEvent(&s.first, cases[i].type, FALSE);
        KeInitializeEvent(&s.second, cases[i].type, FALSE);
        const bool ran = stress_on_cpus(cases[i].cpus, cases[i].body, &s) >= 0;
        char detail[128];
        snprintf(detail, sizeof detail, "%d passed, status %#x, state read %ld, reset returned %ld",
                 atomic_load(&s.passed), (unsigned)s.status, (long)s.state_after, (long)s.reset_returned);
        failures += stress_case(cases[i].name, ran && cases[i].ok(&s), detail);
    }
    return failures;
}
