/* options.c - the options the moderator commands share (--responses,
 * --region, --seed, --explain, --json, --help), read the same way everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/options.h"
#include "app/region_check.h"

static int wrong_option(char **argv, const char *arg, const char *usage)
{
    fprintf(stderr, "leanon %s: unknown or incomplete option \"%s\"\n%s", argv[0], arg, usage);
    return -1;
}

int lo_options_parse(int argc, char **argv, lo_options *o, unsigned allowed, const char *usage)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
        if (strcmp(a, "--responses") == 0 && has_value)
            o->responses = argv[++i];
        else if ((allowed & LO_OPT_REGION) && strcmp(a, "--region") == 0 && has_value)
            o->region = argv[++i];
        else if ((allowed & LO_OPT_SEED) && strcmp(a, "--seed") == 0 && has_value)
            o->seed = strtoull(argv[++i], NULL, 10);
        else if ((allowed & LO_OPT_EXPLAIN) && strcmp(a, "--explain") == 0)
            o->explain = true;
        else if ((allowed & LO_OPT_EXPLAIN) && strcmp(a, "--json") == 0)
            o->json = true;
        else
            return wrong_option(argv, a, usage);
    }
    if (!o->responses)
        o->responses = lo_default_responses_dir();
    return 0;
}

lo_engine *lo_options_load(const lo_options *o)
{
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(o->responses, d);
    lo_diags_print(d, stderr);
    if (!e)
        fprintf(stderr,
                "leanon: the response set in %s has %zu error(s); fix them and run "
                "leanon check\n",
                o->responses, lo_diags_errors(d));
    lo_diags_free(d);
    char *why = e && o->region ? lo_region_unknown(e, o->region) : NULL;
    if (why) {
        fprintf(stderr, "leanon: --region: %s\n", why);
        free(why);
        lo_engine_free(e);
        return NULL;
    }
    return e;
}
