/* cmd_build.c: `spinsim build -o OUTDIR [cc flags] FILE.c...`: a driver
 * author's own build (README, "Bring your own driver"). The installed
 * script PREFIX/libexec/spinsim/spinsim-build (tools/spinsim-build.sh) does
 * the work; this command runs it with the same arguments. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_build(int argc, char **argv) {
    (void)argc;
    char bin[PATH_MAX], script[PATH_MAX + 64];
    cli_self_dir("build", bin, sizeof bin);
    snprintf(script, sizeof script, "%s/../libexec/spinsim/spinsim-build", bin);
    if (access(script, X_OK) != 0)
        cli_bad_input("build", "%s is missing: an installed spinsim builds drivers (./build.sh install PREFIX)",
                      script);
    argv[1] = script;
    execv(script, argv + 1);
    cli_bad_input("build", "cannot run %s: %s", script, strerror(errno));
}
