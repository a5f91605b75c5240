/* explain.c - shows moderators why a message gets the reply it gets: the
 * normalised words (negated, stretched, typo-corrected, read through the leet
 * map or joined from spelled-out letters), every pattern that
 * matched with its score, which stage won, why each other match lost, and
 * which idiom guard cancelled a crisis match, and the message's language; for a
 * message of several sentences, the sentence of each match and the one that carried the
 * answer, and the "also" theme beside it; when no rule matched, what the learned
 * topic score found (the likeliest categories, the margin, the thresholds and the
 * features that carried it) and whether it answered.
 * Text for people, JSON for tools.
 * It works on a copy of the conversation, so explaining changes nothing. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/flow.h"
#include "engine/matches.h"
#include "engine/near.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/session.h"
#include "engine/text.h"
#include "engine/texts.h"
#include "engine/vocab.h"
#include "engine/language.h"
#include "engine/signals.h"
#include "engine/topic_model.h"
#include "engine/set.h"
#include "leanon/tools.h"
#include "leanon/engine.h"
#include "common/buf.h"

/* Why match m lost to the winner w (both ordinary or both crisis rules). */
static const char *why_lost(const lo_engine *e, const lo_match *m, const lo_match *w)
{
    const lo_rule *a = lo_rule_of(e, m), *b = lo_rule_of(e, w);
    if (a == b)
        return "another pattern of the same rule matched better";
    if (a->crisis != b->crisis)
        return b->crisis ? "crisis rules always come first" : "crisis rule cancelled";
    if (a->priority != b->priority)
        return "lower priority";
    if (m->literal != w->literal)
        return "fewer words matched";
    if (m->wildcard != w->wildcard)
        return "more words under '*'";
    return "tie at the same score: decided by rule id order";
}

static json_t *token_json(const lo_engine *e, const lo_tokens *t, size_t i)
{
    const lo_token *k = &t->v[i];
    json_t *o = json_pack("{ss}", "word", lo_token_word(t, i));
    if (k->negated)
        json_object_set_new(o, "negated", json_true());
    if (k->alt_id && !k->id)
        json_object_set_new(o, "stretched", json_string(e->vocab.words[k->alt_id]));
    if (k->typo_id && !k->id && !k->alt_id)
        json_object_set_new(o, "typo_of", json_string(e->vocab.words[k->typo_id]));
    if (k->rewrite)
        json_object_set_new(o, k->rewrite == LO_REWRITE_LEET ? "leet" : "joined",
                            json_string(lo_token_orig(t, i)));
    return o;
}

static const char *const tier_names[] = {"none", "check-in", "crisis"};

/* The signals of the window that decided the tier, their weights, and the
 * guards that cancelled signal words or crisis matches. */
static json_t *risk_json(const lo_engine *e, const lo_tokens *toks, const lo_risk_result *rk)
{
    const lo_signals *s = e->signals; /* never NULL once loaded (lo_signals_finish) */
    json_t *o = json_object();
    json_object_set_new(o, "tier", json_string(tier_names[rk->tier]));
    json_object_set_new(o, "score", json_integer(rk->score));
    json_object_set_new(o, "category",
                        rk->category >= 0 ? json_string(s->cats[rk->category]) : json_null());
    json_object_set_new(o, "thresholds",
                        json_pack("{sisi}", "check_in", s->check_in_at, "crisis", s->crisis_at));
    json_t *hits = json_array();
    for (size_t i = 0; i < rk->nhits; i++) {
        const lo_signal_hit *h = &rk->hits[i];
        const lo_signal *sig = &s->v[h->signal];
        lo_strbuf words = {0};
        for (size_t k = h->start; k < h->end && k < toks->n; k++)
            lo_strbuf_addf(&words, "%s%s", k > h->start ? " " : "", lo_token_word(toks, k));
        json_t *hj = json_pack("{sssiss}", "signal", sig->id, "weight", sig->weight, "words",
                               words.data ? words.data : "");
        if (sig->category >= 0)
            json_object_set_new(hj, "category", json_string(s->cats[sig->category]));
        if (h->match)
            json_object_set_new(hj, "rule", json_string(lo_rule_of(e, h->match)->id));
        json_array_append_new(hits, hj);
        lo_strbuf_free(&words);
    }
    json_object_set_new(o, "signals", hits);
    json_t *guards = json_array();
    for (size_t i = 0; i < rk->nguards; i++)
        json_array_append_new(guards, json_string(rk->guards[i]->id));
    json_object_set_new(o, "guards", guards);
    if (rk->model_p >= 0) {
        json_t *mj = json_pack("{sfsb}", "probability", rk->model_p, "counted", rk->model_counted);
        if (rk->model_why.category)
            json_object_set_new(mj, "category", json_string(rk->model_why.category));
        if (rk->model_counted)
            json_object_set_new(mj, "weight", json_integer(s->model_weight));
        json_t *feats = json_array();
        for (size_t i = 0; i < rk->model_why.ntop; i++)
            json_array_append_new(feats, json_pack("{sssf}", "feature", rk->model_why.top[i].text,
                                                   "weight", rk->model_why.top[i].weight));
        json_object_set_new(mj, "features", feats);
        json_object_set_new(o, "model", mj);
    }
    return o;
}

