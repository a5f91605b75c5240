/* load.h - file helpers of the loader that check.c also uses (transcripts). */
#ifndef LEANON_ENGINE_LOAD_H
#define LEANON_ENGINE_LOAD_H

#include <jansson.h>

#include "engine/jpos.h"
#include "leanon/engine.h"

char *lo_read_file(const char *path, size_t *len);
/* Parses a JSON file; on failure adds a diagnostic with line and column. */
json_t *lo_load_json(const char *path, lo_diags *d, lo_jpos **pos);
/* The closest of choices to word (at most two edits away), or NULL. */
const char *lo_suggest(const char *word, const char *const *choices, size_t n);

#endif
