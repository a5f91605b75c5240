/* engine.c - the flow of one message through the engine:
 *
 *   tokens -> every candidate pattern tried -> the stages in order: safety
 *   first (crisis rules, minus matches whose words an idiom guard spells
 *   out) -> the active flow -> an accepted followup -> the best ordinary
 *   rule, else the fallback.
 *
 * Precedence among rule matches is one total order (match_compare): priority, then words matched literally, then fewer words under inner '*',
 * then the rule id's alphabetical rank, then the pattern's position. File
 * order never decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

void lo_reply_clear(lo_reply *reply)
{
    if (!reply)
        return;
    free(reply->text);
    reply->text = NULL;
}

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
        for (int found = 0; found < MAX_MATCHES_PER_PATTERN &&
                            lo_pattern_match(p, toks, from, &m); found++) {
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

static void set_reply(lo_reply *out, char *text, const char *rule_id, const char *category,
                      lo_reply_source source)
{
    out->text = text;
    snprintf(out->rule_id, sizeof out->rule_id, "%s", rule_id ? rule_id : "");
    snprintf(out->category, sizeof out->category, "%s", category ? category : "");
    out->crisis = strncmp(out->category, "crisis-", 7) == 0;
    out->source = source;
}

static void answer_with_rule(const lo_engine *e, lo_session *conv, const lo_rule *r,
                             const lo_message *msg, const lo_tokens *toks, const lo_match *m,
                             const lo_reply_options *opts, lo_reply *out)
{
    if (r->flow >= 0) {
        lo_strbuf b = {0};
        lo_flow_start(e, conv, r->flow, &b);
        set_reply(out, lo_strbuf_take(&b), r->id, r->category, LO_SOURCE_FLOW);
        return;
    }
    const char *tmpl = lo_pick(conv, r->id_hash, r->replies, r->nreplies);
    char *text = lo_reply_render(e, tmpl, msg, toks, m, opts ? opts->region : NULL, r->crisis,
                                 r->domestic_lines);
    set_reply(out, text, r->id, r->category, r->crisis ? LO_SOURCE_SAFETY : LO_SOURCE_RULE);
    out->alert_moderators = r->crisis;
    if (r->feedback && conv && conv->last_rule[0]) {
        out->feedback = r->feedback;
        snprintf(out->feedback_on, sizeof out->feedback_on, "%s", conv->last_rule);
    }
    if (conv)
        conv->followup_hash = r->followup ? lo_hash(r->followup, strlen(r->followup)) : 0;
}

static const lo_rule *rule_by_hash(const lo_engine *e, uint64_t h)
{
    for (size_t i = 0; i < e->nrules; i++) /* only after an offer was accepted */
        if (e->rules[i].id_hash == h)
            return &e->rules[i];
    return NULL;
}

static const char *const builtin_fallback =
    "I'm here and listening. Could you tell me a little more about what's on your mind? "
    "You can also say help to see what I can do.";

static void fallback(const lo_engine *e, lo_session *conv, const lo_message *msg,
                     const lo_tokens *toks, const lo_reply_options *opts, lo_reply *out)
{
    if (e->fallback_rule >= 0) {
        const lo_rule *r = &e->rules[e->fallback_rule];
        answer_with_rule(e, conv, r, msg, toks, NULL, opts, out);
    } else {
        set_reply(out, lo_xstrdup(builtin_fallback), "", "fallback", LO_SOURCE_FALLBACK);
    }
    out->source = LO_SOURCE_FALLBACK;
    if (strcmp(out->category, "fallback") != 0)
        snprintf(out->category, sizeof out->category, "fallback");
}

static void remember(lo_session *conv, const lo_reply *out)
{
    if (conv)
        snprintf(conv->last_rule, sizeof conv->last_rule, "%s", out->rule_id);
}

/* ---- the stages ----
 * One message goes through the stages in order until one answers. Each sees
 * the same turn (the tokens and every pattern match, computed once); a new
 * stage (a safety scorer, an asking fallback) is one function and one line
 * in `stages`, and touches no other stage. */

typedef struct turn {
    const lo_engine *e;
    lo_session *conv; /* NULL: a one-off message (match, check, canaries) */
    const lo_message *msg;
    const lo_reply_options *opts;
    lo_tokens toks;
    lo_matches m;
} turn;

/* Crisis rules first, always: nothing outranks them. */
static bool crisis_stage(turn *t, lo_reply *out)
{
    const lo_match *best = lo_best_crisis(t->e, &t->m, &t->toks);
    if (!best)
        return false;
    answer_with_rule(t->e, t->conv, lo_rule_of(t->e, best), t->msg, &t->toks, best, t->opts, out);
    if (t->conv && t->conv->flow_hash)
        t->conv->flow_paused = true; /* the flow waits; the person comes first */
    return true;
}

/* The guided flow the person is in, if any. */
static bool flow_stage(turn *t, lo_reply *out)
{
    return t->conv && t->conv->flow_hash &&
           lo_flow_handle(t->e, t->conv, t->msg, &t->toks, &t->m, out);
}

/* A "yes" to the followup the last reply offered. */
static bool followup_stage(turn *t, lo_reply *out)
{
    if (!t->conv || !t->conv->followup_hash)
        return false;
    uint64_t followup = t->conv->followup_hash;
    t->conv->followup_hash = 0;
    if (lo_answer_kind(t->e, &t->m) != LO_ANSWER_YES)
        return false;
    const lo_rule *r = rule_by_hash(t->e, followup);
    if (!r)
        return false;
    answer_with_rule(t->e, t->conv, r, t->msg, &t->toks, NULL, t->opts, out);
    return true;
}

/* The best ordinary rule, else the fallback: this stage always answers. */
static bool rule_stage(turn *t, lo_reply *out)
{
    const lo_match *best = lo_best_rule(t->e, &t->m);
    if (best)
        answer_with_rule(t->e, t->conv, lo_rule_of(t->e, best), t->msg, &t->toks, best, t->opts,
                         out);
    else
        fallback(t->e, t->conv, t->msg, &t->toks, t->opts, out);
    return true;
}

static bool (*const stages[])(turn *, lo_reply *) = {crisis_stage, flow_stage, followup_stage,
                                                     rule_stage};

void lo_engine_reply(const lo_engine *e, lo_session *conv, const lo_message *msg,
                     const lo_reply_options *opts, lo_reply *out)
{
    memset(out, 0, sizeof *out);
    turn t = {.e = e, .conv = conv, .msg = msg, .opts = opts};
    lo_engine_tokenise(e, msg->text, msg->text ? msg->text_len : 0, &t.toks);
    lo_engine_match_all(e, &t.toks, &t.m);
    for (size_t i = 0; i < sizeof stages / sizeof *stages; i++)
        if (stages[i](&t, out))
            break;
    remember(conv, out);
    lo_matches_free(&t.m);
    lo_tokens_free(&t.toks);
}
