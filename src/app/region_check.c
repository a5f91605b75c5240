/* region_check.c - an unknown region is refused with the list of the set's regions. */
#include "app/region_check.h"

#include <strings.h>

#include "common/buf.h"

char *lo_region_unknown(const lo_engine *engine, const char *code)
{
    size_t n = lo_engine_region_count(engine);
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(lo_engine_region_code(engine, i), code) == 0)
            return NULL;
    lo_strbuf why = {0};
    lo_strbuf_addf(&why,
                   "unknown region \"%s\": crisis replies would carry no local lines; the "
                   "response set defines",
                   code);
    for (size_t i = 0; i < n; i++)
        lo_strbuf_addf(&why, "%s \"%s\"", i ? "," : "", lo_engine_region_code(engine, i));
    return lo_strbuf_take(&why);
}
