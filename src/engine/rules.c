/* rules.c - the rules and idiom guards of a response set: each checked with
 * care (ids, categories, priorities, replies and their placeholders, examples
 * and "not" lines), its patterns compiled into the engine. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/set.h"
#include "engine/texts.h"
#include "common/jpos.h"
#include "engine/loader.h"
#include "leanon/engine.h"
#include "common/buf.h"

static const char *const rule_keys[] = {"id",   "category", "priority", "patterns", "replies",
                                        "also", "theme",    "ask",      "followup", "examples",
                                        "not",  "alert",    "feedback", "helplines"};

/* The longest "also" line and theme name: a line beside a reply, a name in a list. */
#define MAX_ALSO_BYTES 200
#define MAX_THEME_BYTES 40

lo_rule *lo_new_rule(loader *L)
{
    lo_engine *e = L->e;
    lo_grow(&e->rules, &L->rules_cap, e->nrules + 1, sizeof *e->rules);
    lo_rule *r = &e->rules[e->nrules];
    memset(r, 0, sizeof *r);
    r->flow = -1;
    r->file = lo_xstrdup(L->file);
    return r;
}

static int example_line(const lo_jpos *pos, const char *key, size_t i)
{
    const lo_jpos *p = lo_jpos_index(lo_jpos_key(pos, key), i);
    return p ? p->line : 0;
}

/* Reads "priority", "examples" and "not", shared by rules and flows. */
bool lo_load_rule_tests(loader *L, json_t *obj, const lo_jpos *pos, const char *what, lo_rule *r)
{
    bool ok = true;
    long long priority = r->priority;
    if (lo_get_whole(L, obj, pos, "priority", 0, 100, &priority))
        r->priority = (int)priority;
    else
        ok = false;
    lo_texts t;
    if (lo_get_texts(L, obj, pos, "examples", false, 4000, what, &t)) {
        r->examples = t.v;
        r->nexamples = t.n;
        r->example_lines = lo_xcalloc(t.n, sizeof(int));
        for (size_t i = 0; i < t.n; i++)
            r->example_lines[i] = example_line(pos, "examples", i);
    } else {
        ok = false;
    }
    if (lo_get_texts(L, obj, pos, "not", false, 4000, what, &t)) {
        r->nots = t.v;
        r->nnots = t.n;
    } else {
        ok = false;
    }
    return ok;
}

/* A rule's replies in one language: not too many, and short enough to read. */
static void check_replies(loader *L, const lo_texts *replies, const lo_jpos *at)
{
    if (replies->n > LO_MAX_REPLIES_PER_RULE)
        ERR(L, at, "a rule can have at most %d replies", LO_MAX_REPLIES_PER_RULE);
    for (size_t i = 0; i < replies->n; i++)
        if (strlen(replies->v[i]) > 600)
            WARN(L, lo_jpos_index(at, i),
                 "reply %zu is %zu bytes; people read short replies best (under 600)", i + 1,
                 strlen(replies->v[i]));
}

/* Reads the texts of key by language when the rule has the key; false when it has none. */
static bool optional_texts_lang(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                                size_t max_bytes, lo_texts_lang *out)
{
    const lo_jpos *where[LO_LANGUAGES_MAX];
    memset(out, 0, sizeof *out);
    return json_object_get(obj, key) &&
           lo_get_texts_lang(L, obj, pos, key, max_bytes, "a rule", out, where);
}

/* "also", "theme" and "ask": what long messages and the asking fallback use (engine.c).
 * Only an ordinary rule may be acknowledged beside another or offered as a theme; only
 * the fallback asks. */
static void load_fallback_texts(loader *L, json_t *obj, const lo_jpos *pos, lo_rule *r)
{
    bool fallback = r->id && strcmp(r->id, "fallback") == 0;
    bool ordinary = !r->crisis && !fallback;
    if (optional_texts_lang(L, obj, pos, "also", MAX_ALSO_BYTES, &r->also) && !ordinary)
        ERR(L, lo_jpos_key(pos, "also"),
            "\"also\" lines are for ordinary rules: a crisis answer or the fallback is never "
            "given beside another reply");
    if (optional_texts_lang(L, obj, pos, "ask", LO_MAX_REPLY_BYTES, &r->ask) && !fallback)
        ERR(L, lo_jpos_key(pos, "ask"),
            "only the rule with id \"fallback\" may have \"ask\" (the invitation before the "
            "themes it offers)");
    const char *theme = lo_get_string(L, obj, pos, "theme", false, "a rule");
    if (!theme)
        return;
    size_t n = strlen(theme);
    if (!ordinary)
        ERR(L, lo_jpos_key(pos, "theme"),
            "a \"theme\" is offered when nothing matched: crisis rules and the fallback have "
            "none");
    else if (n < 2 || n > MAX_THEME_BYTES || strpbrk(theme, "{}\n"))
        ERR(L, lo_jpos_key(pos, "theme"),
            "a \"theme\" is a short name of 2 to %d bytes, one line, without placeholders",
            MAX_THEME_BYTES);
    else
        r->theme = lo_xstrdup(theme);
}

