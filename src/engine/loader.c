/* loader.c - the checks every part of the response-set loader uses: a
 * diagnostic at a JSON position, unknown keys with a "did you mean", names,
 * lists of texts, reply placeholders, ids and categories, and patterns. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/internal.h"
#include "engine/jpos.h"
#include "engine/loader.h"

void lo_load_report(loader *L, lo_severity sev, const lo_jpos *at, bool at_key, const char *fmt,
                    ...)
{
    lo_strbuf text = {0};
    va_list ap;
    va_start(ap, fmt);
    lo_strbuf_vaddf(&text, fmt, ap);
    va_end(ap);
    int line = at ? (at_key && at->key ? at->key_line : at->line) : 0;
    int col = at ? (at_key && at->key ? at->key_column : at->column) : 0;
    lo_diags_add(L->d, sev, L->file, line, col, text.data ? text.data : "");
    lo_strbuf_free(&text);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 32 || nb > 32)
        return 99;
    size_t prev[33], cur[33];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[nb];
}

const char *lo_suggest(const char *word, const char *const *choices, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, choices[i]);
        if (d < best_d) {
            best_d = d;
            best = choices[i];
        }
    }
    return best;
}

void lo_check_keys(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                   const char *const *allowed, size_t nallowed)
{
    const char *key;
    json_t *val;
    json_object_foreach (obj, key, val) {
        bool ok = false;
        for (size_t i = 0; i < nallowed; i++)
            ok = ok || strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        lo_strbuf list = {0};
        for (size_t i = 0; i < nallowed; i++)
            lo_strbuf_addf(&list, "%s\"%s\"", i ? ", " : "", allowed[i]);
        const char *hint = lo_suggest(key, allowed, nallowed);
        const lo_jpos *at = lo_jpos_key(pos, key);
        if (hint)
            KEY_ERR(L, at, "unknown key \"%s\" in %s; did you mean \"%s\"? (allowed: %s)", key,
                    what, hint, list.data);
        else
            KEY_ERR(L, at, "unknown key \"%s\" in %s; remove it or use one of %s", key, what,
                    list.data);
        lo_strbuf_free(&list);
    }
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

/* Reads arr (found at `at`, named key) as a list of non-empty strings. */
bool lo_texts_from_array(loader *L, json_t *arr, const lo_jpos *at, const char *key, bool required,
                         size_t max_bytes, const char *what, lo_texts *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_string(arr)) {
        ERR(L, at, "\"%s\" must be a list: put the text in [ ], e.g. [\"%s\"]", key,
            json_string_value(arr));
        return false;
    }
    if (!json_is_array(arr)) {
        ERR(L, at, "\"%s\" must be a list of texts in [ ]", key);
        return false;
    }
    if (required && json_array_size(arr) == 0) {
        ERR(L, at, "\"%s\" is empty; %s needs at least one", key, what);
        return false;
    }
    bool ok = true;
    out->v = lo_xcalloc(json_array_size(arr), sizeof(char *));
    size_t i;
    json_t *item;
    json_array_foreach (arr, i, item) {
        const lo_jpos *ipos = lo_jpos_index(at, i);
        const char *s = json_string_value(item);
        if (!s) {
            ERR(L, ipos, "item %zu of \"%s\" must be a text in quotes", i + 1, key);
            ok = false;
            continue;
        }
        if (!*s || strspn(s, " \t\r\n") == strlen(s)) {
            ERR(L, ipos, "item %zu of \"%s\" is empty; write a text or remove it", i + 1, key);
            ok = false;
            continue;
        }
        if (max_bytes && strlen(s) > max_bytes) {
            ERR(L, ipos, "item %zu of \"%s\" is %zu bytes long; keep it under %zu", i + 1, key,
                strlen(s), max_bytes);
            ok = false;
            continue;
        }
        out->v[out->n++] = lo_xstrdup(s);
    }
    if (!ok)
        lo_texts_free(out);
    return ok;
}

/* Reads key of obj as a list of texts. Returns false after reporting when it
 * is present but wrong, or missing while required. */
bool lo_get_texts(loader *L, json_t *obj, const lo_jpos *pos, const char *key, bool required,
                  size_t max_bytes, const char *what, lo_texts *out)
{
    memset(out, 0, sizeof *out);
    json_t *arr = json_object_get(obj, key);
    if (!arr) {
        if (required)
            ERR(L, pos, "%s needs \"%s\": a list of texts in [ ], e.g. \"%s\": [\"...\"]", what,
                key, key);
        return !required;
    }
    return lo_texts_from_array(L, arr, lo_jpos_key(pos, key), key, required, max_bytes, what, out);
}

const char *lo_get_string(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                          bool required, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            ERR(L, pos, "%s needs \"%s\"", what, key);
        return NULL;
    }
    if (!json_is_string(v) || !*json_string_value(v)) {
        ERR(L, lo_jpos_key(pos, key), "\"%s\" must be a non-empty text in quotes", key);
        return NULL;
    }
    return json_string_value(v);
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

/* NOLINTNEXTLINE(readability-function-cognitive-complexity): split in loader.c's rewrite */
bool lo_check_placeholders(loader *L, const lo_texts *t, const lo_jpos *at)
{
    static const char *const known[] = {"name", "echo", "helplines"};
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) {
        for (const char *p = strchr(t->v[i], '{'); p; p = strchr(p + 1, '{')) {
            const char *end = strchr(p, '}');
            size_t n = end ? (size_t)(end - p - 1) : 0;
            bool found = false;
            for (size_t k = 0; k < 3 && end; k++)
                found = found || (strlen(known[k]) == n && strncmp(p + 1, known[k], n) == 0);
            if (found)
                continue;
            char word[40];
            snprintf(word, sizeof word, "%.*s", end && n < 39 ? (int)n : 0, p + 1);
            const char *hint = lo_suggest(word, known, 3);
            ERR(L, lo_jpos_index(at, i),
                "text %zu has \"{%s\"; the placeholders are {name}, "
                "{echo} and {helplines}%s%s%s",
                i + 1, end && n < 39 ? word : "...", hint ? " (did you mean {" : "",
                hint ? hint : "", hint ? "}?)" : "");
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
