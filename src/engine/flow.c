/* flow.c - guided flows: a list of steps asked one at a time (the article's
 * questions, its affirmation and tips). A conversation holds only the flow's
 * id hash, the next step and whether it is paused; so a reload that keeps
 * the flow keeps the person's place. Inside a flow every message is an
 * answer: leave, pause, resume, skip, or yes / no / unsure / anything else,
 * each with its own kind words, then the next prompt. Crisis detection runs
 * before this (engine.c) and pauses the flow. A step with a "keep" title keeps
 * the person's written answer in the session until the flow ends, to show the
 * answers together ({plan} in the finish: a safety plan the person saves). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/flow.h"
#include "engine/matches.h"
#include "engine/pattern.h"
#include "engine/reply.h"
#include "engine/session.h"
#include "engine/set.h"
#include "engine/text.h"
#include "engine/texts.h"
#include "leanon/engine.h"
#include "common/buf.h"

const char *const lo_answer_names[LO_ANSWER_KINDS] = {"yes",   "no",     "unsure", "skip",
                                                      "pause", "resume", "leave",  "text"};

int lo_answer_kind(const lo_engine *e, const lo_matches *m)
{
    /* the strongest wish wins: leaving beats pausing beats skipping ... */
    static const int order[] = {LO_ANSWER_LEAVE,  LO_ANSWER_PAUSE, LO_ANSWER_RESUME, LO_ANSWER_SKIP,
                                LO_ANSWER_UNSURE, LO_ANSWER_NO,    LO_ANSWER_YES};
    bool seen[LO_ANSWER_KINDS] = {false};
    for (size_t i = 0; i < m->n; i++) {
        const lo_pattern *p = &e->patterns[m->v[i].pattern];
        if (p->owner_kind == LO_OWNER_ANSWER)
            seen[p->owner] = true;
    }
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (seen[order[i]])
            return order[i];
    return LO_ANSWER_TEXT;
}

static const lo_flow *flow_by_hash(const lo_engine *e, uint64_t h)
{
    for (size_t i = 0; i < e->nflows; i++)
        if (e->flows[i].id_hash == h)
            return &e->flows[i];
    return NULL;
}

static uint64_t texts_key(const lo_flow *f, const char *part, const char *kind)
{
    lo_strbuf k = {0};
    lo_strbuf_addf(&k, "%s/%s/%s", f->id, part, kind);
    uint64_t h = lo_hash(k.data, k.len);
    lo_strbuf_free(&k);
    return h;
}

static void add_text(const lo_engine *e, lo_session *conv, const lo_flow *f, const char *part,
                     const char *kind, const lo_texts *t, const lo_message *msg,
                     const lo_tokens *toks, lo_strbuf *out)
{
    if (!t->n)
        return;
    const char *tmpl = lo_pick(conv, texts_key(f, part, kind), t->v, t->n);
    lo_tokens none = {0};
    char *text = lo_reply_render(e, tmpl, msg, toks ? toks : &none, NULL, NULL, false, false, NULL);
    if (out->len)
        lo_strbuf_adds(out, "\n\n");
    lo_strbuf_adds(out, text);
    free(text);
}

#define KEEP_MIN_WORDS 4 /* a yes/no/unsure answer this long is a written one too */

/* The kept answers, "title: answer" a line each, in the steps' order. */
static void render_plan(const lo_flow *f, const lo_session *conv, lo_strbuf *out)
{
    bool first = true;
    for (size_t i = 0; i < f->nsteps; i++) {
        const lo_flow_step *s = &f->steps[i];
        if (s->keep_index < 0 || !conv->kept[s->keep_index])
            continue;
        lo_strbuf_addf(out, "%s%s: %s", first ? "" : "\n", s->keep, conv->kept[s->keep_index]);
        first = false;
    }
}

static bool has_kept(const lo_flow *f, const lo_session *conv)
{
    for (size_t i = 0; i < f->nkept; i++)
        if (conv->kept[i])
            return true;
    return false;
}

/* The finish, with {plan} replaced by the kept answers after the rest is rendered (so
 * nothing a person wrote is ever read as a placeholder); the leave text instead when the
 * flow keeps answers and the person wrote none. Then the answers are forgotten. */
static void add_finish(const lo_engine *e, lo_session *conv, const lo_flow *f,
                       const lo_message *msg, lo_strbuf *out)
{
    if (f->nkept && !has_kept(f, conv)) {
        add_text(e, conv, f, "", "leave", &f->leave, msg, NULL, out);
        return;
    }
    const char *tmpl = lo_pick(conv, texts_key(f, "", "finish"), f->finish.v, f->finish.n);
    if (out->len)
        lo_strbuf_adds(out, "\n\n");
    lo_tokens none = {0};
    for (const char *p = tmpl; *p;) {
        const char *plan = strstr(p, "{plan}");
        char *part = lo_xstrndup(p, plan ? (size_t)(plan - p) : strlen(p));
        char *text = lo_reply_render(e, part, msg, &none, NULL, NULL, false, false, NULL);
        lo_strbuf_adds(out, text);
        free(text);
        free(part);
        if (!plan)
            break;
        render_plan(f, conv, out);
        p = plan + 6;
    }
    lo_session_forget_kept(conv);
}

/* Keeps a written answer for the step's title: the message text with mentions, links and
 * markup taken out (as a display name is), cut at LO_FLOW_KEPT_BYTES. */
