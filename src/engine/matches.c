/* matches.c - every pattern match of a message, and choosing among them.
 *
 * Precedence among rule matches is one total order (match_compare):
 * priority, then words matched literally, then fewer words under inner '*',
 * then the rule id's alphabetical rank, then the pattern's position. File
 * order never decides. An idiom guard cancels a crisis match only when its
 * own literal words include every word the crisis match matched literally.
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

void lo_engine_match_all(const lo_engine *e, const lo_tokens *toks, lo_matches *out)
{
    out->n = 0;
    out->ncand = lo_index_candidates(&e->index, toks, &out->cand, &out->candcap);
    for (size_t i = 0; i < out->ncand; i++) {
        const lo_pattern *p = &e->patterns[out->cand[i]];
        /* crisis patterns report every place they match, so that a guard on
         * one ("I ran 5 kms") cannot hide another ("... and honestly kms") */
        bool every = p->owner_kind == LO_OWNER_RULE && e->rules[p->owner].crisis;
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
