/* cmd_check.c - `leanon check`: load, then run every example, guard and
 * golden conversation; exit 0 only when all is well. */
#include <stdio.h>

#include "app/options.h"
#include "leanon/tools.h"

static const char usage[] =
    "usage: leanon check [--responses DIR]\n"
    "  loads every response file and reports each mistake as file:line:column; runs every\n"
    "  rule's examples and not-lines, every guard example and the golden conversations in\n"
    "  DIR/tests. Exit 0 only if all is well, 1 otherwise, 2 for a wrong option.\n";

int lo_cmd_check(int argc, char **argv)
{
    lo_options o;
    int parsed = lo_options_parse(argc, argv, &o, 0, usage);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    lo_engine *e = lo_options_load(&o);
    if (!e)
        return 1;
    lo_check_summary s;
    lo_check_run(e, o.responses, stdout, &s);
    printf("%zu rules, %zu examples, %zu not-lines, %zu guard examples, %zu conversation "
           "steps: %zu failed, %zu ties, %zu warnings\n",
           s.rules, s.examples, s.nots, s.guard_examples, s.transcript_steps, s.failures, s.ties,
           s.warnings);
    if (s.failures == 0 && s.ties == 0)
        printf("all good\n");
    lo_engine_free(e);
    return s.failures || s.ties ? 1 : 0;
}
