/* options.h - shared command-line options of check, match and console. */
#ifndef LEANON_APP_OPTIONS_H
#define LEANON_APP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "leanon/engine.h"

enum { LO_OPT_REGION = 1, LO_OPT_SEED = 2, LO_OPT_EXPLAIN = 4 };

typedef struct lo_options {
    const char *responses;
    const char *region;
    uint64_t seed;
    bool explain, json;
} lo_options;

/* Reads the options allowed; usage is the command's help text. Returns 0 to go on, 1 when
 * --help printed usage to stdout (exit 0), -1 when an option was wrong: the reason and usage
 * went to stderr (exit 2). */
int lo_options_parse(int argc, char **argv, lo_options *o, unsigned allowed, const char *usage);
/* Loads the set, printing diagnostics; NULL if it has errors or --region names a region the
 * set does not define (the known ones are listed). */
lo_engine *lo_options_load(const lo_options *o);

#endif
