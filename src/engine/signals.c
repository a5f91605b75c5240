/* signals.c - scores a message's crisis signals into a tier.
 *
 *   1. Every signal word is found in the tokens: each token looks up the
 *      entries that start with its word (a sorted table: the cost is flat in
 *      the number of signals). A positive signal's word that is negated
 *      ("not suicidal") or that an idiom guard spells out ("killing it")
 *      does not count. Each crisis rule's pattern match (not cancelled by a
 *      guard) is a hit of its category's rule signal; signal words of that
 *      category inside the match are the same words, and do not count again.
 *   2. The message is cut into sentences; each sentence, and each pair of
 *      adjacent sentences (a dose question after a loss), is a window.
 *   3. In a window each signal counts once. A category's score is the sum
 *      of its own signals and of the signals without a category; a negative
 *      signal counts where it shares a clause with one of the category's own
 *      hits. A "someone else" signal turns the category it redirects.
 *   4. The best score of any window and category decides the tier; the
 *      learned risk score (risk_model.c), when it reaches the tiers' "model",
 *      adds its weight to the category it finds likeliest.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/signals.h"
#include "engine/set.h"
#include "engine/vocab.h"
#include "engine/text.h"
#include "engine/rules.h"
#include "engine/pattern.h"
#include "engine/normalise.h"
#include "engine/matches.h"

#define MAX_HITS 512 /* signal words read from one message; the rest are ignored */

typedef struct hits {
    lo_signal_hit v[MAX_HITS];
    size_t n;
} hits;

static const lo_signal_entry *first_entry(const lo_signals *s, uint32_t word)
{
    size_t lo = 0, hi = s->nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->entries[mid].first < word)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nentries && s->entries[lo].first == word ? &s->entries[lo] : NULL;
}

static void note_guard(lo_risk_result *out, const lo_guard *g)
{
    for (size_t i = 0; i < out->nguards; i++)
        if (out->guards[i] == g)
            return;
    if (out->nguards < LO_RISK_GUARDS)
        out->guards[out->nguards++] = g;
}

static bool guarded(const lo_engine *e, const lo_matches *m, size_t start, size_t end,
                    lo_risk_result *out)
{
    lo_match span = {.nruns = 1, .run_start = {(uint16_t)start}, .run_end = {(uint16_t)end}};
    const lo_guard *g = lo_guard_covering(e, m, &span);
    if (g)
        note_guard(out, g);
    return g != NULL;
}

static void add_hit(hits *h, lo_signal_hit hit)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].signal == hit.signal && h->v[i].start == hit.start) {
            /* the same signal twice at one word (two word forms, or a longer
             * entry: "years ago tonight" beside "years ago"): the longer */
            if (hit.end > h->v[i].end && !h->v[i].match && !hit.match)
                h->v[i].end = hit.end;
            return;
        }
    if (h->n < MAX_HITS)
        h->v[h->n++] = hit;
}

static void find_word_hits(const lo_engine *e, const lo_tokens *t, const lo_matches *m, hits *h,
                           lo_risk_result *out)
{
    const lo_signals *s = e->signals;
    size_t n = t->n < UINT16_MAX ? t->n : UINT16_MAX;
    /* cppcheck-suppress knownConditionTrueFalse ; UINT16_MAX is from <stdint.h>, unread */
    for (size_t i = 0; i < n; i++) {
        const lo_token *tk = &t->v[i];
        uint32_t ids[3] = {tk->id, tk->alt_id, tk->typo_id};
        for (size_t k = 0; k < 3; k++) {
            if (ids[k] == LO_WORD_NONE || (k > 0 && ids[k] == ids[0]) ||
                (k == 2 && ids[k] == ids[1]))
                continue;
            for (const lo_signal_entry *en = first_entry(s, ids[k]);
                 en && en < s->entries + s->nentries && en->first == ids[k]; en++) {
                const lo_signal *sig = &s->v[en->signal];
                if (sig->weight > 0 && tk->negated)
                    continue;
                int len = lo_alt_match_at(&en->alt, t, i);
                if (len <= 0 || (sig->weight > 0 && guarded(e, m, i, i + (size_t)len, out)))
                    continue;
                add_hit(h, (lo_signal_hit){.signal = en->signal,
                                           .start = (uint16_t)i,
                                           .end = (uint16_t)(i + (size_t)len)});
            }
        }
    }
}

