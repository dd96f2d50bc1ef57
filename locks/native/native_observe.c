/* native_observe.c owns what a native stress test observes going wrong,
 * beyond the owner check (native_owner.c): only what a real system shows
 * a driver's own stress test too. A failed invariant of the scenario
 * (SIM_CHECK, the driver's own assertion); a routine that returns to the
 * kernel at an IRQL the kernel then bug-checks on (a DPC not at its entry
 * IRQL, 0xC8; a thread's code not at PASSIVE_LEVEL, 0xE1 or 0x4A); a bug
 * check (wait.c's, on a wait for too many objects), after which that CPU
 * stops for good. A hang is the harness's to see: nothing here watches
 * time. Each is reported to the harness's observer by the finding kind
 * nearest to it, which the tokens of sim_kind.h name here as in the
 * machine. The machine's other oracles (race detection, lock order, IRQL
 * rules) have no native counterpart: what they find shows natively only
 * through what it breaks. */
#include <stdatomic.h>

#include "lock_internal.h"
#include "native.h"

static native_observer *_Atomic observer;

void native_observe_with(native_observer *observe) {
    native_owner_reset();
    atomic_store(&observer, observe);
}

bool native_observing(void) { return atomic_load(&observer) != NULL; }

void native_observe(sim_kind kind) {
    native_observer *observe = atomic_load(&observer);
    if (observe == NULL)
        sim_panic("%s observed with no stress test observing", sim_kind_token(kind));
    observe(kind);
}

void sim_check_at(int condition, const char *text, const sim_site *site) {
    (void)text, (void)site;
    if (!condition)
        native_observe(SIM_FINDING_INVARIANT);
}

void native_check_return(uint8_t irql) {
    if (sim_irql_get() == irql)
        return;
    native_observe(SIM_FINDING_IRQL_LEAK);
    sim_irql_set(irql);
}

_Noreturn void locks_bug_check(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
    (void)code, (void)p1, (void)p2, (void)p3, (void)p4;
    native_observe(SIM_FINDING_BUG_CHECK);
    for (;;)
        sim_yield_step("bug check");
}

static const char *const kind_tokens[] = {
#define KIND_TOKEN(name, token, severity, analogue) token,
    SIM_KIND_LIST(KIND_TOKEN)
#undef KIND_TOKEN
};

const char *sim_kind_token(sim_kind kind) { return kind < SIM_KIND_COUNT ? kind_tokens[kind] : "?"; }
