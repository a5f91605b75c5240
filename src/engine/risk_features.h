/* risk_features.h - the features of the learned risk score (risk_features.c).
 * One function turns a message into its hashed features; the fitting tool
 * (tools/fit_risk_model.c) and the scoring (risk_model.c) both call it, so the
 * two can never disagree about what a message's features are.
 *
 * The text is cut at LO_MAX_MESSAGE_BYTES, invalid UTF-8 becomes a separator,
 * and it is folded as the engine folds it (fold.c: NFKC, case folding, accents
 * stripped). Words are runs of letters, marks and digits; an apostrophe inside
 * a word is dropped ("don't" is "dont"); words longer than
 * LO_RISK_MAX_WORD_BYTES give no feature. Each word gives:
 *   word    "w " + the word
 *   bigram  "b " + the previous word, a space, the word
 *   chars   "c " + every run of 3, 4 and 5 characters (code points) of the
 *           word padded with a space on each side (" kill " -> " ki", "kil", ...)
 * A feature's bucket is lo_hash (FNV-1a 64, buf.c) of that tagged text, keeping
 * its low `bits` bits (the model's 2^bits buckets). A message's features are
 * present or absent (value 1): each bucket counts once. */
#ifndef LEANON_ENGINE_RISK_FEATURES_H
#define LEANON_ENGINE_RISK_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define LO_RISK_MAX_WORD_BYTES 64
#define LO_RISK_MIN_BITS 8
#define LO_RISK_MAX_BITS 24

typedef enum lo_risk_kind { LO_RISK_WORD, LO_RISK_BIGRAM, LO_RISK_CHARS } lo_risk_kind;

typedef struct lo_risk_feature {
    uint32_t bucket;   /* low bits of the hash */
    uint32_t seq;      /* order found in the text */
    uint32_t off, len; /* its text (without the tag) in lo_risk_features.text */
    uint8_t kind;      /* lo_risk_kind */
} lo_risk_feature;

typedef struct lo_risk_features {
    lo_risk_feature *v; /* one per distinct bucket, sorted by bucket; the first found */
    size_t n, cap;
    lo_strbuf text;    /* the folded words, each with a space before and after */
    lo_strbuf scratch; /* the tagged text being hashed */
    uint32_t *words;   /* offset and length of each word in text, in pairs */
    size_t nwords, wcap;
    lo_risk_feature *sorting; /* room for the radix sort's passes */
    size_t sorting_cap;
} lo_risk_features;

/* Replaces out's features by those of len bytes of text (any bytes); bits is
 * from LO_RISK_MIN_BITS to LO_RISK_MAX_BITS. The work is linear in len. */
void lo_risk_features_extract(const char *text, size_t len, unsigned bits, lo_risk_features *out);
void lo_risk_features_free(lo_risk_features *f);
/* Room for any feature's description: the longest is a bigram of two longest words. */
#define LO_RISK_DESCRIPTION_BYTES (2 * LO_RISK_MAX_WORD_BYTES + 16)
/* Writes f as `word "pills"`, `bigram "saving up"` or `chars " ki"` (never cut). */
void lo_risk_feature_describe(const lo_risk_features *fs, const lo_risk_feature *f,
                              char out[LO_RISK_DESCRIPTION_BYTES]);

#endif
