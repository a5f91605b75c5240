/* helplines_load.c - the regions of a response set: each region's name,
 * emergency number, date checked (optional: a region not yet checked is
 * loaded, and `leanon check` warns about it), crisis, text and
 * domestic-violence lines. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/date.h"
#include "engine/diag.h"
#include "engine/helplines.h"
#include "engine/set.h"
#include "common/jpos.h"
#include "engine/loader.h"
#include "leanon/engine.h"
#include "common/buf.h"

static const char *const region_keys[] = {
    "name",     "emergency", "crisis", "text",    "domestic_violence",
    "verified", "source",    "notes",  "aliases", "common"};
static const char *const line_keys[] = {"name", "call", "text", "hours", "url", "notes"};

static char *opt_dup(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && *s ? lo_xstrdup(s) : NULL;
}

static bool load_lines(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                       lo_helpline **out, size_t *n, bool required)
{
    json_t *arr = json_object_get(obj, key);
    const lo_jpos *at = lo_jpos_key(pos, key);
    if (!arr) {
        if (required)
            ERR(L, pos, "a region needs \"%s\": a list of lines", key);
        return !required;
    }
    if (!json_is_array(arr) || (required && json_array_size(arr) == 0)) {
        ERR(L, at, "\"%s\" must be a list of lines in [ ]%s", key,
            required ? " with at least one line" : "");
        return false;
    }
    *out = lo_xcalloc(json_array_size(arr), sizeof **out);
    size_t i;
    json_t *line;
    json_array_foreach (arr, i, line) {
        const lo_jpos *lp = lo_jpos_index(at, i);
        if (!json_is_object(line)) {
            ERR(L, lp,
                "each line must be an object with \"name\" and \"call\", \"text\" or "
                "\"url\"");
            continue;
        }
        lo_check_keys(L, line, lp, "a helpline", line_keys, sizeof line_keys / sizeof *line_keys);
        lo_helpline h = {opt_dup(line, "name"), opt_dup(line, "call"), opt_dup(line, "text"),
                         opt_dup(line, "hours"), opt_dup(line, "url")};
        if (!h.name || !(h.call || h.text || h.url))
            ERR(L, lp,
                "a helpline needs a \"name\" and at least one of \"call\", \"text\" or "
                "\"url\"");
        (*out)[(*n)++] = h;
    }
    return true;
}

/* A list of short words (aliases, region codes): NULL when absent, an error when it is not
 * a list of texts. */
static char **load_names(loader *L, json_t *obj, const lo_jpos *pos, const char *key, size_t *n)
{
    json_t *arr = json_object_get(obj, key);
    if (!arr)
        return NULL;
    if (!json_is_array(arr)) {
        ERR(L, lo_jpos_key(pos, key), "\"%s\" must be a list of texts in [ ]", key);
        return NULL;
    }
    char **names = lo_xcalloc(json_array_size(arr) + 1, sizeof *names);
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v) {
        if (!json_is_string(v) || !*json_string_value(v)) {
            ERR(L, lo_jpos_index(lo_jpos_key(pos, key), i), "each of \"%s\" must be a text", key);
            continue;
        }
        names[(*n)++] = lo_xstrdup(json_string_value(v));
    }
    return names;
}

void lo_check_regions_common(loader *L)
{
    lo_engine *e = L->e;
    for (size_t i = 0; i < e->nregions; i++) {
        const lo_region *g = &e->regions[i];
        L->file = g->file;
        const lo_jpos region_at = {.line = g->line, .column = g->column};
        const lo_jpos *pos = &region_at;
        for (size_t j = 0; j < g->ncommon; j++) {
            bool found = false;
            for (size_t k = 0; k < e->nregions; k++)
                found = found || strcmp(e->regions[k].code, g->common[j]) == 0;
            if (!found)
                ERR(L, pos, "region \"%s\": \"common\" names \"%s\", which no region has", g->code,
                    g->common[j]);
        }
        if (g->ncommon && strcmp(g->code, "international") != 0)
            ERR(L, pos, "region \"%s\": only \"international\" may have \"common\"", g->code);
    }
    L->file = NULL;
}

void lo_load_regions(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *code;
    json_t *r;
    lo_engine *e = L->e;
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"regions\" must be an object keyed by country code");
        return;
    }
    json_object_foreach (obj, code, r) {
        const lo_jpos *rp = lo_jpos_key(pos, code);
        if (!json_is_object(r)) {
            ERR(L, rp, "region \"%s\" must be an object", code);
            continue;
        }
        lo_check_keys(L, r, rp, "a region", region_keys, sizeof region_keys / sizeof *region_keys);
        lo_grow(&e->regions, &L->regions_cap, e->nregions + 1, sizeof *e->regions);
        lo_region *g = &e->regions[e->nregions++];
        memset(g, 0, sizeof *g);
        g->code = lo_xstrdup(code);
        g->name = opt_dup(r, "name");
        g->emergency = opt_dup(r, "emergency");
        g->verified = opt_dup(r, "verified");
        g->file = lo_xstrdup(L->file);
        g->line = rp ? rp->line : 0;
        g->column = rp ? rp->column : 0;
        if (!g->emergency)
            ERR(L, rp, "region \"%s\" needs \"emergency\": the emergency number", code);
        if (json_object_get(r, "verified") && !lo_date_parse(g->verified, &(lo_date){0}))
            ERR(L, lo_jpos_key(rp, "verified"),
                "region \"%s\": \"verified\" must be the date "
                "its numbers were last checked against its source, as YYYY-MM-DD",
                code);
        load_lines(L, r, rp, "crisis", &g->crisis, &g->ncrisis, true);
        load_lines(L, r, rp, "text", &g->textlines, &g->ntextlines, false);
        load_lines(L, r, rp, "domestic_violence", &g->dv, &g->ndv, false);
        g->aliases = load_names(L, r, rp, "aliases", &g->naliases);
        g->common = load_names(L, r, rp, "common", &g->ncommon);
    }
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void free_lines(lo_helpline *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].call);
        free(h[i].text);
        free(h[i].hours);
        free(h[i].url);
    }
    free(h);
}

void lo_regions_free(lo_engine *e)
{
    for (size_t i = 0; i < e->nregions; i++) {
        lo_region *g = &e->regions[i];
        free(g->code);
        free(g->name);
        free(g->emergency);
        free(g->verified);
        free(g->file);
        free_names(g->aliases, g->naliases);
        free_names(g->common, g->ncommon);
        free_lines(g->crisis, g->ncrisis);
        free_lines(g->textlines, g->ntextlines);
        free_lines(g->dv, g->ndv);
    }
    free(e->regions);
}
