/* typos.c - lets a message word of five letters or more match a pattern word
 * one edit away (insertion, deletion, substitution, or two neighbours swapped);
 * for the words the loader marks "short typos allowed" (those of crisis rules),
 * also a message word of four letters, and pattern words of three or four.
 *
 * A deletion index is built at load: for every pattern word, the hashes of the
 * word and of each of its one-letter deletions, sorted. A message word that is
 * not in the vocabulary looks up itself and its own deletions; every hit is
 * confirmed with a true edit-distance check, so hash collisions and
 * two-edit lookalikes never match. Real words (dictionary.c) are never
 * corrected. Cost: about word-length binary searches, only for unknown words. */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define MIN_TYPO_LEN 5   /* message and pattern words, for every pattern word */
#define MIN_SHORT_MESSAGE 4 /* message words, for words with short typos allowed */
#define MIN_SHORT_WORD 3    /* those pattern words */
#define MAX_TYPO_LEN 40

typedef struct typo_entry {
    uint64_t hash;
    uint32_t id;
    bool short_ok;   /* a message word of four letters may match it */
} typo_entry;

struct lo_typos {
    typo_entry *v;
    size_t n;
    const lo_vocab *vocab;
    const lo_dictionary *dict;
};

static int cmp_entry(const void *a, const void *b)
{
    const typo_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static uint64_t hash_without(const char *w, size_t n, size_t skip)
{
    char buf[MAX_TYPO_LEN + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i != skip)
            buf[k++] = w[i];
    return lo_hash(buf, k);
}

lo_typos *lo_typos_build(const lo_vocab *vocab, const bool *exact_only, const bool *short_ok,
                         const lo_dictionary *dict)
{
    lo_typos *t = lo_xcalloc(1, sizeof *t);
    t->vocab = vocab;
    t->dict = dict;
    size_t cap = 0;
    for (uint32_t id = 1; id < vocab->count; id++) {
        const char *w = vocab->words[id];
        size_t n = strlen(w);
        bool shrt = short_ok && short_ok[id];
        if (n < (shrt ? MIN_SHORT_WORD : MIN_TYPO_LEN) || n > MAX_TYPO_LEN ||
            (exact_only && exact_only[id]))
            continue;
        lo_grow(&t->v, &cap, t->n + n + 1, sizeof *t->v);
        t->v[t->n++] = (typo_entry){lo_hash(w, n), id, shrt};
        for (size_t i = 0; i < n; i++)
            t->v[t->n++] = (typo_entry){hash_without(w, n, i), id, shrt};
    }
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, cmp_entry);
    return t;
}

void lo_typos_free(lo_typos *t)
{
    if (!t)
        return;
    free(t->v);
    free(t);
}

/* True when a and b are at most one insertion, deletion, substitution or
 * adjacent swap apart. */
static bool within_one_edit(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > nb)
        return within_one_edit(b, nb, a, na);
    if (nb - na > 1)
        return false;
    size_t i = 0;
    while (i < na && a[i] == b[i])
        i++;
    if (i == na)
        return true; /* equal, or b has one letter more at the end */
    if (na == nb) {
        if (memcmp(a + i + 1, b + i + 1, na - i - 1) == 0)
            return true; /* substitution */
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, na - i - 2) == 0; /* swap */
    }
    return memcmp(a + i, b + i + 1, na - i) == 0; /* insertion in b */
}

/* short: the message word may match a word of short typos (it is letters only). */
static uint32_t probe(const lo_typos *t, uint64_t h, const char *w, size_t n, bool shrt)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->v[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < t->n && t->v[i].hash == h; i++) {
        const char *cand = t->vocab->words[t->v[i].id];
        size_t cn = strlen(cand);
        bool long_enough = (n >= MIN_TYPO_LEN && cn >= MIN_TYPO_LEN) || (shrt && t->v[i].short_ok);
        if (long_enough && within_one_edit(w, n, cand, cn))
            return t->v[i].id;
    }
    return LO_WORD_NONE;
}

uint32_t lo_typos_lookup(const lo_typos *t, const char *w, size_t n)
{
    if (!t || !t->n || n < MIN_SHORT_MESSAGE || n > MAX_TYPO_LEN)
        return LO_WORD_NONE;
    bool shrt = true; /* "any1", "4ever": words with digits get no short typos */
    for (size_t i = 0; i < n; i++)
        shrt = shrt && !(w[i] >= '0' && w[i] <= '9');
    uint32_t id = probe(t, lo_hash(w, n), w, n, shrt);
    for (size_t i = 0; i < n && id == LO_WORD_NONE; i++)
        id = probe(t, hash_without(w, n, i), w, n, shrt);
    /* a real word is never a typo; asked only when there is a candidate, the rarer case */
    return id != LO_WORD_NONE && lo_dictionary_has(t->dict, w, n) ? LO_WORD_NONE : id;
}
