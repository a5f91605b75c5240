/* flow_load.c - the guided flows of a response set (steps, prompts, replies
 * per kind of answer, skip/pause/resume/leave texts) and the "answers" that
 * say how a person answers yes, no, skip, pause, resume or leave. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/flow.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/set.h"
#include "engine/texts.h"
#include "common/jpos.h"
#include "engine/loader.h"
#include "leanon/engine.h"
#include "common/buf.h"

static const char *const flow_keys[] = {"id",     "category", "priority", "start", "examples",
                                        "not",    "intro",    "steps",    "skip",  "pause",
                                        "resume", "leave",    "finish",   "offer", "offer_after"};
static const char *const step_keys[] = {"id", "category", "prompt", "replies", "keep"};

#define MAX_KEEP_TITLE 60
static const char *const reply_kind_keys[] = {"yes", "no", "unsure", "text"};

static void load_step(loader *L, json_t *obj, const lo_jpos *pos, lo_flow *f, lo_flow_step *s)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each step must be an object in { }");
        return;
    }
    lo_check_keys(L, obj, pos, "a flow step", step_keys, sizeof step_keys / sizeof *step_keys);
    lo_load_id_category(L, obj, pos, "a flow step", &s->id, NULL);
    const char *cat = lo_get_string(L, obj, pos, "category", false, "a flow step");
    s->category = lo_xstrdup(cat ? cat : f->category ? f->category : "reflect");
    const char *prompt = lo_get_string(L, obj, pos, "prompt", true, "a flow step");
    s->prompt = lo_xstrdup(prompt ? prompt : "");
    s->keep_index = -1;
    const char *keep = lo_get_string(L, obj, pos, "keep", false, "a flow step");
    if (keep && (!*keep || strlen(keep) > MAX_KEEP_TITLE || strchr(keep, '{'))) {
        ERR(L, lo_jpos_key(pos, "keep"),
            "\"keep\" is the title the answer is shown under in {plan}: a short text, at most "
            "%d bytes, without { }",
            MAX_KEEP_TITLE);
    } else if (keep && f->nkept >= LO_SESSION_KEPT) {
        ERR(L, lo_jpos_key(pos, "keep"), "a flow keeps the answers of at most %d steps",
            LO_SESSION_KEPT);
    } else if (keep) {
        s->keep = lo_xstrdup(keep);
        s->keep_index = (int)f->nkept++;
    }
    json_t *replies = json_object_get(obj, "replies");
    const lo_jpos *rpos = lo_jpos_key(pos, "replies");
    if (!json_is_object(replies)) {
        ERR(L, replies ? rpos : pos,
            "a flow step needs \"replies\": { \"text\": [...] } and "
            "optionally \"yes\", \"no\", \"unsure\"");
        return;
    }
    lo_check_keys(L, replies, rpos, "a step's replies", reply_kind_keys, 4);
    for (int k = 0; k < LO_ANSWER_KINDS; k++) {
        bool used =
            k == LO_ANSWER_YES || k == LO_ANSWER_NO || k == LO_ANSWER_UNSURE || k == LO_ANSWER_TEXT;
        if (used && lo_get_texts(L, replies, rpos, lo_answer_names[k], k == LO_ANSWER_TEXT,
                                 LO_MAX_REPLY_BYTES, "a step's replies", &s->replies[k]))
            lo_check_placeholders(L, &s->replies[k], lo_jpos_key(rpos, lo_answer_names[k]));
    }
}

/* The finish texts: {plan} (the kept answers) belongs there, and in each of them when the flow
 * keeps answers, so a person's plan is never kept and then not shown; nowhere else. */
static void check_finish(loader *L, lo_flow *f, const lo_jpos *at)
{
    lo_texts without = {lo_xcalloc(f->finish.n + 1, sizeof(char *)), f->finish.n};
    for (size_t i = 0; i < f->finish.n; i++) {
        const char *text = f->finish.v[i];
        bool has_plan = strstr(text, "{plan}") != NULL;
        if (f->nkept && !has_plan)
            ERR(L, lo_jpos_index(at, i),
                "finish text %zu must show the kept answers with {plan}: the steps with "
                "\"keep\" are kept only to be shown there",
                i + 1);
        else if (!f->nkept && has_plan)
            ERR(L, lo_jpos_index(at, i),
                "finish text %zu has {plan}, but no step of this flow has \"keep\"", i + 1);
        lo_strbuf b = {0};
        for (const char *p = text; *p;) {
            const char *plan = strstr(p, "{plan}");
            size_t n = plan ? (size_t)(plan - p) : strlen(p);
            lo_strbuf_add(&b, p, n);
            p += n + (plan ? 6 : 0);
        }
        without.v[i] = lo_strbuf_take(&b);
    }
    lo_check_placeholders(L, &without, at);
    lo_texts_free(&without);
}

/* "offer" (texts by language) added to the replies of the crisis categories in "offer_after". */
static void load_offer(loader *L, json_t *obj, const lo_jpos *pos, lo_flow *f)
{
    bool offer = json_object_get(obj, "offer") != NULL;
    bool after = json_object_get(obj, "offer_after") != NULL;
    if (!offer && !after)
        return;
    if (offer != after) {
        ERR(L, lo_jpos_key(pos, offer ? "offer" : "offer_after"),
            "\"offer\" and \"offer_after\" go together: the words of the offer, and the crisis "
            "categories whose replies carry it");
        return;
    }
    const lo_jpos *where[LO_LANGUAGES_MAX] = {NULL};
    lo_get_texts_lang(L, obj, pos, "offer", LO_MAX_REPLY_BYTES, "a flow", &f->offer, where);
    if (!lo_get_texts(L, obj, pos, "offer_after", true, 64, "a flow", &f->offer_after))
        return;
    const lo_jpos *at = lo_jpos_key(pos, "offer_after");
    for (size_t i = 0; i < f->offer_after.n; i++)
        if (strncmp(f->offer_after.v[i], "crisis-", 7) != 0)
            ERR(L, lo_jpos_index(at, i),
                "\"offer_after\" lists crisis categories (\"crisis-suicide\"), not \"%s\"",
                f->offer_after.v[i]);
    for (size_t k = 0; k + 1 < L->e->nflows; k++)
        for (size_t i = 0; i < f->offer_after.n; i++)
            for (size_t j = 0; j < L->e->flows[k].offer_after.n; j++)
                if (strcmp(f->offer_after.v[i], L->e->flows[k].offer_after.v[j]) == 0)
                    ERR(L, lo_jpos_index(at, i), "%s already offers the flow \"%s\"",
                        f->offer_after.v[i], L->e->flows[k].id);
}

