/* rules.c - loading a response set: every *.json file under a folder, read
 * with jansson and checked with care, because the people who edit these
 * files are moderators, not programmers. Every mistake becomes a diagnostic
 * with file:line:column and a sentence on what to do; a set with any error
 * is not loaded at all (the caller keeps its last good set).
 *
 * Loading runs in phases, because later parts depend on earlier ones:
 *   1. parse all files (jansson for values, jpos for positions);
 *   2. normalisation tables (replace, emoji, negation), then concepts;
 *   3. helplines, rules, guards, flows and flow answers, compiling patterns;
 *   4. checks across files (duplicate ids, followups, the safety minimum),
 *      then the index and the typo table.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/internal.h"
#include "engine/jpos.h"
#include "engine/load.h"

static const char *const required_crisis[] = {
    "crisis-suicide", "crisis-selfharm", "crisis-overdose",
    "crisis-abuse", "crisis-harm-others", "crisis-third-party",
};

typedef struct doc {
    char *file;
    json_t *json;
    lo_jpos *pos;
} doc;

typedef struct loader {
    lo_engine *e;
    lo_diags *d;
    const char *file;
    size_t rules_cap, guards_cap, flows_cap, patterns_cap, regions_cap, concepts_cap;
    size_t repl_cap, emoji_cap;
} loader;

static void report(loader *L, lo_severity sev, const lo_jpos *at, bool at_key, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static void report(loader *L, lo_severity sev, const lo_jpos *at, bool at_key, const char *fmt,
                   ...)
{
    lo_strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        lo_grow(&b.data, &b.cap, (size_t)n + 1, 1);
        va_start(ap, fmt);
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    int line = at ? (at_key && at->key ? at->key_line : at->line) : 0;
    int col = at ? (at_key && at->key ? at->key_column : at->column) : 0;
    lo_diags_add(L->d, sev, L->file, line, col, b.data ? b.data : "");
    lo_strbuf_free(&b);
}

#define ERR(L, at, ...) report((L), LO_DIAG_ERROR, (at), false, __VA_ARGS__)
#define KEY_ERR(L, at, ...) report((L), LO_DIAG_ERROR, (at), true, __VA_ARGS__)
#define WARN(L, at, ...) report((L), LO_DIAG_WARNING, (at), false, __VA_ARGS__)

/* ---- small validation helpers ---- */

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

/* The closest of choices to word (at most two edits away), or NULL. */
static const char *lo_suggest(const char *word, const char *const *choices, size_t n)
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

