/* load.h - finding and reading response files (files.c), for the loader and
 * for check.c's transcripts. */
#ifndef LEANON_ENGINE_LOAD_H
#define LEANON_ENGINE_LOAD_H

#include <jansson.h>

#include "common/jpos.h"
#include "leanon/engine.h"

/* Bounds on a response set, past which it is refused with a clear error. */
#define LO_MAX_RESPONSE_FILES 2000
#define LO_MAX_RESPONSE_MIB 64
#define LO_MAX_RESPONSE_BYTES (LO_MAX_RESPONSE_MIB * 1024ULL * 1024ULL)
#define LO_STR_(x) #x
#define LO_STR(x) LO_STR_(x)

/* The .json files below dir (not under tests/), sorted; each folder is read
 * once, however many links lead to it. On a missing folder, no files or a
 * bound passed, adds an error and returns none. Free each and the array. */
char **lo_list_response_files(const char *dir, lo_diags *d, size_t *count);

/* Parses a JSON file; on failure adds a diagnostic with line and column. */
json_t *lo_load_json(const char *path, lo_diags *d, lo_jpos **pos);

#endif
