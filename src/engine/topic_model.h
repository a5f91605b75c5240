/* topic_model.h - the learned topic score (topic_model.c): one logistic
 * regression per topic category (one against the rest) over the hashed
 * features of risk_features.h, fitted by `tools/fit_risk_model --topics` into
 * responses/rules/topic-model.json (docs/risk-model.md, "The topic score").
 * Its classes are read by the same reader as the risk model's (risk_model.h).
 *
 * load.c reads it (top key "topic_model") and the routing thresholds (top key
 * "topic_routing"); engine.c asks it only when no rule matched and safety did
 * not answer; explain.c shows what it found. One model serves any number of
 * threads: scoring reads it only. */
#ifndef LEANON_ENGINE_TOPIC_MODEL_H
#define LEANON_ENGINE_TOPIC_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/jpos.h"
#include "engine/risk_model.h"
#include "leanon/engine.h"

/* The format this leanon reads ("format" in the file). */
#define LO_TOPIC_FORMAT 1
/* The class of lines that fit no topic: the model's top class may be it, and
 * then it routes nothing. */
#define LO_TOPIC_NONE "fallback"
/* The routing defaults when no file sets "topic_routing". */
#define LO_TOPIC_THRESHOLD_DEFAULT 0.5
#define LO_TOPIC_MARGIN_DEFAULT 0.2
/* How many of the likeliest classes a score keeps, likeliest first. */
#define LO_TOPIC_RANKED 8

typedef struct lo_topic_model {
    char *file; /* where it was read from, for explain */
    unsigned bits;
    lo_risk_class *classes; /* by name; each class's name is a category */
    size_t nclasses;
    /* every weight by bucket: those of bucket b are entries first[b] to first[b + 1] */
    uint32_t *first;
    uint32_t *entry_class;
    double *entry_weight;
} lo_topic_model;

/* When the model may answer: its likeliest class has at least threshold of the
 * probability and at least margin more than the second. */
typedef struct lo_topic_routing {
    double threshold, margin;
} lo_topic_routing;

typedef struct lo_topic_guess {
    size_t nranked;
    int ranked[LO_TOPIC_RANKED]; /* class indices, likeliest first */
    double p[LO_TOPIC_RANKED];   /* the probability of each (they sum to 1 over all classes) */
    lo_risk_reason top[LO_RISK_WHY_TOP]; /* what carried the likeliest class (with why) */
    size_t ntop;
} lo_topic_guess;

/* Reads the model from doc, a file's whole object {"topic_model": {...}} (a
 * "comment" beside it is allowed); pos (may be NULL) gives positions for the
 * diagnostics, which name file. Returns NULL after adding an error to d. */
lo_topic_model *lo_topic_model_parse(json_t *doc, const lo_jpos *pos, const char *file,
                                     lo_diags *d);
void lo_topic_model_free(lo_topic_model *m);
/* Lays every class's weights out by bucket (first, entry_class, entry_weight), so that
 * scoring looks each of a message's features up once for all classes; the parser calls
 * it, and the fitting tool for the models it builds. */
void lo_topic_model_index(lo_topic_model *m);

/* Reads {"threshold": 0.6, "margin": 0.2} into r (a key left out keeps its
 * default); false after an error. */
bool lo_topic_routing_parse(json_t *obj, const lo_jpos *pos, const char *file, lo_diags *d,
                            lo_topic_routing *r);

/* Scores len bytes of text (any bytes) against every class; with why, the
 * features that carried the likeliest one too. */
void lo_topic_score(const lo_topic_model *m, const char *text, size_t len, bool why,
                    lo_topic_guess *g);

/* The likeliest class's name when the guess passes r and is not LO_TOPIC_NONE, else NULL. */
const char *lo_topic_route(const lo_topic_model *m, const lo_topic_routing *r,
                           const lo_topic_guess *g);

#endif
