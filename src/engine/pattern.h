/* pattern.h - compiled patterns, concepts and the match of one pattern on a message
 * (pattern.c). */
#ifndef LEANON_ENGINE_PATTERN_H
#define LEANON_ENGINE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/normalise.h"
#include "engine/text.h"
#include "engine/vocab.h"

enum { LO_EL_WORD, LO_EL_STAR, LO_EL_OPT, LO_EL_ONE, LO_EL_BEGIN, LO_EL_END };
enum { LO_WF_UNNEGATED = 1, LO_WF_EXACT = 2 };

typedef struct lo_el lo_el;
typedef struct lo_alt {
    lo_el *els; /* words only */
    uint16_t n;
} lo_alt;

struct lo_el {
    uint8_t kind;
    uint8_t flags; /* LO_WF_* for words */
    uint32_t word;
    lo_alt *alts; /* for OPT and ONE */
    uint16_t nalts;
};

typedef enum lo_owner_kind { LO_OWNER_RULE, LO_OWNER_GUARD, LO_OWNER_ANSWER } lo_owner_kind;

typedef struct lo_pattern {
    lo_el *els;
    uint16_t n;
    uint8_t owner_kind; /* lo_owner_kind */
    uint32_t owner;     /* rule, guard or answer index */
    uint16_t index_in_owner;
    char *source; /* the pattern as written */
} lo_pattern;

typedef struct lo_pattern_context {
    lo_vocab *vocab;
    const lo_normaliser *norm;
    /* concept name -> alternatives; looked up while compiling "~name" */
    const struct lo_concept *concepts;
    size_t nconcepts;
} lo_pattern_context;

typedef struct lo_concept {
    char *name;
    lo_alt *alts;
    uint16_t nalts;
} lo_concept;

/* Compiles src; on error returns -1 and a message in err (with the column
 * offset in *err_col, 0-based). */
int lo_pattern_compile(const lo_pattern_context *ctx, const char *src, lo_pattern *out,
                       lo_strbuf *err, int *err_col);
/* Compiles a word list entry (a phrase of plain words) into an alternative. */
int lo_pattern_compile_phrase(const lo_pattern_context *ctx, const char *src, lo_alt *out,
                              lo_strbuf *err);
void lo_pattern_free(lo_pattern *p);
void lo_alt_free(lo_alt *a);
/* Words of toks that alt matches starting at word ti, or -1. */
int lo_alt_match_at(const lo_alt *alt, const lo_tokens *t, size_t ti);

/* A pattern's literal words fall in at most this many runs of adjacent
 * tokens (one more than its inner '*'s); pattern.c refuses patterns with more. */
#define LO_MATCH_RUNS 6

typedef struct lo_match {
    uint32_t pattern;    /* index into engine patterns */
    uint16_t start, end; /* token span [start, end) covered */
    uint16_t nruns;      /* runs of words matched literally, in token order: */
    uint16_t run_start[LO_MATCH_RUNS], run_end[LO_MATCH_RUNS]; /* [start, end) each */
    uint16_t literal;                                          /* words matched literally */
    uint16_t wildcard;                                         /* words covered by '*' */
    uint16_t echo_start, echo_end;                             /* words under the first '*' */
    uint16_t typos;                                            /* words matched within one edit */
    uint16_t sentence; /* the sentence it lies in (0 first), or LO_MATCH_SENTENCES: it spans
                          more than one (set by matches.c) */
} lo_match;

#define LO_MATCH_SENTENCES UINT16_MAX

/* Tries pattern p on toks, starting at word from or later; fills m and
 * returns true on the leftmost match. */
bool lo_pattern_match(const lo_pattern *p, const lo_tokens *toks, size_t from, lo_match *m);

#endif
