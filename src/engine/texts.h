/* texts.h - replies and prompts a moderator wrote, in each language of the set. */
#ifndef LEANON_ENGINE_TEXTS_H
#define LEANON_ENGINE_TEXTS_H

#include <stddef.h>

/* Longest reply a rule may carry (moderators are told 600; this is the hard stop). */
#define LO_MAX_REPLY_BYTES 2000
#define LO_MAX_REPLIES_PER_RULE 64

typedef struct lo_texts {
    char **v;
    size_t n;
} lo_texts;

/* Languages a set can answer in (language.h): 0 is English, the default. */
#define LO_LANGUAGES_MAX 8

/* Texts a moderator wrote in several languages: in[0] the English ones, always
 * present; in[k] those of language k of the set, empty when not written. */
typedef struct lo_texts_lang {
    lo_texts in[LO_LANGUAGES_MAX];
} lo_texts_lang;

/* The texts of language lang, else the English ones. */
static inline const lo_texts *lo_texts_in(const lo_texts_lang *t, int lang)
{
    return lang > 0 && lang < LO_LANGUAGES_MAX && t->in[lang].n ? &t->in[lang] : &t->in[0];
}

#endif
