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

int lo_options_parse(int argc, char **argv, lo_options *o, unsigned allowed);
/* Loads the set, printing diagnostics; NULL if it has errors. */
lo_engine *lo_options_load(const lo_options *o);

#endif
