/* native_owner.c: the owner check of a native stress test, as Driver
 * Verifier keeps it: every acquire records the thread that now owns
 * the lock, and every release must come from that thread (an EX_SPIN_LOCK
 * held shared, which has as many owners as readers, is not checked); a
 * release of a lock nobody owns is `release-not-owned`, one from another
 * thread `release-wrong-owner`, each told to the harness's observer
 * (native_observe.c). Off (one load per hook) until a harness observes
 * (native_observe_with). The owners live in a fixed table keyed by the
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

/* An EX_SPIN_LOCK held shared has as many owners as readers: only its
 * exclusive holds have one to check. */
static bool checked(const sim_lock_op *op) {
    return native_observing() && op->family != SIM_LOCK_EX_SHARED && op->family != SIM_LOCK_EX_SHARED_AT_DPC;
}

void native_owner_acquired(const sim_lock_op *op) {
    if (checked(op))
        atomic_store(&slot_of(op->lock)->owner, sim_ctx_current_id());
}

void native_owner_release(const sim_lock_op *op) {
    if (!checked(op))
        return;
    const int owner = atomic_exchange(&slot_of(op->lock)->owner, NOBODY);
    if (owner == NOBODY)
        native_observe(SIM_FINDING_RELEASE_NOT_OWNED);
    else if (owner != sim_ctx_current_id())
        native_observe(SIM_FINDING_RELEASE_WRONG_OWNER);
}
