/* engine.c - the flow of one message through the engine:
 *
 *   tokens -> every candidate pattern tried, and the crisis signals scored
 *   (signals.c) -> the stages in order: safety first (crisis rules, minus
 *   matches whose words an idiom guard spells out) -> the answer to a
 *   check-in -> the signals' crisis answer or check-in -> the active flow ->
 *   an accepted followup -> a theme chosen from the fallback's offer -> the
 *   best ordinary rule (with an "also" line for a second theme of a long
 *   message), else the learned topic score's category when it is sure enough
 *   (topic_model.c), else the fallback, which asks and offers the likeliest
 *   themes (the topic score's, then the nearest rules').
 *   A rule or check-in answers in the message's language (language.c) when
 *   it has texts in it, else in English.
 *
 * Finding the matches and choosing among them is matches.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/flow.h"
#include "engine/matches.h"
#include "engine/near.h"
#include "engine/pattern.h"
#include "engine/reasons.h"
#include "engine/reply.h"
#include "engine/rules.h"
#include "engine/session.h"
#include "engine/text.h"
#include "engine/texts.h"
#include "engine/language.h"
#include "engine/signals.h"
#include "engine/topic_model.h"
#include "engine/set.h"
#include "leanon/engine.h"
#include "common/buf.h"

static void set_reply(lo_reply *out, char *text, const char *rule_id, const char *category,
                      lo_reply_source source)
{
    out->text = text;
    snprintf(out->rule_id, sizeof out->rule_id, "%s", rule_id ? rule_id : "");
    snprintf(out->category, sizeof out->category, "%s", category ? category : "");
    out->crisis = strncmp(out->category, "crisis-", 7) == 0;
    out->risk = out->crisis ? LO_RISK_CRISIS : LO_RISK_NONE;
    out->source = source;
}

/* A rule's answer, in language lang when the rule has texts in it. */
static void answer_with_rule(const lo_engine *e, lo_session *conv, const lo_rule *r,
                             const lo_message *msg, const lo_tokens *toks, const lo_match *m,
                             const lo_reply_options *opts, int lang, lo_reply *out)
{
    if (r->flow >= 0) {
        lo_strbuf b = {0};
        lo_flow_start(e, conv, r->flow, &b);
        set_reply(out, lo_strbuf_take(&b), r->id, r->category, LO_SOURCE_FLOW);
        return;
    }
    const lo_texts *replies = lo_texts_in(&r->replies, lang);
    const char *tmpl = lo_pick(conv, r->id_hash, replies->v, replies->n);
    char *reason = strstr(tmpl, "{reason}") ? lo_reason_of(e, conv) : NULL;
    char *text = lo_reply_render(e, tmpl, msg, toks, m, opts ? opts->region : NULL, r->crisis,
                                 r->domestic_lines, reason);
    free(reason);
    set_reply(out, text, r->id, r->category, r->crisis ? LO_SOURCE_SAFETY : LO_SOURCE_RULE);
    out->alert_moderators = r->crisis;
    if (r->feedback && conv && (conv->last_rule[0] || conv->last_fallback)) {
        out->feedback = r->feedback;
        out->feedback_on_fallback = conv->last_fallback;
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

/* A theme the topic score offers only when it gives it at least this probability. */
#define TOPIC_OFFER_MIN 0.05

/* Adds rule r's theme to the offer unless its category is offered already. */
static void offer(const lo_engine *e, const lo_rule *r, size_t *offered, size_t *n)
{
    if (!r->theme || *n >= LO_SESSION_CHOICES)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(e->rules[offered[i]].category, r->category) == 0)
            return;
    offered[(*n)++] = (size_t)(r - e->rules);
}

/* Appends the invitation and the likeliest themes as numbered choices to the fallback's
 * text b, and remembers them in conv: the topic score's likeliest categories first (g, may
 * be NULL), then the nearest rules'; at least two, else nothing is offered. */
static unsigned offer_themes(const lo_engine *e, lo_session *conv, const lo_rule *fb,
                             const lo_tokens *toks, const lo_topic_guess *g, int lang, lo_strbuf *b)
{
    const lo_texts *ask = lo_texts_in(&fb->ask, lang);
    if (ask->n == 0)
        return 0;
    size_t offered[LO_SESSION_CHOICES], n = 0;
    for (size_t i = 0; g && i < g->nranked && g->p[i] >= TOPIC_OFFER_MIN; i++)
        if (e->topic_rules[g->ranked[i]] >= 0)
            offer(e, &e->rules[e->topic_rules[g->ranked[i]]], offered, &n);
    lo_near_words words;
    lo_near_miss near[LO_NEAR_MISSES];
    size_t nnear = lo_near_misses(e, toks, true, &words, near);
    for (size_t i = 0; i < nnear; i++)
        offer(e, &e->rules[near[i].rule], offered, &n);
    if (n < 2)
        return 0;
    static const char key[] = "fallback-ask";
    lo_strbuf_addf(b, "\n\n%s", lo_pick(conv, lo_hash(key, strlen(key)), ask->v, ask->n));
    for (size_t i = 0; i < n; i++) {
        const lo_rule *r = &e->rules[offered[i]];
        lo_strbuf_addf(b, "\n%zu. %s", i + 1, r->theme);
        if (conv)
            conv->choice_hash[i] = r->id_hash;
    }
    return (unsigned)n;
}

/* Nothing fits: the fallback rule's reply (never the same one twice in a row in a
 * conversation, lo_pick), and when it has "ask" lines the likeliest themes to choose from. */
static void fallback(const lo_engine *e, lo_session *conv, const lo_message *msg,
                     const lo_tokens *toks, const lo_topic_guess *g, const lo_reply_options *opts,
                     int lang, lo_reply *out)
{
    if (e->fallback_rule >= 0) {
        const lo_rule *r = &e->rules[e->fallback_rule];
        answer_with_rule(e, conv, r, msg, toks, NULL, opts, lang, out);
        lo_strbuf b = {0};
        lo_strbuf_addf(&b, "%s", out->text);
        out->choices_offered = offer_themes(e, conv, r, toks, g, lang, &b);
        free(out->text);
        out->text = lo_strbuf_take(&b);
    } else {
        set_reply(out, lo_xstrdup(builtin_fallback), "", "fallback", LO_SOURCE_FALLBACK);
    }
    out->source = LO_SOURCE_FALLBACK;
    if (strcmp(out->category, "fallback") != 0)
        snprintf(out->category, sizeof out->category, "fallback");
}

/* What the conversation keeps of its last reply: the rule and the category, never the text.
 * The answer to "why" is not kept, so a second "why", and feedback after it, are about the
 * reply it explained. */
void lo_session_remember(lo_session *conv, const lo_reply *out)
{
    if (!conv || strcmp(out->category, LO_WHY_CATEGORY) == 0)
        return;
    snprintf(conv->last_rule, sizeof conv->last_rule, "%s", out->rule_id);
    snprintf(conv->last_category, sizeof conv->last_category, "%s", out->category);
    conv->last_fallback = out->source == LO_SOURCE_FALLBACK;
}

/* A second theme of a long message, said in another sentence than the winner's: its
 * "also" line goes after the reply, and its category into out. */
static void add_also(const lo_engine *e, lo_session *conv, const lo_match *also,
                     const lo_message *msg, const lo_tokens *toks, int lang, lo_reply *out)
{
    const lo_rule *r = lo_rule_of(e, also);
    const lo_texts *lines = lo_texts_in(&r->also, lang);
    char key[80];
    snprintf(key, sizeof key, "also:%s", r->id);
    const char *tmpl = lo_pick(conv, lo_hash(key, strlen(key)), lines->v, lines->n);
    char *line = lo_reply_render(e, tmpl, msg, toks, also, NULL, false, false, NULL);
    lo_strbuf b = {0};
    lo_strbuf_addf(&b, "%s %s", out->text, line);
    free(line);
    free(out->text);
    out->text = lo_strbuf_take(&b);
    snprintf(out->also_category, sizeof out->also_category, "%s", r->category);
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
    lo_risk_result risk;                  /* what the crisis signals say (signals.c) */
    uint64_t choices[LO_SESSION_CHOICES]; /* the themes the last reply offered (0 = none) */
    lo_language_guess lang;               /* the message's language (language.c) */
} turn;

static void pause_flow(turn *t)
{
    if (t->conv && t->conv->flow_hash)
        t->conv->flow_paused = true; /* the flow waits; the person comes first */
}

/* After the crisis reply or check-in of a category, once in a conversation: the offer of the
 * flow that category's replies carry (the safety plan), unless the person is already in it. */
static void offer_flow(turn *t, const char *category, int lang, lo_reply *out)
{
    const lo_flow *f = lo_flow_offered_after(t->e, category);
    if (!f || !t->conv || t->conv->plan_offered || t->conv->flow_hash == f->id_hash)
        return;
    if (lang > 0 && lang < LO_LANGUAGES_MAX && !f->offer.in[lang].n)
        return; /* never an offer in another language than the reply's */
    const lo_texts *words = lo_texts_in(&f->offer, lang);
    const char *tmpl = lo_pick(t->conv, f->id_hash ^ 1, words->v, words->n);
    char *text = lo_reply_render(t->e, tmpl, t->msg, &t->toks, NULL, NULL, false, false, NULL);
    lo_strbuf b = {0};
    lo_strbuf_addf(&b, "%s\n\n%s", out->text, text);
    free(text);
    free(out->text);
    out->text = lo_strbuf_take(&b);
    t->conv->plan_offered = true;
}

/* The crisis answer of a category, in language lang: the replies of the
 * crisis rule that matched, else of the category's own crisis rule. */
static void crisis_answer(turn *t, int category, const lo_match *m, int lang, lo_reply *out)
{
    const lo_rule *r = m ? lo_rule_of(t->e, m) : &t->e->rules[t->e->signals->cat_rule[category]];
    answer_with_rule(t->e, t->conv, r, t->msg, &t->toks, m, t->opts, lang, out);
    offer_flow(t, r->category, lang, out);
    pause_flow(t);
}

/* The check-in: a direct, kind question in the message's language, with the
 * crisis lines below it. */
static void check_in_ask(turn *t, int category, lo_reply *out)
{
    const lo_signals *s = t->e->signals;
    const char *cat = s->cats[category];
    const lo_check_in *ci = &s->check_ins[s->cat_check_in[category]];
    const lo_rule *r = &t->e->rules[s->cat_rule[category]];
    char name[48];
    snprintf(name, sizeof name, "check-in-%s", cat + strlen("crisis-"));
    const lo_texts *ask = lo_texts_in(&ci->ask, t->lang.lang);
    const char *tmpl = lo_pick(t->conv, lo_hash(name, strlen(name)), ask->v, ask->n);
    char *text = lo_reply_render(t->e, tmpl, t->msg, &t->toks, NULL,
                                 t->opts ? t->opts->region : NULL, true, r->domestic_lines, NULL);
    set_reply(out, text, "", name, LO_SOURCE_SAFETY);
    out->risk = LO_RISK_CHECK_IN;
    offer_flow(t, cat, t->lang.lang, out);
    if (t->conv) {
        t->conv->check_in_hash = lo_hash(cat, strlen(cat));
        t->conv->check_in_lang = t->lang.lang;
    }
    pause_flow(t);
}

/* The answer to the check-in the last reply asked. The answer that means
 * danger gets the crisis answer; the one that means safe gets a warm word,
 * unless the message itself shows danger; anything else goes on through the
 * stages, and is checked like every message. A short answer whose language
 * is not clear ("no", "ok") is answered in the check-in's language. */
static bool check_in_answer_stage(turn *t, lo_reply *out)
{
    if (!t->conv || !t->conv->check_in_hash)
        return false;
    const lo_signals *s = t->e->signals;
    int c = lo_signals_category_by_hash(s, t->conv->check_in_hash);
    t->conv->check_in_hash = 0;
    if (c < 0 || s->cat_check_in[c] < 0 || t->risk.tier == LO_TIER_CRISIS)
        return false;
    const lo_check_in *ci = &s->check_ins[s->cat_check_in[c]];
    int kind = lo_answer_kind(t->e, &t->m);
    int lang = t->lang.decided ? t->lang.lang : t->conv->check_in_lang;
    int safe = ci->danger_answer == LO_ANSWER_YES ? LO_ANSWER_NO : LO_ANSWER_YES;
    if (kind == ci->danger_answer) {
        crisis_answer(t, c, NULL, lang, out);
        return true;
    }
    if (kind != safe || t->risk.tier != LO_TIER_NONE)
        return false;
    static const char name[] = "check-in-safe";
    const lo_texts *safe_reply = lo_texts_in(&ci->safe_reply, lang);
    const char *tmpl = lo_pick(t->conv, lo_hash(name, strlen(name)), safe_reply->v, safe_reply->n);
    char *text = lo_reply_render(t->e, tmpl, t->msg, &t->toks, NULL,
                                 t->opts ? t->opts->region : NULL, false, false, NULL);
    set_reply(out, text, "", name, LO_SOURCE_SAFETY);
    return true;
}

/* Safety first, always: the crisis signals and rules (signals.c) give a
 * crisis answer, or a check-in when they are real but weaker. */
static bool safety_stage(turn *t, lo_reply *out)
{
    if (t->risk.tier == LO_TIER_CRISIS)
        crisis_answer(t, t->risk.category, t->risk.rule_match, t->lang.lang, out);
    else if (t->risk.tier == LO_TIER_CHECK_IN)
        check_in_ask(t, t->risk.category, out);
    return t->risk.tier != LO_TIER_NONE;
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
    answer_with_rule(t->e, t->conv, r, t->msg, &t->toks, NULL, t->opts, t->lang.lang, out);
    return true;
}

/* The offered theme the message names: its number ("2", "2."), or its name without case;
 * -1 when none. */
static int chosen_theme(const lo_engine *e, const turn *t)
{
    const char *s = t->msg->text;
    if (!s)
        return -1;
    size_t n = t->msg->text_len;
    while (n > 0 && strchr(" \t\r\n", *s)) {
        s++;
        n--;
    }
    while (n > 0 && strchr(" \t\r\n.!?)", s[n - 1]))
        n--;
    if (n == 1 && s[0] >= '1' && s[0] < '1' + LO_SESSION_CHOICES)
        return t->choices[s[0] - '1'] ? s[0] - '1' : -1;
    for (int i = 0; i < LO_SESSION_CHOICES && t->choices[i]; i++) {
        const lo_rule *r = rule_by_hash(e, t->choices[i]);
        if (r && r->theme && strlen(r->theme) == n && strncasecmp(r->theme, s, n) == 0)
            return i;
    }
    return -1;
}

/* A theme the last fallback offered, chosen by its number or name: the conversation goes
 * on as if the person had said it, with that rule's reply. */
static bool choice_stage(turn *t, lo_reply *out)
{
    if (!t->choices[0])
        return false;
    int i = chosen_theme(t->e, t);
    const lo_rule *r = i >= 0 ? rule_by_hash(t->e, t->choices[i]) : NULL;
    if (!r)
        return false;
    answer_with_rule(t->e, t->conv, r, t->msg, &t->toks, NULL, t->opts, t->lang.lang, out);
    out->choice_taken = true;
    return true;
}

/* The index of the rule the topic score answers with for this message (topic_model.h:
 * sure enough, and not the class of lines that fit no topic), else -1; fills g for the
 * fallback. */
static int topic_rule(const turn *t, lo_topic_guess *g)
{
    const lo_engine *e = t->e;
    const char *text = t->msg->text ? t->msg->text : "";
    lo_topic_score(e->topic_model, text, t->msg->text ? t->msg->text_len : 0, false, g);
    if (!lo_topic_route(e->topic_model, &e->topic_routing, g))
        return -1;
    return e->topic_rules[g->ranked[0]];
}

/* The best ordinary rule, else the topic score's rule, else the fallback: this stage
 * always answers. Rules always win over the topic score. */
static bool rule_stage(turn *t, lo_reply *out)
{
    const lo_match *best = lo_best_rule(t->e, &t->m);
    if (!best) {
        lo_topic_guess g;
        const lo_topic_guess *guess = NULL;
        if (t->e->topic_model) {
            int routed = topic_rule(t, &g);
            if (routed >= 0) {
                answer_with_rule(t->e, t->conv, &t->e->rules[routed], t->msg, &t->toks, NULL,
                                 t->opts, t->lang.lang, out);
                out->by_topic_score = true;
                return true;
            }
            guess = &g;
        }
        fallback(t->e, t->conv, t->msg, &t->toks, guess, t->opts, t->lang.lang, out);
        return true;
    }
    const lo_rule *r = lo_rule_of(t->e, best);
    answer_with_rule(t->e, t->conv, r, t->msg, &t->toks, best, t->opts, t->lang.lang, out);
    const lo_match *also = r->flow < 0 ? lo_also_rule(t->e, &t->m, best) : NULL;
    if (also)
        add_also(t->e, t->conv, also, t->msg, &t->toks, t->lang.lang, out);
    return true;
}

static bool (*const stages[])(turn *, lo_reply *) = {
    check_in_answer_stage, safety_stage, flow_stage, followup_stage, choice_stage, rule_stage};

void lo_engine_reply(const lo_engine *e, lo_session *conv, const lo_message *msg,
                     const lo_reply_options *opts, lo_reply *out)
{
    memset(out, 0, sizeof *out);
    turn t = {.e = e, .conv = conv, .msg = msg, .opts = opts};
    if (conv) { /* an offer holds for one message: the fallback makes a new one */
        memcpy(t.choices, conv->choice_hash, sizeof t.choices);
        memset(conv->choice_hash, 0, sizeof conv->choice_hash);
    }
    lo_engine_tokenise(e, msg->text, msg->text ? msg->text_len : 0, &t.toks);
    lo_engine_match_all(e, &t.toks, &t.m);
    lo_signals_score(e, &t.toks, &t.m, msg->text, msg->text ? msg->text_len : 0, &t.risk);
    lo_language_guess_of(e, &t.toks, &t.lang);
    for (size_t i = 0; i < sizeof stages / sizeof *stages; i++)
        if (stages[i](&t, out))
            break;
    lo_session_remember(conv, out);
    lo_matches_free(&t.m);
    lo_tokens_free(&t.toks);
}
