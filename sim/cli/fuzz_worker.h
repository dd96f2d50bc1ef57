/* fuzz_worker.h: one libFuzzer process of a `sim fuzz` campaign: started
 * with its stderr on a pipe, its output kept in a log file, and its status
 * lines read into figures for the progress line. */
#ifndef SIM_CLI_FUZZ_WORKER_H
#define SIM_CLI_FUZZ_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct fuzz_worker {
    pid_t pid;  /* 0: not running */
    int output; /* read end of its stdout and stderr; -1 once closed */
    FILE *log;
    char partial[1024]; /* a line not yet complete */
    size_t partial_size;
    char crash[4096];  /* the input libFuzzer wrote when the target aborted; "" if none */
    char summary[256]; /* a sanitizer's SUMMARY line, if any */
    uint64_t execs, coverage, features, corpus;
    int exit_status; /* as waitpid() reports it */
} fuzz_worker;

/* Starts `argv` (argv[0] is the fuzzer's path) with `environment` entries
 * (KEY=VALUE) added, logging to `log_path`. False (errno set) on failure. */
bool fuzz_worker_start(fuzz_worker *worker, char *const argv[], char *const environment[], const char *log_path);
/* Reads what the worker has written. Returns false once its output ended. */
bool fuzz_worker_read(fuzz_worker *worker);
/* Reaps the worker after its output ended. */
void fuzz_worker_reap(fuzz_worker *worker);
/* Asks a running worker to stop (SIGINT: libFuzzer exits cleanly). */
void fuzz_worker_interrupt(const fuzz_worker *worker);

#endif
