/* fold.h - Unicode folding shared by messages and pattern words (fold.c). */
#ifndef LEANON_ENGINE_FOLD_H
#define LEANON_ENGINE_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <utf8proc.h>

#include "common/buf.h"

/* Letters, marks and digits of any script. */
bool lo_fold_is_word_char(utf8proc_int32_t cp);
/* Letters of any script (no marks or digits). */
bool lo_fold_is_letter(utf8proc_int32_t cp);
/* Straight, curly and look-alike apostrophes. */
bool lo_fold_is_apostrophe(utf8proc_int32_t cp);
/* Folds n bytes of valid UTF-8 into *out (malloc'd); returns its length, or
 * a negative utf8proc error with *out unset. */
utf8proc_ssize_t lo_fold_map(const char *s, size_t n, utf8proc_uint8_t **out);
/* Folds one pattern or list word (case, accents, quotes) into out; returns 0,
 * or -1 if it has characters a word cannot have. */
int lo_fold_word(const char *w, size_t n, lo_strbuf *out);

#endif
