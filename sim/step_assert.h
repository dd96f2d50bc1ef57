/* step_assert.h: SIM_ASSERT_STEP, for invariants on a step's own path that
 * the scheduler keeps by construction (the context switched to is not the
 * one switching, the option taken is one the list offered). The sanitizer
 * builds, which run every test, check them (SIM_CHECK_STEPS, the
 * Makefile); the plain and fuzz machines do not, where the eight on a step
 * that switches CPUs cost 3% of it. Every other invariant is a SIM_ASSERT,
 * checked everywhere. */
#ifndef SIM_STEP_ASSERT_H
#define SIM_STEP_ASSERT_H

#include "sim_machine.h"

#if defined(SIM_CHECK_STEPS)
#define SIM_ASSERT_STEP(cond) SIM_ASSERT(cond)
#else
#define SIM_ASSERT_STEP(cond) ((void)sizeof(cond))
#endif

#endif
