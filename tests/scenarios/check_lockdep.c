/* check_lockdep.c: the lockdep self-test rows of check_lockdep.h, once per
 * lock family: the ordinary KSPIN_LOCK (KeAcquireSpinLock,
 * ...AtDpcLevel) and the in-stack queued lock, each context keeping its
 * Old values and queue handles in a `locker` on its own stack. */
#include "check_scenarios.h"

typedef struct locker {
    check_ext *ext;
    KIRQL old[CHECK_LOCKS];
    KLOCK_QUEUE_HANDLE handle[CHECK_LOCKS];
} locker;

#define FAMILY plain
#define LOCK(c, x) KeAcquireSpinLock(&(c)->ext->lock[x], &(c)->old[x])
#define UNLOCK(c, x) KeReleaseSpinLock(&(c)->ext->lock[x], (c)->old[x])
#define LOCK_AT(c, x) KeAcquireSpinLockAtDpcLevel(&(c)->ext->lock[x])
#define UNLOCK_AT(c, x) KeReleaseSpinLockFromDpcLevel(&(c)->ext->lock[x])
#include "check_lockdep.h"
#undef FAMILY
#undef LOCK
#undef UNLOCK
#undef LOCK_AT
#undef UNLOCK_AT

#define FAMILY queued
#define LOCK(c, x) KeAcquireInStackQueuedSpinLock(&(c)->ext->lock[x], &(c)->handle[x])
#define UNLOCK(c, x) KeReleaseInStackQueuedSpinLock(&(c)->handle[x])
#define LOCK_AT(c, x) KeAcquireInStackQueuedSpinLockAtDpcLevel(&(c)->ext->lock[x], &(c)->handle[x])
#define UNLOCK_AT(c, x) KeReleaseInStackQueuedSpinLockFromDpcLevel(&(c)->handle[x])
#include "check_lockdep.h"
