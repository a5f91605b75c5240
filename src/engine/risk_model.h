/* risk_model.h - the learned risk score (risk_model.c): logistic regression
 * over the hashed features of risk_features.h, fitted by tools/fit_risk_model
 * into responses/safety/risk-model.json (docs/risk-model.md). Private to
 * leanon; nothing here keeps global state.
 *
 * load.c reads it (top key "risk_model") with lo_risk_model_parse; signals.c
 * calls lo_risk_score for every message and counts it as a signal when it
 * reaches the tiers' "model" (signals_load.c); lo_risk_model_free frees it
 * with the set. One model serves any number of threads: scoring reads it only. */
#ifndef LEANON_ENGINE_RISK_MODEL_H
#define LEANON_ENGINE_RISK_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/jpos.h"
#include "common/report.h"
#include "engine/risk_features.h"
#include "leanon/engine.h"

/* The format this leanon reads ("format" in the file). */
#define LO_RISK_FORMAT 1

/* One linear model: decision = bias + the weights of the buckets present. */
typedef struct lo_risk_class {
    char *name; /* "crisis", or a crisis category */
    double bias;
    uint32_t *buckets; /* strictly increasing, each below 2^bits */
    double *weights;   /* the weight of each bucket, never 0 */
    size_t n;
    double *dense; /* the crisis class's weight of every bucket (0 for none), when
                             2^bits is small enough (LO_RISK_DENSE_BITS); else NULL */
} lo_risk_class;

/* Up to this many hash bits the crisis weights are also kept as one array
 * indexed by bucket (2^20 doubles is 8 MiB; the shipped model's 18 bits take
 * 2 MiB), so scoring a message looks each feature up once, not by a search. */
#define LO_RISK_DENSE_BITS 20

typedef struct lo_risk_model {
    unsigned bits;             /* 2^bits feature buckets */
    lo_risk_class crisis;      /* crisis (any category) against none */
    lo_risk_class *categories; /* one against the rest among crisis lines, by name */
    size_t ncategories;
} lo_risk_model;

/* How many features lo_risk_why keeps. */
#define LO_RISK_WHY_TOP 5

typedef struct lo_risk_reason {
    char text[LO_RISK_DESCRIPTION_BYTES]; /* e.g. word "pills", bigram "saving up" */
    double weight;                        /* what it added to the crisis decision */
} lo_risk_reason;

typedef struct lo_risk_why {
    lo_risk_reason top[LO_RISK_WHY_TOP]; /* largest |weight| first, then first found */
    size_t ntop;
    double bias;          /* the crisis model's bias */
    const char *category; /* likeliest crisis category (the model's
                                             string), NULL when it has none */
} lo_risk_why;

/* Reading one class {"bias": b, "weights": [[bucket, weight, "feature"], ...]}: the
 * piece both learned models (this one and topic_model.h) read their classes with.
 * Findings become errors of file in d. */
typedef struct lo_risk_reader {
    const char *file;
    lo_diags *d;
    lo_sink sink; /* set by lo_risk_reader_init */
    unsigned bits;
} lo_risk_reader;

void lo_risk_reader_init(lo_risk_reader *r, const char *file, lo_diags *d);
/* Reports an error at `at` (the model file's wording: "refit the model"). */
void lo_risk_fail(lo_risk_reader *r, const lo_jpos *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* obj[key], or NULL after saying that `what` has no key (at pos). */
json_t *lo_risk_need(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, const char *key,
                     const char *what);
/* The common walker's key check (an unknown key at its key, with "did you mean"). */
bool lo_risk_only_keys(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, const char *what,
                       const char *const *allowed, size_t n);
/* Reads class `name` from obj into c (r->bits set); false after an error. */
bool lo_risk_class_read(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, const char *name,
                        lo_risk_class *c);
void lo_risk_class_free(lo_risk_class *c);
/* The weight of bucket b in c, 0 when it has none. */
double lo_risk_weight_of(const lo_risk_class *c, uint32_t b);
/* bias + the weights of f's buckets. */
double lo_risk_decision(const lo_risk_class *c, const lo_risk_features *f);

/* The features of f that carry the most weight in c (largest |weight| first, then
 * the first found), at most LO_RISK_WHY_TOP; returns how many. */
size_t lo_risk_top_features(const lo_risk_class *c, const lo_risk_features *f,
                            lo_risk_reason top[LO_RISK_WHY_TOP]);

/* Reads the model from doc, a file's whole JSON object {"risk_model": {...}}
 * (a "comment" beside it is allowed); pos (may be NULL) gives positions for
 * the diagnostics, which name file. Returns NULL after adding at least one
 * error to d. */
lo_risk_model *lo_risk_model_parse(json_t *doc, const lo_jpos *pos, const char *file, lo_diags *d);
void lo_risk_model_free(lo_risk_model *m);

/* The probability, from 0 to 1, that len bytes of text (any bytes) are a
 * crisis message. Fills why when it is not NULL. */
double lo_risk_score(const lo_risk_model *m, const char *text, size_t len, lo_risk_why *why);

#endif
