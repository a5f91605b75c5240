/* language_load.c - reads "languages" (responses/normalise/languages.json):
 * for each language code its frequent words, folded as message words are;
 * and the texts of a rule or check-in written in several languages, either
 * a plain list (English) or {"en": [...], "es": [...]}. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/fold.h"
#include "engine/language.h"
#include "engine/loader.h"
#include "engine/set.h"
#include "engine/texts.h"

#define MAX_WORD_BYTES 40

static lo_languages *languages_of(loader *L)
{
    if (!L->e->languages) {
        L->e->languages = lo_xcalloc(1, sizeof *L->e->languages);
        memcpy(L->e->languages->codes[0], "en", 3);
        L->e->languages->n = 1;
    }
    return L->e->languages;
}

static bool valid_code(const char *code)
{
    return strlen(code) == 2 && code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' &&
           code[1] <= 'z';
}

/* The index of code, added on first use; -1 after an error. */
static int add_language(loader *L, const char *code, const lo_jpos *at)
{
    lo_languages *l = languages_of(L);
    if (!valid_code(code)) {
        KEY_ERR(L, at, "\"%s\" is not a language code; use two lower-case letters, like \"es\"",
                code);
        return -1;
    }
    int k = lo_language_index(L->e, code);
    if (k >= 0)
        return k;
    if (l->n == LO_LANGUAGES_MAX) {
        KEY_ERR(L, at, "a set may have at most %d languages", LO_LANGUAGES_MAX);
        return -1;
    }
    memcpy(l->codes[l->n], code, 3);
    return (int)l->n++;
}

static void add_word(loader *L, int lang, const char *text, const lo_jpos *at)
{
    lo_languages *l = languages_of(L);
    lo_strbuf w = {0};
    if (strchr(text, ' ') || strchr(text, '\'') || lo_fold_word(text, strlen(text), &w) < 0 ||
        !w.len || w.len > MAX_WORD_BYTES) {
        ERR(L, at, "\"%s\" must be one word of letters (no spaces or apostrophes)", text);
        lo_strbuf_free(&w);
        return;
    }
    for (size_t i = 0; i < l->nwords; i++)
        if (strcmp(l->words[i].word, w.data) == 0) {
            l->words[i].langs |= (uint8_t)(1u << lang);
            lo_strbuf_free(&w);
            return;
        }
    lo_grow(&l->words, &l->cap, l->nwords + 1, sizeof *l->words);
    l->words[l->nwords++] = (lo_language_word){lo_strbuf_take(&w), (uint8_t)(1u << lang)};
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp(((const lo_language_word *)a)->word, ((const lo_language_word *)b)->word);
}

void lo_load_languages(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *code;
    json_t *list;
    json_object_foreach (obj, code, list) {
        const lo_jpos *at = lo_jpos_key(pos, code);
        int k = add_language(L, code, at);
        lo_texts words;
        if (k < 0 ||
            !lo_texts_from_array(L, list, at, code, true, MAX_WORD_BYTES, "a language", &words))
            continue;
        for (size_t i = 0; i < words.n; i++)
            add_word(L, k, words.v[i], lo_jpos_index(at, i));
        lo_texts_free(&words);
    }
    lo_languages *l = languages_of(L);
    if (l->nwords)
        qsort(l->words, l->nwords, sizeof *l->words, cmp_words);
}

bool lo_get_texts_lang(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                       size_t max_bytes, const char *what, lo_texts_lang *out,
                       const lo_jpos *where[LO_LANGUAGES_MAX])
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < LO_LANGUAGES_MAX; k++)
        where[k] = NULL;
    json_t *v = json_object_get(obj, key);
    const lo_jpos *at = lo_jpos_key(pos, key);
    if (!json_is_object(v)) {
        where[0] = at;
        return lo_get_texts(L, obj, pos, key, true, max_bytes, what, &out->in[0]) &&
               lo_check_placeholders(L, &out->in[0], at);
    }
    bool ok = true;
    const char *code;
    json_t *list;
    json_object_foreach (v, code, list) {
        const lo_jpos *cat = lo_jpos_key(at, code);
        int k = lo_language_index(L->e, code);
        if (k < 0) {
            lo_strbuf known = {0};
            lo_language_list(L->e, &known);
            KEY_ERR(L, cat,
                    "\"%s\" has texts in \"%s\", which is not a language of this set; "
                    "use one of %s (languages are listed in normalise/languages.json)",
                    key, code, known.data);
            lo_strbuf_free(&known);
            ok = false;
            continue;
        }
        where[k] = cat;
        ok = lo_texts_from_array(L, list, cat, code, true, max_bytes, what, &out->in[k]) &&
             lo_check_placeholders(L, &out->in[k], cat) && ok;
    }
    if (ok && !out->in[0].n) {
        ERR(L, at,
            "\"%s\" needs its English texts too, under \"en\": they are given when a "
            "message is in a language without texts",
            key);
        ok = false;
    }
    if (!ok)
        lo_texts_lang_free(out);
    return ok;
}

void lo_texts_lang_free(lo_texts_lang *t)
{
    for (size_t k = 0; k < LO_LANGUAGES_MAX; k++)
        lo_texts_free(&t->in[k]);
}
