/* isr_takes_own_intlock (bug, docs/windows-contract.md R10 and R5): a
 * UART driver's FIFO accounting helper synchronizes with the ISR by taking
 * the interrupt spin lock (KeAcquireInterruptSpinLock ...
 * KeReleaseInterruptSpinLock), which is right from the DPC and the
 * transmit thread. The ISR calls the same helper when the FIFO overflows;
 * an ISR runs holding its interrupt object's spin lock already, so the
 * acquire spins forever on a lock its own CPU holds (checked 0xF
 * SPIN_LOCK_ALREADY_OWNED; on a free build a hang at DIRQL, 0x101). The
 * fix: a Locked variant of the helper for the ISR. The default schedule
 * delivers the interrupt last, when the FIFO no longer overflows.
 * Expected: recursive-acquire. */
#include <wdm.h>

#define UART_FIFO_SIZE 2

typedef struct _UART_EXTENSION {
    PKINTERRUPT Interrupt;
    ULONG FifoCount; /* guarded by the interrupt spin lock */
    ULONG Overruns;  /* guarded by the interrupt spin lock */
    ULONG Sent;      /* guarded by the interrupt spin lock */
} UART_EXTENSION, *PUART_EXTENSION;

KSERVICE_ROUTINE UartIsr;
KSTART_ROUTINE UartTransmitThread;

static VOID UartAccountFifo(PUART_EXTENSION Ext, BOOLEAN Overrun) {
    KIRQL OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt); /* BUG from the ISR */
    if (Overrun)
        Ext->Overruns++;
    Ext->FifoCount = 0;
    KeReleaseInterruptSpinLock(Ext->Interrupt, OldIrql);
}

BOOLEAN UartIsr(PKINTERRUPT Interrupt, PVOID ServiceContext) {
    PUART_EXTENSION Ext = ServiceContext;
    UNREFERENCED_PARAMETER(Interrupt);
    if (Ext->FifoCount >= UART_FIFO_SIZE)
        UartAccountFifo(Ext, TRUE);
    else
        Ext->FifoCount = 0;
    return TRUE;
}

VOID UartTransmitThread(PVOID StartContext) {
    PUART_EXTENSION Ext = StartContext;
    for (ULONG Byte = 0; Byte < UART_FIFO_SIZE; Byte++) {
        KIRQL OldIrql = KeAcquireInterruptSpinLock(Ext->Interrupt);
        Ext->FifoCount++;
        Ext->Sent++;
        KeReleaseInterruptSpinLock(Ext->Interrupt, OldIrql);
    }
    UartAccountFifo(Ext, FALSE);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(isr_takes_own_intlock, "an ISR calls a helper that takes its own interrupt spin lock (bug)") {
    PUART_EXTENSION ext = sim_alloc(sizeof *ext);
    sim_cpus(2);
    ext->Interrupt = sim_interrupt(UartIsr, ext, 6, 6, 1);
    sim_thread(0, UartTransmitThread, ext);
    sim_expect(SIM_FINDING_RECURSIVE_ACQUIRE);
}
