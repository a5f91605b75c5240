/* text.h - a message turned into tokens: word ids, negation and clause marks (text.c,
 * own_words.c). */
#ifndef LEANON_ENGINE_TEXT_H
#define LEANON_ENGINE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/normalise.h"
#include "engine/vocab.h"
#include "engine/typos.h"

/* Longest message the engine reads; longer text is cut at a character boundary. */
#define LO_MAX_MESSAGE_BYTES 16384

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
    bool is_filler;    /* a filler or swear word patterns may skip ("fucking", "like") */
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

/* The one sentence splitter, shared by the crisis signals (signals.c) and the rules
 * (matches.c): the end (exclusive) of the sentence that starts at word from, one past its
 * last word (a word with sentence_end set, or the message's last word). */
static inline size_t lo_sentence_end(const lo_tokens *t, size_t from)
{
    while (from < t->n && !t->v[from].sentence_end)
        from++;
    return from < t->n ? from + 1 : t->n;
}

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

#endif