static void check_keys(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                       const char *const *allowed, size_t nallowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
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

static bool valid_name(const char *s, size_t max)
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

static void free_texts(lo_texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* Reads arr (found at `at`, named key) as a list of non-empty strings. */
static bool texts_from_array(loader *L, json_t *arr, const lo_jpos *at, const char *key,
                             bool required, size_t max_bytes, const char *what, lo_texts *out)
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
    json_array_foreach(arr, i, item) {
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
        free_texts(out);
    return ok;
}

/* Reads key of obj as a list of texts. Returns false after reporting when it
 * is present but wrong, or missing while required. */
static bool get_texts(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                      bool required, size_t max_bytes, const char *what, lo_texts *out)
{
    memset(out, 0, sizeof *out);
    json_t *arr = json_object_get(obj, key);
    if (!arr) {
        if (required)
            ERR(L, pos, "%s needs \"%s\": a list of texts in [ ], e.g. \"%s\": [\"...\"]", what,
                key, key);
        return !required;
    }
    return texts_from_array(L, arr, lo_jpos_key(pos, key), key, required, max_bytes, what, out);
}

static const char *get_string(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
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

static lo_pattern_context pattern_context(loader *L)
{
    return (lo_pattern_context){&L->e->vocab, &L->e->norm, L->e->concepts, L->e->nconcepts};
}

static bool compile_patterns(loader *L, const lo_texts *srcs, const lo_jpos *at, uint8_t kind,
                             uint32_t owner)
{
    bool ok = true;
    lo_pattern_context ctx = pattern_context(L);
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

/* ---- normalisation tables ---- */

static void split_words(const char *s, lo_replacement *r)
{
    lo_strbuf folded = {0};
    size_t cap = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (q > p) {
            folded.len = 0;
            if (lo_text_fold_word(p, (size_t)(q - p), &folded) == 0 && folded.len) {
                lo_strbuf bare = {0};
                for (size_t i = 0; i < folded.len; i++)
                    if (folded.data[i] != '\'')
                        lo_strbuf_add(&bare, folded.data + i, 1);
                lo_grow(&r->to, &cap, r->nto + 1, sizeof *r->to);
                r->to[r->nto++] = lo_strbuf_take(&bare);
            }
        }
        p = q;
    }
    lo_strbuf_free(&folded);
}

static void load_replace(loader *L, json_t *obj, const lo_jpos *pos, bool emoji)
{
    const char *key;
    json_t *val;
    lo_normaliser *n = &L->e->norm;
    json_object_foreach(obj, key, val) {
        const lo_jpos *at = lo_jpos_key(pos, key);
        const char *to = json_string_value(val);
        if (!to) {
            ERR(L, at, "the replacement for \"%s\" must be a text in quotes", key);
            continue;
        }
        lo_replacement r = {0};
        if (emoji) {
            lo_strbuf k = {0};
            for (const char *p = key; *p; p++) /* drop variation selector U+FE0F */
                if (!(p[0] == '\xEF' && p[1] == '\xB8' && p[2] == '\x8F'))
                    lo_strbuf_add(&k, p, 1);
                else
                    p += 2;
            r.from = lo_strbuf_take(&k);
        } else {
            lo_strbuf k = {0};
            if (lo_text_fold_word(key, strlen(key), &k) < 0 || !k.len) {
                KEY_ERR(L, at, "\"%s\" must be a single word (letters, digits, apostrophes) "
                               "to be replaced", key);
                lo_strbuf_free(&k);
                continue;
            }
            r.from = lo_strbuf_take(&k);
        }
        split_words(to, &r);
        if (!r.nto) {
            ERR(L, at, "the replacement for \"%s\" has no words", key);
            free(r.from);
            continue;
        }
        if (emoji) {
            lo_grow(&n->emoji, &L->emoji_cap, n->nemoji + 1, sizeof *n->emoji);
            n->emoji[n->nemoji++] = r;
        } else {
            lo_grow(&n->repl, &L->repl_cap, n->nrepl + 1, sizeof *n->repl);
            n->repl[n->nrepl++] = r;
        }
    }
}

static void replace_word_list(char ***list, size_t *n, const lo_texts *t)
{
    for (size_t i = 0; i < *n; i++)
        free((*list)[i]);
    free(*list);
    *list = lo_xcalloc(t->n, sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < t->n; i++) {
        lo_strbuf w = {0};
        if (lo_text_fold_word(t->v[i], strlen(t->v[i]), &w) == 0 && w.len)
            (*list)[(*n)++] = lo_strbuf_take(&w);
        else
            lo_strbuf_free(&w);
    }
}

static void load_negation(loader *L, json_t *obj, const lo_jpos *pos)
{
    static const char *const keys[] = {"words", "breakers", "scope"};
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"negation\" must be an object with \"words\", \"breakers\" and \"scope\"");
        return;
    }
    check_keys(L, obj, pos, "\"negation\"", keys, 3);
    lo_texts t;
    if (json_object_get(obj, "words") &&
        get_texts(L, obj, pos, "words", true, 64, "\"negation\"", &t)) {
        replace_word_list(&L->e->norm.negators, &L->e->norm.nnegators, &t);
        free_texts(&t);
    }
    if (json_object_get(obj, "breakers") &&
        get_texts(L, obj, pos, "breakers", true, 64, "\"negation\"", &t)) {
        replace_word_list(&L->e->norm.breakers, &L->e->norm.nbreakers, &t);
        free_texts(&t);
    }
    json_t *scope = json_object_get(obj, "scope");
    if (scope) {
        if (!json_is_integer(scope) || json_integer_value(scope) < 1 ||
            json_integer_value(scope) > 10)
            ERR(L, lo_jpos_key(pos, "scope"), "\"scope\" must be a whole number from 1 to 10");
        else
            L->e->norm.negation_scope = (int)json_integer_value(scope);
    }
}

static void load_concepts(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *name;
    json_t *val;
    lo_engine *e = L->e;
    json_object_foreach(obj, name, val) {
        const lo_jpos *at = lo_jpos_key(pos, name);
        if (!valid_name(name, 40)) {
            KEY_ERR(L, at, "concept name \"%s\" may only use a-z, 0-9, '-' and '_'", name);
            continue;
        }
        for (size_t i = 0; i < e->nconcepts; i++)
            if (strcmp(e->concepts[i].name, name) == 0) {
                KEY_ERR(L, at, "concept \"%s\" is defined twice; merge the two lists", name);
                goto next;
            }
        lo_texts words;
        if (!texts_from_array(L, val, at, name, true, 200, "a concept", &words))
            continue;
        lo_concept c = {.name = lo_xstrdup(name)};
        c.alts = lo_xcalloc(words.n, sizeof *c.alts);
        lo_pattern_context ctx = pattern_context(L);
        for (size_t i = 0; i < words.n; i++) {
            lo_strbuf err = {0};
            if (lo_pattern_compile_phrase(&ctx, words.v[i], &c.alts[c.nalts], &err) < 0)
                ERR(L, at ? lo_jpos_index(at, i) : NULL, "concept \"%s\", \"%s\": %s", name,
                    words.v[i], err.data);
            else
                c.nalts++;
            lo_strbuf_free(&err);
        }
        free_texts(&words);
        lo_grow(&e->concepts, &L->concepts_cap, e->nconcepts + 1, sizeof *e->concepts);
        e->concepts[e->nconcepts++] = c;
    next:;
    }
}

/* ---- rules ---- */

static const char *const rule_keys[] = {"id",       "category", "priority", "patterns",
                                        "replies",  "followup", "examples", "not",
                                        "alert",    "feedback", "helplines"};

/* Every {placeholder} in a reply must be one the engine fills. */
static bool check_placeholders(loader *L, const lo_texts *t, const lo_jpos *at)
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
            ERR(L, lo_jpos_index(at, i), "text %zu has \"{%s\"; the placeholders are {name}, "
                                         "{echo} and {helplines}%s%s%s",
                i + 1, end && n < 39 ? word : "...", hint ? " (did you mean {" : "",
                hint ? hint : "", hint ? "}?)" : "");
            ok = false;
        }
    }
    return ok;
}

