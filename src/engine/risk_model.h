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
