/* results_json.h: the bench table as JSON (results_json.c). */
#ifndef BENCH_RESULTS_JSON_H
#define BENCH_RESULTS_JSON_H

/* `bench json ROWS full|quick`: the row file as JSON on stdout; returns the
 * exit status (2 for a bad row file). */
int bench_json_command(int argc, char **argv);

#endif
