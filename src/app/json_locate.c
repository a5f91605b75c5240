/* json_locate.c - the place of a value in JSON text, by path, for config
 * errors found after parsing. The positions come from the engine's JSON
 * position scanner (engine/jpos.h), the same one response-file errors use. */
#include <stdlib.h>

#include "app/json_locate.h"
#include "engine/jpos.h"

int lo_json_locate(const char *text, size_t len, const char *const *path, size_t depth, int *line,
                   int *column)
{
    lo_jpos *root = lo_jpos_parse(text, len);
    const lo_jpos *at = root;
    *line = *column = 1;
    int rc = root ? 0 : -1;
    for (size_t i = 0; at && i < depth; i++) {
        *line = at->line;
        *column = at->column;
        char *end;
        unsigned long index = strtoul(path[i], &end, 10);
        const lo_jpos *next = lo_jpos_key(at, path[i]);
        if (!next && *path[i] && !*end)
            next = lo_jpos_index(at, index);
        if (!next)
            rc = -1;
        at = next;
    }
    if (at) {
        *line = at->line;
        *column = at->column;
    }
    lo_jpos_free(root);
    return rc;
}
