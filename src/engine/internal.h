/* internal.h - the engine's private data structures, shared by the files of src/engine.
 *
 * A loaded set (struct lo_engine) is built once by load.c and never changes:
 * every word that appears in any pattern is interned in a vocabulary (vocab.c),
 * messages are turned into token arrays of word ids (text.c), patterns are
 * compiled into element arrays (pattern.c) and indexed by a trigger word
 * (index.c) so that only a few patterns are tried per message.
 */
#ifndef LEANON_ENGINE_INTERNAL_H
#define LEANON_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "leanon/engine.h"

/* Longest message the engine reads; longer text is cut at a character boundary. */
#define LO_MAX_MESSAGE_BYTES 16384
/* Longest reply a rule may carry (moderators are told 600; this is the hard stop). */
#define LO_MAX_REPLY_BYTES 2000
#define LO_MAX_REPLIES_PER_RULE 64
#define LO_WORD_NONE 0u

/* ---- vocabulary: word <-> dense id (vocab.c) ---- */
typedef struct lo_vocab {
    char **words;    /* id -> word; id 0 unused */
    uint32_t count;  /* ids in use, including 0 */
    uint32_t *slots; /* open-addressing table of ids */
    size_t nslots;
} lo_vocab;

void lo_vocab_init(lo_vocab *v);
void lo_vocab_free(lo_vocab *v);
uint32_t lo_vocab_intern(lo_vocab *v, const char *w, size_t n);
uint32_t lo_vocab_find(const lo_vocab *v, const char *w, size_t n); /* LO_WORD_NONE if absent */

/* ---- normalisation data (normalise.c) ---- */
typedef struct lo_replacement {
    char *from; /* one word, may hold an apostrophe */
    char **to;  /* words */
    size_t nto;
} lo_replacement;

/* One character of the leet map (responses/normalise/leet.json): "3" reads as "e". */
#define LO_LEET_READINGS 5
typedef struct lo_leet {
    int32_t cp;                        /* the character, folded */
    char reading[LO_LEET_READINGS][5]; /* the letters it may stand for, UTF-8 */
    uint8_t nreading;
} lo_leet;

typedef struct lo_normaliser {
    lo_replacement *repl; /* sorted by from, for bsearch */
    size_t nrepl;
    lo_replacement *emoji; /* from = the emoji's UTF-8 */
    size_t nemoji;
    char **negators;
    size_t nnegators;
    char **breakers;
    size_t nbreakers;
    int negation_scope; /* words after a negator that it reaches */
    lo_leet *leet;      /* sorted by cp, for bsearch */
    size_t nleet;
} lo_normaliser;

void lo_normaliser_init_defaults(lo_normaliser *n);
void lo_normaliser_free(lo_normaliser *n);
const lo_replacement *lo_normaliser_replace(const lo_normaliser *n, const char *w);
const lo_replacement *lo_normaliser_emoji(const lo_normaliser *n, const char *e, size_t len);
bool lo_normaliser_is_negator(const lo_normaliser *n, const char *w);
bool lo_normaliser_is_breaker(const lo_normaliser *n, const char *w);
const lo_leet *lo_normaliser_leet(const lo_normaliser *n, int32_t cp); /* NULL: not in the map */
void lo_normaliser_sort(lo_normaliser *n);

/* ---- words written in leet (leet.c) ---- */
/* The word a pattern uses that the n bytes at w (folded text) spell when each leet
 * character is read as one of its letters, trying at most max_tries readings. LO_WORD_NONE
 * when no reading is in vocab, or w does not mix letters with leet characters. */
uint32_t lo_leet_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *w, size_t n,
                      int max_tries);

/* ---- letters spelled out one by one (letters.c) ---- */
/* A piece of a run of single letters ("k i l l m y s e l f"): bytes [start, end) of
 * the text, read as the pattern word id, or kept as it is (LO_WORD_NONE). */
typedef struct lo_spelled {
    size_t start, end;
    uint32_t id;
} lo_spelled;
#define LO_SPELLED_MAX 40 /* letters in a run that is read; longer runs are left alone */
/* When s (n bytes of folded text) starts with a run of single letters separated by
 * spaces, '.', '-', '_' or '*', returns the bytes the run covers (0: no run) and fills
 * seg with its pieces, *nseg of them; *nseg is 0 when no piece was joined into a word. */
size_t lo_letters_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *s, size_t n,
                       lo_spelled seg[LO_SPELLED_MAX], size_t *nseg);

