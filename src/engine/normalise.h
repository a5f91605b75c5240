/* normalise.h - the normalisation tables a set loads: replacements, emoji, negators,
 * clause breakers and the leet map (normalise.c, normalise_load.c). */
#ifndef LEANON_ENGINE_NORMALISE_H
#define LEANON_ENGINE_NORMALISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lo_replacement {
    char *from; /* one word, may hold an apostrophe */
    char **to;  /* words */
    size_t nto;
} lo_replacement;

/* One character of the leet map (responses/normalise/leet.json): "3" reads as "e". */
#define LO_LEET_READINGS 5
typedef struct lo_leet {
    int32_t cp;                        /* the character, folded */
    char reading[LO_LEET_READINGS][5]; /* the letters it may stand for, UTF-8 */
    uint8_t nreading;
} lo_leet;

typedef struct lo_normaliser {
    lo_replacement *repl; /* sorted by from, for bsearch */
    size_t nrepl;
    lo_replacement *emoji; /* from = the emoji's UTF-8 */
    size_t nemoji;
    char **negators;
    size_t nnegators;
    char **breakers;
    size_t nbreakers;
    int negation_scope; /* words after a negator that it reaches */
    lo_leet *leet;      /* sorted by cp, for bsearch */
    size_t nleet;
    char **amount_units; /* "h", "mg": after a number, a measure and not leet ("5h") */
    size_t namount_units;
    char **fillers; /* "fucking", "like": skipped between the words of a pattern */
    size_t nfillers;
} lo_normaliser;

void lo_normaliser_init_defaults(lo_normaliser *n);
void lo_normaliser_free(lo_normaliser *n);
const lo_replacement *lo_normaliser_replace(const lo_normaliser *n, const char *w);
const lo_replacement *lo_normaliser_emoji(const lo_normaliser *n, const char *e, size_t len);
bool lo_normaliser_is_negator(const lo_normaliser *n, const char *w);
bool lo_normaliser_is_breaker(const lo_normaliser *n, const char *w);
bool lo_normaliser_is_filler(const lo_normaliser *n, const char *w);
bool lo_normaliser_is_amount_unit(const lo_normaliser *n, const char *w, size_t len);
const lo_leet *lo_normaliser_leet(const lo_normaliser *n, int32_t cp); /* NULL: not in the map */
void lo_normaliser_sort(lo_normaliser *n);

#endif
