/* matches.c - every pattern match of a message, and choosing among them.
 *
 * Precedence among rule matches is one total order (match_compare):
 * priority, then words matched literally, then fewer words under inner '*',
 * then the rule id's alphabetical rank, then the pattern's position. File
 * order never decides. An idiom guard cancels a crisis match only when its
 * own literal words include every word the crisis match matched literally.
 *
 * A message of several sentences is matched twice: whole, as one text, and
 * each sentence alone for the ordinary rules (a '^' or '$' then reads the
 * sentence's edges, and no '*' reaches into the next sentence), so a
 * sentence that would match alone matches inside a long message too. Every
 * match knows its sentence. Both passes go through the trigger index, so the
 * cost stays linear in the message's length.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/index.h"
#include "engine/matches.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/set.h"
#include "engine/text.h"
#include "leanon/engine.h"
#include "common/buf.h"

void lo_matches_free(lo_matches *m)
{
    free(m->v);
    free(m->cand);
    memset(m, 0, sizeof *m);
}

#define MAX_MATCHES_PER_PATTERN 16

/* Adds the matches of the candidate patterns on toks (all of them, or only the ordinary
 * rules' when rules_only). */
static void match_candidates(const lo_engine *e, const lo_tokens *toks, bool rules_only,
                             lo_matches *out)
{
    out->ncand = lo_index_candidates(&e->index, toks, &out->cand, &out->candcap);
    for (size_t i = 0; i < out->ncand; i++) {
        const lo_pattern *p = &e->patterns[out->cand[i]];
        bool rule = p->owner_kind == LO_OWNER_RULE;
        if (rules_only && (!rule || e->rules[p->owner].crisis))
            continue;
        /* crisis patterns report every place they match, so that a guard on
         * one ("I ran 5 kms") cannot hide another ("... and honestly kms") */
        bool every = rule && e->rules[p->owner].crisis;
        lo_match m;
        size_t from = 0;
        for (int found = 0; found < MAX_MATCHES_PER_PATTERN && lo_pattern_match(p, toks, from, &m);
             found++) {
            m.pattern = out->cand[i];
            lo_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
            out->v[out->n++] = m;
            if (!every)
                break;
            from = (size_t)m.start + 1;
        }
    }
}

/* Moves the matches from index first on by off words: from a sentence's words to the
 * message's, and tells them their sentence. */
static void shift_matches(lo_matches *m, size_t first, uint16_t off, uint16_t sentence)
{
    for (size_t i = first; i < m->n; i++) {
        lo_match *k = &m->v[i];
        k->start = (uint16_t)(k->start + off);
        k->end = (uint16_t)(k->end + off);
        k->echo_start = (uint16_t)(k->echo_start + off);
        k->echo_end = (uint16_t)(k->echo_end + off);
        for (uint16_t r = 0; r < k->nruns; r++) {
            k->run_start[r] = (uint16_t)(k->run_start[r] + off);
            k->run_end[r] = (uint16_t)(k->run_end[r] + off);
        }
        k->sentence = sentence;
    }
}

/* A whole-message match by where it starts, so each sentence finds its own in one range. */
typedef struct by_start {
    uint16_t start;
    uint32_t at; /* index in lo_matches.v */
} by_start;

static int cmp_by_start(const void *a, const void *b)
{
    const by_start *x = a, *y = b;
    return x->start != y->start ? (x->start < y->start ? -1 : 1)
                                : (x->at > y->at) - (x->at < y->at);
}

/* True if k repeats a match of the same pattern on the same words among v[order[from, to)]. */
static bool already_found(const lo_matches *m, const by_start *order, size_t from, size_t to,
                          const lo_match *k)
{
    for (size_t i = from; i < to; i++) {
        const lo_match *w = &m->v[order[i].at];
        if (w->pattern == k->pattern && w->start == k->start && w->end == k->end)
            return true;
    }
    return false;
}

/* The sentence of each whole-message match, and every ordinary rule's match on each
 * sentence alone that the whole message did not find already. */
static void match_each_sentence(const lo_engine *e, const lo_tokens *toks, lo_matches *out)
{
    size_t whole = out->n, ncand = out->ncand;
    by_start *order = lo_xcalloc(whole ? whole : 1, sizeof *order);
    for (size_t i = 0; i < whole; i++)
        order[i] = (by_start){out->v[i].start, (uint32_t)i};
    qsort(order, whole, sizeof *order, cmp_by_start);
    size_t o = 0;
    uint16_t sn = 0;
    for (size_t a = 0; a < toks->n; a = lo_sentence_end(toks, a), sn++) {
        size_t b = lo_sentence_end(toks, a), from = o;
        for (; o < whole && order[o].start < b; o++) {
            lo_match *k = &out->v[order[o].at];
            k->sentence = k->end <= b ? sn : LO_MATCH_SENTENCES;
        }
        if (a == 0 && b == toks->n)
            break; /* one sentence: the whole message was it */
        lo_tokens one = *toks;
        one.v = toks->v + a;
        one.n = b - a;
        size_t first = out->n;
        match_candidates(e, &one, true, out);
        shift_matches(out, first, (uint16_t)a, sn);
        size_t kept = first;
        for (size_t i = first; i < out->n; i++)
            if (!already_found(out, order, from, o, &out->v[i]))
                out->v[kept++] = out->v[i];
        out->n = kept;
        ncand += out->ncand;
    }
    out->ncand = ncand;
    free(order);
}

