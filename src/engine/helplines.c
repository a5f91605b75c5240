/* helplines.c - the helplines part of the safety layer: finding a community's
 * region (also by a name a person gives: "helpline uk") and writing its crisis
 * (or domestic-violence) lines, the emergency number and the international
 * directory into a reply; with no region, the first line of each of the
 * international region's "common" regions comes before the directory. Crisis detection
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

const char *lo_engine_region_name(const lo_engine *engine, size_t i)
{
    if (i >= engine->nregions)
        return NULL;
    return engine->regions[i].name ? engine->regions[i].name : engine->regions[i].code;
}

/* True when words is name or one of its parts between " / " ("Deutschland / Germany"). */
static bool names_region(const char *name, const char *words)
{
    size_t len = strlen(words);
    for (const char *part = name; part;) {
        const char *slash = strstr(part, " / ");
        size_t part_len = slash ? (size_t)(slash - part) : strlen(part);
        if (part_len == len && strncasecmp(part, words, len) == 0)
            return true;
        part = slash ? slash + 3 : NULL;
    }
    return false;
}

const char *lo_engine_region_lookup(const lo_engine *engine, const char *words)
{
    for (size_t i = 0; words && *words && i < engine->nregions; i++) {
        const lo_region *g = &engine->regions[i];
        bool named = strcasecmp(g->code, words) == 0 || (g->name && names_region(g->name, words));
        for (size_t j = 0; !named && j < g->naliases; j++)
            named = strcasecmp(g->aliases[j], words) == 0;
        if (named)
            return g->code;
    }
    return NULL;
}

/* One line; region names where it is, for the lines of other regions. */
static void render_line_of(const lo_helpline *h, const char *region, lo_strbuf *out)
{
    lo_strbuf_addf(out, "• %s", h->name);
    if (region)
        lo_strbuf_addf(out, " (%s)", region);
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

static void render_line(const lo_helpline *h, lo_strbuf *out)
{
    render_line_of(h, NULL, out);
}

/* With no region of its own (international), the first line of each of the regions it
 * names as "common", where most of its people are likely to be. */
static void render_common(const lo_engine *e, const lo_region *r, bool domestic_violence,
                          lo_strbuf *out)
{
    for (size_t i = 0; i < r->ncommon; i++) {
        const lo_region *g = lo_region_find(e, r->common[i]);
        if (!g || g == r)
            continue;
        if (domestic_violence && g->ndv)
            render_line_of(&g->dv[0], g->name ? g->name : g->code, out);
        else if (g->ncrisis)
            render_line_of(&g->crisis[0], g->name ? g->name : g->code, out);
    }
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
    render_common(e, r, domestic_violence, out);
    for (size_t i = 0; i < n; i++)
        render_line(&lines[i], out);
    for (size_t i = 0; !domestic_violence && i < r->ntextlines; i++)
        render_line(&r->textlines[i], out);
    const lo_region *intl = lo_region_find(e, "international");
    if (intl && intl != r && intl->ncrisis) /* the directory, for people elsewhere */
        render_line(&intl->crisis[0], out);
    lo_strbuf_addf(out, "If anyone is in immediate danger, call %s.", r->emergency);
}
