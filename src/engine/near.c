/* near.c - for a message no rule matched, the rules with a pattern closest to matching: the
 * most of its words (a choice counts once) in the message and the fewest missing; then the
 * more words in common, the higher priority, the first id. `leanon match --explain` shows
 * them; the asking fallback (engine.c) offers the themes of the nearest. */
#include <stdlib.h>
#include <string.h>

#include "engine/near.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/set.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "leanon/engine.h"
#include "common/buf.h"

/* The pattern word a token stands for (as written, stretched or a typo), or NONE. */
static uint32_t token_word_id(const lo_token *k)
{
    return k->id ? k->id : k->alt_id ? k->alt_id : k->typo_id;
}

/* Distinct pattern words of the message, in order, at most LO_NEAR_WORDS. */
static size_t message_words(const lo_tokens *toks, uint32_t *ids)
{
    size_t n = 0;
    for (size_t i = 0; i < toks->n && n < LO_NEAR_WORDS; i++) {
        uint32_t id = token_word_id(&toks->v[i]);
        bool seen = id == LO_WORD_NONE;
        for (size_t k = 0; k < n && !seen; k++)
            seen = ids[k] == id;
        if (!seen)
            ids[n++] = id;
    }
    return n;
}

/* The bit of word among the message words, 0 when the message lacks it. */
static uint64_t word_bit(uint32_t word, const uint32_t *ids, size_t nids)
{
    for (size_t k = 0; k < nids; k++)
        if (ids[k] == word)
            return UINT64_C(1) << k;
    return 0;
}

/* The bits of an alternative whose every word is in the message, else 0. */
static uint64_t alternative_bits(const lo_alt *alt, const uint32_t *ids, size_t nids)
{
    uint64_t bits = 0;
    for (size_t j = 0; j < alt->n; j++) {
        uint64_t bit = word_bit(alt->els[j].word, ids, nids);
        if (!bit)
            return 0;
        bits |= bit;
    }
    return bits;
}

/* How much of pattern p the message has. */
static void fit_pattern(const lo_pattern *p, const uint32_t *ids, size_t nids, lo_near_miss *m)
{
    for (size_t i = 0; i < p->n; i++) {
        const lo_el *el = &p->els[i];
        uint64_t bits = 0;
        if (el->kind == LO_EL_WORD)
            bits = word_bit(el->word, ids, nids);
        for (size_t a = 0; a < el->nalts && !bits; a++)
            bits = alternative_bits(&el->alts[a], ids, nids);
        if (bits) {
            m->hit++;
            m->words |= bits;
        } else if (el->kind == LO_EL_WORD || el->kind == LO_EL_ONE) {
            m->missing++;
        }
    }
}

static bool nearer(const lo_engine *e, const lo_near_miss *a, const lo_near_miss *b)
{
    if (a->hit - a->missing != b->hit - b->missing)
        return a->hit - a->missing > b->hit - b->missing;
    if (a->hit != b->hit)
        return a->hit > b->hit;
    const lo_rule *ra = &e->rules[a->rule], *rb = &e->rules[b->rule];
    if (ra->priority != rb->priority)
        return ra->priority > rb->priority;
    return ra->id_rank < rb->id_rank;
}

/* Keeps m in best (nearest first, *n of LO_NEAR_MISSES) when it is near enough. */
static void keep_nearest(const lo_engine *e, const lo_near_miss *m, lo_near_miss *best, size_t *n)
{
    size_t at = *n;
    while (at > 0 && nearer(e, m, &best[at - 1]))
        at--;
    if (at >= LO_NEAR_MISSES)
        return;
    size_t last = *n < LO_NEAR_MISSES ? *n : LO_NEAR_MISSES - 1;
    memmove(&best[at + 1], &best[at], (last - at) * sizeof *best);
    best[at] = *m;
    if (*n < LO_NEAR_MISSES)
        (*n)++;
}

/* True if best[0, n) has a rule of category cat. */
static bool has_category(const lo_engine *e, const lo_near_miss *best, size_t n, const char *cat)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e->rules[best[i].rule].category, cat) == 0)
            return true;
    return false;
}

/* The nearest rules with a theme, one per category, nearest first. */
static size_t nearest_themes(const lo_engine *e, const lo_near_miss *per_rule, lo_near_miss *best)
{
    size_t n = 0;
    while (n < LO_NEAR_MISSES) {
        const lo_near_miss *pick = NULL;
        for (size_t r = 0; r < e->nrules; r++) {
            const lo_near_miss *m = &per_rule[r];
            if (m->hit && e->rules[r].theme && !has_category(e, best, n, e->rules[r].category) &&
                (!pick || nearer(e, m, pick)))
                pick = m;
        }
        if (!pick)
            break;
        best[n++] = *pick;
    }
    return n;
}

size_t lo_near_misses(const lo_engine *e, const lo_tokens *toks, bool themed, lo_near_words *w,
                      lo_near_miss *best)
{
    w->n = message_words(toks, w->ids);
    lo_near_miss *per_rule = lo_xcalloc(e->nrules ? e->nrules : 1, sizeof *per_rule);
    for (size_t p = 0; p < e->npatterns; p++) {
        const lo_pattern *pat = &e->patterns[p];
        if (pat->owner_kind != LO_OWNER_RULE || (int)pat->owner == e->fallback_rule)
            continue;
        lo_near_miss m = {.rule = pat->owner, .pattern = p};
        fit_pattern(pat, w->ids, w->n, &m);
        lo_near_miss *kept = &per_rule[pat->owner];
        if (m.hit && (!kept->hit || nearer(e, &m, kept)))
            *kept = m;
    }
    size_t nbest = 0;
    if (themed)
        nbest = nearest_themes(e, per_rule, best);
    else
        for (size_t r = 0; r < e->nrules; r++)
            if (per_rule[r].hit)
                keep_nearest(e, &per_rule[r], best, &nbest);
    free(per_rule);
    return nbest;
}
