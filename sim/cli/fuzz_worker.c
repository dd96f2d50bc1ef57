/* fuzz_worker.c: starts a libFuzzer process and follows its output (see
 * fuzz_worker.h). libFuzzer's status lines look like
 *     #12345  NEW    cov: 120 ft: 310 corp: 45/900b lim: 8 exec/s: 21000 rss: 80Mb
 * and a crashing input is announced as "Test unit written to PATH". */
#include "fuzz_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool fuzz_worker_start(fuzz_worker *worker, char *const argv[], char *const environment[], const char *log_path) {
    memset(worker, 0, sizeof *worker);
    worker->output = -1;
    worker->log = fopen(log_path, "w");
    if (worker->log == NULL)
        return false;
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
        fclose(worker->log);
        return false;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        fclose(worker->log);
        errno = saved;
        return false;
    }
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        for (int i = 0; environment[i] != NULL; i++)
            putenv(environment[i]);
        execv(argv[0], argv);
        fprintf(stderr, "sim fuzz: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    fcntl(pipe_fds[0], F_SETFD, FD_CLOEXEC);
    worker->pid = pid;
    worker->output = pipe_fds[0];
    return true;
}

/* The number after `label` in `line`, if it is there. */
static void field(const char *line, const char *label, uint64_t *out) {
    const char *at = strstr(line, label);
    if (at != NULL)
        *out = strtoull(at + strlen(label), NULL, 10);
}

static void parse_line(fuzz_worker *worker, const char *line) {
    fprintf(worker->log, "%s\n", line);
    const char *written = strstr(line, "Test unit written to ");
    if (written != NULL)
        snprintf(worker->crash, sizeof worker->crash, "%s", written + strlen("Test unit written to "));
    if (strncmp(line, "SUMMARY: ", 9) == 0)
        snprintf(worker->summary, sizeof worker->summary, "%s", line + 9);
    if (line[0] != '#' || strstr(line, " cov: ") == NULL)
        return;
    worker->execs = strtoull(line + 1, NULL, 10);
    field(line, " cov: ", &worker->coverage);
    field(line, " ft: ", &worker->features);
    field(line, " corp: ", &worker->corpus);
}

bool fuzz_worker_read(fuzz_worker *worker) {
    char buffer[4096];
    ssize_t got = read(worker->output, buffer, sizeof buffer);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (got <= 0) {
        if (worker->partial_size > 0) {
            worker->partial[worker->partial_size] = '\0';
            parse_line(worker, worker->partial);
            worker->partial_size = 0;
        }
        close(worker->output);
        worker->output = -1;
        return false;
    }
    for (ssize_t i = 0; i < got; i++) {
        char c = buffer[i];
        if (c == '\n' || c == '\r' || worker->partial_size == sizeof worker->partial - 1) {
            worker->partial[worker->partial_size] = '\0';
            if (worker->partial_size > 0)
                parse_line(worker, worker->partial);
            worker->partial_size = 0;
            if (c == '\n' || c == '\r')
                continue;
        }
        worker->partial[worker->partial_size++] = c;
    }
    return true;
}

void fuzz_worker_reap(fuzz_worker *worker) {
    while (waitpid(worker->pid, &worker->exit_status, 0) < 0 && errno == EINTR)
        continue;
    worker->pid = 0;
    fclose(worker->log);
    worker->log = NULL;
}

void fuzz_worker_interrupt(const fuzz_worker *worker) {
    if (worker->pid > 0)
        kill(worker->pid, SIGINT);
}
