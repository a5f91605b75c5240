/* letters.h - reading a word spelled out one letter at a time (letters.c). */
#ifndef LEANON_ENGINE_LETTERS_H
#define LEANON_ENGINE_LETTERS_H

#include <stddef.h>

#include "engine/normalise.h"
#include "engine/vocab.h"

/* A piece of a run of single letters ("k i l l m y s e l f"): bytes [start, end) of
 * the text, read as the pattern word id, or kept as it is (LO_WORD_NONE). */
typedef struct lo_spelled {
    size_t start, end;
    uint32_t id;
} lo_spelled;
#define LO_SPELLED_MAX 40 /* letters in a run that is read; longer runs are left alone */
/* When s (n bytes of folded text) starts with a run of single letters separated by
 * spaces, '.', '-', '_' or '*', returns the bytes the run covers (0: no run) and fills
 * seg with its pieces, *nseg of them; *nseg is 0 when no piece was joined into a word. */
size_t lo_letters_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *s, size_t n,
                       lo_spelled seg[LO_SPELLED_MAX], size_t *nseg);

#endif