static void print_risk(json_t *risk, FILE *out)
{
    fprintf(out, "signals:");
    json_t *h;
    size_t i;
    json_array_foreach (json_object_get(risk, "signals"), i, h) {
        const char *rule = json_string_value(json_object_get(h, "rule"));
        fprintf(out, " %s%s(%+lld) \"%s\"", rule ? "rule " : "",
                rule ? rule : json_string_value(json_object_get(h, "signal")),
                json_integer_value(json_object_get(h, "weight")),
                json_string_value(json_object_get(h, "words")));
    }
    if (!json_array_size(json_object_get(risk, "signals")))
        fprintf(out, " none");
    json_array_foreach (json_object_get(risk, "guards"), i, h)
        fprintf(out, "%s%s", i ? ", " : "\n  guards that cancelled words: ", json_string_value(h));
    json_t *model = json_object_get(risk, "model");
    if (model) {
        fprintf(out, "\n  learned score: %.2f",
                json_real_value(json_object_get(model, "probability")));
        if (json_is_true(json_object_get(model, "counted")))
            fprintf(out, " (counted: %+lld)", json_integer_value(json_object_get(model, "weight")));
        json_array_foreach (json_object_get(model, "features"), i, h)
            fprintf(out, "%s%s %+.2f", i ? ", " : "; from ",
                    json_string_value(json_object_get(h, "feature")),
                    json_real_value(json_object_get(h, "weight")));
    }
    json_t *th = json_object_get(risk, "thresholds");
    const char *cat = json_string_value(json_object_get(risk, "category"));
    fprintf(out, "\ntier: %s (score %lld%s%s; check-in from %lld, crisis from %lld)\n",
            json_string_value(json_object_get(risk, "tier")),
            json_integer_value(json_object_get(risk, "score")), cat ? ", " : "", cat ? cat : "",
            json_integer_value(json_object_get(th, "check_in")),
            json_integer_value(json_object_get(th, "crisis")));
}

/* The message's language and the words of each language found. */
static json_t *language_json(const lo_engine *e, const lo_tokens *toks)
{
    lo_language_guess g;
    lo_language_guess_of(e, toks, &g);
    json_t *o = json_object(), *counts = json_object();
    json_object_set_new(o, "code", json_string(lo_language_code(e, g.lang)));
    json_object_set_new(o, "decided", json_boolean(g.decided));
    for (size_t k = 0; k < LO_LANGUAGES_MAX; k++)
        if (g.count[k])
            json_object_set_new(counts, lo_language_code(e, (int)k), json_integer(g.count[k]));
    json_object_set_new(o, "words", counts);
    return o;
}

