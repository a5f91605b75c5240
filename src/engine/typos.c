/* typos.c - lets a message word of five letters or more match a pattern word
 * one edit away (insertion, deletion, substitution, or two neighbours swapped);
 * for the words the loader marks "short typos allowed" (those of crisis rules),
 * also a message word of four letters, and pattern words of three or four.
 *
 * A deletion index is built at load: for every pattern word, the hashes of the
 * word and of each of its one-letter deletions, sorted; a second, small one
 * holds the short-typo words, so four-letter message words search only it. A message word that is
 * not in the vocabulary looks up itself and its own deletions; every hit is
 * confirmed with a true edit-distance check, so hash collisions and
 * two-edit lookalikes never match. Real words (dictionary.c) are never
 * corrected. Cost: about word-length binary searches, only for unknown words. */
#include <stdlib.h>
#include <string.h>

#include "engine/dictionary.h"
#include "engine/typos.h"
#include "engine/vocab.h"
#include "common/buf.h"

#define MIN_TYPO_LEN 5      /* message and pattern words, for every pattern word */
#define MIN_SHORT_MESSAGE 4 /* message words, for words with short typos allowed */
#define MIN_SHORT_WORD 3    /* those pattern words, */
#define MAX_SHORT_WORD 5    /* up to the length where every word is in the long table */
#define MAX_TYPO_LEN 40

typedef struct typo_entry {
    uint64_t hash;
    uint32_t id;
} typo_entry;

/* A deletion index: the entries sorted by hash. */
typedef struct typo_table {
    typo_entry *v;
    size_t n, cap;
} typo_table;

struct lo_typos {
    typo_table words;  /* every pattern word of MIN_TYPO_LEN letters or more */
    typo_table shorts; /* words with short typos allowed, MIN_SHORT_WORD to MAX_SHORT_WORD */
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

static void add_word(typo_table *tb, const char *w, size_t n, uint32_t id)
{
    lo_grow(&tb->v, &tb->cap, tb->n + n + 1, sizeof *tb->v);
    tb->v[tb->n++] = (typo_entry){lo_hash(w, n), id};
    for (size_t i = 0; i < n; i++)
        tb->v[tb->n++] = (typo_entry){hash_without(w, n, i), id};
}

lo_typos *lo_typos_build(const lo_vocab *vocab, const bool *exact_only, const bool *short_ok,
                         const lo_dictionary *dict)
{
    lo_typos *t = lo_xcalloc(1, sizeof *t);
    t->vocab = vocab;
    t->dict = dict;
    for (uint32_t id = 1; id < vocab->count; id++) {
        const char *w = vocab->words[id];
        size_t n = strlen(w);
        if (n > MAX_TYPO_LEN || (exact_only && exact_only[id]))
            continue;
        if (n >= MIN_TYPO_LEN)
            add_word(&t->words, w, n, id);
        if (short_ok && short_ok[id] && n >= MIN_SHORT_WORD && n <= MAX_SHORT_WORD)
            add_word(&t->shorts, w, n, id);
    }
    typo_table *tables[2] = {&t->words, &t->shorts};
    for (int k = 0; k < 2; k++)
        if (tables[k]->n)
            qsort(tables[k]->v, tables[k]->n, sizeof *tables[k]->v, cmp_entry);
    return t;
}

void lo_typos_free(lo_typos *t)
{
    if (!t)
        return;
    free(t->words.v);
    free(t->shorts.v);
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
static uint32_t probe(const lo_typos *t, const typo_table *tb, uint64_t h, const char *w, size_t n)
{
    size_t lo = 0, hi = tb->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tb->v[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < tb->n && tb->v[i].hash == h; i++) {
        const char *cand = t->vocab->words[tb->v[i].id];
        if (within_one_edit(w, n, cand, strlen(cand)))
            return tb->v[i].id;
    }
    return LO_WORD_NONE;
}

/* The word of tb one edit from w, or LO_WORD_NONE. */
static uint32_t search(const lo_typos *t, const typo_table *tb, const char *w, size_t n)
{
    if (!tb->n)
        return LO_WORD_NONE;
    uint32_t id = probe(t, tb, lo_hash(w, n), w, n);
    for (size_t i = 0; i < n && id == LO_WORD_NONE; i++)
        id = probe(t, tb, hash_without(w, n, i), w, n);
    return id;
}

uint32_t lo_typos_lookup(const lo_typos *t, const char *w, size_t n)
{
    /* a real word is never a typo; most unknown words are real, so this is asked first */
    if (!t || n < MIN_SHORT_MESSAGE || n > MAX_TYPO_LEN || lo_dictionary_has(t->dict, w, n))
        return LO_WORD_NONE;
    uint32_t id = n >= MIN_TYPO_LEN ? search(t, &t->words, w, n) : LO_WORD_NONE;
    bool letters = true; /* "any1", "4ever": words with digits get no short typos */
    for (size_t i = 0; i < n; i++)
        letters = letters && !(w[i] >= '0' && w[i] <= '9');
    if (id == LO_WORD_NONE && letters && n <= MAX_SHORT_WORD)
        id = search(t, &t->shorts, w, n);
    return id;
}
