/* helplines.h - crisis lines by region and their rendering into crisis replies (helplines.c,
 * helplines_load.c). */
#ifndef LEANON_ENGINE_HELPLINES_H
#define LEANON_ENGINE_HELPLINES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "leanon/engine.h"

typedef struct lo_helpline {
    char *name, *call, *text, *hours, *url;
} lo_helpline;

typedef struct lo_region {
    char *code; /* "US", "international" */
    char *name;
    char *emergency;
    lo_helpline *crisis, *textlines, *dv;
    size_t ncrisis, ntextlines, ndv;
    char **aliases; /* other names people use for it ("UK"), matched without case */
    size_t naliases;
    char **common; /* international only: regions whose first line its replies show too */
    size_t ncommon;
    char *verified; /* YYYY-MM-DD, or NULL: not yet checked against its source */
    char *file;     /* where it was defined, for `leanon check` */
    int line, column;
} lo_region;

const lo_region *lo_region_find(const lo_engine *e, const char *code);
void lo_helplines_render(const lo_engine *e, const char *region, bool domestic_violence,
                         lo_strbuf *out);

#endif