static lo_rule *new_rule(loader *L)
{
    lo_engine *e = L->e;
    lo_grow(&e->rules, &L->rules_cap, e->nrules + 1, sizeof *e->rules);
    lo_rule *r = &e->rules[e->nrules];
    memset(r, 0, sizeof *r);
    r->flow = -1;
    r->file = lo_xstrdup(L->file);
    return r;
}

static bool load_id_category(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                             char **id, char **category)
{
    const char *s = get_string(L, obj, pos, "id", true, what);
    bool ok = s != NULL;
    if (s && !valid_name(s, 63)) {
        ERR(L, lo_jpos_key(pos, "id"), "id \"%s\" may only use a-z, 0-9, '-' and '_' "
                                       "(at most 63)", s);
        ok = false;
    }
    if (s)
        *id = lo_xstrdup(s);
    if (!category)
        return ok;
    const char *c = get_string(L, obj, pos, "category", true, what);
    if (c && !valid_name(c, 47)) {
        ERR(L, lo_jpos_key(pos, "category"), "category \"%s\" may only use a-z, 0-9, '-' and "
                                             "'_' (at most 47)", c);
        c = NULL;
    }
    if (c)
        *category = lo_xstrdup(c);
    return ok && c;
}

static int example_line(const lo_jpos *pos, const char *key, size_t i)
{
    const lo_jpos *p = lo_jpos_index(lo_jpos_key(pos, key), i);
    return p ? p->line : 0;
}

/* Reads "priority", "examples" and "not", shared by rules and flows. */
static bool load_rule_tests(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                            lo_rule *r)
{
    bool ok = true;
    json_t *prio = json_object_get(obj, "priority");
    if (prio) {
        if (!json_is_integer(prio) || json_integer_value(prio) < 0 ||
            json_integer_value(prio) > 100) {
            ERR(L, lo_jpos_key(pos, "priority"), "\"priority\" must be a whole number from 0 "
                                                 "to 100");
            ok = false;
        } else {
            r->priority = (int)json_integer_value(prio);
        }
    }
    lo_texts t;
    if (get_texts(L, obj, pos, "examples", false, 4000, what, &t)) {
        r->examples = t.v;
        r->nexamples = t.n;
        r->example_lines = lo_xcalloc(t.n, sizeof(int));
        for (size_t i = 0; i < t.n; i++)
            r->example_lines[i] = example_line(pos, "examples", i);
    } else {
        ok = false;
    }
    if (get_texts(L, obj, pos, "not", false, 4000, what, &t)) {
        r->nots = t.v;
        r->nnots = t.n;
    } else {
        ok = false;
    }
    return ok;
}

