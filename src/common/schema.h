/* schema.h - the one JSON walker of leanon: the keys of an object checked against
 * the known ones (an unknown key is reported at its own line and column, with a
 * "did you mean"), and typed getters (a text, a whole number in a range, true or
 * false, an object, a list of texts) that report a wrong value at the value. The
 * response-set loader, the run config and every platform's config section read
 * their JSON with it; positions come from common/jpos.h, findings go to a sink
 * (common/report.h). */
#ifndef LEANON_COMMON_SCHEMA_H
#define LEANON_COMMON_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/jpos.h"
#include "common/report.h"

/* An object being read: its JSON, its position, how messages name it ("a rule",
 * "platforms.discord") and where findings go. */
typedef struct lo_schema {
    json_t *json;
    const lo_jpos *pos;
    const char *what;
    lo_sink *sink;
} lo_schema;

/* Texts of a list: v is a heap array of n pointers into the JSON, NULL-terminated. */
typedef struct lo_strings {
    const char **v;
    size_t n;
} lo_strings;

/* The closest of choices to word (at most two edits away), or NULL. */
const char *lo_suggest(const char *word, const char *const *choices, size_t n);

/* Reports every key of o not in allowed; false when there was one. */
bool lo_schema_keys(const lo_schema *o, const char *const *allowed, size_t nallowed);

/* The getters: key absent gives fallback (reported first when required); a wrong
 * value is reported at the value and gives fallback too. */
const char *lo_schema_string(const lo_schema *o, const char *key, bool required,
                             const char *fallback);
/* A whole number from min to max; reals (1.5, 1e30) are refused, never truncated.
 * note is added to the message ("" for none), e.g. ", or \"auto\"". */
long long lo_schema_whole(const lo_schema *o, const char *key, long long fallback, long long min,
                          long long max, const char *note);
bool lo_schema_bool(const lo_schema *o, const char *key, bool fallback);

/* Fills child with o[key], named what, when it is an object; false when absent or
 * (reported) not an object. */
bool lo_schema_object(const lo_schema *o, const char *key, const char *what, lo_schema *child);

/* Reads arr (at `at`, the value of key; what names its owner) as a list of texts, each
 * non-blank and at most max_bytes (0: any length); required lists need one. Reports
 * every bad item and returns false (out empty), else true. */
bool lo_schema_list(lo_sink *sink, json_t *arr, const lo_jpos *at, const char *key, bool required,
                    size_t max_bytes, const char *what, lo_strings *out);
/* o[key] as such a list: true with out empty when it is absent and not required. */
bool lo_schema_strings(const lo_schema *o, const char *key, bool required, size_t max_bytes,
                       lo_strings *out);
void lo_strings_free(lo_strings *s);

#endif