static void print_language(json_t *lang, FILE *out)
{
    json_t *counts = json_object_get(lang, "words");
    fprintf(out, "language: %s (", json_string_value(json_object_get(lang, "code")));
    if (json_object_size(counts) == 0)
        fprintf(out, "no word of a language found, so English");
    const char *code;
    json_t *n;
    size_t i = 0;
    json_object_foreach (counts, code, n)
        fprintf(out, "%s%s %lld", i++ ? ", " : "words found: ", code, json_integer_value(n));
    if (json_object_size(counts) && !json_is_true(json_object_get(lang, "decided")))
        fprintf(out, "; a tie, so English");
    fprintf(out, ")\n");
}

/* The rule fields of one match: the rule, its score parts, and what became of it. */
static void rule_match_json(const lo_engine *e, const lo_matches *ms, const lo_match *m,
                            const lo_match *crisis, const lo_match *rule, json_t *o)
{
    const lo_rule *ru = &e->rules[e->patterns[m->pattern].owner];
    json_object_set_new(o, "rule", json_string(ru->id));
    json_object_set_new(o, "category", json_string(ru->category));
    json_object_set_new(o, "priority", json_integer(ru->priority));
    json_object_set_new(o, "words_matched", json_integer(m->literal));
    json_object_set_new(o, "wildcard_words", json_integer(m->wildcard));
    if (m->typos)
        json_object_set_new(o, "typos", json_integer(m->typos));
    const lo_guard *g = ru->crisis ? lo_guard_covering(e, ms, m) : NULL;
    const char *guard = g ? g->id : NULL;
    const lo_match *winner = crisis ? crisis : rule;
    if (guard)
        json_object_set_new(o, "cancelled_by_guard", json_string(guard));
    else if (m == crisis || (m == rule && !crisis))
        json_object_set_new(o, "outcome", json_string("candidate winner"));
    else if (winner)
        json_object_set_new(o, "lost", json_string(why_lost(e, m, winner)));
}

/* One match: its pattern, the words it covered, and its guard, answer or rule. */
static json_t *match_json(const lo_engine *e, const lo_tokens *toks, const lo_matches *ms,
                          const lo_match *m, const lo_match *crisis, const lo_match *rule)
{
    const lo_pattern *p = &e->patterns[m->pattern];
    json_t *o = json_object();
    lo_strbuf span = {0};
    for (size_t k = m->start; k < m->end; k++)
        lo_strbuf_addf(&span, "%s%s", k > m->start ? " " : "", lo_token_word(toks, k));
    json_object_set_new(o, "pattern", json_string(p->source));
    json_object_set_new(o, "matched", json_string(span.data ? span.data : ""));
    lo_strbuf_free(&span);
    if (lo_sentence_end(toks, 0) < toks->n) /* a message of several sentences */
        json_object_set_new(o, "sentence",
                            m->sentence == LO_MATCH_SENTENCES ? json_string("several")
                                                              : json_integer(m->sentence + 1));
    if (p->owner_kind == LO_OWNER_GUARD)
        json_object_set_new(o, "guard", json_string(e->guards[p->owner].id));
    else if (p->owner_kind == LO_OWNER_ANSWER)
        json_object_set_new(o, "answer", json_string(lo_answer_names[p->owner]));
    else
        rule_match_json(e, ms, m, crisis, rule, o);
    return o;
}

static const char *const stage_names[] = {"safety", "flow", "rule", "fallback"};

/* The sentence of a long message that carried match m: its number and its words. */
static json_t *sentence_json(const lo_tokens *toks, const lo_match *m)
{
    size_t a = 0, n = 0;
    while (n < m->sentence && a < toks->n) {
        a = lo_sentence_end(toks, a);
        n++;
    }
    size_t b = m->sentence == LO_MATCH_SENTENCES ? m->end : lo_sentence_end(toks, a);
    if (m->sentence == LO_MATCH_SENTENCES)
        a = m->start;
    lo_strbuf words = {0};
    for (size_t k = a; k < b; k++)
        lo_strbuf_addf(&words, "%s%s", k > a ? " " : "", lo_token_word(toks, k));
    json_t *o = json_pack("{ss}", "words", words.data ? words.data : "");
    json_object_set_new(o, "sentence",
                        m->sentence == LO_MATCH_SENTENCES ? json_string("several")
                                                          : json_integer(m->sentence + 1));
    lo_strbuf_free(&words);
    return o;
}

