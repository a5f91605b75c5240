/* index.h - the trigger-word index that picks the few patterns worth trying (index.c). */
#ifndef LEANON_ENGINE_INDEX_H
#define LEANON_ENGINE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "engine/pattern.h"
#include "engine/text.h"

typedef struct lo_index {
    uint32_t **postings; /* word id -> pattern indices */
    uint32_t *npostings;
    uint32_t nwords;
    uint32_t *always; /* patterns with no required word */
    uint32_t nalways;
} lo_index;

void lo_index_build(lo_index *ix, const lo_pattern *pats, size_t npats, uint32_t nwords);
void lo_index_free(lo_index *ix);
/* Appends the indices of patterns that may match toks (sorted, unique). */
size_t lo_index_candidates(const lo_index *ix, const lo_tokens *toks, uint32_t **out, size_t *cap);

#endif
