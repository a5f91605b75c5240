/* normalise.c - the tables that tidy words before matching: replacements
 * (contractions, texting, spelling variants), emoji to words, the leet map
 * (digits and symbols that stand for letters), and the words that open and
 * close a negation. The tables come from responses/normalise/
 * (loaded by normalise_load.c); the negation defaults here apply when the files are
 * silent, so that "not" always negates. */
#include <stdlib.h>
#include <string.h>

#include "engine/normalise.h"
#include "common/buf.h"

static const char *const default_negators[] = {"not", "never", "no", "without", "neither", "nor"};
static const char *const default_breakers[] = {"but",      "only",    "though",
                                               "although", "however", "yet"};

static char **copy_words(const char *const *src, size_t n)
{
    char **dst = lo_xcalloc(n, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        dst[i] = lo_xstrdup(src[i]);
    return dst;
}

void lo_normaliser_init_defaults(lo_normaliser *n)
{
    memset(n, 0, sizeof *n);
    n->nnegators = sizeof default_negators / sizeof *default_negators;
    n->negators = copy_words(default_negators, n->nnegators);
    n->nbreakers = sizeof default_breakers / sizeof *default_breakers;
    n->breakers = copy_words(default_breakers, n->nbreakers);
    n->negation_scope = 3;
}

static void free_replacements(lo_replacement *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].from);
        for (size_t j = 0; j < r[i].nto; j++)
            free(r[i].to[j]);
        free(r[i].to);
    }
    free(r);
}

static void free_words(char **w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

void lo_normaliser_free(lo_normaliser *n)
{
    free_replacements(n->repl, n->nrepl);
    free_replacements(n->emoji, n->nemoji);
    free_words(n->negators, n->nnegators);
    free_words(n->breakers, n->nbreakers);
    free_words(n->amount_units, n->namount_units);
    free_words(n->fillers, n->nfillers);
    free(n->leet);
    memset(n, 0, sizeof *n);
}

static int cmp_repl(const void *a, const void *b)
{
    return strcmp(((const lo_replacement *)a)->from, ((const lo_replacement *)b)->from);
}

/* bsearch's key is the word itself. */
static int cmp_word_repl(const void *word, const void *r)
{
    return strcmp(word, ((const lo_replacement *)r)->from);
}

static int cmp_leet(const void *a, const void *b)
{
    int32_t x = ((const lo_leet *)a)->cp, y = ((const lo_leet *)b)->cp;
    return x < y ? -1 : x > y;
}

void lo_normaliser_sort(lo_normaliser *n)
{
    if (n->nrepl)
        qsort(n->repl, n->nrepl, sizeof *n->repl, cmp_repl);
    if (n->nemoji)
        qsort(n->emoji, n->nemoji, sizeof *n->emoji, cmp_repl);
    if (n->nleet)
        qsort(n->leet, n->nleet, sizeof *n->leet, cmp_leet);
}

const lo_leet *lo_normaliser_leet(const lo_normaliser *n, int32_t cp)
{
    if (!n || !n->nleet)
        return NULL;
    lo_leet key = {.cp = cp};
    return bsearch(&key, n->leet, n->nleet, sizeof *n->leet, cmp_leet);
}

const lo_replacement *lo_normaliser_replace(const lo_normaliser *n, const char *w)
{
    if (!n || !n->nrepl)
        return NULL;
    return bsearch(w, n->repl, n->nrepl, sizeof *n->repl, cmp_word_repl);
}

const lo_replacement *lo_normaliser_emoji(const lo_normaliser *n, const char *e, size_t len)
{
    if (!n || !n->nemoji || len >= 32)
        return NULL;
    char buf[32];
    memcpy(buf, e, len);
    buf[len] = '\0';
    return bsearch(buf, n->emoji, n->nemoji, sizeof *n->emoji, cmp_word_repl);
}

static bool in_list(char *const *list, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], w) == 0)
            return true;
    return false;
}

bool lo_normaliser_is_negator(const lo_normaliser *n, const char *w)
{
    return n && in_list(n->negators, n->nnegators, w);
}

bool lo_normaliser_is_breaker(const lo_normaliser *n, const char *w)
{
    return n && in_list(n->breakers, n->nbreakers, w);
}

bool lo_normaliser_is_filler(const lo_normaliser *n, const char *w)
{
    return n && in_list(n->fillers, n->nfillers, w);
}

bool lo_normaliser_is_amount_unit(const lo_normaliser *n, const char *w, size_t len)
{
    for (size_t i = 0; n && i < n->namount_units; i++)
        if (strlen(n->amount_units[i]) == len && memcmp(n->amount_units[i], w, len) == 0)
            return true;
    return false;
}