/* What the topic score found for a message no rule matched, and whether it answered. */
/* A file of the set by its folder and name ("rules/topic-model.json"), the same wherever the
 * set is, so explain's output does not depend on where it was loaded from. */
static const char *within_set(const char *path)
{
    const char *last = strrchr(path, '/');
    if (!last)
        return path;
    const char *folder = last;
    while (folder > path && folder[-1] != '/')
        folder--;
    return folder;
}

static json_t *topic_json(const lo_engine *e, const char *text, const lo_reply *r)
{
    const lo_topic_model *m = e->topic_model;
    lo_topic_guess g;
    lo_topic_score(m, text, strlen(text), true, &g);
    json_t *likeliest = json_array();
    for (size_t i = 0; i < g.nranked && i < 3; i++)
        json_array_append_new(
            likeliest, json_pack("{sssf}", "category", m->classes[g.ranked[i]].name, "p", g.p[i]));
    json_t *features = json_array();
    for (size_t i = 0; i < g.ntop; i++)
        json_array_append_new(
            features, json_pack("{sssf}", "feature", g.top[i].text, "weight", g.top[i].weight));
    const char *route = lo_topic_route(m, &e->topic_routing, &g);
    bool routed = r->source == LO_SOURCE_RULE && route && strcmp(route, r->rule_id) == 0;
    return json_pack("{sssososfsfsfsb}", "model", within_set(m->file), "likeliest", likeliest,
                     "features", features, "margin", g.nranked > 1 ? g.p[0] - g.p[1] : g.p[0],
                     "threshold", e->topic_routing.threshold, "margin_needed",
                     e->topic_routing.margin, "answered", routed);
}

static void print_topic(json_t *topic, FILE *out)
{
    fprintf(out, "topic score (%s):", json_string_value(json_object_get(topic, "model")));
    json_t *o;
    size_t i;
    json_array_foreach (json_object_get(topic, "likeliest"), i, o)
        fprintf(out, "%s %s %.2f", i ? "," : "", json_string_value(json_object_get(o, "category")),
                json_real_value(json_object_get(o, "p")));
    fprintf(out, "; margin %.2f; answers at >= %.2f with a margin >= %.2f: %s\n",
            json_real_value(json_object_get(topic, "margin")),
            json_real_value(json_object_get(topic, "threshold")),
            json_real_value(json_object_get(topic, "margin_needed")),
            json_is_true(json_object_get(topic, "answered")) ? "answered with its rule"
                                                             : "not sure enough, not answered");
    fprintf(out, "  carried by:");
    json_array_foreach (json_object_get(topic, "features"), i, o)
        fprintf(out, "%s %s %+.2f", i ? "," : "", json_string_value(json_object_get(o, "feature")),
                json_real_value(json_object_get(o, "weight")));
    fputc('\n', out);
}

/* The whole explanation as one JSON object, the reply r included. */
static json_t *explain_json(const lo_engine *e, const char *text, const lo_tokens *toks,
                            const lo_matches *ms, const lo_risk_result *rk, const lo_reply *r)
{
    const lo_match *crisis = lo_best_crisis(e, ms, toks);
    const lo_match *rule = lo_best_rule(e, ms);
    json_t *root = json_object();
    json_t *words = json_array();
    for (size_t i = 0; i < toks->n; i++)
        json_array_append_new(words, token_json(e, toks, i));
    json_object_set_new(root, "words", words);
    json_object_set_new(root, "candidates", json_integer((json_int_t)ms->ncand));
    json_t *matches = json_array();
    for (size_t i = 0; i < ms->n; i++)
        json_array_append_new(matches, match_json(e, toks, ms, &ms->v[i], crisis, rule));
    json_object_set_new(root, "matches", matches);
    json_object_set_new(root, "risk", risk_json(e, toks, rk));
    json_object_set_new(root, "language", language_json(e, toks));
    json_object_set_new(root, "rule", r->rule_id[0] ? json_string(r->rule_id) : json_null());
    json_object_set_new(root, "category", json_string(r->category));
    json_object_set_new(root, "crisis", json_boolean(r->crisis));
    json_object_set_new(root, "stage", json_string(stage_names[r->source]));
    if (r->also_category[0])
        json_object_set_new(root, "also", json_string(r->also_category));
    if (rule && r->source == LO_SOURCE_RULE && strcmp(r->rule_id, lo_rule_of(e, rule)->id) == 0 &&
        lo_sentence_end(toks, 0) < toks->n)
        json_object_set_new(root, "carried_by", sentence_json(toks, rule));
    if (!rule && e->topic_model && (r->source == LO_SOURCE_RULE || r->source == LO_SOURCE_FALLBACK))
        json_object_set_new(root, "topic", topic_json(e, text, r));
    return root;
}

