/* signals.h - crisis signals as data (responses/safety/signals.json): word
 * lists with weights that moderators extend, scored per sentence and per pair
 * of adjacent sentences into a tier (none, check-in, crisis), and the
 * check-in questions asked when a signal is real but uncertain.
 *
 * A signal is a list of words and phrases with one weight. A positive signal
 * points to a crisis category (a method word to overdose, an abuse act to
 * abuse) or, without a category, strengthens whichever category is present
 * (preparation, a time); a negative one lowers every category (told as past,
 * a film, helping in general). A "someone else" signal can turn a category
 * into another (suicide -> third-party) when it comes before the category's
 * words with no word for the writer ("i", a "self" signal) in between. Each signal counts once in a window
 * however often its words repeat, and a negative signal lowers only the
 * categories it shares a clause with ("used to ... but tonight" stays), or
 * with "reach": "window" every category of its sentence and the sentences
 * next to it ("I want to die. I am safe now."),
 * with "reach": "words" only the signal words it overlaps ("hang out"); with
 * a category it lowers only that one, and "unless" names a signal that
 * stops it in its clause ("used to ..., and tonight").
 * Crisis rules' pattern matches are signals too (weight "pattern" of the
 * tiers), so the past, a film or "I am safe" lower them as well. Words of one entry cover their English word
 * forms (morph.c) unless the signal says "forms": false or the entry starts
 * with '='. Private to src/engine.
 */
#ifndef LEANON_ENGINE_SIGNALS_H
#define LEANON_ENGINE_SIGNALS_H

#include "engine/matches.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/text.h"
#include "engine/texts.h"
#include "engine/risk_model.h"
#include "leanon/engine.h"

#define LO_SIGNAL_CATEGORIES 16
#define LO_RISK_HITS 16
#define LO_RISK_GUARDS 4
#define LO_SIGNAL_UNLESS 4

typedef struct lo_signal {
    char *id;
    int weight;
    int category;                       /* index into lo_signals.cats, -1: any */
    int redirect[LO_SIGNAL_CATEGORIES]; /* category -> category, -1: unchanged */
    bool redirects;
    bool self;                    /* words for the writer ("i", "myself") */
    uint8_t reach;                /* a negative signal's reach: LO_REACH_* */
    int unless[LO_SIGNAL_UNLESS]; /* signals that, in the same clause, stop this
                                              negative one ("used to" + "tonight") */
    char *unless_name[LO_SIGNAL_UNLESS];
    size_t nunless;
    char *file;
    int line, column;
} lo_signal;

/* How far a negative signal lowers: its clause (up to "but" or the sentence
 * end), its whole window, or only the signal words it overlaps (an idiom:
 * "hang out" is not "hang"). */
enum { LO_REACH_CLAUSE, LO_REACH_WINDOW, LO_REACH_WORDS };

typedef struct lo_signal_entry {
    uint32_t first; /* the entry's first word id (the lookup key) */
    uint32_t signal;
    lo_alt alt;
} lo_signal_entry;

typedef struct lo_check_in {
    lo_texts_lang ask;        /* the question, kind and direct, by language */
    lo_texts_lang safe_reply; /* after the answer that means "I am safe", by language */
    int danger_answer;        /* LO_ANSWER_YES or LO_ANSWER_NO: the answer that means danger */
} lo_check_in;

typedef struct lo_signals {
    lo_signal *v;
    size_t n, cap;
    lo_signal_entry *entries; /* sorted by first word after loading */
    size_t nentries, entries_cap;
    char *cats[LO_SIGNAL_CATEGORIES];
    int cat_rule[LO_SIGNAL_CATEGORIES];     /* the crisis rule that answers each */
    int cat_check_in[LO_SIGNAL_CATEGORIES]; /* index into check_ins, -1 */
    size_t ncats;
    int crisis_at, check_in_at; /* tier thresholds (scores) */
    int pattern_weight;         /* what a crisis rule's pattern match counts */
    double model_at;            /* the learned score from which it counts, 0: never */
    int model_weight;           /* ... and what it then counts */
    uint32_t rule_signal[LO_SIGNAL_CATEGORIES]; /* the signal that stands for those matches */
    bool has_tiers;
    lo_check_in *check_ins;
    size_t ncheck_ins, check_ins_cap;
} lo_signals;

typedef enum lo_tier { LO_TIER_NONE, LO_TIER_CHECK_IN, LO_TIER_CRISIS } lo_tier;

typedef struct lo_signal_hit {
    uint32_t signal;
    uint16_t start, end; /* token span */
    uint16_t clause;     /* clauses end at a sentence end or a breaker word ("but") */
    uint16_t sentence;
    const lo_match *match; /* the crisis rule's match this hit stands for, or NULL */
    bool in_rule;          /* inside a rule match of its category: not counted again */
} lo_signal_hit;

/* What the signals said about one message: the tier, and why. */
typedef struct lo_risk_result {
    lo_tier tier;
    int category; /* index into cats, -1 when no category scored */
    int score;
    uint16_t from, to;                /* token span of the window that decided */
    const lo_match *rule_match;       /* the best crisis rule match of that window, or NULL */
    lo_signal_hit hits[LO_RISK_HITS]; /* the signals of that window */
    size_t nhits;
    const lo_guard *guards[LO_RISK_GUARDS]; /* guards that cancelled a hit */
    size_t nguards;
    double model_p;        /* the learned risk score (-1: no model) */
    bool model_counted;    /* it reached the tiers' "model" and was added */
    lo_risk_why model_why; /* the features that carried it, when it reached the
                                   threshold (explain.c fills it for every message) */
} lo_risk_result;

/* Scores toks (with the message's pattern matches m, for the guards, and its
 * text, for the learned score). */
void lo_signals_score(const lo_engine *e, const lo_tokens *toks, const lo_matches *m,
                      const char *text, size_t len, lo_risk_result *out);
/* The category index whose name hashes to h, or -1. */
int lo_signals_category_by_hash(const lo_signals *s, uint64_t h);
void lo_signals_free(lo_signals *s);

#endif