void lo_load_flow(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each flow must be an object in { }");
        return;
    }
    lo_check_keys(L, obj, pos, "a flow", flow_keys, sizeof flow_keys / sizeof *flow_keys);
    lo_engine *e = L->e;
    lo_grow(&e->flows, &L->flows_cap, e->nflows + 1, sizeof *e->flows);
    lo_flow *f = &e->flows[e->nflows++];
    memset(f, 0, sizeof *f);
    char *id = NULL, *category = NULL;
    lo_load_id_category(L, obj, pos, "a flow", &id, &category);
    f->id = id ? id : lo_xstrdup("");
    f->category = category ? category : lo_xstrdup("reflect");
    f->id_hash = lo_hash(f->id, strlen(f->id));
    const char *intro = lo_get_string(L, obj, pos, "intro", false, "a flow");
    f->intro = intro ? lo_xstrdup(intro) : NULL;
    lo_texts *lists[] = {&f->skip, &f->pause, &f->resume, &f->leave};
    const char *names[] = {"skip", "pause", "resume", "leave"};
    for (int i = 0; i < 4; i++)
        if (lo_get_texts(L, obj, pos, names[i], true, LO_MAX_REPLY_BYTES, "a flow", lists[i]))
            lo_check_placeholders(L, lists[i], lo_jpos_key(pos, names[i]));
    bool has_finish =
        lo_get_texts(L, obj, pos, "finish", true, LO_MAX_REPLY_BYTES, "a flow", &f->finish);
    json_t *steps = json_object_get(obj, "steps");
    const lo_jpos *spos = lo_jpos_key(pos, "steps");
    if (!json_is_array(steps) || json_array_size(steps) == 0) {
        ERR(L, steps ? spos : pos, "a flow needs \"steps\": a list of at least one step");
    } else {
        f->steps = lo_xcalloc(json_array_size(steps), sizeof *f->steps);
        size_t i;
        json_t *st;
        json_array_foreach (steps, i, st) {
            load_step(L, st, lo_jpos_index(spos, i), f, &f->steps[i]);
            f->nsteps++;
        }
    }
    if (has_finish)
        check_finish(L, f, lo_jpos_key(pos, "finish"));
    load_offer(L, obj, pos, f);
    /* a flow is started like a rule: it gets a rule of its own */
    lo_rule *r = lo_new_rule(L);
    r->id = lo_xstrdup(f->id);
    r->category = lo_xstrdup(f->category);
    r->flow = (int)(e->nflows - 1);
    r->line = pos ? pos->line : 0;
    r->column = pos ? pos->column : 0;
    r->priority = 60;
    lo_load_rule_tests(L, obj, pos, "a flow", r);
    lo_texts t;
    e->nrules++;
    if (lo_get_texts(L, obj, pos, "start", true, 1000, "a flow", &t)) {
        lo_compile_patterns(L, &t, lo_jpos_key(pos, "start"), LO_OWNER_RULE,
                            (uint32_t)(e->nrules - 1));
        lo_texts_free(&t);
    }
}

void lo_load_answers(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *names[LO_ANSWER_KINDS - 1];
    for (int k = 0; k < LO_ANSWER_TEXT; k++)
        names[k] = lo_answer_names[k];
    if (!json_is_object(obj)) {
        ERR(L, pos, "\"answers\" must be an object like { \"yes\": [\"~yes\"], ... }");
        return;
    }
    lo_check_keys(L, obj, pos, "\"answers\"", names, LO_ANSWER_TEXT);
    for (int k = 0; k < LO_ANSWER_TEXT; k++) {
        lo_texts t;
        if (!json_object_get(obj, names[k]))
            continue;
        if (lo_get_texts(L, obj, pos, names[k], true, 1000, "an answer kind", &t)) {
            lo_compile_patterns(L, &t, lo_jpos_key(pos, names[k]), LO_OWNER_ANSWER, (uint32_t)k);
            L->e->has_answers[k] = true;
            lo_texts_free(&t);
        }
    }
}

void lo_flows_free(lo_engine *e)
{
    for (size_t i = 0; i < e->nflows; i++) {
        lo_flow *f = &e->flows[i];
        for (size_t s = 0; s < f->nsteps; s++) {
            free(f->steps[s].id);
            free(f->steps[s].category);
            free(f->steps[s].prompt);
            free(f->steps[s].keep);
            for (int k = 0; k < LO_ANSWER_KINDS; k++)
                lo_texts_free(&f->steps[s].replies[k]);
        }
        free(f->steps);
        lo_texts_free(&f->skip);
        lo_texts_free(&f->pause);
        lo_texts_free(&f->resume);
        lo_texts_free(&f->leave);
        lo_texts_free(&f->finish);
        lo_texts_lang_free(&f->offer);
        lo_texts_free(&f->offer_after);
        free(f->id);
        free(f->category);
        free(f->intro);
    }
    free(e->flows);
}