/* ---- tokens (text.c) ---- */
enum { LO_REWRITE_NONE, LO_REWRITE_LEET, LO_REWRITE_JOINED };
typedef struct lo_token {
    uint32_t id;       /* vocab id, LO_WORD_NONE if no pattern uses the word */
    uint32_t alt_id;   /* id of the word with stretched letters squeezed, or NONE */
    uint32_t typo_id;  /* id of a pattern word one edit away, or NONE (typos.c) */
    uint32_t text_off; /* word text in lo_tokens.text */
    uint16_t text_len;
    bool negated;      /* inside the scope of a negation word */
    bool clause_end;   /* punctuation follows this word */
    bool sentence_end; /* a sentence ends after this word (. ! ? or a line break) */
    bool is_negator;
    uint8_t rewrite;   /* LO_REWRITE_*: read through the leet map, or joined from letters */
    uint32_t orig_off; /* for a rewritten word: the text as written, in lo_tokens.text */
    uint16_t orig_len;
} lo_token;

typedef struct lo_tokens {
    lo_token *v;
    size_t n, cap;
    lo_strbuf text; /* the words, NUL-separated */
    bool truncated; /* the message was longer than LO_MAX_MESSAGE_BYTES */
    bool repaired;  /* invalid UTF-8 was replaced */
} lo_tokens;

struct lo_typos;

/* Appends the person's own words of s to out: no quoted lines, no code
 * (own_words.c). */
void lo_own_words(const char *s, size_t n, lo_strbuf *out);

/* Fills toks from raw UTF-8 (any bytes), leaving out quotes and code. vocab
 * and typos may be NULL. */
void lo_text_tokenise(const lo_normaliser *norm, const lo_vocab *vocab,
                      const struct lo_typos *typos, const char *text, size_t len, lo_tokens *toks);
void lo_tokens_free(lo_tokens *toks);
static inline const char *lo_token_word(const lo_tokens *t, size_t i)
{
    return t->text.data + t->v[i].text_off;
}
/* A rewritten word as written ("k!ll" for "kill"); valid when v[i].rewrite is set. */
static inline const char *lo_token_orig(const lo_tokens *t, size_t i)
{
    return t->text.data + t->v[i].orig_off;
}

/* ---- patterns (pattern.c) ---- */
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
} lo_match;

/* Tries pattern p on toks, starting at word from or later; fills m and
 * returns true on the leftmost match. */
bool lo_pattern_match(const lo_pattern *p, const lo_tokens *toks, size_t from, lo_match *m);

/* ---- index (index.c) ---- */
typedef struct lo_index {
    uint32_t **postings; /* word id -> pattern indices */
    uint32_t *npostings;
    uint32_t nwords;
    uint32_t *always; /* patterns with no required word */
    uint32_t nalways;
} lo_index;

void lo_index_build(lo_index *ix, const lo_pattern *pats, size_t npats, uint32_t nwords);
void lo_index_free(lo_index *ix);
/* Appends the indices of patterns that may match toks (sorted, unique). */
size_t lo_index_candidates(const lo_index *ix, const lo_tokens *toks, uint32_t **out, size_t *cap);

/* ---- the words of the language, never read as typos (dictionary.c) ---- */
typedef struct lo_dictionary lo_dictionary;
lo_dictionary *lo_dictionary_load(void);
/* The process's one copy, loaded on first use (from the environment at that moment). */
const lo_dictionary *lo_dictionary_shared(void);
void lo_dictionary_free(lo_dictionary *d);
size_t lo_dictionary_size(const lo_dictionary *d);
bool lo_dictionary_has(const lo_dictionary *d, const char *w, size_t n);

/* ---- typos (typos.c) ---- */
typedef struct lo_typos lo_typos;
/* Per word id: exact_only words are never matched by a typo; short_ok words (those of crisis
 * rules) may also be matched by message words of four letters. Either may be NULL. dict (may
 * be NULL) lists real words, which are never corrected; the caller keeps it alive for as long
 * as the table. */
lo_typos *lo_typos_build(const lo_vocab *vocab, const bool *exact_only, const bool *short_ok,
                         const lo_dictionary *dict);
void lo_typos_free(lo_typos *t);
uint32_t lo_typos_lookup(const lo_typos *t, const char *w, size_t n);

/* ---- rules, flows, helplines (rules.c, flow.c, helplines.c) ---- */
typedef struct lo_texts {
    char **v;
    size_t n;
} lo_texts;

/* Languages a set can answer in (language.h): 0 is English, the default. */
#define LO_LANGUAGES_MAX 8

/* Texts a moderator wrote in several languages: in[0] the English ones, always
 * present; in[k] those of language k of the set, empty when not written. */
typedef struct lo_texts_lang {
    lo_texts in[LO_LANGUAGES_MAX];
} lo_texts_lang;

/* The texts of language lang, else the English ones. */
static inline const lo_texts *lo_texts_in(const lo_texts_lang *t, int lang)
{
    return lang > 0 && lang < LO_LANGUAGES_MAX && t->in[lang].n ? &t->in[lang] : &t->in[0];
}

