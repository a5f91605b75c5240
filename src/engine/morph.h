/* morph.h - the English word forms of one word, so that a signal's entry
 * "cut" also covers "cuts" and "cutting", and "overdose" covers "overdosed". */
#ifndef LEANON_ENGINE_MORPH_H
#define LEANON_ENGINE_MORPH_H

#include <stddef.h>

#define LO_MORPH_FORMS 7
#define LO_MORPH_LEN 48

/* Writes the word itself and its regular forms (-s/-es/-ies, -ed/-d/-ied,
 * -ing with a dropped e or a doubled consonant) to forms, then an irregular
 * verb's past and participle ("take": "took", "taken"); returns how many.
 * An irregular past or participle gets its verb, the verb's -s and -ing and
 * its other past form instead ("took": "take", "takes", "taking", "taken").
 * A word that is not 2-40 ASCII letters gets only itself, and a two-letter
 * word only its irregular forms ("do": "did", "done"). */
size_t lo_morph_forms(const char *word, char forms[LO_MORPH_FORMS][LO_MORPH_LEN]);

#endif