static void load_rule(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each rule must be an object in { }");
        return;
    }
    check_keys(L, obj, pos, "a rule", rule_keys, sizeof rule_keys / sizeof *rule_keys);
    lo_rule *r = new_rule(L);
    r->line = pos ? pos->line : 0;
    r->column = pos ? pos->column : 0;
    bool ok = load_id_category(L, obj, pos, "a rule", &r->id, &r->category);
    r->priority = 50;
    ok = load_rule_tests(L, obj, pos, "a rule", r) && ok;
    lo_texts replies, patterns;
    if (get_texts(L, obj, pos, "replies", true, LO_MAX_REPLY_BYTES, "a rule", &replies)) {
        if (replies.n > LO_MAX_REPLIES_PER_RULE) {
            ERR(L, lo_jpos_key(pos, "replies"), "a rule can have at most %d replies",
                LO_MAX_REPLIES_PER_RULE);
            ok = false;
        }
        for (size_t i = 0; i < replies.n; i++)
            if (strlen(replies.v[i]) > 600)
                WARN(L, lo_jpos_index(lo_jpos_key(pos, "replies"), i),
                     "reply %zu is %zu bytes; people read short replies best (under 600)", i + 1,
                     strlen(replies.v[i]));
        ok = check_placeholders(L, &replies, lo_jpos_key(pos, "replies")) && ok;
        r->replies = replies.v;
        r->nreplies = replies.n;
    } else {
        ok = false;
    }
    const char *followup = get_string(L, obj, pos, "followup", false, "a rule");
    if (followup)
        r->followup = lo_xstrdup(followup);
    json_t *alert = json_object_get(obj, "alert");
    if (alert && !json_is_boolean(alert)) {
        ERR(L, lo_jpos_key(pos, "alert"), "\"alert\" must be true or false (no quotes)");
        ok = false;
    }
    r->alert = alert && json_is_true(alert);
    const char *feedback = get_string(L, obj, pos, "feedback", false, "a rule");
    if (feedback && strcmp(feedback, "helpful") != 0 && strcmp(feedback, "unhelpful") != 0)
        ERR(L, lo_jpos_key(pos, "feedback"), "\"feedback\" must be \"helpful\" or "
                                             "\"unhelpful\"");
    r->feedback = !feedback ? 0 : strcmp(feedback, "helpful") == 0 ? 1 : -1;
    r->crisis = r->category && strncmp(r->category, "crisis-", 7) == 0;
    const char *lines = get_string(L, obj, pos, "helplines", false, "a rule");
    if (lines && strcmp(lines, "crisis") != 0 && strcmp(lines, "domestic_violence") != 0)
        ERR(L, lo_jpos_key(pos, "helplines"), "\"helplines\" must be \"crisis\" or "
                                              "\"domestic_violence\"");
    r->domestic_lines = lines ? strcmp(lines, "domestic_violence") == 0
                              : r->category && strcmp(r->category, "crisis-abuse") == 0;
    L->e->nrules++;
    if (get_texts(L, obj, pos, "patterns", true, 1000, "a rule", &patterns)) {
        ok = compile_patterns(L, &patterns, lo_jpos_key(pos, "patterns"), LO_OWNER_RULE,
                              (uint32_t)(L->e->nrules - 1)) && ok;
        free_texts(&patterns);
    }
    (void)ok;
}

static const char *const guard_keys[] = {"id", "patterns", "examples"};

static void load_guard(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each guard must be an object in { }");
        return;
    }
    check_keys(L, obj, pos, "a guard", guard_keys, 3);
    lo_engine *e = L->e;
    lo_grow(&e->guards, &L->guards_cap, e->nguards + 1, sizeof *e->guards);
    lo_guard *g = &e->guards[e->nguards++];
    memset(g, 0, sizeof *g);
    g->file = lo_xstrdup(L->file);
    g->line = pos ? pos->line : 0;
    g->column = pos ? pos->column : 0;
    load_id_category(L, obj, pos, "a guard", &g->id, NULL);
    lo_texts t;
    if (get_texts(L, obj, pos, "examples", false, 4000, "a guard", &t)) {
        g->examples = t.v;
        g->nexamples = t.n;
    }
    if (get_texts(L, obj, pos, "patterns", true, 1000, "a guard", &t)) {
        compile_patterns(L, &t, lo_jpos_key(pos, "patterns"), LO_OWNER_GUARD,
                         (uint32_t)(e->nguards - 1));
        free_texts(&t);
    }
}

static void load_array(loader *L, json_t *root, const lo_jpos *pos, const char *key,
                       void (*each)(loader *, json_t *, const lo_jpos *))
{
    json_t *arr = json_object_get(root, key);
    const lo_jpos *at = lo_jpos_key(pos, key);
    if (!json_is_array(arr)) {
        ERR(L, at, "\"%s\" must be a list in [ ]", key);
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) each(L, item, lo_jpos_index(at, i));
}

/* ---- flows ---- */

const char *const lo_answer_names[LO_ANSWER_KINDS] = {"yes",    "no",    "unsure", "skip",
                                                      "pause",  "resume", "leave", "text"};

static const char *const flow_keys[] = {"id",    "category", "priority", "start", "examples",
                                        "not",   "intro",    "steps",    "skip",  "pause",
                                        "resume", "leave",   "finish"};
static const char *const step_keys[] = {"id", "category", "prompt", "replies"};
static const char *const reply_kind_keys[] = {"yes", "no", "unsure", "text"};

