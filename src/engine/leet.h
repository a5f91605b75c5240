/* leet.h - reading a word written with digits and symbols for letters (leet.c). */
#ifndef LEANON_ENGINE_LEET_H
#define LEANON_ENGINE_LEET_H

#include <stddef.h>
#include <stdint.h>

#include "engine/normalise.h"
#include "engine/vocab.h"

/* The word a pattern uses that the n bytes at w (folded text) spell when each leet
 * character is read as one of its letters, trying at most max_tries readings. LO_WORD_NONE
 * when no reading is in vocab, or w does not mix letters with leet characters. */
uint32_t lo_leet_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *w, size_t n,
                      int max_tries);

#endif
