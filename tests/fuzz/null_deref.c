/* null_deref (test only): a receive DPC counts the bytes of the current
 * buffer, but nothing has posted one yet: it reads through a NULL pointer
 * under its spin lock. tests/fuzz.sh checks that the fuzz target reports
 * `crash` at that line, from the machine's access check before the fault,
 * and aborts so that libFuzzer keeps the input. */
#include <wdm.h>

typedef struct _NULL_BUFFER {
    ULONG Length;
} NULL_BUFFER, *PNULL_BUFFER;

typedef struct _NULL_DEVICE {
    KSPIN_LOCK Lock;
    PNULL_BUFFER Current; /* guarded by Lock; NULL until a buffer is posted */
    ULONG Received;
} NULL_DEVICE, *PNULL_DEVICE;

KDEFERRED_ROUTINE NullReceiveDpc;

VOID NullReceiveDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PNULL_DEVICE Device = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&Device->Lock);
    Device->Received += Device->Current->Length; /* BUG: no buffer posted yet */
    KeReleaseSpinLockFromDpcLevel(&Device->Lock);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(null_deref, "a DPC reads through a NULL buffer pointer (test only: crash in the fuzz target)") {
    PNULL_DEVICE device = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof *device, 'llnN');
    sim_cpus(1);
    KeInitializeSpinLock(&device->Lock);
    sim_dpc(0, NullReceiveDpc, device);
}
