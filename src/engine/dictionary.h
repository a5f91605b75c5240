/* dictionary.h - the words of the language, never read as typos (dictionary.c). */
#ifndef LEANON_ENGINE_DICTIONARY_H
#define LEANON_ENGINE_DICTIONARY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lo_dictionary lo_dictionary;
lo_dictionary *lo_dictionary_load(void);
/* The process's one copy, loaded on first use (from the environment at that moment). */
const lo_dictionary *lo_dictionary_shared(void);
void lo_dictionary_free(lo_dictionary *d);
size_t lo_dictionary_size(const lo_dictionary *d);
bool lo_dictionary_has(const lo_dictionary *d, const char *w, size_t n);

#endif
