/* self_dir.c: the folder of the running binary (build/ for build/sim, OUTDIR
 * for a `spinsim build`'s OUTDIR/sim, PREFIX/bin for the installed spinsim):
 * where the commands find what was built or installed with it. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_self_dir(const char *command, char *dir, size_t size) {
    ssize_t length = readlink("/proc/self/exe", dir, size - 1);
    if (length <= 0)
        cli_bad_input(command, "cannot find this binary: %s", strerror(errno));
    dir[length] = '\0';
    *strrchr(dir, '/') = '\0';
}