static void keep_answer(lo_session *conv, const lo_flow_step *step, const lo_message *msg)
{
    if (step->keep_index < 0 || !msg || !msg->text)
        return;
    lo_strbuf b = {0};
    lo_reply_safe_text(msg->text, msg->text_len, LO_FLOW_KEPT_BYTES, "...", &b);
    char **slot = &conv->kept[step->keep_index];
    if (*slot) {
        explicit_bzero(*slot, strlen(*slot));
        free(*slot);
    }
    *slot = b.len ? lo_strbuf_take(&b) : NULL;
    lo_strbuf_free(&b);
}

static void add_prompt(const lo_engine *e, const lo_flow *f, size_t step, const lo_message *msg,
                       lo_strbuf *out)
{
    lo_tokens none = {0};
    char *text =
        lo_reply_render(e, f->steps[step].prompt, msg, &none, NULL, NULL, false, false, NULL);
    if (out->len)
        lo_strbuf_adds(out, "\n\n");
    lo_strbuf_adds(out, text);
    free(text);
}

static void set_ids(lo_reply *out, const lo_flow *f, const lo_flow_step *step)
{
    if (step) {
        snprintf(out->rule_id, sizeof out->rule_id, "%.31s/%.31s", f->id, step->id);
        snprintf(out->category, sizeof out->category, "%s", step->category);
    } else {
        snprintf(out->rule_id, sizeof out->rule_id, "%s", f->id);
        snprintf(out->category, sizeof out->category, "%s", f->category);
    }
    out->source = LO_SOURCE_FLOW;
    out->crisis = false;
}

void lo_flow_start(const lo_engine *e, lo_session *conv, int index, lo_strbuf *out)
{
    const lo_flow *f = &e->flows[index];
    if (conv && conv->flow_hash == f->id_hash && conv->flow_paused &&
        (size_t)conv->flow_step < f->nsteps) {
        conv->flow_paused = false;
        add_text(e, conv, f, "", "resume", &f->resume, NULL, NULL, out);
        add_prompt(e, f, (size_t)conv->flow_step, NULL, out);
        return;
    }
    if (conv) {
        lo_session_forget_kept(conv);
        conv->flow_hash = f->id_hash;
        conv->flow_step = 0;
        conv->flow_paused = false;
    }
    if (f->intro)
        lo_strbuf_adds(out, f->intro);
    add_prompt(e, f, 0, NULL, out);
}

/* Moves to the next step and writes its prompt, or the finish. Returns the
 * step now being asked, or NULL when the flow is done. */
static const lo_flow_step *advance(const lo_engine *e, lo_session *conv, const lo_flow *f,
                                   const lo_message *msg, lo_strbuf *out)
{
    conv->flow_step++;
    if ((size_t)conv->flow_step >= f->nsteps) {
        add_finish(e, conv, f, msg, out);
        conv->flow_hash = 0;
        conv->flow_step = 0;
        return NULL;
    }
    add_prompt(e, f, (size_t)conv->flow_step, msg, out);
    return &f->steps[conv->flow_step];
}

bool lo_flow_handle(const lo_engine *e, lo_session *conv, const lo_message *msg,
                    const lo_tokens *toks, const lo_matches *m, lo_reply *out)
{
    const lo_flow *f = flow_by_hash(e, conv->flow_hash);
    if (!f || (size_t)conv->flow_step >= f->nsteps) { /* gone after a reload */
        lo_session_forget_kept(conv);
        conv->flow_hash = 0;
        return false;
    }
    int kind = lo_answer_kind(e, m);
    if (conv->flow_paused) {
        if (kind != LO_ANSWER_RESUME)
            return false;
        lo_strbuf b = {0};
        lo_flow_start(e, conv, (int)(f - e->flows), &b);
        out->text = lo_strbuf_take(&b);
        set_ids(out, f, &f->steps[conv->flow_step]);
        return true;
    }
    lo_strbuf b = {0};
    const lo_flow_step *now = &f->steps[conv->flow_step];
    switch (kind) {
    case LO_ANSWER_LEAVE:
        add_text(e, conv, f, "", "leave", &f->leave, msg, toks, &b);
        lo_session_forget_kept(conv);
        conv->flow_hash = 0;
        conv->flow_step = 0;
        now = NULL;
        break;
    case LO_ANSWER_PAUSE:
        add_text(e, conv, f, "", "pause", &f->pause, msg, toks, &b);
        conv->flow_paused = true;
        now = NULL;
        break;
    case LO_ANSWER_RESUME:
        add_prompt(e, f, (size_t)conv->flow_step, msg, &b);
        break;
    case LO_ANSWER_SKIP:
        add_text(e, conv, f, "", "skip", &f->skip, msg, toks, &b);
        now = advance(e, conv, f, msg, &b);
        break;
    default: {
        const lo_texts *t = &now->replies[kind];
        if (kind >= LO_ANSWER_SKIP || !t->n) {
            t = &now->replies[LO_ANSWER_TEXT];
            kind = LO_ANSWER_TEXT;
        }
        /* a written answer is kept; a bare "yes", "no" or "not sure" is not, but a sentence
         * that starts like one ("sure, my sister Ana") is */
        if (kind == LO_ANSWER_TEXT || (toks && toks->n >= KEEP_MIN_WORDS))
            keep_answer(conv, now, msg);
        add_text(e, conv, f, now->id, lo_answer_names[kind], t, msg, toks, &b);
        now = advance(e, conv, f, msg, &b);
        break;
    }
    }
    out->text = lo_strbuf_take(&b);
    set_ids(out, f, now);
    return true;
}

const lo_flow *lo_flow_offered_after(const lo_engine *e, const char *category)
{
    for (size_t i = 0; i < e->nflows; i++)
        for (size_t j = 0; j < e->flows[i].offer_after.n; j++)
            if (strcmp(e->flows[i].offer_after.v[j], category) == 0)
                return &e->flows[i];
    return NULL;
}
