/* matches.h - a whole message matched against the set, and the winner of each stage
 * (matches.c). */
#ifndef LEANON_ENGINE_MATCHES_H
#define LEANON_ENGINE_MATCHES_H

#include <stddef.h>
#include <stdint.h>

#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/text.h"
#include "leanon/engine.h"

typedef struct lo_matches {
    lo_match *v;
    size_t n, cap;
    uint32_t *cand;
    size_t ncand, candcap;
} lo_matches;

/* Tokenises text against e's vocabulary, normaliser and typo table. */
void lo_engine_tokenise(const lo_engine *e, const char *text, size_t len, lo_tokens *toks);
void lo_engine_match_all(const lo_engine *e, const lo_tokens *toks, lo_matches *out);
/* The rule a match belongs to, or NULL for a guard or flow answer. */
const lo_rule *lo_rule_of(const lo_engine *e, const lo_match *m);
void lo_matches_free(lo_matches *m);
/* The guard whose own literal words (never those under its '*') include every
 * word the crisis match matched literally, or NULL. */
const lo_guard *lo_guard_covering(const lo_engine *e, const lo_matches *m, const lo_match *crisis);
/* The winning match of each stage, or NULL. */
const lo_match *lo_best_crisis(const lo_engine *e, const lo_matches *m, const lo_tokens *t);
const lo_match *lo_best_rule(const lo_engine *e, const lo_matches *m);
/* The second theme of a long message beside the winner of the rule stage: the best
 * ordinary match of another category, in another sentence, both of at least two words
 * matched literally, whose rule has "also" lines; NULL when none. */
const lo_match *lo_also_rule(const lo_engine *e, const lo_matches *m, const lo_match *winner);

#endif