/* Crisis rules' matches, as hits of their category's rule signal. */
static void add_rule_hits(const lo_engine *e, const lo_tokens *t, const lo_matches *m, hits *h,
                          lo_risk_result *out)
{
    const lo_signals *s = e->signals;
    for (size_t i = 0; i < m->n; i++) {
        const lo_rule *r = lo_rule_of(e, &m->v[i]);
        if (!r || !r->crisis)
            continue;
        const lo_guard *g = lo_guard_covering(e, m, &m->v[i]);
        if (g) {
            note_guard(out, g);
            continue;
        }
        for (size_t c = 0; c < s->ncats; c++)
            if (strcmp(s->cats[c], r->category) == 0 && m->v[i].start < t->n)
                add_hit(h, (lo_signal_hit){.signal = s->rule_signal[c],
                                           .start = m->v[i].start,
                                           .end = m->v[i].end,
                                           .match = &m->v[i]});
    }
}

/* Drops positive hits that overlap an idiom (a negative signal with reach
 * "words"): "hang out" is not "hang". */
static void drop_idioms(const lo_signals *s, hits *h)
{
    size_t w = 0;
    for (size_t i = 0; i < h->n; i++) {
        const lo_signal_hit *x = &h->v[i];
        bool idiom = false;
        for (size_t j = 0; j < h->n && !idiom && s->v[x->signal].weight > 0; j++) {
            const lo_signal_hit *y = &h->v[j];
            idiom = s->v[y->signal].reach == LO_REACH_WORDS && s->v[y->signal].weight < 0 &&
                    y->start < x->end && x->start < y->end;
        }
        if (!idiom)
            h->v[w++] = *x;
    }
    h->n = w;
}

/* Marks hits of a category's own signals that lie inside a rule match of
 * that category: those words are already counted by the rule (they still
 * stop a negative signal that names them in "unless"). */
static void mark_counted_twice(const lo_signals *s, hits *h)
{
    for (size_t i = 0; i < h->n; i++) {
        lo_signal_hit *x = &h->v[i];
        int cat = s->v[x->signal].category;
        for (size_t j = 0; j < h->n && !x->in_rule && !x->match && cat >= 0; j++)
            x->in_rule = h->v[j].match && s->v[h->v[j].signal].category == cat &&
                         h->v[j].start <= x->start && x->end <= h->v[j].end;
    }
}

static int cmp_hits(const void *a, const void *b)
{
    const lo_signal_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->signal < y->signal ? -1 : x->signal > y->signal;
}

static bool seen_before(const hits *h, size_t a, size_t i)
{
    for (size_t j = a; j < i; j++)
        if (h->v[j].signal == h->v[i].signal && !h->v[j].in_rule)
            return true;
    return false;
}

/* Whether a hit of category c shares negative hit n's clause. */
static bool shares_clause(const lo_signals *s, const hits *h, size_t a, size_t b, size_t n,
                          size_t c)
{
    for (size_t i = a; i < b; i++)
        if (s->v[h->v[i].signal].category == (int)c && s->v[h->v[i].signal].weight > 0 &&
            h->v[i].clause == h->v[n].clause)
            return true;
    return false;
}

/* Whether the signal that negative hit n names as "unless" is in its clause,
 * outside n's own words ("two years ago tonight" is an anniversary, not now). */
static bool stopped(const lo_signals *s, const hits *h, size_t a, size_t b, size_t n)
{
    const lo_signal *neg = &s->v[h->v[n].signal];
    for (size_t i = a; i < b; i++) {
        bool inside = h->v[i].start >= h->v[n].start && h->v[i].end <= h->v[n].end;
        for (size_t u = 0; u < neg->nunless && !inside; u++)
            if ((int)h->v[i].signal == neg->unless[u] && h->v[i].clause == h->v[n].clause)
                return true;
    }
    return false;
}

/* Keeps the best rule match of category c among hits [a, b). */
static const lo_match *rule_match_of(const lo_signals *s, const hits *h, size_t a, size_t b,
                                     size_t c)
{
    const lo_match *best = NULL;
    for (size_t i = a; i < b; i++)
        if (h->v[i].match && s->v[h->v[i].signal].category == (int)c &&
            (!best || h->v[i].match->literal > best->literal))
            best = h->v[i].match;
    return best;
}

