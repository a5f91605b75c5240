/* language.h - the language a message is written in, guessed from the
 * frequent words of each language (responses/normalise/languages.json), and
 * the set's language codes that replies and check-ins may carry texts in.
 * Private to src/engine. */
#ifndef LEANON_ENGINE_LANGUAGE_H
#define LEANON_ENGINE_LANGUAGE_H

#include "engine/text.h"
#include "engine/texts.h"
#include "leanon/engine.h"
#include "common/buf.h"

/* Words of a message read for its language; the rest are not (the cost is bounded). */
#define LO_LANGUAGE_WORDS_READ 200

typedef struct lo_language_word {
    char *word;    /* folded, as tokens are */
    uint8_t langs; /* one bit per language that lists it */
} lo_language_word;

typedef struct lo_languages {
    char codes[LO_LANGUAGES_MAX][3]; /* codes[0] is "en" */
    size_t n;
    lo_language_word *words; /* sorted by word after loading */
    size_t nwords, cap;
} lo_languages;

/* What the words of a message say about its language. */
typedef struct lo_language_guess {
    int lang;     /* index into codes: the most frequent, 0 (English) on a tie or none */
    bool decided; /* false on a tie or when no word of any language was found */
    uint16_t count[LO_LANGUAGES_MAX]; /* words of each language found */
} lo_language_guess;

void lo_language_guess_of(const lo_engine *e, const lo_tokens *toks, lo_language_guess *out);
/* The index of code among the set's languages, or -1. */
int lo_language_index(const lo_engine *e, const char *code);
/* The set's codes as "en, es, fr" into out, for messages. */
void lo_language_list(const lo_engine *e, lo_strbuf *out);
const char *lo_language_code(const lo_engine *e, int lang);
void lo_languages_free(lo_languages *l);

#endif
