/* loader.c - the checks every part of the response-set loader uses: a
 * diagnostic at a JSON position, unknown keys with a "did you mean" and typed
 * values (both by the common walker, common/schema.h, reporting into the
 * loader's diagnostics), names, lists of texts, reply placeholders, ids and
 * categories, and patterns. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jpos.h"
#include "common/report.h"
#include "common/schema.h"
#include "engine/diag.h"
#include "engine/pattern.h"
#include "engine/set.h"
#include "engine/texts.h"
#include "engine/loader.h"
#include "leanon/engine.h"
#include "common/buf.h"

/* The loader's sinks: findings become diagnostics of the file being read. */
static void add_diag(loader *L, lo_severity sev, int line, int column, const char *message)
{
    lo_diags_add(L->d, sev, L->file, line, column, message);
}

static void add_error(void *L, int line, int column, const char *message)
{
    add_diag(L, LO_DIAG_ERROR, line, column, message);
}

static void add_warning(void *L, int line, int column, const char *message)
{
    add_diag(L, LO_DIAG_WARNING, line, column, message);
}

void lo_load_report(loader *L, lo_severity sev, const lo_jpos *at, bool at_key, const char *fmt,
                    ...)
{
    lo_sink sink = {.report = sev == LO_DIAG_ERROR ? add_error : add_warning, .ctx = L};
    va_list ap;
    va_start(ap, fmt);
    lo_vreport(&sink, at, at_key, fmt, ap);
    va_end(ap);
}

/* The common walker on obj, its errors this loader's diagnostics. */
static lo_schema walker(loader *L, lo_sink *sink, json_t *obj, const lo_jpos *pos, const char *what)
{
    *sink = (lo_sink){.report = add_error, .ctx = L};
    return (lo_schema){.json = obj, .pos = pos, .what = what, .sink = sink};
}

void lo_check_keys(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                   const char *const *allowed, size_t nallowed)
{
    lo_sink sink;
    lo_schema o = walker(L, &sink, obj, pos, what);
    lo_schema_keys(&o, allowed, nallowed);
}

bool lo_get_whole(loader *L, json_t *obj, const lo_jpos *pos, const char *key, long long min,
                  long long max, long long *out)
{
    lo_sink sink;
    lo_schema o = walker(L, &sink, obj, pos, "");
    *out = lo_schema_whole(&o, key, *out, min, max, "");
    return sink.count == 0;
}

bool lo_get_bool(loader *L, json_t *obj, const lo_jpos *pos, const char *key, bool *out)
{
    lo_sink sink;
    lo_schema o = walker(L, &sink, obj, pos, "");
    *out = lo_schema_bool(&o, key, *out);
    return sink.count == 0;
}

bool lo_valid_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