static void load_step(loader *L, json_t *obj, const lo_jpos *pos, lo_flow *f, lo_flow_step *s)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each step must be an object in { }");
        return;
    }
    check_keys(L, obj, pos, "a flow step", step_keys, 4);
    load_id_category(L, obj, pos, "a flow step", &s->id, NULL);
    const char *cat = get_string(L, obj, pos, "category", false, "a flow step");
    s->category = lo_xstrdup(cat ? cat : f->category ? f->category : "reflect");
    const char *prompt = get_string(L, obj, pos, "prompt", true, "a flow step");
    s->prompt = lo_xstrdup(prompt ? prompt : "");
    json_t *replies = json_object_get(obj, "replies");
    const lo_jpos *rpos = lo_jpos_key(pos, "replies");
    if (!json_is_object(replies)) {
        ERR(L, replies ? rpos : pos, "a flow step needs \"replies\": { \"text\": [...] } and "
                                     "optionally \"yes\", \"no\", \"unsure\"");
        return;
    }
    check_keys(L, replies, rpos, "a step's replies", reply_kind_keys, 4);
    for (int k = 0; k < LO_ANSWER_KINDS; k++) {
        bool used = k == LO_ANSWER_YES || k == LO_ANSWER_NO || k == LO_ANSWER_UNSURE ||
                    k == LO_ANSWER_TEXT;
        if (used &&
            get_texts(L, replies, rpos, lo_answer_names[k], k == LO_ANSWER_TEXT,
                      LO_MAX_REPLY_BYTES, "a step's replies", &s->replies[k]))
            check_placeholders(L, &s->replies[k], lo_jpos_key(rpos, lo_answer_names[k]));
    }
}

static void load_flow(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each flow must be an object in { }");
        return;
    }
    check_keys(L, obj, pos, "a flow", flow_keys, sizeof flow_keys / sizeof *flow_keys);
    lo_engine *e = L->e;
    lo_grow(&e->flows, &L->flows_cap, e->nflows + 1, sizeof *e->flows);
    lo_flow *f = &e->flows[e->nflows++];
    memset(f, 0, sizeof *f);
    char *id = NULL, *category = NULL;
    load_id_category(L, obj, pos, "a flow", &id, &category);
    f->id = id ? id : lo_xstrdup("");
    f->category = category ? category : lo_xstrdup("reflect");
    f->id_hash = lo_hash(f->id, strlen(f->id));
    const char *intro = get_string(L, obj, pos, "intro", false, "a flow");
    f->intro = intro ? lo_xstrdup(intro) : NULL;
    lo_texts *lists[] = {&f->skip, &f->pause, &f->resume, &f->leave, &f->finish};
    const char *names[] = {"skip", "pause", "resume", "leave", "finish"};
    for (int i = 0; i < 5; i++)
        if (get_texts(L, obj, pos, names[i], true, LO_MAX_REPLY_BYTES, "a flow", lists[i]))
            check_placeholders(L, lists[i], lo_jpos_key(pos, names[i]));
    json_t *steps = json_object_get(obj, "steps");
    const lo_jpos *spos = lo_jpos_key(pos, "steps");
    if (!json_is_array(steps) || json_array_size(steps) == 0) {
        ERR(L, steps ? spos : pos, "a flow needs \"steps\": a list of at least one step");
    } else {
        f->steps = lo_xcalloc(json_array_size(steps), sizeof *f->steps);
        size_t i;
        json_t *st;
        json_array_foreach(steps, i, st) {
            load_step(L, st, lo_jpos_index(spos, i), f, &f->steps[i]);
            f->nsteps++;
        }
    }
    /* a flow is started like a rule: it gets a rule of its own */
    lo_rule *r = new_rule(L);
    r->id = lo_xstrdup(f->id);
    r->category = lo_xstrdup(f->category);
    r->flow = (int)(e->nflows - 1);
    r->line = pos ? pos->line : 0;
    r->column = pos ? pos->column : 0;
    r->priority = 60;
    load_rule_tests(L, obj, pos, "a flow", r);
    lo_texts t;
    e->nrules++;
    if (get_texts(L, obj, pos, "start", true, 1000, "a flow", &t)) {
        compile_patterns(L, &t, lo_jpos_key(pos, "start"), LO_OWNER_RULE,
                         (uint32_t)(e->nrules - 1));
        free_texts(&t);
    }
}

static void load_answers(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *names[LO_ANSWER_KINDS - 1];
    for (int k = 0; k < LO_ANSWER_TEXT; k++)
        names[k] = lo_answer_names[k];
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"answers\" must be an object like { \"yes\": [\"~yes\"], ... }");
        return;
    }
    check_keys(L, obj, pos, "\"answers\"", names, LO_ANSWER_TEXT);
    for (int k = 0; k < LO_ANSWER_TEXT; k++) {
        lo_texts t;
        if (!json_object_get(obj, names[k]))
            continue;
        if (get_texts(L, obj, pos, names[k], true, 1000, "an answer kind", &t)) {
            compile_patterns(L, &t, lo_jpos_key(pos, names[k]), LO_OWNER_ANSWER, (uint32_t)k);
            L->e->has_answers[k] = true;
            free_texts(&t);
        }
    }
}

/* ---- helplines ---- */

