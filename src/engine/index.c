/* index.c - finds the few patterns worth trying for a message.
 *
 * Every pattern gets one trigger: a set of words of which at least one must be
 * in any message it matches. It is taken from a required element: a plain
 * word, or a "(a|b)" group (the first word of each alternative). Of the
 * required elements the one whose words are rarest across all patterns is
 * chosen, so postings stay short. Patterns with no required word (only '*'
 * and optional parts) are tried on every message. The cost per message is
 * then the number of its words plus the candidates found, not the number of
 * rules.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/index.h"
#include "engine/pattern.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "common/buf.h"

/* Writes the words that can start el (a word, or each choice's first word) to out. */
static size_t element_words(const lo_el *el, uint32_t *out, size_t max)
{
    size_t n = 0;
    if (el->kind == LO_EL_WORD) {
        out[n++] = el->word;
    } else if (el->kind == LO_EL_ONE) {
        for (uint16_t k = 0; k < el->nalts && n < max; k++)
            out[n++] = el->alts[k].els[0].word;
    }
    return n;
}

#define MAX_TRIGGER_WORDS 256

static bool can_trigger(const lo_el *el)
{
    return el->kind == LO_EL_WORD || (el->kind == LO_EL_ONE && el->nalts <= MAX_TRIGGER_WORDS);
}

static void add_posting(lo_index *ix, uint32_t word, uint32_t pat)
{
    uint32_t n = ix->npostings[word];
    /* grow at powers of two */
    if ((n & (n - 1)) == 0)
        ix->postings[word] = lo_xrealloc(ix->postings[word], (n ? n * 2 : 1) * sizeof(uint32_t));
    if (n && ix->postings[word][n - 1] == pat)
        return;
    ix->postings[word][ix->npostings[word]++] = pat;
}

/* For each word, how many trigger elements of all patterns it can start. */
static uint32_t *trigger_word_counts(const lo_pattern *pats, size_t npats, uint32_t nwords)
{
    uint32_t *freq = lo_xcalloc(nwords, sizeof(uint32_t));
    uint32_t words[MAX_TRIGGER_WORDS];
    for (size_t p = 0; p < npats; p++)
        for (uint16_t e = 0; e < pats[p].n; e++)
            if (can_trigger(&pats[p].els[e])) {
                size_t n = element_words(&pats[p].els[e], words, MAX_TRIGGER_WORDS);
                for (size_t k = 0; k < n; k++)
                    freq[words[k]]++;
            }
    return freq;
}

void lo_index_build(lo_index *ix, const lo_pattern *pats, size_t npats, uint32_t nwords)
{
    memset(ix, 0, sizeof *ix);
    ix->nwords = nwords;
    ix->postings = lo_xcalloc(nwords, sizeof(uint32_t *));
    ix->npostings = lo_xcalloc(nwords, sizeof(uint32_t));
    uint32_t *freq = trigger_word_counts(pats, npats, nwords);
    uint32_t words[MAX_TRIGGER_WORDS];

    size_t always_cap = 0;
    for (size_t p = 0; p < npats; p++) {
        const lo_el *best = NULL;
        uint64_t best_cost = UINT64_MAX;
        for (uint16_t e = 0; e < pats[p].n; e++) {
            const lo_el *el = &pats[p].els[e];
            if (!can_trigger(el))
                continue;
            size_t n = element_words(el, words, MAX_TRIGGER_WORDS);
            uint64_t cost = 0;
            for (size_t k = 0; k < n; k++)
                cost += freq[words[k]];
            if (cost < best_cost) {
                best_cost = cost;
                best = el;
            }
        }
        if (!best) {
            lo_grow(&ix->always, &always_cap, ix->nalways + 1, sizeof *ix->always);
            ix->always[ix->nalways++] = (uint32_t)p;
            continue;
        }
        size_t n = element_words(best, words, MAX_TRIGGER_WORDS);
        for (size_t k = 0; k < n; k++)
            add_posting(ix, words[k], (uint32_t)p);
    }
    free(freq);
}

void lo_index_free(lo_index *ix)
{
    for (uint32_t w = 0; w < ix->nwords; w++)
        free(ix->postings[w]);
    free(ix->postings);
    free(ix->npostings);
    free(ix->always);
    memset(ix, 0, sizeof *ix);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void append(uint32_t **out, size_t *cap, size_t *n, const uint32_t *src, size_t k)
{
    if (k == 0)
        return;
    lo_grow(out, cap, *n + k, sizeof **out);
    memcpy(*out + *n, src, k * sizeof *src);
    *n += k;
}

size_t lo_index_candidates(const lo_index *ix, const lo_tokens *toks, uint32_t **out, size_t *cap)
{
    size_t n = 0;
    append(out, cap, &n, ix->always, ix->nalways);
    for (size_t i = 0; i < toks->n; i++) {
        const lo_token *t = &toks->v[i];
        const uint32_t ids[3] = {t->id, t->alt_id, t->typo_id};
        for (int k = 0; k < 3; k++) {
            uint32_t w = ids[k];
            if (w == LO_WORD_NONE || w >= ix->nwords)
                continue;
            if (k > 0 && (w == ids[0] || (k == 2 && w == ids[1])))
                continue;
            append(out, cap, &n, ix->postings[w], ix->npostings[w]);
        }
    }
    if (n > 1) {
        qsort(*out, n, sizeof **out, cmp_u32);
        size_t u = 1;
        for (size_t i = 1; i < n; i++)
            if ((*out)[i] != (*out)[u - 1])
                (*out)[u++] = (*out)[i];
        n = u;
    }
    return n;
}