static void print_words(const lo_engine *e, const lo_tokens *toks, FILE *out)
{
    fprintf(out, "words:");
    for (size_t i = 0; i < toks->n; i++) {
        const lo_token *k = &toks->v[i];
        fprintf(out, " %s%s", k->negated ? "~" : "", lo_token_word(toks, i));
        if (k->typo_id && !k->id && !k->alt_id)
            fprintf(out, "(typo of %s)", e->vocab.words[k->typo_id]);
        if (k->rewrite)
            fprintf(out, "(%s %s)", k->rewrite == LO_REWRITE_LEET ? "leet" : "joined from",
                    lo_token_orig(toks, i));
    }
}

/* One line of a match (an element of explain_json's "matches"). */
static void print_match(json_t *o, FILE *out)
{
    const char *rid = json_string_value(json_object_get(o, "rule"));
    if (rid)
        fprintf(out,
                "  rule %s [%s] priority %lld, %lld words, %lld under *: \"%s\" "
                "matched \"%s\"",
                rid, json_string_value(json_object_get(o, "category")),
                json_integer_value(json_object_get(o, "priority")),
                json_integer_value(json_object_get(o, "words_matched")),
                json_integer_value(json_object_get(o, "wildcard_words")),
                json_string_value(json_object_get(o, "pattern")),
                json_string_value(json_object_get(o, "matched")));
    else
        fprintf(out, "  %s %s: \"%s\" matched \"%s\"",
                json_object_get(o, "guard") ? "guard" : "answer",
                json_string_value(json_object_get(o, "guard"))
                    ? json_string_value(json_object_get(o, "guard"))
                    : json_string_value(json_object_get(o, "answer")),
                json_string_value(json_object_get(o, "pattern")),
                json_string_value(json_object_get(o, "matched")));
    json_t *sentence = json_object_get(o, "sentence");
    if (json_is_integer(sentence))
        fprintf(out, " in sentence %lld", json_integer_value(sentence));
    else if (sentence)
        fprintf(out, " across sentences");
    if (json_object_get(o, "cancelled_by_guard"))
        fprintf(out, " -> cancelled by guard %s",
                json_string_value(json_object_get(o, "cancelled_by_guard")));
    else if (json_object_get(o, "lost"))
        fprintf(out, " -> lost: %s", json_string_value(json_object_get(o, "lost")));
    else if (json_object_get(o, "outcome"))
        fprintf(out, " -> best match");
    fputc('\n', out);
}

#define NEAR_PATTERN_MAX 72 /* bytes of a pattern shown; a longer one is cut with "..." */

static void print_near_miss(const lo_engine *e, const lo_near_miss *m, const lo_near_words *w,
                            FILE *out)
{
    const lo_rule *r = &e->rules[m->rule];
    const char *src = e->patterns[m->pattern].source;
    int shown = strlen(src) > NEAR_PATTERN_MAX ? NEAR_PATTERN_MAX : (int)strlen(src);
    fprintf(out, "  rule %s [%s] in %s:%d: \"%.*s%s\" has ", r->id, r->category, r->file, r->line,
            shown, src, src[shown] ? "..." : "");
    const char *sep = "";
    for (size_t k = 0; k < w->n; k++)
        if (m->words & (UINT64_C(1) << k)) {
            fprintf(out, "%s%s", sep, e->vocab.words[w->ids[k]]);
            sep = ", ";
        }
    fprintf(out, "; %d more word%s or choice%s missing\n", m->missing, m->missing == 1 ? "" : "s",
            m->missing == 1 ? "" : "s");
}