void lo_texts_free(lo_texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* A list the walker accepted, copied into out. */
static void copy_texts(const lo_strings *list, lo_texts *out)
{
    out->v = lo_xcalloc(list->n, sizeof(char *));
    for (out->n = 0; out->n < list->n; out->n++)
        out->v[out->n] = lo_xstrdup(list->v[out->n]);
}

bool lo_texts_from_array(loader *L, json_t *arr, const lo_jpos *at, const char *key, bool required,
                         size_t max_bytes, const char *what, lo_texts *out)
{
    memset(out, 0, sizeof *out);
    lo_sink sink = {.report = add_error, .ctx = L};
    lo_strings list;
    if (!lo_schema_list(&sink, arr, at, key, required, max_bytes, what, &list))
        return false;
    copy_texts(&list, out);
    lo_strings_free(&list);
    return true;
}

bool lo_get_texts(loader *L, json_t *obj, const lo_jpos *pos, const char *key, bool required,
                  size_t max_bytes, const char *what, lo_texts *out)
{
    memset(out, 0, sizeof *out);
    lo_sink sink;
    lo_schema o = walker(L, &sink, obj, pos, what);
    lo_strings list;
    if (!lo_schema_strings(&o, key, required, max_bytes, &list))
        return false;
    if (list.v)
        copy_texts(&list, out);
    lo_strings_free(&list);
    return true;
}

const char *lo_get_string(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                          bool required, const char *what)
{
    lo_sink sink;
    lo_schema o = walker(L, &sink, obj, pos, what);
    return lo_schema_string(&o, key, required, NULL);
}

/* ---- patterns ---- */

lo_pattern_context lo_loader_pattern_context(loader *L)
{
    return (lo_pattern_context){&L->e->vocab, &L->e->norm, L->e->concepts, L->e->nconcepts};
}

bool lo_compile_patterns(loader *L, const lo_texts *srcs, const lo_jpos *at, uint8_t kind,
                         uint32_t owner)
{
    bool ok = true;
    lo_pattern_context ctx = lo_loader_pattern_context(L);
    for (size_t i = 0; i < srcs->n; i++) {
        lo_engine *e = L->e;
        lo_grow(&e->patterns, &L->patterns_cap, e->npatterns + 1, sizeof *e->patterns);
        lo_pattern *p = &e->patterns[e->npatterns];
        lo_strbuf err = {0};
        int col = 0;
        if (lo_pattern_compile(&ctx, srcs->v[i], p, &err, &col) < 0) {
            const lo_jpos *ipos = lo_jpos_index(at, i);
            lo_jpos where = ipos ? *ipos : (lo_jpos){0};
            if (ipos)
                where.column += 1 + col; /* past the opening quote */
            ERR(L, ipos ? &where : at, "pattern \"%s\": %s", srcs->v[i], err.data);
            lo_strbuf_free(&err);
            ok = false;
            continue;
        }
        p->owner_kind = kind;
        p->owner = owner;
        p->index_in_owner = (uint16_t)i;
        e->npatterns++;
    }
    return ok;
}

static const char *const placeholders[] = {"name", "echo", "helplines", "reason"};
#define NPLACEHOLDERS (sizeof placeholders / sizeof *placeholders)

/* Whether the n bytes at s name a placeholder. */
static bool is_placeholder(const char *s, size_t n)
{
    for (size_t k = 0; k < NPLACEHOLDERS; k++)
        if (strlen(placeholders[k]) == n && strncmp(s, placeholders[k], n) == 0)
            return true;
    return false;
}

/* Reports the unknown placeholder at p ('{') of text i, end its '}' or NULL. */
static void report_placeholder(loader *L, const lo_jpos *at, size_t i, const char *p,
                               const char *end)
{
    size_t n = end ? (size_t)(end - p - 1) : 0;
    char word[40];
    snprintf(word, sizeof word, "%.*s", end && n < 39 ? (int)n : 0, p + 1);
    const char *hint = lo_suggest(word, placeholders, NPLACEHOLDERS);
    ERR(L, lo_jpos_index(at, i),
        "text %zu has \"{%s\"; the placeholders are {name}, "
        "{echo}, {helplines} and {reason}%s%s%s",
        i + 1, end && n < 39 ? word : "...", hint ? " (did you mean {" : "", hint ? hint : "",
        hint ? "}?)" : "");
}

bool lo_check_placeholders(loader *L, const lo_texts *t, const lo_jpos *at)
{
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) {
        for (const char *p = strchr(t->v[i], '{'); p; p = strchr(p + 1, '{')) {
            const char *end = strchr(p, '}');
            if (end && is_placeholder(p + 1, (size_t)(end - p - 1)))
                continue;
            report_placeholder(L, at, i, p, end);
            ok = false;
        }
    }
    return ok;
}

bool lo_load_id_category(loader *L, json_t *obj, const lo_jpos *pos, const char *what, char **id,
                         char **category)
{
    const char *s = lo_get_string(L, obj, pos, "id", true, what);
    bool ok = s != NULL;
    if (s && !lo_valid_name(s, 63)) {
        ERR(L, lo_jpos_key(pos, "id"),
            "id \"%s\" may only use a-z, 0-9, '-' and '_' "
            "(at most 63)",
            s);
        ok = false;
    }
    if (s)
        *id = lo_xstrdup(s);
    if (!category)
        return ok;
    const char *c = lo_get_string(L, obj, pos, "category", true, what);
    if (c && !lo_valid_name(c, 47)) {
        ERR(L, lo_jpos_key(pos, "category"),
            "category \"%s\" may only use a-z, 0-9, '-' and "
            "'_' (at most 47)",
            c);
        c = NULL;
    }
    if (c)
        *category = lo_xstrdup(c);
    return ok && c;
}
