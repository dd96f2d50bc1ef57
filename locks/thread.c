/* thread.c owns thread objects and the routines on them: PsCreateSystemThread,
 * PsTerminateSystemThread, PsGetCurrentThread/KeGetCurrentThread,
 * KeSetPriorityThread, KeEnterCriticalRegion/KeLeaveCriticalRegion,
 * ObReferenceObjectByHandle, ObReferenceObject/ObDereferenceObject and
 * ZwClose (docs/design.md, "The wdm.h surface beyond locks").
 *
 * A system thread is a machine thread (sim_thread_spawn): ready at once at
 * PASSIVE_LEVEL on any CPU, named after its start routine. Its object, an
 * ETHREAD, is a dispatcher object that is signaled when the thread ends:
 * the thread's body calls the start routine, and when that returns, or
 * PsTerminateSystemThread jumps back out of it, stores 1 to
 * Header.SignalState (waking waiters) before the context ends. Its handle
 * is the object's address; ZwClose and ObDereferenceObject free nothing:
 * objects live until the run ends, so no reference count is kept, nor the
 * exit status.
 *
 * The threads a scenario declares (sim_thread) get an object too, at their
 * first PsGetCurrentThread, but it is never signaled: waiting for one is
 * refused (wait.c), and PsTerminateSystemThread in one fails with
 * STATUS_INVALID_PARAMETER, as for a thread that is not a system thread.
 *
 * The run's thread objects form a list (for handles and the current
 * thread's object), reset at the first use in each run (run_state.c).
 * KeEnterCriticalRegion and KeLeaveCriticalRegion disable normal kernel
 * APCs on Windows; the machine has no APCs, so they only check the IRQL and
 * take their step. */
#include <setjmp.h>

#include "lock_internal.h"
#include "sim.h"

enum { THREAD_ENDED = 1, THREAD_STATE_SIZE = (int)sizeof(LONG), THREAD_PRIORITY_DEFAULT = 8 };

struct _KTHREAD {
    DISPATCHER_HEADER Header; /* ThreadObject; SignalState 1 once ended */
    int Context;              /* the machine's context id */
    BOOLEAN System;           /* started by PsCreateSystemThread */
    KPRIORITY Priority;
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    jmp_buf Exit; /* PsTerminateSystemThread jumps back here */
    struct _ETHREAD *Next;
};

struct _ETHREAD {
    struct _KTHREAD Tcb;
};

struct _OBJECT_TYPE {
    const char *Name;
};

static struct _OBJECT_TYPE thread_type = {"Thread"};
static POBJECT_TYPE thread_type_pointer = &thread_type;
POBJECT_TYPE *PsThreadType = &thread_type_pointer;

/* The run's thread objects. */
static struct { PETHREAD first; } threads;

LOCKS_BOOKKEEPING static PETHREAD thread_list(void) {
    if (locks_first_use_in_run(&threads, "thread objects"))
        threads.first = NULL;
    return threads.first;
}

LOCKS_BOOKKEEPING static PETHREAD thread_new(int context, BOOLEAN system) {
    PETHREAD thread = sim_alloc(sizeof *thread);
    locks_dispatcher_init(&thread->Tcb.Header, ThreadObject);
    thread->Tcb.Context = context;
    thread->Tcb.System = system;
    thread->Tcb.Priority = THREAD_PRIORITY_DEFAULT;
    thread->Tcb.Next = thread_list();
    threads.first = thread;
    return thread;
}

LOCKS_BOOKKEEPING static PETHREAD thread_of_context(int context) {
    for (PETHREAD thread = thread_list(); thread != NULL; thread = thread->Tcb.Next)
        if (thread->Tcb.Context == context)
            return thread;
    return NULL;
}

LOCKS_BOOKKEEPING static PETHREAD thread_of_handle(HANDLE handle) {
    for (PETHREAD thread = thread_list(); thread != NULL; thread = thread->Tcb.Next)
        if ((HANDLE)thread == handle)
            return thread;
    return NULL;
}

