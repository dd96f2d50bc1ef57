/* tsan_own_stack.c: a data race only ThreadSanitizer sees, for
 * tests/tsan.sh, which builds this file with `spinsim build`. A thread
 * hands a DPC on the other CPU a pointer to a variable on its own stack and
 * then writes the variable, while the DPC writes it too: nothing orders the
 * two writes. The machine's detector skips a context's accesses to its own
 * stack (sim/shadow.c), so it never sees the thread's write and build/sim
 * finds nothing; build/sim-tsan makes TSan's report a `data-race` at the
 * second write, naming the first (sim/sanreport.c). The twin,
 * tsan_own_stack_ok, writes before it queues the DPC and reads after the
 * DPC's event: every access is ordered, and TSan stays silent too. */
#include <wdm.h>

typedef struct _STACK_REQUEST {
    KDPC Dpc;
    KEVENT Done;
    BOOLEAN Buggy;
    PLONG Result; /* on the requesting thread's stack */
    LONG Seen;
} STACK_REQUEST, *PSTACK_REQUEST;

KDEFERRED_ROUTINE StackRequestDpc;
KSTART_ROUTINE StackRequestThread;

VOID StackRequestDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2) {
    PSTACK_REQUEST Request = DeferredContext;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    *Request->Result = 2; /* RACE: the second write */
    KeSetEvent(&Request->Done, IO_NO_INCREMENT, FALSE);
}

VOID StackRequestThread(PVOID StartContext) {
    PSTACK_REQUEST Request = StartContext;
    LONG Result = 0;
    Request->Result = &Result;
    if (!Request->Buggy)
        Result = 1;
    KeInsertQueueDpc(&Request->Dpc, NULL, NULL);
    if (Request->Buggy)
        Result = 1; /* RACE: the first write (the DPC may be writing too) */
    KeWaitForSingleObject(&Request->Done, Executive, KernelMode, FALSE, NULL);
    Request->Seen = Result;
}

/* ---- the scenarios --------------------------------------------------------- */
#include "sim.h"

static void stack_request(BOOLEAN buggy) {
    PSTACK_REQUEST request = sim_alloc(sizeof *request);
    request->Buggy = buggy;
    KeInitializeDpc(&request->Dpc, StackRequestDpc, request);
    KeSetTargetProcessorDpc(&request->Dpc, 1);
    KeInitializeEvent(&request->Done, NotificationEvent, FALSE);
    sim_thread(0, StackRequestThread, request);
}

SIM_SCENARIO(tsan_own_stack, "a DPC and a thread write a variable on the thread's stack (TSan only)") {
    stack_request(TRUE);
}

SIM_SCENARIO(tsan_own_stack_ok, "the same variable, written before the DPC is queued and read after its event") {
    sim_expect(SIM_FINDING_NONE);
    stack_request(FALSE);
}
