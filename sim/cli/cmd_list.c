/* cmd_list.c: `sim list`: every bundled scenario with its description. */
#include "cli.h"

int cli_list(int argc, char **argv) {
    cli_args args;
    cli_parse(&args, "list", argc, argv, 2, 0, 0);
    for (const sim_scenario *s = sim_scenario_first(); s != NULL; s = s->next)
        printf("%-28s %s\n", s->name, s->description);
    return CLI_EXIT_CLEAN;
}
