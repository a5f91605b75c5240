/* typos.h - the table of pattern words one edit away from a written word (typos.c). */
#ifndef LEANON_ENGINE_TYPOS_H
#define LEANON_ENGINE_TYPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/dictionary.h"
#include "engine/vocab.h"

typedef struct lo_typos lo_typos;
/* Per word id: exact_only words are never matched by a typo; short_ok words (those of crisis
 * rules) may also be matched by message words of four letters. Either may be NULL. dict (may
 * be NULL) lists real words, which are never corrected; the caller keeps it alive for as long
 * as the table. */
lo_typos *lo_typos_build(const lo_vocab *vocab, const bool *exact_only, const bool *short_ok,
                         const lo_dictionary *dict);
void lo_typos_free(lo_typos *t);
uint32_t lo_typos_lookup(const lo_typos *t, const char *w, size_t n);

#endif
