/* normalise_load.c - the normalisation tables of a response set: "replace"
 * (contractions, texting), "emoji", the "leet" map (digits and symbols that
 * stand for letters), "negation" words, and the "concepts" that patterns name
 * with ~name. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "engine/diag.h"
#include "engine/fold.h"
#include "engine/normalise.h"
#include "engine/pattern.h"
#include "engine/set.h"
#include "engine/texts.h"
#include "common/jpos.h"
#include "engine/loader.h"
#include "leanon/engine.h"
#include "common/buf.h"

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
            if (lo_fold_word(p, (size_t)(q - p), &folded) == 0 && folded.len) {
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

void lo_load_replace(loader *L, json_t *obj, const lo_jpos *pos, bool emoji)
{
    const char *key;
    json_t *val;
    lo_normaliser *n = &L->e->norm;
    json_object_foreach (obj, key, val) {
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
            if (lo_fold_word(key, strlen(key), &k) < 0 || !k.len) {
                KEY_ERR(L, at,
                        "\"%s\" must be a single word (letters, digits, apostrophes) "
                        "to be replaced",
                        key);
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

/* The one character s is once folded (UTF-8 in out), or -1 when s is not one character. */
static int32_t one_char(const char *s, char out[5])
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = lo_fold_map(s, strlen(s), &m);
    utf8proc_int32_t cp = -1;
    if (n > 0 && n <= 4 && utf8proc_iterate(m, n, &cp) == n) {
        memcpy(out, m, (size_t)n);
        out[n] = '\0';
    } else {
        cp = -1;
    }
    free(m);
    return cp;
}

/* Reads the letters a leet character stands for: one text, or a list of up to
 * LO_LEET_READINGS. Returns false after reporting. */
static bool leet_readings(loader *L, json_t *val, const lo_jpos *at, const char *key, lo_leet *l)
{
    size_t n = json_is_array(val) ? json_array_size(val) : 1;
    if (!json_is_string(val) && (!json_is_array(val) || n == 0 || n > LO_LEET_READINGS)) {
        ERR(L, at,
            "what \"%s\" stands for must be one letter in quotes, or a list of up to %d "
            "letters, e.g. \"1\": [\"i\", \"l\"]",
            key, LO_LEET_READINGS);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_is_array(val) ? json_array_get(val, i) : val;
        const lo_jpos *rat = json_is_array(val) && at ? lo_jpos_index(at, i) : at;
        const char *text = json_string_value(r);
        int32_t cp = text ? one_char(text, l->reading[l->nreading]) : -1;
        if (cp < 0 || !lo_fold_is_letter(cp)) {
            ERR(L, rat,
                "\"%s\" can only stand for one letter, such as \"e\"; \"%s\" is not "
                "one letter",
                key, text ? text : "(not a text)");
            return false;
        }
        l->nreading++;
    }
    return true;
}

/* The map is sorted only after every file is read, so it is searched in order here. */
static bool leet_defined(const lo_normaliser *n, int32_t cp)
{
    for (size_t i = 0; i < n->nleet; i++)
        if (n->leet[i].cp == cp)
            return true;
    return false;
}

void lo_load_leet(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *key;
    json_t *val;
    lo_normaliser *n = &L->e->norm;
    json_object_foreach (obj, key, val) {
        const lo_jpos *at = lo_jpos_key(pos, key);
        char folded[5];
        lo_leet l = {.cp = one_char(key, folded)};
        if (l.cp < 0) {
            KEY_ERR(L, at,
                    "\"%s\" must be one character to be in the leet map; write longer "
                    "spellings in \"replace\"",
                    key);
            continue;
        }
        if (lo_fold_is_letter(l.cp) || lo_fold_is_apostrophe(l.cp) ||
            (l.cp > 0 && l.cp < 0x80 && strchr(" \t.-_", (char)l.cp))) {
            KEY_ERR(L, at,
                    "\"%s\" cannot be in the leet map: only digits and symbols that "
                    "stand for letters go there, not letters, spaces, apostrophes or "
                    "the . - _ * that separate spelled-out letters",
                    key);
            continue;
        }
        if (leet_defined(n, l.cp)) {
            KEY_ERR(L, at,
                    "\"%s\" is already in the leet map (as \"%s\"); give all its "
                    "letters in one list, e.g. [\"i\", \"l\"]",
                    key, folded);
            continue;
        }
        if (!leet_readings(L, val, at, key, &l))
            continue;
        lo_grow(&n->leet, &L->leet_cap, n->nleet + 1, sizeof *n->leet);
        n->leet[n->nleet++] = l; /* sorted with the other tables once all are read */
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
        if (lo_fold_word(t->v[i], strlen(t->v[i]), &w) == 0 && w.len)
            (*list)[(*n)++] = lo_strbuf_take(&w);
        else
            lo_strbuf_free(&w);
    }
}