void lo_load_rule(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each rule must be an object in { }");
        return;
    }
    lo_check_keys(L, obj, pos, "a rule", rule_keys, sizeof rule_keys / sizeof *rule_keys);
    lo_rule *r = lo_new_rule(L);
    r->line = pos ? pos->line : 0;
    r->column = pos ? pos->column : 0;
    lo_load_id_category(L, obj, pos, "a rule", &r->id, &r->category);
    r->priority = 50;
    lo_load_rule_tests(L, obj, pos, "a rule", r);
    lo_texts patterns;
    const lo_jpos *where[LO_LANGUAGES_MAX];
    if (lo_get_texts_lang(L, obj, pos, "replies", LO_MAX_REPLY_BYTES, "a rule", &r->replies, where))
        for (size_t k = 0; k < LO_LANGUAGES_MAX; k++)
            check_replies(L, &r->replies.in[k], where[k]);
    const char *followup = lo_get_string(L, obj, pos, "followup", false, "a rule");
    if (followup)
        r->followup = lo_xstrdup(followup);
    lo_get_bool(L, obj, pos, "alert", &r->alert);
    const char *feedback = lo_get_string(L, obj, pos, "feedback", false, "a rule");
    if (feedback && strcmp(feedback, "helpful") != 0 && strcmp(feedback, "unhelpful") != 0)
        ERR(L, lo_jpos_key(pos, "feedback"),
            "\"feedback\" must be \"helpful\" or "
            "\"unhelpful\"");
    r->feedback = !feedback ? 0 : strcmp(feedback, "helpful") == 0 ? 1 : -1;
    r->crisis = r->category && strncmp(r->category, "crisis-", 7) == 0;
    const char *lines = lo_get_string(L, obj, pos, "helplines", false, "a rule");
    if (lines && strcmp(lines, "crisis") != 0 && strcmp(lines, "domestic_violence") != 0)
        ERR(L, lo_jpos_key(pos, "helplines"),
            "\"helplines\" must be \"crisis\" or "
            "\"domestic_violence\"");
    r->domestic_lines = lines ? strcmp(lines, "domestic_violence") == 0
                              : r->category && strcmp(r->category, "crisis-abuse") == 0;
    load_fallback_texts(L, obj, pos, r);
    L->e->nrules++;
    if (lo_get_texts(L, obj, pos, "patterns", true, 1000, "a rule", &patterns)) {
        lo_compile_patterns(L, &patterns, lo_jpos_key(pos, "patterns"), LO_OWNER_RULE,
                            (uint32_t)(L->e->nrules - 1));
        lo_texts_free(&patterns);
    }
}

static const char *const guard_keys[] = {"id", "patterns", "examples"};

void lo_load_guard(loader *L, json_t *obj, const lo_jpos *pos)
{
    if (!json_is_object(obj)) {
        ERR(L, pos, "each guard must be an object in { }");
        return;
    }
    lo_check_keys(L, obj, pos, "a guard", guard_keys, 3);
    lo_engine *e = L->e;
    lo_grow(&e->guards, &L->guards_cap, e->nguards + 1, sizeof *e->guards);
    lo_guard *g = &e->guards[e->nguards++];
    memset(g, 0, sizeof *g);
    g->file = lo_xstrdup(L->file);
    g->line = pos ? pos->line : 0;
    g->column = pos ? pos->column : 0;
    lo_load_id_category(L, obj, pos, "a guard", &g->id, NULL);
    lo_texts t;
    if (lo_get_texts(L, obj, pos, "examples", false, 4000, "a guard", &t)) {
        g->examples = t.v;
        g->nexamples = t.n;
    }
    if (lo_get_texts(L, obj, pos, "patterns", true, 1000, "a guard", &t)) {
        lo_compile_patterns(L, &t, lo_jpos_key(pos, "patterns"), LO_OWNER_GUARD,
                            (uint32_t)(e->nguards - 1));
        lo_texts_free(&t);
    }
}

void lo_load_array(loader *L, json_t *root, const lo_jpos *pos, const char *key,
                   void (*each)(loader *, json_t *, const lo_jpos *))
{
    json_t *arr = json_object_get(root, key);
    const lo_jpos *at = lo_jpos_key(pos, key);
    if (!json_is_array(arr)) {
        ERR(L, at, "\"%s\" must be a list in [ ]", key);
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach (arr, i, item)
        each(L, item, lo_jpos_index(at, i));
}

void lo_rules_free(lo_engine *e)
{
    for (size_t i = 0; i < e->nrules; i++) {
        lo_rule *r = &e->rules[i];
        lo_texts_lang_free(&r->replies);
        lo_texts_lang_free(&r->also);
        lo_texts_lang_free(&r->ask);
        free(r->theme);
        lo_texts t = {r->examples, r->nexamples};
        lo_texts_free(&t);
        t = (lo_texts){r->nots, r->nnots};
        lo_texts_free(&t);
        free(r->id);
        free(r->category);
        free(r->followup);
        free(r->file);
        free(r->example_lines);
    }
    free(e->rules);
    for (size_t i = 0; i < e->nguards; i++) {
        lo_texts t = {e->guards[i].examples, e->guards[i].nexamples};
        lo_texts_free(&t);
        free(e->guards[i].id);
        free(e->guards[i].file);
    }
    free(e->guards);
}
