/* vocab.h - the set's vocabulary: every word any pattern uses, interned as a dense id (vocab.c). */
#ifndef LEANON_ENGINE_VOCAB_H
#define LEANON_ENGINE_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define LO_WORD_NONE 0u

typedef struct lo_vocab {
    char **words;    /* id -> word; id 0 unused */
    uint32_t count;  /* ids in use, including 0 */
    uint32_t *slots; /* open-addressing table of ids */
    size_t nslots;
} lo_vocab;

void lo_vocab_init(lo_vocab *v);
void lo_vocab_free(lo_vocab *v);
uint32_t lo_vocab_intern(lo_vocab *v, const char *w, size_t n);
uint32_t lo_vocab_find(const lo_vocab *v, const char *w, size_t n); /* LO_WORD_NONE if absent */

#endif
