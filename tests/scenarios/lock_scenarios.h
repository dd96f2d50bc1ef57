/* lock_scenarios.h: what the lock tests (tests/test_locks.c) share with
 * their scenarios (tests/scenarios/lock_*.c): the IRQL matrix's callers and
 * routines, and the FIFO probe that reads arrival order off the trace. */
#ifndef LOCK_SCENARIOS_H
#define LOCK_SCENARIOS_H

#include <stdbool.h>

#include "sim.h"

/* Who calls the routine under test, and at which IRQL (lk_matrix). */
typedef enum lk_caller {
    LK_PASSIVE,      /* a thread at PASSIVE_LEVEL */
    LK_APC,          /* a thread raised to APC_LEVEL */
    LK_DISPATCH,     /* a thread raised to DISPATCH_LEVEL */
    LK_DIRQL,        /* a thread raised to LK_THREAD_DIRQL */
    LK_DPC,          /* a DPC, DISPATCH_LEVEL */
    LK_THREADED_DPC, /* a threaded DPC, PASSIVE_LEVEL */
    LK_ISR,          /* an ISR at LK_ISR_DIRQL holding its interrupt lock */
    LK_CALLER_COUNT
} lk_caller;

enum {
    LK_THREAD_DIRQL = 5,
    LK_ISR_DIRQL = 4,
    LK_SYNC_DIRQL = 5, /* the interrupt objects the routines use */
    LK_SYNC_IRQL = 6,  /* ... and their SynchronizeIrql, above their DIRQL */
};

const char *lk_caller_name(lk_caller caller);
KIRQL lk_caller_irql(lk_caller caller);
int lk_matrix_op_count(void);
const char *lk_matrix_op_name(int op);
/* Whether the contract allows `caller` to call `op` without any finding. */
bool lk_matrix_op_legal(int op, lk_caller caller);

/* The FIFO probe: set lk_fifo_sink as the trace sink of lk_fifo_queued and
 * lk_fifo_spin runs; it records each context's first write to the lock word
 * (its arrival), the scenario records acquisitions, and the end-of-run
 * check compares the two orders. */
void lk_fifo_sink(void *user, const char *line);

#endif
