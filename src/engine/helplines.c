/* helplines.c - the helplines part of the safety layer: finding a community's
 * region and writing its crisis (or domestic-violence) lines, the emergency
 * number and the international directory into a reply. Crisis detection
 * itself is the first stage of engine.c (crisis rules and idiom guards are
 * data under responses/safety/); the loader refuses any set that lacks them,
 * and canaries.c any set that misses the built-in crisis messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/diag.h"
#include "engine/helplines.h"
#include "engine/set.h"
#include "leanon/engine.h"
#include "common/buf.h"

const lo_region *lo_region_find(const lo_engine *e, const char *code)
{
    const lo_region *intl = NULL;
    for (size_t i = 0; i < e->nregions; i++) {
        if (code && strcasecmp(e->regions[i].code, code) == 0)
            return &e->regions[i];
        if (strcmp(e->regions[i].code, "international") == 0)
            intl = &e->regions[i];
    }
    return intl;
}

size_t lo_engine_region_count(const lo_engine *engine)
{
    return engine->nregions;
}

const char *lo_engine_region_code(const lo_engine *engine, size_t i)
{
    return i < engine->nregions ? engine->regions[i].code : NULL;
}

static void render_line(const lo_helpline *h, lo_strbuf *out)
{
    lo_strbuf_addf(out, "• %s", h->name);
    if (h->call && h->text && strcmp(h->call, h->text) == 0)
        lo_strbuf_addf(out, ": call or text %s", h->call);
    else {
        if (h->call)
            lo_strbuf_addf(out, ": call %s", h->call);
        if (h->text)
            lo_strbuf_addf(out, "%s text %s", h->call ? "," : ":", h->text);
    }
    if (h->hours)
        lo_strbuf_addf(out, " (%s)", h->hours);
    if (h->url)
        lo_strbuf_addf(out, " %s", h->url);
    lo_strbuf_adds(out, "\n");
}

void lo_helplines_render(const lo_engine *e, const char *region, bool domestic_violence,
                         lo_strbuf *out)
{
    const lo_region *r = lo_region_find(e, region);
    if (!r) { /* unreachable for a loaded set: the loader requires "international" */
        lo_strbuf_adds(out, "Please call your local emergency number now if you are in danger.");
        return;
    }
    const lo_helpline *lines = r->crisis;
    size_t n = r->ncrisis;
    if (domestic_violence && r->ndv) {
        lines = r->dv;
        n = r->ndv;
    }
    for (size_t i = 0; i < n; i++)
        render_line(&lines[i], out);
    for (size_t i = 0; !domestic_violence && i < r->ntextlines; i++)
        render_line(&r->textlines[i], out);
    const lo_region *intl = lo_region_find(e, "international");
    if (intl && intl != r && intl->ncrisis) /* the directory, for people elsewhere */
        render_line(&intl->crisis[0], out);
    lo_strbuf_addf(out, "If anyone is in immediate danger, call %s.", r->emergency);
}
