/* schema.c - the JSON walker (see schema.h): known keys with a "did you mean", and
 * the typed getters. The wording is that of the response-file diagnostics, which
 * moderators already know; the run config and the platforms' sections share it. */
#include "common/schema.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t ab = a < b ? a : b;
    return ab < c ? ab : c;
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
        for (size_t j = 1; j <= nb; j++)
            cur[j] = min3(prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, cur[j - 1] + 1);
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

static bool is_one_of(const char *key, const char *const *allowed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, allowed[i]) == 0)
            return true;
    return false;
}

static void unknown_key(const lo_schema *o, const char *key, const char *const *allowed, size_t n)
{
    lo_strbuf list = {0};
    for (size_t i = 0; i < n; i++)
        lo_strbuf_addf(&list, "%s\"%s\"", i ? ", " : "", allowed[i]);
    const char *hint = lo_suggest(key, allowed, n);
    const lo_jpos *at = lo_jpos_key(o->pos, key);
    if (hint)
        lo_report(o->sink, at, true, "unknown key \"%s\" in %s; did you mean \"%s\"? (allowed: %s)",
                  key, o->what, hint, list.data);
    else
        lo_report(o->sink, at, true, "unknown key \"%s\" in %s; remove it or use one of %s", key,
                  o->what, list.data);
    lo_strbuf_free(&list);
}

bool lo_schema_keys(const lo_schema *o, const char *const *allowed, size_t nallowed)
{
    bool ok = true;
    const char *key;
    json_t *val;
    json_object_foreach (o->json, key, val) {
        if (is_one_of(key, allowed, nallowed))
            continue;
        unknown_key(o, key, allowed, nallowed);
        ok = false;
    }
    return ok;
}

const char *lo_schema_string(const lo_schema *o, const char *key, bool required,
                             const char *fallback)
{
    json_t *v = json_object_get(o->json, key);
    if (!v) {
        if (required)
            lo_report(o->sink, o->pos, false, "%s needs \"%s\"", o->what, key);
        return fallback;
    }
    if (!json_is_string(v) || !*json_string_value(v)) {
        lo_report(o->sink, lo_jpos_key(o->pos, key), false,
                  "\"%s\" must be a non-empty text in quotes", key);
        return fallback;
    }
    return json_string_value(v);
}

long long lo_schema_whole(const lo_schema *o, const char *key, long long fallback, long long min,
                          long long max, const char *note)
{
    json_t *v = json_object_get(o->json, key);
    if (!v)
        return fallback;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        lo_report(o->sink, lo_jpos_key(o->pos, key), false,
                  "\"%s\" must be a whole number from %lld to %lld%s", key, min, max, note);
        return fallback;
    }
    return json_integer_value(v);
}

/* "true" or "false" written in quotes. */
static bool quoted_bool(json_t *v)
{
    const char *s = json_string_value(v);
    return s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0);
}

bool lo_schema_bool(const lo_schema *o, const char *key, bool fallback)
{
    json_t *v = json_object_get(o->json, key);
    if (!v)
        return fallback;
    if (!json_is_boolean(v)) {
        lo_report(o->sink, lo_jpos_key(o->pos, key), false, "\"%s\" must be true or false%s", key,
                  quoted_bool(v) ? ", without quotes" : "");
        return fallback;
    }
    return json_is_true(v);
}

bool lo_schema_object(const lo_schema *o, const char *key, const char *what, lo_schema *child)
{
    json_t *v = json_object_get(o->json, key);
    if (!v)
        return false;
    const lo_jpos *at = lo_jpos_key(o->pos, key);
    if (!json_is_object(v)) {
        lo_report(o->sink, at, false, "\"%s\" must be an object in { }", key);
        return false;
    }
    *child = (lo_schema){.json = v, .pos = at, .what = what, .sink = o->sink};
    return true;
}

/* Whether item i of list key is a text within max_bytes; reports it when not. */
static bool good_item(lo_sink *sink, json_t *item, const lo_jpos *at, const char *key, size_t i,
                      size_t max_bytes)
{
    const char *s = json_string_value(item);
    const lo_jpos *ipos = lo_jpos_index(at, i);
    if (!s) {
        lo_report(sink, ipos, false, "item %zu of \"%s\" must be a text in quotes", i + 1, key);
        return false;
    }
    if (!*s || strspn(s, " \t\r\n") == strlen(s)) {
        lo_report(sink, ipos, false, "item %zu of \"%s\" is empty; write a text or remove it",
                  i + 1, key);
        return false;
    }
    if (max_bytes && strlen(s) > max_bytes) {
        lo_report(sink, ipos, false, "item %zu of \"%s\" is %zu bytes long; keep it under %zu",
                  i + 1, key, strlen(s), max_bytes);
        return false;
    }
    return true;
}

/* Whether arr is a list (non-empty when required); reports it when not. */
static bool good_list(lo_sink *sink, json_t *arr, const lo_jpos *at, const char *key, bool required,
                      const char *what)
{
    if (json_is_string(arr)) {
        lo_report(sink, at, false, "\"%s\" must be a list: put the text in [ ], e.g. [\"%s\"]", key,
                  json_string_value(arr));
        return false;
    }
    if (!json_is_array(arr)) {
        lo_report(sink, at, false, "\"%s\" must be a list of texts in [ ]", key);
        return false;
    }
    if (required && json_array_size(arr) == 0) {
        lo_report(sink, at, false, "\"%s\" is empty; %s needs at least one", key, what);
        return false;
    }
    return true;
}

bool lo_schema_list(lo_sink *sink, json_t *arr, const lo_jpos *at, const char *key, bool required,
                    size_t max_bytes, const char *what, lo_strings *out)
{
    memset(out, 0, sizeof *out);
    if (!good_list(sink, arr, at, key, required, what))
        return false;
    bool ok = true;
    out->v = lo_xcalloc(json_array_size(arr) + 1, sizeof *out->v);
    size_t i;
    json_t *item;
    json_array_foreach (arr, i, item) {
        if (good_item(sink, item, at, key, i, max_bytes))
            out->v[out->n++] = json_string_value(item);
        else
            ok = false;
    }
    if (!ok)
        lo_strings_free(out);
    return ok;
}

bool lo_schema_strings(const lo_schema *o, const char *key, bool required, size_t max_bytes,
                       lo_strings *out)
{
    memset(out, 0, sizeof *out);
    json_t *arr = json_object_get(o->json, key);
    if (!arr && required)
        lo_report(o->sink, o->pos, false,
                  "%s needs \"%s\": a list of texts in [ ], e.g. \"%s\": [\"...\"]", o->what, key,
                  key);
    if (!arr)
        return !required;
    return lo_schema_list(o->sink, arr, lo_jpos_key(o->pos, key), key, required, max_bytes, o->what,
                          out);
}

void lo_strings_free(lo_strings *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
}
