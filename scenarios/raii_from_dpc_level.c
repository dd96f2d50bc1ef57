/* raii_from_dpc_level (bug, docs/windows-contract.md sect. 6 item 7): a C++-style
 * scoped guard in C: LockGuardAcquire takes the lock with KeAcquireSpinLock
 * (raising to DISPATCH_LEVEL and saving OldIrql in the guard), but
 * LockGuardRelease, written for callers already at DISPATCH_LEVEL, uses
 * KeReleaseSpinLockFromDpcLevel, so the saved IRQL is never restored and the
 * thread continues at DISPATCH_LEVEL (github.com/ntoskrnl7/crtsys/pull/30).
 * The release-family checker (R7) reports it at the release itself, before
 * the thread returns; with `--allow release-wrong-family` the same run ends
 * in irql-leak (thread returns at DISPATCH_LEVEL, C4/0x2001D, DV 0xC9/0x05).
 * Expected: release-wrong-family. */
#include <wdm.h>

typedef struct _GUARD_EXTENSION {
    KSPIN_LOCK ConfigLock;
    ULONG Config;
} GUARD_EXTENSION, *PGUARD_EXTENSION;

typedef struct _LOCK_GUARD {
    PKSPIN_LOCK Lock;
    KIRQL OldIrql;
} LOCK_GUARD, *PLOCK_GUARD;

VOID LockGuardAcquire(PLOCK_GUARD Guard, PKSPIN_LOCK Lock);
VOID LockGuardRelease(PLOCK_GUARD Guard);
KSTART_ROUTINE GuardConfigThread;

VOID LockGuardAcquire(PLOCK_GUARD Guard, PKSPIN_LOCK Lock) {
    Guard->Lock = Lock;
    KeAcquireSpinLock(Lock, &Guard->OldIrql);
}

VOID LockGuardRelease(PLOCK_GUARD Guard) {
    KeReleaseSpinLockFromDpcLevel(Guard->Lock); /* BUG: Guard->OldIrql never restored */
}

VOID GuardConfigThread(PVOID StartContext) {
    PGUARD_EXTENSION Ext = StartContext;
    LOCK_GUARD Guard;
    LockGuardAcquire(&Guard, &Ext->ConfigLock);
    Ext->Config++;
    LockGuardRelease(&Guard);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(raii_from_dpc_level, "KeAcquireSpinLock released with KeReleaseSpinLockFromDpcLevel (bug)") {
    PGUARD_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    KeInitializeSpinLock(&ext->ConfigLock);
    sim_name(&ext->ConfigLock, "ext->ConfigLock");
    sim_thread(0, GuardConfigThread, ext);
    sim_thread(1, GuardConfigThread, ext);
    sim_expect(SIM_FINDING_RELEASE_WRONG_FAMILY);
}
