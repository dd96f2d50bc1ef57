/* native_owner.c: the owner check of a native stress test, as Driver
 * Verifier keeps it: every checked acquire records the thread that now owns
 * the lock, and every checked release must come from that thread; a
 * release of a lock nobody owns is `release-not-owned`, one from another
 * thread `release-wrong-owner`. Off (one load per hook) until a harness
 * calls native_owner_check. The owners live in a fixed table keyed by the
 * lock's address, claimed and updated with lock-free atomics only, as a
 * DPC that runs in a signal handler may check a release. */
#include <stdatomic.h>
#include <stdint.h>

#include "native.h"
#include "sim_machine.h"

enum { OWNER_SLOTS = 256, NOBODY = -1 };

typedef struct owner_slot {
    _Atomic uintptr_t lock; /* 0: free slot */
    atomic_int owner;
} owner_slot;

static owner_slot slots[OWNER_SLOTS];
static native_misuse_handler *_Atomic misuse_handler;

void native_owner_check(native_misuse_handler *on_misuse) {
    native_owner_reset();
    atomic_store(&misuse_handler, on_misuse);
}

void native_owner_reset(void) {
    for (int i = 0; i < OWNER_SLOTS; i++) {
        atomic_store(&slots[i].lock, 0);
        atomic_store(&slots[i].owner, NOBODY);
    }
}

/* The lock's slot, claimed on first sight. */
static owner_slot *slot_of(const void *lock) {
    const uintptr_t key = (uintptr_t)lock;
    for (unsigned i = 0, at = (unsigned)(key >> 3) % OWNER_SLOTS; i < OWNER_SLOTS; i++, at = (at + 1) % OWNER_SLOTS) {
        uintptr_t seen = atomic_load(&slots[at].lock);
        if (seen == 0 && atomic_compare_exchange_strong(&slots[at].lock, &seen, key))
            return &slots[at];
        if (seen == key)
            return &slots[at];
    }
    sim_panic("more than %d locks for the owner check", OWNER_SLOTS);
}

void native_owner_acquired(const void *lock) {
    if (atomic_load(&misuse_handler) != NULL)
        atomic_store(&slot_of(lock)->owner, sim_ctx_current_id());
}

void native_owner_release(const void *lock) {
    native_misuse_handler *handler = atomic_load(&misuse_handler);
    if (handler == NULL)
        return;
    const int owner = atomic_exchange(&slot_of(lock)->owner, NOBODY);
    if (owner == NOBODY)
        handler(SIM_FINDING_RELEASE_NOT_OWNED);
    else if (owner != sim_ctx_current_id())
        handler(SIM_FINDING_RELEASE_WRONG_OWNER);
}
