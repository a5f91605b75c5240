/* language.c - guesses a message's language: each of its first words
 * (LO_LANGUAGE_WORDS_READ) is looked up in the sorted table of every
 * language's frequent words (a binary search, so the cost is flat in the
 * size of the lists); the language with the most words found wins. A tie at
 * the top, or no word found, is English. */
#include <stdlib.h>
#include <string.h>

#include "engine/language.h"
#include "engine/set.h"
#include "engine/text.h"

static const lo_language_word *find_word(const lo_languages *l, const char *w)
{
    size_t lo = 0, hi = l->nwords;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->words[mid].word, w);
        if (c == 0)
            return &l->words[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void lo_language_guess_of(const lo_engine *e, const lo_tokens *toks, lo_language_guess *out)
{
    memset(out, 0, sizeof *out);
    const lo_languages *l = e->languages;
    if (!l)
        return;
    size_t n = toks->n < LO_LANGUAGE_WORDS_READ ? toks->n : LO_LANGUAGE_WORDS_READ;
    /* cppcheck-suppress knownConditionTrueFalse ; cppcheck takes toks->n for 0 here */
    for (size_t i = 0; i < n; i++) {
        const lo_language_word *w = find_word(l, lo_token_word(toks, i));
        for (size_t k = 0; w && k < l->n; k++)
            out->count[k] += (uint16_t)(w->langs >> k & 1);
    }
    size_t best = 0;
    bool tie = false;
    for (size_t k = 1; k < l->n; k++) {
        if (out->count[k] > out->count[best]) {
            best = k;
            tie = false;
        } else if (out->count[k] == out->count[best]) {
            tie = true;
        }
    }
    out->decided = out->count[best] > 0 && !tie;
    out->lang = out->decided ? (int)best : 0;
}

int lo_language_index(const lo_engine *e, const char *code)
{
    if (strcmp(code, "en") == 0)
        return 0;
    for (size_t k = 1; e->languages && k < e->languages->n; k++)
        if (strcmp(e->languages->codes[k], code) == 0)
            return (int)k;
    return -1;
}

const char *lo_language_code(const lo_engine *e, int lang)
{
    return e->languages && lang > 0 && (size_t)lang < e->languages->n
               /* cppcheck-suppress arrayIndexOutOfBoundsCond ; languages->n <= LO_LANGUAGES_MAX */
               ? e->languages->codes[lang]
               : "en";
}

void lo_language_list(const lo_engine *e, lo_strbuf *out)
{
    lo_strbuf_adds(out, "en");
    for (size_t k = 1; e->languages && k < e->languages->n; k++)
        lo_strbuf_addf(out, ", %s", e->languages->codes[k]);
}

void lo_languages_free(lo_languages *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nwords; i++)
        free(l->words[i].word);
    free(l->words);
    free(l);
}
