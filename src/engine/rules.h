/* rules.h - the loaded rules and guards (rules.c loads them). */
#ifndef LEANON_ENGINE_RULES_H
#define LEANON_ENGINE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/texts.h"

typedef struct lo_rule {
    char *id;
    char *category;
    int priority;
    lo_texts_lang replies; /* by language; in[0] (English) always */
    lo_texts_lang also;    /* short lines acknowledging this theme beside another; may be empty */
    lo_texts_lang ask;     /* the fallback rule's invitation before the offered themes */
    char *theme;           /* a short name offered by the asking fallback, or NULL */
    char *followup;        /* flow or rule id */
    char **examples;
    size_t nexamples;
    char **nots;
    size_t nnots;
    bool crisis; /* category starts with "crisis-" */
    bool alert;
    bool domestic_lines; /* show domestic-violence lines (crisis-abuse, or "helplines") */
    int feedback;        /* +1 "helpful", -1 "unhelpful": about the previous reply */
    int flow;            /* >= 0: choosing this rule starts that flow */
    uint32_t id_rank;    /* position of id in sorted order: the final tie-break */
    uint64_t id_hash;    /* lo_hash of id: conversations remember rules by it */
    char *file;          /* where it was defined */
    int line, column;
    int *example_lines; /* line of each example, for check output */
} lo_rule;

typedef struct lo_guard {
    char *id;
    char **examples;
    size_t nexamples;
    char *file;
    int line, column;
} lo_guard;

#endif