static const char *const region_keys[] = {"name", "emergency", "crisis", "text",
                                          "domestic_violence", "verified", "source", "notes"};
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
    json_array_foreach(arr, i, line) {
        const lo_jpos *lp = lo_jpos_index(at, i);
        if (!json_is_object(line)) {
            ERR(L, lp, "each line must be an object with \"name\" and \"call\", \"text\" or "
                       "\"url\"");
            continue;
        }
        check_keys(L, line, lp, "a helpline", line_keys, sizeof line_keys / sizeof *line_keys);
        lo_helpline h = {opt_dup(line, "name"), opt_dup(line, "call"), opt_dup(line, "text"),
                         opt_dup(line, "hours"), opt_dup(line, "url")};
        if (!h.name || !(h.call || h.text || h.url))
            ERR(L, lp, "a helpline needs a \"name\" and at least one of \"call\", \"text\" or "
                       "\"url\"");
        (*out)[(*n)++] = h;
    }
    return true;
}

static void load_regions(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *code;
    json_t *r;
    lo_engine *e = L->e;
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"regions\" must be an object keyed by country code");
        return;
    }
    json_object_foreach(obj, code, r) {
        const lo_jpos *rp = lo_jpos_key(pos, code);
        if (!json_is_object(r)) {
            ERR(L, rp, "region \"%s\" must be an object", code);
            continue;
        }
        check_keys(L, r, rp, "a region", region_keys, sizeof region_keys / sizeof *region_keys);
        lo_grow(&e->regions, &L->regions_cap, e->nregions + 1, sizeof *e->regions);
        lo_region *g = &e->regions[e->nregions++];
        memset(g, 0, sizeof *g);
        g->code = lo_xstrdup(code);
        g->name = opt_dup(r, "name");
        g->emergency = opt_dup(r, "emergency");
        g->verified = opt_dup(r, "verified");
        if (!g->emergency)
            ERR(L, rp, "region \"%s\" needs \"emergency\": the emergency number", code);
        const char *v = g->verified;
        if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
            ERR(L, rp, "region \"%s\" needs \"verified\": the date its numbers were last "
                       "checked, as YYYY-MM-DD", code);
        load_lines(L, r, rp, "crisis", &g->crisis, &g->ncrisis, true);
        load_lines(L, r, rp, "text", &g->textlines, &g->ntextlines, false);
        load_lines(L, r, rp, "domestic_violence", &g->dv, &g->ndv, false);
    }
}

/* ---- files ---- */

static const char *const top_keys[] = {"rules",  "guards", "flows",    "answers",
                                       "regions", "replace", "emoji", "concepts",
                                       "negation", "comment"};

/* ---- checks across the set ---- */

static int find_rule(const lo_engine *e, const char *id)
{
    for (size_t i = 0; i < e->nrules; i++)
        if (e->rules[i].id && strcmp(e->rules[i].id, id) == 0)
            return (int)i;
    return -1;
}

static void check_set(loader *L)
{
    lo_engine *e = L->e;
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[i];
        if (!r->id)
            continue;
        L->file = r->file;
        if (r->followup && find_rule(e, r->followup) < 0) {
            lo_jpos at = {.line = r->line, .column = r->column};
            const char **ids = lo_xcalloc(e->nrules, sizeof(char *));
            size_t nids = 0;
            for (size_t j = 0; j < e->nrules; j++)
                if (e->rules[j].id)
                    ids[nids++] = e->rules[j].id;
            const char *hint = lo_suggest(r->followup, ids, nids);
            ERR(L, &at, "rule \"%s\": \"followup\" names \"%s\", but no rule or flow has that "
                        "id%s%s%s", r->id, r->followup, hint ? "; did you mean \"" : "",
                hint ? hint : "", hint ? "\"?" : "");
            free(ids);
        }
        if (r->alert && !r->crisis) {
            lo_jpos at = {.line = r->line, .column = r->column};
            WARN(L, &at, "rule \"%s\" has \"alert\" but is not a crisis rule; alerts are only "
                         "sent for crisis categories", r->id);
        }
    }
    L->file = NULL;
    for (size_t c = 0; c < sizeof required_crisis / sizeof *required_crisis; c++) {
        bool found = false;
        for (size_t i = 0; i < e->nrules && !found; i++)
            found = e->rules[i].category && strcmp(e->rules[i].category, required_crisis[c]) == 0;
        if (!found)
            ERR(L, NULL, "the safety rules are incomplete: no rule has category \"%s\". leanon "
                         "will not run without them; restore responses/safety/ from the release",
                required_crisis[c]);
    }
    if (!lo_region_find(e, "international") ||
        strcmp(lo_region_find(e, "international")->code, "international") != 0)
        ERR(L, NULL, "the helplines are incomplete: responses/safety/helplines.json needs an "
                     "\"international\" region. leanon will not run without it");
    if (e->nflows && !e->has_answers[LO_ANSWER_LEAVE])
        ERR(L, NULL, "flows are defined but no \"answers\" say how a person leaves one "
                     "(\"leave\"); add an \"answers\" block to a file in flows/");
}

