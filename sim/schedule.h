/* schedule.h: the `.sched` schedule file, a line-oriented text a person can
 * read and diff (docs/design.md, Decisions: "Schedules"):
 *
 *     spinsim-schedule 1
 *     scenario ring_rx
 *     param cpus 2
 *     allow data-race                         # optional, repeatable
 *     allow release-wrong-family@ring_rx.c:41
 *     expect deadlock          # or `expect none`; optional
 *     17 run cpu1              # STEP CHOICE: taken before step STEP
 *     40 irq RxIsr cpu0
 *     52 dpc cpu1
 *     60 switch T2 cpu0
 *
 * Only the decisions that differ from the default policy are listed, so any
 * line can be deleted and the default fills the gap. `#` starts a comment.
 *
 * `allow KIND` silences a finding kind at every site, `allow KIND@FILE:LINE`
 * at one site (sim_allowance_matches): KIND any kind but none, crash,
 * stack-overflow and hang; FILE a path without spaces or '#'; LINE a
 * positive number. The same text follows `--allow` on the command line. */
#ifndef SIM_SCHEDULE_H
#define SIM_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

enum { SIM_SCHEDULE_VERSION = 1, SIM_NAME_MAX = 48 };

typedef struct sim_schedule_event {
    uint64_t step;
    sim_option_kind kind;
    int cpu;
    char name[SIM_NAME_MAX]; /* IRQ source or thread label; empty for run/dpc */
    int line;                /* source line, 0 when not read from a file */
} sim_schedule_event;

typedef struct sim_schedule {
    char scenario[SIM_NAME_MAX];
    sim_param_value params[SIM_PARAMS_MAX];
    int param_count;
    sim_allowances allows;
    bool has_expect;
    sim_kind expect;
    sim_schedule_event *events;
    int event_count, event_cap;
} sim_schedule;

/* Parses `text` (need not be NUL-terminated). On error returns false and
 * writes one line naming the problem and its line number to `error`. */
bool sim_schedule_parse(const char *text, size_t size, sim_schedule *out, char *error, size_t error_size);
/* Makes `schedule` empty: every count 0, no events. Its arrays are only
 * read below their counts, so they are not cleared. */
void sim_schedule_clear(sim_schedule *schedule);
/* Frees its events and makes it empty. */
void sim_schedule_free(sim_schedule *schedule);
bool sim_schedule_add(sim_schedule *schedule, const sim_schedule_event *event);
/* Parses the text of an allow, `KIND` or `KIND@FILE:LINE`. On error returns
 * false and writes one line saying why to `error`. */
bool sim_allowance_parse(const char *text, sim_allowance *out, char *error, size_t error_size);
/* The text of an allow, as sim_allowance_parse reads it. */
void sim_allowance_format(const sim_allowance *allow, char *out, size_t size);
/* Adds `allow` to `allows` unless it is there already; false when full. */
bool sim_allowances_add(sim_allowances *allows, const sim_allowance *allow);
/* The schedule of the run that just ended: scenario, parameters read, the
 * allows it ran with, the verdict as `expect`, and its non-default decisions. */
void sim_schedule_from_run(sim_schedule *out, const char *scenario);
void sim_schedule_write(FILE *out, const sim_schedule *schedule);
/* The text sim_schedule_write writes, in memory (free it); its length in
 * `size`. NULL when out of memory. */
char *sim_schedule_text(const sim_schedule *schedule, size_t *size);
/* An event naming `option` of the current run. */
void sim_schedule_event_of(const sim_option *option, uint64_t step, sim_schedule_event *out);

#endif