/* The rules (the fallback rule aside) nearest to the message, one line each. */
static void print_near_misses(const lo_engine *e, const lo_tokens *toks, FILE *out)
{
    lo_near_words words;
    lo_near_miss best[LO_NEAR_MISSES];
    size_t nbest = lo_near_misses(e, toks, false, &words, best);
    if (nbest == 0)
        fprintf(out, "nearest rules: no pattern shares a word with this message\n");
    else
        fprintf(out, "nearest rules (no pattern matched; these came closest):\n");
    for (size_t i = 0; i < nbest; i++)
        print_near_miss(e, &best[i], &words, out);
}

static void print_explain(const lo_engine *e, const lo_tokens *toks, const lo_matches *ms,
                          json_t *root, const lo_reply *r, FILE *out)
{
    print_words(e, toks, out);
    fprintf(out, "\n  (~ marks a negated word)\ncandidates tried: %zu, matched: %zu\n", ms->ncand,
            ms->n);
    json_t *o;
    size_t i;
    json_array_foreach (json_object_get(root, "matches"), i, o)
        print_match(o, out);
    print_risk(json_object_get(root, "risk"), out);
    print_language(json_object_get(root, "language"), out);
    fprintf(out, "answer: %s (%s) from the %s stage%s\n", r->rule_id[0] ? r->rule_id : "(no rule)",
            r->category, stage_names[r->source], r->crisis ? ", CRISIS" : "");
    json_t *carried = json_object_get(root, "carried_by");
    if (carried && json_is_integer(json_object_get(carried, "sentence")))
        fprintf(out, "  carried by sentence %lld: \"%s\"\n",
                json_integer_value(json_object_get(carried, "sentence")),
                json_string_value(json_object_get(carried, "words")));
    else if (carried)
        fprintf(out, "  carried by words across sentences: \"%s\"\n",
                json_string_value(json_object_get(carried, "words")));
    if (r->also_category[0])
        fprintf(out, "  also acknowledged: %s (its rule's \"also\" line)\n", r->also_category);
    if (json_object_get(root, "topic"))
        print_topic(json_object_get(root, "topic"), out);
    if (r->choices_offered)
        fprintf(out, "  offered %u themes as numbered choices\n", r->choices_offered);
    if (r->source == LO_SOURCE_FALLBACK)
        print_near_misses(e, toks, out);
}

void lo_explain(const lo_engine *e, const lo_session *conv, const char *text, bool json, FILE *out)
{
    lo_tokens toks = {0};
    lo_matches ms = {0};
    lo_engine_tokenise(e, text, strlen(text), &toks);
    lo_engine_match_all(e, &toks, &ms);
    lo_risk_result rk;
    lo_signals_score(e, &toks, &ms, text, strlen(text), &rk);
    if (e->risk_model && rk.model_p >= 0 && !rk.model_counted)
        lo_risk_score(e->risk_model, text, strlen(text), &rk.model_why);

    lo_session copy;
    lo_session *c = NULL;
    if (conv) {
        lo_session_copy(&copy, conv);
        c = &copy;
    }
    lo_message msg = {.platform = "explain", .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, c, &msg, NULL, &r);

    json_t *root = explain_json(e, text, &toks, &ms, &rk, &r);
    if (json) {
        char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
        fprintf(out, "%s\n", s);
        free(s);
    } else {
        print_explain(e, &toks, &ms, root, &r, out);
    }
    json_decref(root);
    lo_reply_clear(&r);
    if (c)
        lo_session_forget_kept(c);
    lo_matches_free(&ms);
    lo_tokens_free(&toks);
}