/* Whether a self hit ("i") lies in [from, to). */
static bool self_between(const lo_signals *s, const hits *h, size_t a, size_t b, uint16_t from,
                         uint16_t to)
{
    for (size_t k = a; k < b; k++)
        if (s->v[h->v[k].signal].self && h->v[k].start >= from && h->v[k].start < to)
            return true;
    return false;
}

/* Whether a hit of category c comes before hit r: then the danger was told
 * about the writer first ("I said no and he did not stop"). */
static bool own_hit_before(const lo_signals *s, const hits *h, size_t a, size_t r, size_t c)
{
    for (size_t i = a; i < r; i++)
        if (s->v[h->v[i].signal].category == (int)c && s->v[h->v[i].signal].weight > 0 &&
            h->v[i].start < h->v[r].start)
            return true;
    return false;
}

/* The category c becomes in window [a, b): another when a "someone else"
 * hit redirects it and comes before one of c's hits (and after none), with no
 * word for the writer between ("my sister wants to die", not "my mom yelled and i want to
 * die"). */
static int redirected(const lo_signals *s, const hits *h, size_t a, size_t b, size_t c)
{
    for (size_t r = a; r < b; r++) {
        const lo_signal *rs = &s->v[h->v[r].signal];
        if (!rs->redirects || rs->redirect[c] < 0 || own_hit_before(s, h, a, r, c))
            continue;
        for (size_t o = a; o < b; o++)
            if (s->v[h->v[o].signal].category == (int)c && s->v[h->v[o].signal].weight > 0 &&
                !h->v[o].in_rule && h->v[o].start >= h->v[r].end &&
                !self_between(s, h, a, b, h->v[r].end, h->v[o].end))
                return rs->redirect[c];
    }
    return (int)c;
}

/* The weight of the negative hits that reach category c of window [a, b):
 * those of its clauses, those that name c or no category, and those with
 * reach "window" from its sentences and the sentences next to them. */
static int negatives(const lo_signals *s, const hits *h, size_t a, size_t b, size_t c)
{
    int sum = 0;
    uint16_t lo = h->v[a].sentence, hi = h->v[b - 1].sentence;
    for (size_t i = 0; i < h->n; i++) {
        const lo_signal *neg = &s->v[h->v[i].signal];
        uint16_t sn = h->v[i].sentence;
        if (neg->weight >= 0 || neg->reach == LO_REACH_WORDS ||
            (neg->category >= 0 && neg->category != (int)c))
            continue;
        bool counted = false; /* once per signal */
        for (size_t j = 0; j < i && !counted; j++)
            counted = h->v[j].signal == h->v[i].signal && h->v[j].sentence + 1 >= lo &&
                      h->v[j].sentence <= hi + 1 &&
                      (neg->reach == LO_REACH_WINDOW || (j >= a && j < b));
        if (counted)
            continue;
        if (neg->reach == LO_REACH_WINDOW
                ? sn + 1 >= lo && sn <= hi + 1
                : i >= a && i < b && shares_clause(s, h, a, b, i, c) && !stopped(s, h, a, b, i))
            sum += neg->weight;
    }
    return sum;
}

/* Scores the hits [a, b) as one window; keeps it in out when it beats out. */
static void score_window(const lo_signals *s, const hits *h, size_t a, size_t b,
                         lo_risk_result *out)
{
    int own[LO_SIGNAL_CATEGORIES] = {0};
    int shared = 0;
    for (size_t i = a; i < b; i++) {
        if (seen_before(h, a, i) || h->v[i].in_rule)
            continue; /* a signal counts once however often it is said */
        const lo_signal *sig = &s->v[h->v[i].signal];
        if (sig->category >= 0 && sig->weight > 0)
            own[sig->category] += sig->weight;
        else if (sig->weight > 0)
            shared += sig->weight;
    }
    for (size_t c = 0; c < s->ncats; c++) {
        if (own[c] <= 0)
            continue;
        int score = own[c] + shared + negatives(s, h, a, b, c);
        int category = redirected(s, h, a, b, c);
        if (out->category >= 0 && score <= out->score)
            continue;
        out->score = score;
        out->category = category;
        out->rule_match = rule_match_of(s, h, a, b, (size_t)category);
        out->nhits = 0;
        for (size_t i = a; i < b && out->nhits < LO_RISK_HITS; i++)
            out->hits[out->nhits++] = h->v[i];
        out->from = h->v[a].start;
        out->to = h->v[b - 1].end;
    }
}