void lo_engine_match_all(const lo_engine *e, const lo_tokens *toks, lo_matches *out)
{
    out->n = 0;
    match_candidates(e, toks, false, out);
    match_each_sentence(e, toks, out);
}

void lo_engine_tokenise(const lo_engine *e, const char *text, size_t len, lo_tokens *toks)
{
    lo_text_tokenise(&e->norm, &e->vocab, e->typos, text, len, toks);
}

const lo_rule *lo_rule_of(const lo_engine *e, const lo_match *m)
{
    const lo_pattern *p = &e->patterns[m->pattern];
    return p->owner_kind == LO_OWNER_RULE ? &e->rules[p->owner] : NULL;
}

/* Compares two rule matches by precedence: < 0 if a wins. */
static int match_compare(const lo_engine *e, const lo_match *a, const lo_match *b)
{
    const lo_rule *ra = lo_rule_of(e, a), *rb = lo_rule_of(e, b);
    if (ra->priority != rb->priority)
        return ra->priority > rb->priority ? -1 : 1;
    if (a->literal != b->literal)
        return a->literal > b->literal ? -1 : 1;
    if (a->wildcard != b->wildcard)
        return a->wildcard < b->wildcard ? -1 : 1;
    if (ra->id_rank != rb->id_rank)
        return ra->id_rank < rb->id_rank ? -1 : 1;
    return a->pattern < b->pattern ? -1 : a->pattern > b->pattern;
}

/* True if every word crisis matched literally lies inside one run of words
 * that guard matched literally. The words under a guard's '*' explain
 * nothing: "used to cut ... clean" must not hide "kill myself" between. */
static bool guard_explains(const lo_match *guard, const lo_match *crisis)
{
    for (uint16_t c = 0; c < crisis->nruns; c++) {
        bool inside = false;
        for (uint16_t g = 0; g < guard->nruns && !inside; g++)
            inside = guard->run_start[g] <= crisis->run_start[c] &&
                     crisis->run_end[c] <= guard->run_end[g];
        if (!inside)
            return false;
    }
    return crisis->nruns > 0;
}

const lo_guard *lo_guard_covering(const lo_engine *e, const lo_matches *m, const lo_match *crisis)
{
    for (size_t i = 0; i < m->n; i++) {
        const lo_match *g = &m->v[i];
        const lo_pattern *p = &e->patterns[g->pattern];
        if (p->owner_kind == LO_OWNER_GUARD && guard_explains(g, crisis))
            return &e->guards[p->owner];
    }
    return NULL;
}

static const lo_match *best_of(const lo_engine *e, const lo_matches *m, bool crisis,
                               const lo_tokens *t)
{
    const lo_match *best = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const lo_rule *r = lo_rule_of(e, &m->v[i]);
        if (!r || r->crisis != crisis)
            continue;
        if (crisis && t && lo_guard_covering(e, m, &m->v[i]))
            continue;
        if (!best || match_compare(e, &m->v[i], best) < 0)
            best = &m->v[i];
    }
    return best;
}

const lo_match *lo_best_crisis(const lo_engine *e, const lo_matches *m, const lo_tokens *t)
{
    return best_of(e, m, true, t);
}

const lo_match *lo_best_rule(const lo_engine *e, const lo_matches *m)
{
    return best_of(e, m, false, NULL);
}

/* Words a match must have matched literally to count as a strong theme beside another. */
#define ALSO_MIN_WORDS 2

const lo_match *lo_also_rule(const lo_engine *e, const lo_matches *m, const lo_match *winner)
{
    const lo_rule *w = lo_rule_of(e, winner);
    if (winner->literal < ALSO_MIN_WORDS)
        return NULL;
    const lo_match *best = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const lo_match *k = &m->v[i];
        const lo_rule *r = lo_rule_of(e, k);
        if (!r || r->crisis || r->also.in[0].n == 0 || strcmp(r->category, w->category) == 0 ||
            k->literal < ALSO_MIN_WORDS || k->sentence == LO_MATCH_SENTENCES ||
            k->sentence == winner->sentence || (k->start < winner->end && winner->start < k->end))
            continue;
        if (!best || match_compare(e, k, best) < 0)
            best = k;
    }
    return best;
}
