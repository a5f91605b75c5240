/* load.h - file helpers of the loader that check.c also uses (transcripts). */
#ifndef LEANON_ENGINE_LOAD_H
#define LEANON_ENGINE_LOAD_H

#include <jansson.h>

#include "engine/jpos.h"
#include "leanon/engine.h"

/* Parses a JSON file; on failure adds a diagnostic with line and column. */
json_t *lo_load_json(const char *path, lo_diags *d, lo_jpos **pos);

#endif
