/* native.h: what the native backend's files (locks/native/) share, and the
 * one thing a native harness adds to the machine interface: raising an
 * interrupt on the calling thread, as a device's line would. */
#ifndef LOCKS_NATIVE_H
#define LOCKS_NATIVE_H

#include <stdint.h>

/* Raises interrupt source `source` (as sim_irq_register numbered it) on the
 * calling thread: its service runs now if the thread's IRQL is below the
 * source's DIRQL, else once a lowering unmasks it. Safe in a signal
 * handler, which is how a harness interrupts another thread. */
void native_interrupt_raise(int source);

/* The thread's IRQL has just been set to `irql`: delivers the pending
 * interrupts it no longer masks (native_interrupt.c). */
void native_interrupts_unmasked(uint8_t irql);

#endif