static const lo_engine *sort_engine; /* qsort has no context argument in C17 */

static int cmp_rule_ids(const void *a, const void *b)
{
    const lo_rule *x = &sort_engine->rules[*(const size_t *)a];
    const lo_rule *y = &sort_engine->rules[*(const size_t *)b];
    int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");
    if (c)
        return c;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1; /* first defined first */
}

/* Orders rules by id (the final tie-break) and reports ids used twice. */
static void rank_rules(loader *L)
{
    lo_engine *e = L->e;
    size_t *order = lo_xcalloc(e->nrules, sizeof *order);
    for (size_t i = 0; i < e->nrules; i++)
        order[i] = i;
    sort_engine = e;
    qsort(order, e->nrules, sizeof *order, cmp_rule_ids);
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[order[i]];
        r->id_rank = (uint32_t)i;
        r->id_hash = r->id ? lo_hash(r->id, strlen(r->id)) : 0;
        const lo_rule *prev = i ? &e->rules[order[i - 1]] : NULL;
        if (prev && r->id && prev->id && strcmp(prev->id, r->id) == 0) {
            lo_jpos at = {.line = r->line, .column = r->column};
            L->file = r->file;
            ERR(L, &at, "the id \"%s\" is already used at %s:%d:%d; every rule and flow "
                        "needs its own id", r->id, prev->file, prev->line, prev->column);
        }
    }
    free(order);
}

static void build_matching(lo_engine *e)
{
    bool *exact_only = lo_xcalloc(e->vocab.count, sizeof(bool));
    bool *loose = lo_xcalloc(e->vocab.count, sizeof(bool));
    for (size_t p = 0; p < e->npatterns; p++)
        for (uint16_t k = 0; k < e->patterns[p].n; k++) {
            const lo_el *el = &e->patterns[p].els[k];
            if (el->kind == LO_EL_WORD)
                (el->flags & LO_WF_EXACT ? exact_only : loose)[el->word] = true;
            for (uint16_t a = 0; a < el->nalts; a++)
                for (uint16_t w = 0; w < el->alts[a].n; w++) {
                    const lo_el *aw = &el->alts[a].els[w];
                    (aw->flags & LO_WF_EXACT ? exact_only : loose)[aw->word] = true;
                }
        }
    for (uint32_t i = 0; i < e->vocab.count; i++)
        exact_only[i] = exact_only[i] && !loose[i];
    lo_index_build(&e->index, e->patterns, e->npatterns, e->vocab.count);
    e->typos = lo_typos_build(&e->vocab, exact_only, lo_dictionary_shared());
    free(exact_only);
    free(loose);
}

