/* reduction_scenarios.h: what the partial-order reduction tests
 * (tests/test_reduction.c) share with their scenarios
 * (tests/scenarios/reduction.c). */
#ifndef REDUCTION_SCENARIOS_H
#define REDUCTION_SCENARIOS_H

#include <stdint.h>

/* The outcomes the runs since the last reset ended in, one bit each. */
extern uint64_t red_outcomes_seen;
/* Called with each run's outcome by red_random_program (reduction_random.c). */
extern void (*red_program_outcome)(uint64_t outcome);

#endif
