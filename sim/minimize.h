/* minimize.h: shrinking a schedule that yields a finding into the smallest
 * schedule that still yields it (`sim minimize`, and each crash `sim fuzz`
 * converts). "The same finding" means the same sim_finding_key: kind and both
 * sites (report.h). */
#ifndef SIM_MINIMIZE_H
#define SIM_MINIMIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "explore.h"

typedef struct sim_minimize_result {
    int events_before, events_after; /* decisions in the input and in the output */
    uint64_t runs;                   /* replays tried */
    sim_kind kind;                   /* the finding kept */
    char key[1024];                  /* its sim_finding_key */
} sim_minimize_result;

/* Shrinks `input`, a schedule of config->scenario that yields a finding, into
 * `out` (free with sim_schedule_free): the fewest decisions, each as early as
 * it can be, that still give a finding with the same key. `config` supplies the
 * scenario, machine limits and allows; it takes `input`'s parameters and
 * allows (sim_explore_adopt_header), and its strategy and replay fields are
 * overwritten. `out` names the parameters and every allow in effect.
 * Returns false, with `out` empty, when `input` yields no finding or its
 * allows do not fit beside config's. */
bool sim_minimize(sim_explore_config *config, const sim_schedule *input, sim_schedule *out,
                  sim_minimize_result *result);

#endif
