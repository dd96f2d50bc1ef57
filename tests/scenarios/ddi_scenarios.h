/* ddi_scenarios.h: what the DDI tests (tests/test_ddi.c) share with their
 * scenarios (tests/scenarios/ddi_*.c). The rows follow the checker tables'
 * pattern (check_scenarios.h): the offending call sits on a CHECK_CALL
 * line, and each buggy scenario has a correct twin NAME_ok.
 *
 * An IRQL row only needs its call: DDI_IRQL_PAIR declares a scenario in
 * which one thread makes the call at `bad` IRQL (the buggy scenario) or at
 * `good` IRQL (its twin), then runs `undo` if the call needs undoing (a
 * lock it took). The thread raises to the level with KeRaiseIrql before,
 * and lowers after, in ddi_common.c, so no other call is on the row's
 * line. */
#ifndef DDI_SCENARIOS_H
#define DDI_SCENARIOS_H

#include "check_scenarios.h"
#include "ndis.h"
#include "sim_wdf.h"
#include "wdmsec.h"

/* Every object a DDI row may name, made in setup. `old` receives the Old
 * IRQL of acquires that write one. */
typedef struct ddi_fixture {
    check_ext *ext;
    UNICODE_STRING name, copy;
    ANSI_STRING ansi;
    WCHAR buffer[32];
    KEVENT event, event2;
    KSEMAPHORE semaphore;
    KTIMER timer;
    KDPC dpc;
    PDRIVER_OBJECT driver;
    PDEVICE_OBJECT device;
    PIRP irp;
    HANDLE thread;
    PVOID object;
    KIRQL old;
    PVOID objects[2]; /* event, event2 */
    LARGE_INTEGER interval;
    NDIS_SPIN_LOCK ndis_lock;
    PNDIS_RW_LOCK_EX rw_lock;
    LOCK_STATE_EX lock_state;
    LIST_ENTRY list, entry;
    SINGLE_LIST_ENTRY slist, sentry;
    WDFDEVICE wdf_device;
    WDFSPINLOCK wdf_lock;
    WDFINTERRUPT wdf_interrupt;
    WDFDPC wdf_dpc;
    WDF_DPC_CONFIG dpc_config;
    WDF_OBJECT_ATTRIBUTES dpc_attributes;
    PVOID allocation;
    IO_CSQ csq;
    KSPIN_LOCK csq_lock;
    LIST_ENTRY csq_irps;
    IO_REMOVE_LOCK remove_lock;
    volatile LONG count;
    /* a WFP callout's packet: an MDL over `packet`, a pool, a list over it */
    UCHAR packet[64];
    PMDL mdl;
    NDIS_HANDLE nbl_pool;
    PNET_BUFFER_LIST nbl, clone;
    HANDLE injection;
    UINT32 callout_id;
    LOOKASIDE_LIST_EX lookaside;
    /* the IRQL row being run */
    void (*call)(struct ddi_fixture *f);
    void (*undo)(struct ddi_fixture *f);
    KIRQL bad, good;
} ddi_fixture;

/* The fixture of a scenario, with ext->buggy telling the twins apart. */
ddi_fixture *ddi_fixture_new(check_ext *ext);
/* Adds a system thread (f->thread) that ends at once. */
void ddi_fixture_thread(ddi_fixture *f);
/* Adds a KMDF driver and device with a WDFSPINLOCK and a WDFINTERRUPT
 * (f->wdf_*); the interrupt's ISR only counts. */
void ddi_fixture_wdf(ddi_fixture *f);

/* Sets up f->csq over f->csq_irps and f->csq_lock; its cancelled IRPs
 * complete with STATUS_CANCELLED and count in f->count. */
void ddi_fixture_csq(ddi_fixture *f);

/* Declares a thread on CPU 0 that runs f->call at f->bad or f->good. */
void ddi_run_at(ddi_fixture *f, void (*call)(ddi_fixture *f), void (*undo)(ddi_fixture *f), KIRQL bad, KIRQL good);

#define DDI_IRQL_PAIR(name, kind, bad, good, undo, prepare)                                                            \
    static void name##_setup(check_ext *ext) {                                                                         \
        ddi_fixture *f = ddi_fixture_new(ext);                                                                         \
        prepare(f);                                                                                                    \
        ddi_run_at(f, name, undo, bad, good);                                                                          \
    }                                                                                                                  \
    CHECK_PAIR(chk_##name, kind, #name " at the wrong IRQL", name##_setup)

/* The `prepare` and `undo` of rows that need none. */
void ddi_nothing(ddi_fixture *f);

#endif
