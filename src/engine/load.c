/* load.c - loading a response set: every *.json file under a folder, read
 * with jansson and checked with care, because the people who edit these
 * files are moderators, not programmers. Every mistake becomes a diagnostic
 * with file:line:column and a sentence on what to do; a set with any error
 * is not loaded at all (the caller keeps its last good set).
 *
 * Loading runs in phases, because later parts depend on earlier ones:
 *   1. find and parse all files (files.c; jansson for values, jpos for positions);
 *   2. normalisation tables (replace, emoji, negation) and the languages'
 *      words (language_load.c), then concepts (normalise_load.c);
 *   3. helplines, rules, guards, flows and flow answers, compiling patterns,
 *      and the crisis signals (helplines_load.c, rules.c, flow_load.c,
 *      signals_load.c); the learned models (risk_model.c, topic_model.c), each
 *      topic class tied to the rule it answers with;
 *   4. checks across files (duplicate ids, followups, the safety minimum),
 *      then the index and the typo table;
 *   5. the safety canaries, on the finished engine (canaries.c).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/canaries.h"
#include "engine/dictionary.h"
#include "engine/flow.h"
#include "engine/helplines.h"
#include "engine/index.h"
#include "engine/normalise.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/typos.h"
#include "engine/vocab.h"
#include "common/jpos.h"
#include "engine/language.h"
#include "engine/load.h"
#include "engine/loader.h"
#include "engine/risk_model.h"
#include "engine/signals.h"
#include "engine/topic_model.h"
#include "engine/set.h"
#include "leanon/engine.h"
#include "common/buf.h"

static const char *const required_crisis[] = {
    "crisis-suicide", "crisis-selfharm",    "crisis-overdose",
    "crisis-abuse",   "crisis-harm-others", "crisis-third-party",
};

typedef struct doc {
    char *file;
    json_t *json;
    lo_jpos *pos;
} doc;

/* ---- files ---- */

static const char *const top_keys[] = {
    "rules",      "guards",   "flows",        "answers", "regions", "replace",     "emoji",
    "concepts",   "negation", "leet",         "signals", "tiers",   "check_in",    "languages",
    "risk_model", "comment",  "amount_units", "filler",  "reasons", "topic_model", "topic_routing"};

/* ---- checks across the set ---- */