bool locks_thread_waitable(const DISPATCHER_HEADER *header) { return ((const struct _KTHREAD *)header)->System; }

/* A system thread's context body. Its first step loads the state word
 * its creator stored last: creating a thread orders what the creator did
 * before, as on Windows (and as TSan must be told). */
static void system_thread_body(void *argument) {
    PETHREAD thread = argument;
    sim_atomic_load(&thread->Tcb.Header.SignalState, THREAD_STATE_SIZE);
    if (setjmp(thread->Tcb.Exit) == 0)
        thread->Tcb.StartRoutine(thread->Tcb.StartContext);
    sim_atomic_store(&thread->Tcb.Header.SignalState, THREAD_ENDED, THREAD_STATE_SIZE);
    locks_dispatcher_signaled(&thread->Tcb.Header);
}

NTSTATUS spinsim_PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                      HANDLE ProcessHandle, PVOID ClientId, PKSTART_ROUTINE StartRoutine,
                                      PVOID StartContext, const char *routine_name, const sim_site *site) {
    spinsim_routine_enter("PsCreateSystemThread", PASSIVE_LEVEL, site);
    PETHREAD thread = thread_new(-1, TRUE);
    thread->Tcb.StartRoutine = StartRoutine;
    thread->Tcb.StartContext = StartContext;
    sim_atomic_store(&thread->Tcb.Header.SignalState, 0, THREAD_STATE_SIZE);
    /* The new thread cannot run before our next step: its id is set first. */
    thread->Tcb.Context = sim_thread_spawn(system_thread_body, thread, routine_name);
    if (thread->Tcb.Context < 0)
        return STATUS_INSUFFICIENT_RESOURCES;
    *ThreadHandle = (HANDLE)thread;
    return STATUS_SUCCESS;
}

NTSTATUS spinsim_PsTerminateSystemThread(NTSTATUS ExitStatus, const sim_site *site) {
    spinsim_routine_enter("PsTerminateSystemThread", PASSIVE_LEVEL, site);
    PETHREAD thread = thread_of_context(sim_ctx_current_id());
    if (thread == NULL || !thread->Tcb.System)
        return STATUS_INVALID_PARAMETER;
    longjmp(thread->Tcb.Exit, 1);
}

PETHREAD spinsim_PsGetCurrentThread(const sim_site *site) {
    spinsim_routine_enter("PsGetCurrentThread", HIGH_LEVEL, site);
    const int context = sim_ctx_current_id();
    PETHREAD thread = thread_of_context(context);
    return thread != NULL ? thread : thread_new(context, FALSE);
}

KPRIORITY spinsim_KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority, const sim_site *site) {
    spinsim_routine_enter("KeSetPriorityThread", DISPATCH_LEVEL, site);
    const KPRIORITY old = Thread->Priority;
    Thread->Priority = Priority;
    return old;
}

VOID spinsim_KeCriticalRegion(const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, APC_LEVEL, site);
}

NTSTATUS spinsim_ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                           KPROCESSOR_MODE AccessMode, PVOID *Object, PVOID HandleInformation,
                                           const sim_site *site) {
    spinsim_routine_enter("ObReferenceObjectByHandle", PASSIVE_LEVEL, site);
    PETHREAD thread = thread_of_handle(Handle);
    if (thread == NULL)
        return STATUS_INVALID_HANDLE;
    if (ObjectType != NULL && ObjectType != *PsThreadType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    *Object = thread;
    return STATUS_SUCCESS;
}

VOID spinsim_ObReferenceObject(PVOID Object, const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
}

NTSTATUS spinsim_ZwClose(HANDLE Handle, const sim_site *site) {
    spinsim_routine_enter("ZwClose", PASSIVE_LEVEL, site);
    return thread_of_handle(Handle) != NULL ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}
