/* morph.h - the English word forms of one word, so that a signal's entry
 * "cut" also covers "cuts" and "cutting", and "overdose" covers "overdosed". */
#ifndef LEANON_ENGINE_MORPH_H
#define LEANON_ENGINE_MORPH_H

#include <stddef.h>

#define LO_MORPH_FORMS 5
#define LO_MORPH_LEN 48

/* Writes the word itself and its regular forms (-s/-es/-ies, -ed/-d/-ied,
 * -ing with a dropped e or a doubled consonant) to forms; returns how many.
 * A word that is not 3-40 ASCII letters gets only itself. Irregular forms
 * ("took", "hung") are not made: signals list them as words of their own. */
size_t lo_morph_forms(const char *word, char forms[LO_MORPH_FORMS][LO_MORPH_LEN]);

#endif
