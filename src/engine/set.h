/* set.h - struct lo_engine: a loaded response set, built once by load.c and never changed. */
#ifndef LEANON_ENGINE_SET_H
#define LEANON_ENGINE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/flow.h"
#include "engine/helplines.h"
#include "engine/index.h"
#include "engine/normalise.h"
#include "engine/pattern.h"
#include "engine/reasons.h"
#include "engine/rules.h"
#include "engine/topic_model.h"
#include "engine/typos.h"
#include "engine/vocab.h"
#include "leanon/engine.h"

struct lo_engine {
    lo_vocab vocab;
    lo_normaliser norm;
    lo_concept *concepts;
    size_t nconcepts;
    lo_rule *rules;
    size_t nrules;
    lo_guard *guards;
    size_t nguards;
    lo_flow *flows;
    size_t nflows;
    lo_pattern *patterns;
    size_t npatterns;
    lo_index index;
    lo_typos *typos;
    lo_region *regions;
    size_t nregions;
    struct lo_signals *signals;         /* crisis signals and check-ins (signals.h), or NULL */
    struct lo_languages *languages;     /* the languages replies may be written in (language.h) */
    struct lo_risk_model *risk_model;   /* the learned risk score (risk_model.h), or NULL */
    struct lo_topic_model *topic_model; /* the learned topic score (topic_model.h), or NULL */
    int *topic_rules;                   /* per topic class, the rule it answers with, or -1 */
    lo_topic_routing topic_routing;     /* when the topic score may answer */
    bool has_topic_routing;             /* a file set topic_routing */
    lo_reasons reasons;                 /* why a reply of each category was given ({reason}) */
    int fallback_rule;                  /* rule with id "fallback", or -1 */
    bool has_answers[LO_ANSWER_KINDS];
};

#endif
