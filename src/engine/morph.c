/* morph.c - English inflection of one word: spelling rules, and the past
 * forms of the irregular verbs people use when they describe harm.
 *
 * The rules are the ones every English speller knows: -s, or -es after
 * s/x/z/ch/sh/o; a consonant + y becomes -ies/-ied; a final e is dropped
 * before -ing (but "die" -> "dying") and takes only -d; a short word ending
 * consonant-vowel-consonant doubles its last letter ("stab" -> "stabbed").
 * Making forms that are not words ("cutted") is harmless: nobody writes them,
 * so they never match. An irregular verb also gets its past and participle
 * from a sorted table ("bite" -> "bit", "bitten"), found by binary search;
 * and an irregular past or participle gets its verb's other forms ("took" ->
 * "take", "takes", "taking", "taken"), so an entry written in the past tense
 * also finds the present ("took all of them" finds "taking all of them"). */
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

/* -s, -es, -ies */
static size_t add_s(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *w, size_t n)
{
    char last = w[n - 1], before = w[n - 2];
    if (last == 'y' && !is_vowel(before))
        return add(forms, k, w, n - 1, "ies");
    bool sibilant = last == 's' || last == 'x' || last == 'z' || last == 'o' ||
                    ((before == 'c' || before == 's') && last == 'h');
    return add(forms, k, w, n, sibilant ? "es" : "s");
}

/* -ing, with "ie" -> "ying", a dropped e or a doubled consonant */
static size_t add_ing(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *w, size_t n)
{
    char last = w[n - 1], before = w[n - 2];
    if (before == 'i' && last == 'e')
        return add(forms, k, w, n - 2, "ying");
    if (last == 'e' && before != 'e')
        return add(forms, k, w, n - 1, "ing");
    if (doubles_last(w, n))
        return add_doubled(forms, k, w, n, "ing");
    return add(forms, k, w, n, "ing");
}

/* The verb whose irregular past or participle w is (and not its base too:
 * "beat", "run"), or NULL. The table is sorted by base, so this reads it all. */
static const irregular *verb_of_past(const char *w)
{
    for (size_t i = 0; i < sizeof irregulars / sizeof *irregulars; i++)
        if ((strcmp(irregulars[i].past, w) == 0 || strcmp(irregulars[i].participle, w) == 0) &&
            strcmp(irregulars[i].base, w) != 0)
            return &irregulars[i];
    return NULL;
}

/* For an irregular past w: its verb, the verb's -s and -ing, its other past form. */
static size_t add_from_past(char forms[LO_MORPH_FORMS][LO_MORPH_LEN], size_t k, const char *w,
                            const irregular *v)
{
    size_t n = strlen(v->base);
    snprintf(forms[k++], LO_MORPH_LEN, "%s", v->base);
    if (n >= 3) { /* "do", "go": no regular forms */
        k = add_s(forms, k, v->base, n);
        k = add_ing(forms, k, v->base, n);
    }
    const char *other = strcmp(v->past, w) == 0 ? v->participle : v->past;
    if (strcmp(other, w) != 0 && strcmp(other, v->base) != 0)
        snprintf(forms[k++], LO_MORPH_LEN, "%s", other);
    return k;
}

size_t lo_morph_forms(const char *w, char forms[LO_MORPH_FORMS][LO_MORPH_LEN])
{
    size_t n = strlen(w);
    size_t k = add(forms, 0, w, n, "");
    if (n < 2 || n > 40 || !all_letters(w, n))
        return k;
    const irregular *verb = verb_of_past(w);
    if (verb)
        return add_from_past(forms, k, w, verb);
    if (n < 3) /* "do", "go": only their irregular forms */
        return add_irregular(forms, k, w);
    k = add_s(forms, k, w, n);
    /* -ed */
    char last = w[n - 1], before = w[n - 2];
    if (last == 'y' && !is_vowel(before))
        k = add(forms, k, w, n - 1, "ied");
    else if (last == 'e')
        k = add(forms, k, w, n, "d");
    else if (doubles_last(w, n))
        k = add_doubled(forms, k, w, n, "ed");
    else
        k = add(forms, k, w, n, "ed");
    k = add_ing(forms, k, w, n);
    return add_irregular(forms, k, w);
}
