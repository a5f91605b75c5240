/* vocab.c - the vocabulary: every word used by a pattern gets a dense id, so
 * matching compares integers. Open addressing with linear probing; the table
 * is kept at most half full. */
#include <stdlib.h>
#include <string.h>

#include "engine/vocab.h"
#include "common/buf.h"

void lo_vocab_init(lo_vocab *v)
{
    v->count = 1; /* id 0 is LO_WORD_NONE */
    v->words = lo_xcalloc(1, sizeof(char *));
    v->nslots = 64;
    v->slots = lo_xcalloc(v->nslots, sizeof(uint32_t));
}

void lo_vocab_free(lo_vocab *v)
{
    for (uint32_t i = 1; i < v->count; i++)
        free(v->words[i]);
    free(v->words);
    free(v->slots);
    memset(v, 0, sizeof *v);
}

static size_t find_slot(const lo_vocab *v, const char *w, size_t n)
{
    size_t mask = v->nslots - 1;
    size_t i = (size_t)lo_hash(w, n) & mask;
    for (;;) {
        uint32_t id = v->slots[i];
        if (id == 0)
            return i;
        const char *s = v->words[id];
        if (strncmp(s, w, n) == 0 && s[n] == '\0')
            return i;
        i = (i + 1) & mask;
    }
}

static void rehash(lo_vocab *v)
{
    uint32_t *old = v->slots;
    size_t oldn = v->nslots;
    v->nslots *= 2;
    v->slots = lo_xcalloc(v->nslots, sizeof(uint32_t));
    for (size_t i = 0; i < oldn; i++) {
        if (old[i]) {
            const char *w = v->words[old[i]];
            v->slots[find_slot(v, w, strlen(w))] = old[i];
        }
    }
    free(old);
}

uint32_t lo_vocab_find(const lo_vocab *v, const char *w, size_t n)
{
    if (!v || !v->slots)
        return LO_WORD_NONE;
    return v->slots[find_slot(v, w, n)];
}

uint32_t lo_vocab_intern(lo_vocab *v, const char *w, size_t n)
{
    size_t slot = find_slot(v, w, n);
    if (v->slots[slot])
        return v->slots[slot];
    uint32_t id = v->count++;
    v->words = lo_xrealloc(v->words, (size_t)v->count * sizeof(char *));
    v->words[id] = lo_xstrndup(w, n);
    v->slots[slot] = id;
    if ((size_t)v->count * 2 > v->nslots)
        rehash(v);
    return id;
}
