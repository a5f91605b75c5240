/* jpos.h - where each value of a JSON text starts (line and column), so that
 * errors in response files and in the run config can point at the exact place.
 * jansson parses the values; this only records positions, keyed like the document. */
#ifndef LEANON_COMMON_JPOS_H
#define LEANON_COMMON_JPOS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lo_jpos {
    int line, column;         /* of the value */
    int key_line, key_column; /* of the key, for object members */
    char *key;                /* member name, NULL for array items */
    struct lo_jpos *children;
    size_t nchildren;
} lo_jpos;

/* Returns NULL when text is not JSON (jansson reports why). */
lo_jpos *lo_jpos_parse(const char *text, size_t len);
void lo_jpos_free(lo_jpos *p);
const lo_jpos *lo_jpos_key(const lo_jpos *obj, const char *key);
const lo_jpos *lo_jpos_index(const lo_jpos *arr, size_t i);
/* The line and column of at (of its key when at_key and it has one); 0 and 0 for NULL. */
void lo_jpos_where(const lo_jpos *at, bool at_key, int *line, int *column);

#endif
