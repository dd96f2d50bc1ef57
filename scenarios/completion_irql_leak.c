/* completion_irql_leak (bug, docs/windows-contract.md R13): a USB client
 * driver's transfer-completion callback, which the bus driver's completion
 * thread calls at PASSIVE_LEVEL for each finished transfer, raises to
 * DISPATCH_LEVEL with KeRaiseIrql so that it can add the byte count to the
 * counter of the processor it runs on without being moved. Its early return
 * for a zero-length packet skips the KeLowerIrql: from then on the bus
 * driver's thread runs at DISPATCH_LEVEL, and it returns there (DDI
 * IrqlReturn C4/0x2001D, DV 0xC9/0x05; a completion routine leaving the
 * IRQL changed is C4/0xFA). The fix: one exit, after the KeLowerIrql.
 * Expected: irql-leak. */
#include <wdm.h>

#define USBC_MAX_CPUS 2
#define USBC_TRANSFERS 3

typedef struct _USBC_EXTENSION {
    ULONG64 BytesPerCpu[USBC_MAX_CPUS]; /* each CPU's own, at DISPATCH_LEVEL */
    ULONG ZeroLengthPackets[USBC_MAX_CPUS];
} USBC_EXTENSION, *PUSBC_EXTENSION;

typedef VOID USBC_COMPLETION(PUSBC_EXTENSION Ext, ULONG Length);

typedef struct _USBC_BUS {
    PUSBC_EXTENSION Client;
    USBC_COMPLETION *Completion;   /* registered by the client */
    ULONG Lengths[USBC_TRANSFERS]; /* the transfers this thread completes */
} USBC_BUS, *PUSBC_BUS;

KSTART_ROUTINE UsbcBusCompletionThread;

static VOID UsbcTransferComplete(PUSBC_EXTENSION Ext, ULONG Length) {
    KIRQL OldIrql;
    ULONG Cpu;
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql); /* stay on this processor */
    Cpu = KeGetCurrentProcessorNumber() % USBC_MAX_CPUS;
    if (Length == 0) {
        Ext->ZeroLengthPackets[Cpu]++;
        return; /* BUG: still at DISPATCH_LEVEL */
    }
    Ext->BytesPerCpu[Cpu] += Length;
    KeLowerIrql(OldIrql);
}

/* The bus driver's side: completes its transfers through the client's callback. */
VOID UsbcBusCompletionThread(PVOID StartContext) {
    PUSBC_BUS Bus = StartContext;
    for (ULONG i = 0; i < USBC_TRANSFERS; i++)
        Bus->Completion(Bus->Client, Bus->Lengths[i]);
}

/* ---- the scenario ---------------------------------------------------------- */
#include "sim.h"

SIM_SCENARIO(completion_irql_leak, "a completion callback returns early at DISPATCH_LEVEL (bug: irql-leak)") {
    PUSBC_EXTENSION ext = sim_alloc(sizeof *ext);
    PUSBC_BUS buses = sim_alloc(2 * sizeof *buses);
    sim_cpus(2);
    buses[0] = (USBC_BUS){ext, UsbcTransferComplete, {512, 512, 64}};
    buses[1] = (USBC_BUS){ext, UsbcTransferComplete, {512, 0, 512}}; /* a zero-length packet */
    sim_thread(0, UsbcBusCompletionThread, &buses[0]);
    sim_thread(1, UsbcBusCompletionThread, &buses[1]);
    sim_expect(SIM_FINDING_IRQL_LEAK);
}
