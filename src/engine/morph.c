/* morph.c - English inflection of one word: spelling rules, and the past
 * forms of the irregular verbs people use when they describe harm.
 *
 * The rules are the ones every English speller knows: -s, or -es after
 * s/x/z/ch/sh/o; a consonant + y becomes -ies/-ied; a final e is dropped
 * before -ing (but "die" -> "dying") and takes only -d; a short word ending
 * consonant-vowel-consonant doubles its last letter ("stab" -> "stabbed").
 * Making forms that are not words ("cutted") is harmless: nobody writes them,
 * so they never match. An irregular verb also gets its past and participle
 * from a sorted table ("bite" -> "bit", "bitten"), found by binary search. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/morph.h"

typedef struct irregular {
    /* cppcheck-suppress unusedStructMember ; read by cmp_irregular through bsearch */
    const char *base;
    const char *past, *participle;
} irregular;

/* Sorted by base. */
static const irregular irregulars[] = {
    {"beat", "beat", "beaten"},
    {"become", "became", "become"},
    {"bite", "bit", "bitten"},
    {"bleed", "bled", "bled"},
    {"break", "broke", "broken"},
    {"bring", "brought", "brought"},
    {"buy", "bought", "bought"},
    {"catch", "caught", "caught"},
    {"choose", "chose", "chosen"},
    {"do", "did", "done"},
    {"drink", "drank", "drunk"},
    {"drive", "drove", "driven"},
    {"eat", "ate", "eaten"},
    {"fall", "fell", "fallen"},
    {"feel", "felt", "felt"},
    {"fight", "fought", "fought"},
    {"find", "found", "found"},
    {"forget", "forgot", "forgotten"},
    {"freeze", "froze", "frozen"},
    {"get", "got", "gotten"},
    {"give", "gave", "given"},
    {"go", "went", "gone"},
    {"grind", "ground", "ground"},
    {"hang", "hung", "hung"},
    {"hide", "hid", "hidden"},
    {"hold", "held", "held"},
    {"keep", "kept", "kept"},
    {"leave", "left", "left"},
    {"lose", "lost", "lost"},
    {"make", "made", "made"},
    {"overdo", "overdid", "overdone"},
    {"ride", "rode", "ridden"},
    {"run", "ran", "run"},
    {"say", "said", "said"},
    {"see", "saw", "seen"},
    {"sell", "sold", "sold"},
    {"send", "sent", "sent"},
    {"shake", "shook", "shaken"},
    {"shoot", "shot", "shot"},
    {"sleep", "slept", "slept"},
    {"slide", "slid", "slid"},
    {"speak", "spoke", "spoken"},
    {"steal", "stole", "stolen"},
    {"stick", "stuck", "stuck"},
    {"sting", "stung", "stung"},
    {"strike", "struck", "struck"},
    {"swear", "swore", "sworn"},
    {"swim", "swam", "swum"},
    {"swing", "swung", "swung"},
    {"take", "took", "taken"},
    {"tear", "tore", "torn"},
    {"tell", "told", "told"},
    {"think", "thought", "thought"},
    {"throw", "threw", "thrown"},
    {"wake", "woke", "woken"},
    {"wear", "wore", "worn"},
    {"write", "wrote", "written"},
};

static int cmp_irregular(const void *key, const void *item)
{
    return strcmp(key, ((const irregular *)item)->base);
}

/* Adds the irregular past and participle of w, when it has them. */
static size_t add_irregular(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *w)
{
    const irregular *v = bsearch(w, irregulars, sizeof irregulars / sizeof *irregulars,
                                 sizeof *irregulars, cmp_irregular);
    if (!v)
        return k;
    snprintf(forms[k++], LO_MORPH_LEN, "%s", v->past);
    if (strcmp(v->participle, v->past) != 0 && strcmp(v->participle, w) != 0)
        snprintf(forms[k++], LO_MORPH_LEN, "%s", v->participle);
    return k;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool all_letters(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return false;
    return true;
}

/* "stab", "slap", "plan": short, consonant-vowel-consonant, not w/x/y last. */
static bool doubles_last(const char *w, size_t n)
{
    if (n < 3 || n > 4)
        return false;
    char a = w[n - 3], b = w[n - 2], c = w[n - 1];
    return !is_vowel(a) && is_vowel(b) && !is_vowel(c) && c != 'w' && c != 'x' && c != 'y';
}

static size_t add(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *stem,
                  size_t stem_len, const char *suffix)
{
    snprintf(forms[k], LO_MORPH_LEN, "%.*s%s", (int)stem_len, stem, suffix);
    return k + 1;
}

/* "stab" + "ed" -> "stabbed" */
static size_t add_doubled(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *w,
                          size_t n, const char *suffix)
{
    snprintf(forms[k], LO_MORPH_LEN, "%.*s%c%s", (int)n, w, w[n - 1], suffix);
    return k + 1;
}

size_t lo_morph_forms(const char *w, char forms[LO_MORPH_FORMS][LO_MORPH_LEN])
{
    size_t n = strlen(w);
    size_t k = add(forms, 0, w, n, "");
    if (n < 2 || n > 40 || !all_letters(w, n))
        return k;
    if (n < 3) /* "do", "go": only their irregular forms */
        return add_irregular(forms, k, w);
    char last = w[n - 1], before = w[n - 2];
    bool consonant_y = last == 'y' && !is_vowel(before);
    bool sibilant = last == 's' || last == 'x' || last == 'z' || last == 'o' ||
                    ((before == 'c' || before == 's') && last == 'h');
    /* -s */
    if (consonant_y)
        k = add(forms, k, w, n - 1, "ies");
    else
        k = add(forms, k, w, n, sibilant ? "es" : "s");
    /* -ed */
    if (consonant_y)
        k = add(forms, k, w, n - 1, "ied");
    else if (last == 'e')
        k = add(forms, k, w, n, "d");
    else if (doubles_last(w, n))
        k = add_doubled(forms, k, w, n, "ed");
    else
        k = add(forms, k, w, n, "ed");
    /* -ing */
    if (before == 'i' && last == 'e')
        k = add(forms, k, w, n - 2, "ying");
    else if (last == 'e' && before != 'e')
        k = add(forms, k, w, n - 1, "ing");
    else if (doubles_last(w, n))
        k = add_doubled(forms, k, w, n, "ing");
    else
        k = add(forms, k, w, n, "ing");
    return add_irregular(forms, k, w);
}
