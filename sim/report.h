/* report.h: the text report of a finding, shaped like a lockdep splat:
 * banner, where it broke, the lock and its other site, the wait-for chain,
 * how to replay it, and the last steps of the trace. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>

#include "internal.h"

/* The `sim` binary a report's replay line names, as the user invokes it
 * (the command line's argv[0]); "sim" until set. */
void sim_report_set_program(const char *program);
/* Describes the finding of the run that just ended (sim_R) into `out`:
 * everything but the schedule and the trace tail. Call before the next run. */
void sim_report_describe(char *out, size_t size, const char *scenario, const sim_finding *finding);
/* The whole report: the description `text`, then where the schedule is and
 * how to replay it (unless `schedule_path` is NULL: no schedule file was
 * written), then the last steps of the run (unless `tail` is empty: a rule
 * finding does not end its run, so the run's last steps are not its own). */
void sim_report_text(FILE *out, const char *scenario, const char *text, const char *tail, const char *schedule_path);

/* The identity of a finding across runs, for deduplication: its kind and
 * both sites (`kind file:line:function < file:line:function`). */
void sim_finding_key(char *out, size_t size, const sim_finding *finding);

#endif