static int find_rule(const lo_engine *e, const char *id)
{
    for (size_t i = 0; i < e->nrules; i++)
        if (e->rules[i].id && strcmp(e->rules[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* A rule's "followup" that names no rule, with the nearest id as a hint. */
static void unknown_followup(loader *L, const lo_rule *r)
{
    const lo_engine *e = L->e;
    lo_jpos at = {.line = r->line, .column = r->column};
    const char **ids = lo_xcalloc(e->nrules, sizeof(char *));
    size_t nids = 0;
    for (size_t j = 0; j < e->nrules; j++)
        if (e->rules[j].id)
            ids[nids++] = e->rules[j].id;
    const char *hint = lo_suggest(r->followup, ids, nids);
    ERR(L, &at,
        "rule \"%s\": \"followup\" names \"%s\", but no rule or flow has that "
        "id%s%s%s",
        r->id, r->followup, hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "");
    free(ids);
}

/* Each rule's followup names a rule; alerts only on crisis rules. */
static void check_rule_links(loader *L)
{
    lo_engine *e = L->e;
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[i];
        if (!r->id)
            continue;
        L->file = r->file;
        if (r->followup && find_rule(e, r->followup) < 0)
            unknown_followup(L, r);
        if (r->alert && !r->crisis) {
            lo_jpos at = {.line = r->line, .column = r->column};
            WARN(L, &at,
                 "rule \"%s\" has \"alert\" but is not a crisis rule; alerts are only "
                 "sent for crisis categories",
                 r->id);
        }
    }
    L->file = NULL;
}

static void check_set(loader *L)
{
    lo_engine *e = L->e;
    check_rule_links(L);
    lo_check_regions_common(L);
    for (size_t c = 0; c < sizeof required_crisis / sizeof *required_crisis; c++) {
        bool found = false;
        for (size_t i = 0; i < e->nrules && !found; i++)
            found = e->rules[i].category && strcmp(e->rules[i].category, required_crisis[c]) == 0;
        if (!found)
            ERR(L, NULL,
                "the safety rules are incomplete: no rule has category \"%s\". leanon "
                "will not run without them; restore responses/safety/ from the release",
                required_crisis[c]);
    }
    if (!lo_region_find(e, "international") ||
        strcmp(lo_region_find(e, "international")->code, "international") != 0)
        ERR(L, NULL,
            "the helplines are incomplete: responses/safety/helplines.json needs an "
            "\"international\" region. leanon will not run without it");
    if (e->nflows && !e->has_answers[LO_ANSWER_LEAVE])
        ERR(L, NULL,
            "flows are defined but no \"answers\" say how a person leaves one "
            "(\"leave\"); add an \"answers\" block to a file in flows/");
}

typedef struct rule_ref {
    const char *id;
    size_t index;
} rule_ref;

static int cmp_rule_refs(const void *a, const void *b)
{
    const rule_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->index < y->index ? -1 : 1; /* first defined first */
}

/* Orders rules by id (the final tie-break) and reports ids used twice. */
static void rank_rules(loader *L)
{
    lo_engine *e = L->e;
    rule_ref *order = lo_xcalloc(e->nrules, sizeof *order);
    for (size_t i = 0; i < e->nrules; i++)
        order[i] = (rule_ref){e->rules[i].id ? e->rules[i].id : "", i};
    qsort(order, e->nrules, sizeof *order, cmp_rule_refs);
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[order[i].index];
        r->id_rank = (uint32_t)i;
        r->id_hash = r->id ? lo_hash(r->id, strlen(r->id)) : 0;
        const lo_rule *prev = i ? &e->rules[order[i - 1].index] : NULL;
        if (prev && r->id && prev->id && strcmp(prev->id, r->id) == 0) {
            lo_jpos at = {.line = r->line, .column = r->column};
            L->file = r->file;
            ERR(L, &at,
                "the id \"%s\" is already used at %s:%d:%d; every rule and flow "
                "needs its own id",
                r->id, prev->file, prev->line, prev->column);
        }
    }
    free(order);
}

/* The words a pattern uses: exact (=word) or loose, and short_ok for crisis rules. */
typedef struct word_uses {
    bool *exact_only, *loose, *short_ok;
} word_uses;

static void note_word(word_uses *u, const lo_el *w, bool crisis)
{
    (w->flags & LO_WF_EXACT ? u->exact_only : u->loose)[w->word] = true;
    u->short_ok[w->word] = u->short_ok[w->word] || crisis;
}

static void note_pattern_words(word_uses *u, const lo_engine *e, const lo_pattern *pat)
{
    bool crisis = pat->owner_kind == LO_OWNER_RULE && e->rules[pat->owner].crisis;
    for (uint16_t k = 0; k < pat->n; k++) {
        const lo_el *el = &pat->els[k];
        if (el->kind == LO_EL_WORD)
            note_word(u, el, crisis);
        for (uint16_t a = 0; a < el->nalts; a++)
            for (uint16_t w = 0; w < el->alts[a].n; w++)
                note_word(u, &el->alts[a].els[w], crisis);
    }
}

static void build_matching(lo_engine *e)
{
    word_uses u = {.exact_only = lo_xcalloc(e->vocab.count, sizeof(bool)),
                   .loose = lo_xcalloc(e->vocab.count, sizeof(bool)),
                   /* words of crisis rules and of positive crisis signals */
                   .short_ok = lo_xcalloc(e->vocab.count, sizeof(bool))};
    for (size_t p = 0; p < e->npatterns; p++)
        note_pattern_words(&u, e, &e->patterns[p]);
    const lo_signals *sg = e->signals;
    for (size_t i = 0; sg && i < sg->nentries; i++) {
        const lo_alt *alt = &sg->entries[i].alt;
        for (uint16_t w = 0; sg->v[sg->entries[i].signal].weight > 0 && w < alt->n; w++)
            if (!(alt->els[w].flags & LO_WF_EXACT))
                u.short_ok[alt->els[w].word] = true;
    }
    for (uint32_t i = 0; i < e->vocab.count; i++)
        u.exact_only[i] = u.exact_only[i] && !u.loose[i];
    lo_index_build(&e->index, e->patterns, e->npatterns, e->vocab.count);
    e->typos = lo_typos_build(&e->vocab, u.exact_only, u.short_ok, lo_dictionary_shared());
    free(u.exact_only);
    free(u.loose);
    free(u.short_ok);
}

/* Phase 1: each file parsed, as one object with known top-level keys. */
static doc *parse_files(loader *L, char **files, size_t nfiles)
{
    doc *docs = lo_xcalloc(nfiles, sizeof *docs);
    for (size_t i = 0; i < nfiles; i++) {
        docs[i].file = files[i];
        docs[i].json = lo_load_json(files[i], L->d, &docs[i].pos);
        if (docs[i].json && !json_is_object(docs[i].json)) {
            lo_diags_add(L->d, LO_DIAG_ERROR, files[i], 1, 1,
                         "a response file must be one object in { }, e.g. {\"rules\": [...]}");
            json_decref(docs[i].json);
            docs[i].json = NULL;
        }
        if (docs[i].json) {
            L->file = files[i];
            lo_check_keys(L, docs[i].json, docs[i].pos, "a response file", top_keys,
                          sizeof top_keys / sizeof *top_keys);
        }
    }
    return docs;
}

/* Reads an object-valued table of one file, or reports what it should look like. */
static void load_table(loader *L, const doc *f, const char *key, const char *example,
                       void (*each)(loader *, json_t *, const lo_jpos *))
{
    json_t *v = json_object_get(f->json, key);
    if (!v)
        return;
    if (json_is_object(v))
        each(L, v, lo_jpos_key(f->pos, key));
    else
        ERR(L, lo_jpos_key(f->pos, key), "\"%s\" must be an object like %s", key, example);
}

static void load_replace_table(loader *L, json_t *obj, const lo_jpos *pos)
{
    lo_load_replace(L, obj, pos, false);
}

static void load_emoji_table(loader *L, json_t *obj, const lo_jpos *pos)
{
    lo_load_replace(L, obj, pos, true);
}

/* Phase 2: normalisation tables of every file, then concepts (which are
 * normalised with them). */
static void load_tables(loader *L, const doc *docs, size_t nfiles)
{
    for (size_t i = 0; i < nfiles; i++) {
        if (!docs[i].json)
            continue;
        L->file = docs[i].file;
        load_table(L, &docs[i], "replace", "{\"im\": \"i am\"}", load_replace_table);
        load_table(L, &docs[i], "emoji", "{\"😭\": \"crying\"}", load_emoji_table);
        load_table(L, &docs[i], "leet", "{\"3\": \"e\", \"1\": [\"i\", \"l\"]}", lo_load_leet);
        lo_normaliser *norm = &L->e->norm;
        if (json_object_get(docs[i].json, "amount_units"))
            lo_load_word_list(L, docs[i].json, docs[i].pos, "amount_units", &norm->amount_units,
                              &norm->namount_units);
        if (json_object_get(docs[i].json, "filler"))
            lo_load_word_list(L, docs[i].json, docs[i].pos, "filler", &norm->fillers,
                              &norm->nfillers);
        json_t *v = json_object_get(docs[i].json, "negation");
        if (v)
            lo_load_negation(L, v, lo_jpos_key(docs[i].pos, "negation"));
        load_table(L, &docs[i], "languages", "{\"es\": [\"que\", \"estoy\"]}", lo_load_languages);
    }
    lo_normaliser_sort(&L->e->norm);
    for (size_t i = 0; i < nfiles; i++) {
        if (!docs[i].json)
            continue;
        L->file = docs[i].file;
        load_table(L, &docs[i], "concepts", "{\"sad\": [\"sad\", \"down\"]}", lo_load_concepts);
    }
}

/* The learned risk score, from the one file that holds it. */
static void load_risk_model(loader *L, const doc *f)
{
    if (L->e->risk_model) {
        ERR(L, lo_jpos_key(f->pos, "risk_model"), "a second \"risk_model\"; keep one file with it");
        return;
    }
    L->e->risk_model = lo_risk_model_parse(f->json, f->pos, f->file, L->d);
}

/* The learned topic score and the thresholds it routes with, each from the one file
 * that holds it. */
static void load_topic(loader *L, const doc *f)
{
    if (json_object_get(f->json, "topic_routing")) {
        if (L->e->has_topic_routing)
            ERR(L, lo_jpos_key(f->pos, "topic_routing"),
                "a second \"topic_routing\"; keep one file with it");
        else
            L->e->has_topic_routing = lo_topic_routing_parse(
                json_object_get(f->json, "topic_routing"), lo_jpos_key(f->pos, "topic_routing"),
                f->file, L->d, &L->e->topic_routing);
    }
    if (!json_object_get(f->json, "topic_model"))
        return;
    if (L->e->topic_model)
        ERR(L, lo_jpos_key(f->pos, "topic_model"),
            "a second \"topic_model\"; keep one file with it");
    else
        L->e->topic_model = lo_topic_model_parse(f->json, f->pos, f->file, L->d);
}

/* Each topic class answers with the rule whose id is its name (responses/README.md); a
 * class without one (a rule renamed since the fit) is a warning until the next refit. */
static void tie_topic_classes(loader *L, const doc *f)
{
    lo_engine *e = L->e;
    const lo_topic_model *m = e->topic_model;
    e->topic_rules = lo_xcalloc(m->nclasses, sizeof *e->topic_rules);
    const lo_jpos *classes = lo_jpos_key(lo_jpos_key(f->pos, "topic_model"), "classes");
    L->file = f->file;
    for (size_t c = 0; c < m->nclasses; c++) {
        const char *name = m->classes[c].name;
        int r = strcmp(name, LO_TOPIC_NONE) == 0 ? -1 : find_rule(e, name);
        e->topic_rules[c] = r;
        if (r < 0 && strcmp(name, LO_TOPIC_NONE) != 0)
            WARN(L, lo_jpos_key(classes, name),
                 "topic class \"%s\" names no rule with that id, so the model never answers "
                 "with it; refit the model (docs/risk-model.md)",
                 name);
        else if (r >= 0 && (e->rules[r].crisis || e->rules[r].flow >= 0 ||
                            strcmp(e->rules[r].category, name) != 0))
            ERR(L, lo_jpos_key(classes, name),
                "topic class \"%s\" must answer with a rule of category \"%s\" that is not a "
                "crisis rule and starts no flow; refit the model (docs/risk-model.md)",
                name, name);
    }
}

/* Phase 3: everything that has patterns. */
static void load_content(loader *L, const doc *docs, size_t nfiles)
{
    for (size_t i = 0; i < nfiles; i++) {
        json_t *j = docs[i].json;
        if (!j)
            continue;
        L->file = docs[i].file;
        const lo_jpos *p = docs[i].pos;
        if (json_object_get(j, "regions"))
            lo_load_regions(L, json_object_get(j, "regions"), lo_jpos_key(p, "regions"));
        if (json_object_get(j, "rules"))
            lo_load_array(L, j, p, "rules", lo_load_rule);
        if (json_object_get(j, "guards"))
            lo_load_array(L, j, p, "guards", lo_load_guard);
        if (json_object_get(j, "flows"))
            lo_load_array(L, j, p, "flows", lo_load_flow);
        if (json_object_get(j, "answers"))
            lo_load_answers(L, json_object_get(j, "answers"), lo_jpos_key(p, "answers"));
        load_table(L, &docs[i], "signals", "{\"method\": {\"weight\": 3, \"words\": [...]}}",
                   lo_load_signals);
        load_table(L, &docs[i], "reasons", "{\"greeting\": \"You said hello, so I did too.\"}",
                   lo_load_reasons);
        load_table(L, &docs[i], "tiers", "{\"check_in\": 3, \"crisis\": 6}", lo_load_tiers);
        if (json_object_get(j, "risk_model"))
            load_risk_model(L, &docs[i]);
        if (json_object_get(j, "check_in"))
            lo_load_check_ins(L, json_object_get(j, "check_in"), lo_jpos_key(p, "check_in"));
        load_topic(L, &docs[i]);
    }
    for (size_t i = 0; i < nfiles && L->e->topic_model; i++)
        if (docs[i].json && json_object_get(docs[i].json, "topic_model"))
            tie_topic_classes(L, &docs[i]);
}

static void free_docs(doc *docs, char **files, size_t nfiles)
{
    for (size_t i = 0; i < nfiles; i++) {
        json_decref(docs[i].json);
        lo_jpos_free(docs[i].pos);
        free(docs[i].file);
    }
    free(docs);
    free(files);
}

lo_engine *lo_engine_load(const char *dir, lo_diags *diags)
{
    lo_diags *d = diags ? diags : lo_diags_new();
    lo_engine *e = lo_xcalloc(1, sizeof *e);
    lo_vocab_init(&e->vocab);
    lo_normaliser_init_defaults(&e->norm);
    e->fallback_rule = -1;
    e->topic_routing = (lo_topic_routing){LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT};
    loader L = {.e = e, .d = d};

    size_t nfiles = 0;
    char **files = lo_list_response_files(dir, d, &nfiles);
    doc *docs = parse_files(&L, files, nfiles);
    load_tables(&L, docs, nfiles);
    load_content(&L, docs, nfiles);
    free_docs(docs, files, nfiles);

    /* phase 4: across files, then what matching needs */
    rank_rules(&L);
    if (nfiles)
        check_set(&L);
    lo_signals_finish(&L);
    e->fallback_rule = find_rule(e, "fallback");
    build_matching(e);
    /* phase 5: the canaries, on the finished engine */
    if (lo_diags_errors(d) == 0 && nfiles)
        lo_safety_verify(e, d);
    bool failed = lo_diags_errors(d) > 0;
    if (!diags)
        lo_diags_free(d);
    if (failed) {
        lo_engine_free(e);
        return NULL;
    }
    return e;
}

size_t lo_engine_rule_count(const lo_engine *e)
{
    return e ? e->nrules : 0;
}

void lo_engine_free(lo_engine *e)
{
    if (!e)
        return;
    lo_rules_free(e);
    lo_flows_free(e);
    for (size_t i = 0; i < e->npatterns; i++)
        lo_pattern_free(&e->patterns[i]);
    free(e->patterns);
    lo_concepts_free(e);
    lo_signals_free(e->signals);
    lo_languages_free(e->languages);
    lo_risk_model_free(e->risk_model);
    lo_topic_model_free(e->topic_model);
    free(e->topic_rules);
    lo_regions_free(e);
    lo_reasons_free(&e->reasons);
    lo_index_free(&e->index);
    lo_typos_free(e->typos);
    lo_normaliser_free(&e->norm);
    lo_vocab_free(&e->vocab);
    free(e);
}
