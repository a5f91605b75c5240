/* flow.c - guided flows: a list of steps asked one at a time (the article's
 * questions, its affirmation and tips). A conversation holds only the flow's
 * id hash, the next step and whether it is paused; so a reload that keeps
 * the flow keeps the person's place. Inside a flow every message is an
 * answer: leave, pause, resume, skip, or yes / no / unsure / anything else,
 * each with its own kind words, then the next prompt. Crisis detection runs
 * before this (engine.c) and pauses the flow. */
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
        add_text(e, conv, f, "", "finish", &f->finish, msg, NULL, out);
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
        add_text(e, conv, f, now->id, lo_answer_names[kind], t, msg, toks, &b);
        now = advance(e, conv, f, msg, &b);
        break;
    }
    }
    out->text = lo_strbuf_take(&b);
    set_ids(out, f, now);
    return true;
}