lo_engine *lo_engine_load(const char *dir, lo_diags *diags)
{
    lo_diags *d = diags ? diags : lo_diags_new();
    lo_engine *e = lo_xcalloc(1, sizeof *e);
    lo_vocab_init(&e->vocab);
    lo_normaliser_init_defaults(&e->norm);
    e->fallback_rule = -1;
    loader L = {.e = e, .d = d};

    size_t nfiles = 0;
    char **files = lo_list_response_files(dir, d, &nfiles);

    doc *docs = lo_xcalloc(nfiles, sizeof *docs);
    for (size_t i = 0; i < nfiles; i++) {
        docs[i].file = files[i];
        docs[i].json = lo_load_json(files[i], d, &docs[i].pos);
        if (docs[i].json && !json_is_object(docs[i].json)) {
            lo_diags_add(d, LO_DIAG_ERROR, files[i], 1, 1,
                         "a response file must be one object in { }, e.g. {\"rules\": [...]}");
            json_decref(docs[i].json);
            docs[i].json = NULL;
        }
        if (docs[i].json) {
            L.file = files[i];
            check_keys(&L, docs[i].json, docs[i].pos, "a response file", top_keys,
                       sizeof top_keys / sizeof *top_keys);
        }
    }
    /* phase 2: normalisation, then concepts */
    for (size_t i = 0; i < nfiles; i++) {
        if (!docs[i].json)
            continue;
        L.file = docs[i].file;
        json_t *v;
        const lo_jpos *p = docs[i].pos;
        if ((v = json_object_get(docs[i].json, "replace"))) {
            if (json_is_object(v))
                load_replace(&L, v, lo_jpos_key(p, "replace"), false);
            else
                ERR(&L, lo_jpos_key(p, "replace"), "\"replace\" must be an object like "
                                                   "{\"im\": \"i am\"}");
        }
        if ((v = json_object_get(docs[i].json, "emoji"))) {
            if (json_is_object(v))
                load_replace(&L, v, lo_jpos_key(p, "emoji"), true);
            else
                ERR(&L, lo_jpos_key(p, "emoji"), "\"emoji\" must be an object like "
                                                 "{\"😭\": \"crying\"}");
        }
        if ((v = json_object_get(docs[i].json, "negation")))
            load_negation(&L, v, lo_jpos_key(p, "negation"));
    }
    lo_normaliser_sort(&e->norm);
    for (size_t i = 0; i < nfiles; i++) {
        json_t *v = docs[i].json ? json_object_get(docs[i].json, "concepts") : NULL;
        if (!v)
            continue;
        L.file = docs[i].file;
        if (json_is_object(v))
            load_concepts(&L, v, lo_jpos_key(docs[i].pos, "concepts"));
        else
            ERR(&L, lo_jpos_key(docs[i].pos, "concepts"), "\"concepts\" must be an object like "
                                                          "{\"sad\": [\"sad\", \"down\"]}");
    }
    /* phase 3: everything that has patterns */
    for (size_t i = 0; i < nfiles; i++) {
        json_t *j = docs[i].json;
        if (!j)
            continue;
        L.file = docs[i].file;
        const lo_jpos *p = docs[i].pos;
        if (json_object_get(j, "regions"))
            load_regions(&L, json_object_get(j, "regions"), lo_jpos_key(p, "regions"));
        if (json_object_get(j, "rules"))
            load_array(&L, j, p, "rules", load_rule);
        if (json_object_get(j, "guards"))
            load_array(&L, j, p, "guards", load_guard);
        if (json_object_get(j, "flows"))
            load_array(&L, j, p, "flows", load_flow);
        if (json_object_get(j, "answers"))
            load_answers(&L, json_object_get(j, "answers"), lo_jpos_key(p, "answers"));
    }
    for (size_t i = 0; i < nfiles; i++) {
        json_decref(docs[i].json);
        lo_jpos_free(docs[i].pos);
        free(docs[i].file);
    }
    free(docs);
    free(files);

    /* phase 4 */
    rank_rules(&L);
    if (nfiles)
        check_set(&L);
    e->fallback_rule = find_rule(e, "fallback");
    build_matching(e);
    if (lo_diags_errors(d) == 0 && nfiles)
        lo_safety_verify(e, d);
    bool failed = lo_diags_errors(d) > 0;
    if (!diags)
        lo_diags_free(d);
    if (failed) {
        lo_engine_free(e);
        return NULL;
    }
    return e;
}

size_t lo_engine_rule_count(const lo_engine *e)
{
    return e ? e->nrules : 0;
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

void lo_engine_free(lo_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[i];
        lo_texts t = {r->replies, r->nreplies};
        free_texts(&t);
        t = (lo_texts){r->examples, r->nexamples};
        free_texts(&t);
        t = (lo_texts){r->nots, r->nnots};
        free_texts(&t);
        free(r->id);
        free(r->category);
        free(r->followup);
        free(r->file);
        free(r->example_lines);
    }
    free(e->rules);
    for (size_t i = 0; i < e->nguards; i++) {
        lo_texts t = {e->guards[i].examples, e->guards[i].nexamples};
        free_texts(&t);
        free(e->guards[i].id);
        free(e->guards[i].file);
    }
    free(e->guards);
    for (size_t i = 0; i < e->nflows; i++) {
        lo_flow *f = &e->flows[i];
        for (size_t s = 0; s < f->nsteps; s++) {
            free(f->steps[s].id);
            free(f->steps[s].category);
            free(f->steps[s].prompt);
            for (int k = 0; k < LO_ANSWER_KINDS; k++)
                free_texts(&f->steps[s].replies[k]);
        }
        free(f->steps);
        free_texts(&f->skip);
        free_texts(&f->pause);
        free_texts(&f->resume);
        free_texts(&f->leave);
        free_texts(&f->finish);
        free(f->id);
        free(f->category);
        free(f->intro);
    }
    free(e->flows);
    for (size_t i = 0; i < e->npatterns; i++)
        lo_pattern_free(&e->patterns[i]);
    free(e->patterns);
    for (size_t i = 0; i < e->nconcepts; i++) {
        for (uint16_t a = 0; a < e->concepts[i].nalts; a++)
            lo_alt_free(&e->concepts[i].alts[a]);
        free(e->concepts[i].alts);
        free(e->concepts[i].name);
    }
    free(e->concepts);
    for (size_t i = 0; i < e->nregions; i++) {
        lo_region *g = &e->regions[i];
        free(g->code);
        free(g->name);
        free(g->emergency);
        free(g->verified);
        free_lines(g->crisis, g->ncrisis);
        free_lines(g->textlines, g->ntextlines);
        free_lines(g->dv, g->ndv);
    }
    free(e->regions);
    lo_index_free(&e->index);
    lo_typos_free(e->typos);
    lo_normaliser_free(&e->norm);
    lo_vocab_free(&e->vocab);
    free(e);
}