typedef struct lo_rule {
    char *id;
    char *category;
    int priority;
    lo_texts_lang replies; /* by language; in[0] (English) always */
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

enum {
    LO_ANSWER_YES,
    LO_ANSWER_NO,
    LO_ANSWER_UNSURE,
    LO_ANSWER_SKIP,
    LO_ANSWER_PAUSE,
    LO_ANSWER_RESUME,
    LO_ANSWER_LEAVE,
    LO_ANSWER_TEXT,
    LO_ANSWER_KINDS
};
extern const char *const lo_answer_names[LO_ANSWER_KINDS];

typedef struct lo_flow_step {
    char *id;
    char *category;
    char *prompt;
    lo_texts replies[LO_ANSWER_KINDS]; /* by answer kind; TEXT always present */
} lo_flow_step;

typedef struct lo_flow {
    char *id;
    char *category;
    char *intro;
    lo_flow_step *steps;
    size_t nsteps;
    lo_texts skip, pause, resume, leave, finish;
    uint64_t id_hash;
} lo_flow;

typedef struct lo_helpline {
    char *name, *call, *text, *hours, *url;
} lo_helpline;

typedef struct lo_region {
    char *code; /* "US", "international" */
    char *name;
    char *emergency;
    lo_helpline *crisis, *textlines, *dv;
    size_t ncrisis, ntextlines, ndv;
    char *verified; /* YYYY-MM-DD, or NULL: not yet checked against its source */
    char *file;     /* where it was defined, for `leanon check` */
    int line, column;
} lo_region;

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
    struct lo_signals *signals;       /* crisis signals and check-ins (signals.h), or NULL */
    struct lo_languages *languages;   /* the languages replies may be written in (language.h) */
    struct lo_risk_model *risk_model; /* the learned risk score (risk_model.h), or NULL */
    int fallback_rule;                /* rule with id "fallback", or -1 */
    bool has_answers[LO_ANSWER_KINDS];
};

/* ---- matching a whole message against the set (matches.c) ---- */
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
int lo_answer_kind(const lo_engine *e, const lo_matches *m);

/* ---- sessions (session.c) ---- */
typedef struct lo_used_replies {
    uint64_t rule_hash;
    uint64_t mask;
    uint32_t last; /* index of the last reply given + 1, 0 = none */
} lo_used_replies;

#define LO_SESSION_RULE_SLOTS 24

struct lo_session {
    char *key;
    double last_seen;
    uint64_t rng;
    lo_used_replies used[LO_SESSION_RULE_SLOTS];
    uint8_t nused;
    uint64_t flow_hash; /* active or paused flow, 0 = none */
    int flow_step;      /* step to ask next */
    bool flow_paused;
    uint64_t followup_hash; /* rule or flow offered by the last reply, 0 = none */
    uint64_t check_in_hash; /* crisis category the last reply's check-in asked about, 0 = none */
    int check_in_lang;      /* the language that check-in was asked in */
    char last_rule[64];     /* the rule of the last reply, for feedback */
    bool last_fallback;     /* the last reply was the fallback (feedback on it is the fallback's) */
    struct lo_session *lru_prev, *lru_next, *hash_next;
};

uint64_t lo_session_random(lo_session *s);
lo_used_replies *lo_session_used(lo_session *s, uint64_t rule_hash);

/* ---- replies (reply.c) ---- */
/* Picks one text not yet used in this conversation (any text when conv is NULL). */
const char *lo_pick(lo_session *conv, uint64_t key_hash, char *const *texts, size_t n);
/* Expands {name}, {echo} and {helplines} in tmpl. */
/* crisis: the region's lines are always included (appended if the template
 * has no {helplines}); domestic: domestic-violence lines instead of crisis lines. */
char *lo_reply_render(const lo_engine *e, const char *tmpl, const lo_message *msg,
                      const lo_tokens *toks, const lo_match *m, const char *region, bool crisis,
                      bool domestic);

/* ---- helplines (helplines.c) and canaries (canaries.c) ---- */
const lo_region *lo_region_find(const lo_engine *e, const char *code);
/* Adds an error for every built-in crisis message the set fails to catch. */
void lo_safety_verify(const lo_engine *e, lo_diags *d);
void lo_helplines_render(const lo_engine *e, const char *region, bool domestic_violence,
                         lo_strbuf *out);

/* ---- flows (flow.c) ---- */
/* Handles msg inside an active flow; returns true and fills out if it did. */
bool lo_flow_handle(const lo_engine *e, lo_session *conv, const lo_message *msg,
                    const lo_tokens *toks, const lo_matches *m, lo_reply *out);
void lo_flow_start(const lo_engine *e, lo_session *conv, int flow, lo_strbuf *out);

#endif
