/* machine_scenarios.h: constants the machine tests share with their scenarios. */
#ifndef MACHINE_SCENARIOS_H
#define MACHINE_SCENARIOS_H

#include <stdint.h>

#include "sim.h"

enum { M_ORDER_WINDOW = 5, M_ISR_DIRQL = 5 };

void m_lock(volatile uint64_t *lock);
void m_unlock(volatile uint64_t *lock);

#endif