/* Sentence and clause numbers of each token: sentences as lo_sentence_end cuts them. */
static void number_clauses(const lo_engine *e, const lo_tokens *t, uint16_t *sentence,
                           uint16_t *clause)
{
    uint16_t sn = 0, cn = 0;
    for (size_t a = 0; a < t->n; a = lo_sentence_end(t, a)) {
        for (size_t i = a, b = lo_sentence_end(t, a); i < b; i++) {
            if (i > 0 && lo_normaliser_is_breaker(&e->norm, lo_token_word(t, i)) && cn < UINT16_MAX)
                cn++;
            sentence[i] = sn;
            clause[i] = cn;
        }
        if (sn < UINT16_MAX) {
            sn++;
            cn = (uint16_t)(cn < UINT16_MAX ? cn + 1 : cn);
        }
    }
}

/* The learned score, when it reaches the tiers' "model": its weight goes to
 * the category it finds likeliest, added to the signals of that category or
 * standing alone when it beats them. */
static void add_model(const lo_engine *e, const char *text, size_t len, lo_risk_result *out)
{
    const lo_signals *s = e->signals;
    if (!e->risk_model || s->model_at <= 0 || !text)
        return;
    /* the features that carried it and the likeliest category are worked out
     * only for a message that reaches the threshold: most never do */
    out->model_p = lo_risk_score(e->risk_model, text, len, NULL);
    if (out->model_p < s->model_at)
        return;
    lo_risk_score(e->risk_model, text, len, &out->model_why);
    if (!out->model_why.category)
        return;
    int c = -1;
    for (size_t k = 0; k < s->ncats && c < 0; k++)
        if (strcmp(s->cats[k], out->model_why.category) == 0)
            c = (int)k;
    if (c < 0)
        return;
    out->model_counted = true;
    if (out->category == c) {
        out->score += s->model_weight;
    } else if (out->category < 0 || s->model_weight > out->score) {
        out->category = c;
        out->score = s->model_weight;
        out->nhits = 0;
        out->rule_match = NULL;
    } else {
        out->model_counted = false;
    }
}

void lo_signals_score(const lo_engine *e, const lo_tokens *t, const lo_matches *m, const char *text,
                      size_t len, lo_risk_result *out)
{
    memset(out, 0, sizeof *out);
    out->category = -1;
    out->model_p = -1;
    const lo_signals *s = e->signals;
    if (!s || !s->has_tiers || t->n == 0)
        return;
    hits *h = lo_xcalloc(1, sizeof *h);
    find_word_hits(e, t, m, h, out);
    add_rule_hits(e, t, m, h, out);
    mark_counted_twice(s, h);
    drop_idioms(s, h);
    qsort(h->v, h->n, sizeof *h->v, cmp_hits);
    uint16_t *sentence = lo_xcalloc(t->n, sizeof *sentence);
    uint16_t *clause = lo_xcalloc(t->n, sizeof *clause);
    number_clauses(e, t, sentence, clause);
    for (size_t i = 0; i < h->n; i++) {
        h->v[i].clause = clause[h->v[i].start];
        h->v[i].sentence = sentence[h->v[i].start];
    }
    /* windows: each sentence alone, then with the next one */
    for (size_t a = 0; a < h->n;) {
        uint16_t first = sentence[h->v[a].start];
        size_t b = a;
        while (b < h->n && sentence[h->v[b].start] == first)
            b++;
        score_window(s, h, a, b, out);
        size_t c = b;
        while (c < h->n && sentence[h->v[c].start] == first + 1)
            c++;
        if (c > b)
            score_window(s, h, a, c, out);
        a = b;
    }
    add_model(e, text, len, out);
    if (out->category >= 0)
        out->tier = out->score >= s->crisis_at     ? LO_TIER_CRISIS
                    : out->score >= s->check_in_at ? LO_TIER_CHECK_IN
                                                   : LO_TIER_NONE;
    free(sentence);
    free(clause);
    free(h);
}

int lo_signals_category_by_hash(const lo_signals *s, uint64_t h)
{
    for (size_t c = 0; s && c < s->ncats; c++)
        if (lo_hash(s->cats[c], strlen(s->cats[c])) == h)
            return (int)c;
    return -1;
}