void lo_load_negation(loader *L, json_t *obj, const lo_jpos *pos)
{
    static const char *const keys[] = {"words", "breakers", "scope"};
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"negation\" must be an object with \"words\", \"breakers\" and \"scope\"");
        return;
    }
    lo_check_keys(L, obj, pos, "\"negation\"", keys, 3);
    lo_texts t;
    if (json_object_get(obj, "words") &&
        lo_get_texts(L, obj, pos, "words", true, 64, "\"negation\"", &t)) {
        replace_word_list(&L->e->norm.negators, &L->e->norm.nnegators, &t);
        lo_texts_free(&t);
    }
    if (json_object_get(obj, "breakers") &&
        lo_get_texts(L, obj, pos, "breakers", true, 64, "\"negation\"", &t)) {
        replace_word_list(&L->e->norm.breakers, &L->e->norm.nbreakers, &t);
        lo_texts_free(&t);
    }
    long long scope = L->e->norm.negation_scope;
    if (lo_get_whole(L, obj, pos, "scope", 1, 10, &scope))
        L->e->norm.negation_scope = (int)scope;
}

void lo_load_word_list(loader *L, json_t *doc, const lo_jpos *pos, const char *key, char ***list,
                       size_t *n)
{
    lo_texts t;
    if (lo_get_texts(L, doc, pos, key, true, 32, key, &t)) {
        replace_word_list(list, n, &t);
        lo_texts_free(&t);
    }
}

void lo_load_concepts(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *name;
    json_t *val;
    lo_engine *e = L->e;
    json_object_foreach (obj, name, val) {
        const lo_jpos *at = lo_jpos_key(pos, name);
        if (!lo_valid_name(name, 40)) {
            KEY_ERR(L, at, "concept name \"%s\" may only use a-z, 0-9, '-' and '_'", name);
            continue;
        }
        for (size_t i = 0; i < e->nconcepts; i++)
            if (strcmp(e->concepts[i].name, name) == 0) {
                KEY_ERR(L, at, "concept \"%s\" is defined twice; merge the two lists", name);
                goto next;
            }
        lo_texts words;
        if (!lo_texts_from_array(L, val, at, name, true, 200, "a concept", &words))
            continue;
        lo_concept c = {.name = lo_xstrdup(name)};
        c.alts = lo_xcalloc(words.n, sizeof *c.alts);
        lo_pattern_context ctx = lo_loader_pattern_context(L);
        for (size_t i = 0; i < words.n; i++) {
            lo_strbuf err = {0};
            if (lo_pattern_compile_phrase(&ctx, words.v[i], &c.alts[c.nalts], &err) < 0)
                ERR(L, at ? lo_jpos_index(at, i) : NULL, "concept \"%s\", \"%s\": %s", name,
                    words.v[i], err.data);
            else
                c.nalts++;
            lo_strbuf_free(&err);
        }
        lo_texts_free(&words);
        lo_grow(&e->concepts, &L->concepts_cap, e->nconcepts + 1, sizeof *e->concepts);
        e->concepts[e->nconcepts++] = c;
    next:;
    }
}

void lo_concepts_free(lo_engine *e)
{
    for (size_t i = 0; i < e->nconcepts; i++) {
        for (uint16_t a = 0; a < e->concepts[i].nalts; a++)
            lo_alt_free(&e->concepts[i].alts[a]);
        free(e->concepts[i].alts);
        free(e->concepts[i].name);
    }
    free(e->concepts);
}
