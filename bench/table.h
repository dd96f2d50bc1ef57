/* table.h: one line of the bench table. Every section of `./build.sh bench`
 * (this binary's and the shell scripts', which print through `build/bench
 * row`) prints its lines here, so that they look alike and each is also
 * appended to the file named by $BENCH_ROWS, one tab-separated line per
 * row, from which bench/results.json is written (results_json.c). */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

/* Starts a section: its title, then the column heads. */
void bench_section(const char *title);

/* One measurement: `value` in `unit` (NaN: not measured, e.g. not found
 * within the budget), the `goal` it is held to ("<= 10x", or "-"), the
 * `ratio` that judges it (against the goal's reference, measured in the
 * same run; NaN: none) and a `note` ("" for none). */
void bench_row(const char *name, double value, const char *unit, const char *goal, double ratio, const char *note);

/* `build/bench row SECTION NAME VALUE UNIT GOAL RATIO NOTE`, the shell
 * scripts' way to the same table: "-" for a value or ratio not measured.
 * Returns the exit status. */
int bench_row_command(int argc, char **argv);

#endif
