/* near.h - the rules that came closest when none matched (near.c): shown by explain, and
 * offered as themes by the asking fallback. */
#ifndef LEANON_ENGINE_NEAR_H
#define LEANON_ENGINE_NEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/text.h"
#include "leanon/engine.h"

#define LO_NEAR_MISSES 3
#define LO_NEAR_WORDS 64 /* distinct message words looked at (one bit each) */

/* The distinct pattern words of a message, in order: what a near miss's bits name. */
typedef struct lo_near_words {
    uint32_t ids[LO_NEAR_WORDS];
    size_t n;
} lo_near_words;

typedef struct lo_near_miss {
    size_t rule, pattern;
    int hit, missing; /* the pattern's words (or choices) in the message, and not */
    uint64_t words;   /* which message words it has, one bit each (lo_near_words) */
} lo_near_miss;

/* Fills best with the rules nearest to the message, nearest first, at most LO_NEAR_MISSES,
 * and returns how many: every rule but the fallback, or when themed only rules with a
 * "theme", one per category. */
size_t lo_near_misses(const lo_engine *e, const lo_tokens *toks, bool themed, lo_near_words *w,
                      lo_near_miss *best);

#endif
