/* signals_load.c - reads the crisis signals of a response set: "signals"
 * (word lists with weights), "tiers" (the scores of a check-in and of a
 * crisis) and "check_in" (the questions asked at the check-in tier), with
 * the care every moderator-edited file gets; then, once the rules are known,
 * ties each category to the crisis rule that answers it. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "engine/loader.h"
#include "engine/morph.h"
#include "engine/signals.h"
#include "engine/set.h"
#include "engine/texts.h"
#include "engine/rules.h"
#include "engine/pattern.h"
#include "engine/flow.h"

static const char *const signal_keys[] = {"weight", "category", "redirect", "self",   "reach",
                                          "unless", "forms",    "words",    "comment"};
static const char *const tier_keys[] = {"crisis", "check_in",     "pattern",
                                        "model",  "model_weight", "comment"};
static const char *const check_in_keys[] = {"categories", "ask", "danger_answer", "safe_reply"};

#define MAX_WEIGHT 20
#define MAX_ENTRY_BYTES 200

static lo_signals *signals_of(loader *L)
{
    if (!L->e->signals) {
        L->e->signals = lo_xcalloc(1, sizeof *L->e->signals);
        for (size_t c = 0; c < LO_SIGNAL_CATEGORIES; c++)
            L->e->signals->cat_rule[c] = L->e->signals->cat_check_in[c] = -1;
    }
    return L->e->signals;
}

/* The index of a crisis category, added on first use; -1 after an error. */
static int category_index(loader *L, const char *name, const lo_jpos *at)
{
    lo_signals *s = signals_of(L);
    if (strncmp(name, "crisis-", 7) != 0) {
        ERR(L, at,
            "\"%s\" is not a crisis category; signals point to categories like "
            "\"crisis-suicide\"",
            name);
        return -1;
    }
    for (size_t c = 0; c < s->ncats; c++)
        if (strcmp(s->cats[c], name) == 0)
            return (int)c;
    if (s->ncats == LO_SIGNAL_CATEGORIES) {
        ERR(L, at, "signals may name at most %d categories", LO_SIGNAL_CATEGORIES);
        return -1;
    }
    s->cats[s->ncats] = lo_xstrdup(name);
    return (int)s->ncats++;
}

static void add_entry(lo_signals *s, uint32_t signal, lo_alt alt)
{
    lo_grow(&s->entries, &s->entries_cap, s->nentries + 1, sizeof *s->entries);
    s->entries[s->nentries++] =
        (lo_signal_entry){.first = alt.els[0].word, .signal = signal, .alt = alt};
}

/* Compiles one entry, and with forms its first word's English forms. */
static void compile_entry(loader *L, uint32_t signal, const char *text, bool forms,
                          const lo_jpos *at)
{
    lo_signals *s = signals_of(L);
    lo_pattern_context ctx = lo_loader_pattern_context(L);
    bool exact = text[0] == '=';
    const char *body = exact ? text + 1 : text;
    size_t first_len = strcspn(body, " ");
    char first[LO_MORPH_LEN];
    char variants[LO_MORPH_FORMS][LO_MORPH_LEN];
    size_t nvariants = 1;
    if (forms && !exact && first_len < sizeof first) {
        memcpy(first, body, first_len);
        first[first_len] = '\0';
        nvariants = lo_morph_forms(first, variants);
    }
    for (size_t v = 0; v < nvariants; v++) {
        lo_strbuf phrase = {0}, err = {0};
        if (nvariants > 1)
            lo_strbuf_addf(&phrase, "%s%s", variants[v], body + first_len);
        else
            lo_strbuf_adds(&phrase, exact ? text : body);
        lo_alt alt;
        if (lo_pattern_compile_phrase(&ctx, phrase.data, &alt, &err) < 0) {
            ERR(L, at, "signal \"%s\", \"%s\": %s", s->v[signal].id, text, err.data);
            v = nvariants; /* one error an entry */
        } else {
            add_entry(s, signal, alt);
        }
        lo_strbuf_free(&phrase);
        lo_strbuf_free(&err);
    }
}

static bool read_redirect(loader *L, json_t *obj, const lo_jpos *at, lo_signal *sig)
{
    if (!json_is_object(obj)) {
        ERR(L, at,
            "\"redirect\" must be an object like {\"crisis-suicide\": "
            "\"crisis-third-party\"}");
        return false;
    }
    const char *from;
    json_t *to;
    json_object_foreach (obj, from, to) {
        const lo_jpos *kat = lo_jpos_key(at, from);
        if (!json_is_string(to)) {
            ERR(L, kat, "\"redirect\": \"%s\" must name the category it becomes", from);
            return false;
        }
        int f = category_index(L, from, kat), t = category_index(L, json_string_value(to), kat);
        if (f < 0 || t < 0)
            return false;
        sig->redirect[f] = t;
        sig->redirects = true;
    }
    return true;
}

/* A signal's name: well formed and not defined before. */
static bool signal_name_ok(loader *L, const lo_signals *s, const char *id, const lo_jpos *at)
{
    if (!lo_valid_name(id, 40)) {
        KEY_ERR(L, at, "signal name \"%s\" may only use a-z, 0-9, '-' and '_'", id);
        return false;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].id, id) == 0) {
            KEY_ERR(L, at, "signal \"%s\" is defined twice (also at %s:%d); merge the two", id,
                    s->v[i].file, s->v[i].line);
            return false;
        }
    return true;
}

/* "unless": one signal name or a list of at most LO_SIGNAL_UNLESS, into *unless. */
static bool read_unless(loader *L, json_t *obj, const lo_jpos *at, lo_texts *unless)
{
    bool ok = true;
    json_t *unless_v = json_object_get(obj, "unless");
    if (json_is_string(unless_v)) {
        unless->v = lo_xcalloc(1, sizeof *unless->v);
        unless->v[unless->n++] = lo_xstrdup(json_string_value(unless_v));
    } else if (unless_v && !lo_get_texts(L, obj, at, "unless", false, 40, "a signal", unless)) {
        ok = false;
    }
    if (unless->n > LO_SIGNAL_UNLESS) {
        ERR(L, lo_jpos_key(at, "unless"), "\"unless\" may name at most %d signals",
            LO_SIGNAL_UNLESS);
        ok = false;
    }
    return ok;
}

/* "reach" (its string, or NULL) into sig->reach; "reach" and "unless" only with a
 * weight below 0. */
static bool read_reach(loader *L, json_t *obj, const lo_jpos *at, const char *reach, lo_signal *sig)
{
    bool ok = true;
    static const char *const reaches[] = {"clause", "window", "words"};
    for (size_t r = 0; reach && r < sizeof reaches / sizeof *reaches; r++)
        if (strcmp(reach, reaches[r]) == 0) {
            sig->reach = (uint8_t)r;
            reach = NULL;
        }
    if (reach) {
        ERR(L, lo_jpos_key(at, "reach"),
            "\"reach\" must be \"clause\" (the words around it, up "
            "to \"but\" or the end of the sentence), \"window\" (its sentence and the next) or "
            "\"words\" (only the signal words it overlaps, like an idiom)");
        ok = false;
    }
    if ((json_object_get(obj, "reach") || json_object_get(obj, "unless")) && sig->weight >= 0) {
        ERR(L, lo_jpos_key(at, "weight"),
            "\"reach\" and \"unless\" are for signals that lower "
            "the score (a weight below 0)");
        ok = false;
    }
    return ok;
}

/* The parts of a signal that load_signal did not keep. */
static void free_signal(lo_signal *sig)
{
    free(sig->id);
    free(sig->file);
    for (size_t u = 0; u < sig->nunless; u++)
        free(sig->unless_name[u]);
}

/* The keys of a signal after its weight, into sig and *forms (whether its words match
 * their other word forms): false on a mistake. */
static bool read_signal(loader *L, json_t *obj, const lo_jpos *at, lo_signal *sig, bool *forms)
{
    bool ok = true;
    const char *category = lo_get_string(L, obj, at, "category", false, "a signal");
    if (category) {
        sig->category = category_index(L, category, lo_jpos_key(at, "category"));
        ok = sig->category >= 0;
    }
    const char *reach = lo_get_string(L, obj, at, "reach", false, "a signal");
    lo_texts unless = {0};
    ok = read_unless(L, obj, at, &unless) && ok;
    ok = read_reach(L, obj, at, reach, sig) && ok;
    for (size_t u = 0; ok && u < unless.n; u++) {
        sig->unless[u] = -1;
        sig->unless_name[u] = lo_xstrdup(unless.v[u]);
        sig->nunless = u + 1;
    }
    lo_texts_free(&unless);
    json_t *redirect = json_object_get(obj, "redirect");
    if (ok && redirect)
        ok = read_redirect(L, redirect, lo_jpos_key(at, "redirect"), sig);
    ok = lo_get_bool(L, obj, at, "self", &sig->self) && ok;
    ok = lo_get_bool(L, obj, at, "forms", forms) && ok;
    return ok;
}

static void load_signal(loader *L, const char *id, json_t *obj, const lo_jpos *at)
{
    lo_signals *s = signals_of(L);
    if (!signal_name_ok(L, s, id, at))
        return;
    if (!json_is_object(obj)) {
        ERR(L, at,
            "signal \"%s\" must be an object like {\"weight\": 3, \"category\": "
            "\"crisis-suicide\", \"words\": [\"...\"]}",
            id);
        return;
    }
    lo_check_keys(L, obj, at, "a signal", signal_keys, sizeof signal_keys / sizeof *signal_keys);
    json_t *weight = json_object_get(obj, "weight");
    if (!json_is_integer(weight) || json_integer_value(weight) < -MAX_WEIGHT ||
        json_integer_value(weight) > MAX_WEIGHT) {
        ERR(L, weight ? lo_jpos_key(at, "weight") : at,
            "signal \"%s\" needs a \"weight\": a whole number from -%d to %d", id, MAX_WEIGHT,
            MAX_WEIGHT);
        return;
    }
    lo_signal sig = {.id = lo_xstrdup(id),
                     .weight = (int)json_integer_value(weight),
                     .category = -1,
                     .file = lo_xstrdup(L->file),
                     .line = at ? at->line : 0,
                     .column = at ? at->column : 0};
    for (size_t c = 0; c < LO_SIGNAL_CATEGORIES; c++)
        sig.redirect[c] = -1;
    bool forms = true;
    bool ok = read_signal(L, obj, at, &sig, &forms);
    lo_texts words = {0};
    if (ok)
        ok = lo_get_texts(L, obj, at, "words", true, MAX_ENTRY_BYTES, "a signal", &words);
    if (!ok) {
        free_signal(&sig);
        return;
    }
    lo_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n] = sig;
    const lo_jpos *wat = lo_jpos_key(at, "words");
    for (size_t i = 0; i < words.n; i++)
        compile_entry(L, (uint32_t)s->n, words.v[i], forms, wat ? lo_jpos_index(wat, i) : NULL);
    s->n++;
    lo_texts_free(&words);
}

void lo_load_signals(loader *L, json_t *obj, const lo_jpos *pos)
{
    const char *id;
    json_t *val;
    json_object_foreach (obj, id, val)
        load_signal(L, id, val, lo_jpos_key(pos, id));
}

static bool read_score(loader *L, json_t *obj, const lo_jpos *pos, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100) {
        ERR(L, v ? lo_jpos_key(pos, key) : pos,
            "\"tiers\" needs \"%s\": the score (a whole number from 1 to 100) from which a "
            "message gets that answer",
            key);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

void lo_load_tiers(loader *L, json_t *obj, const lo_jpos *pos)
{
    lo_signals *s = signals_of(L);
    if (s->has_tiers) {
        ERR(L, pos, "\"tiers\" is set in two files; keep one");
        return;
    }
    lo_check_keys(L, obj, pos, "\"tiers\"", tier_keys, sizeof tier_keys / sizeof *tier_keys);
    int crisis = 0, check_in = 0, pattern = 0;
    if (!read_score(L, obj, pos, "crisis", &crisis) ||
        !read_score(L, obj, pos, "check_in", &check_in) ||
        !read_score(L, obj, pos, "pattern", &pattern))
        return;
    if (check_in >= crisis) {
        ERR(L, lo_jpos_key(pos, "check_in"),
            "the \"check_in\" score (%d) must be below the "
            "\"crisis\" score (%d): a check-in is for signals too weak for a crisis answer",
            check_in, crisis);
        return;
    }
    json_t *model = json_object_get(obj, "model");
    if (model) {
        if (!json_is_number(model) || json_number_value(model) <= 0 ||
            json_number_value(model) > 1) {
            ERR(L, lo_jpos_key(pos, "model"),
                "\"model\" is the learned score (above 0, at most "
                "1) from which it counts, e.g. 0.8");
            return;
        }
        if (!read_score(L, obj, pos, "model_weight", &s->model_weight))
            return;
        s->model_at = json_number_value(model);
    }
    s->crisis_at = crisis;
    s->check_in_at = check_in;
    s->pattern_weight = pattern;
    s->has_tiers = true;
}

static void load_check_in(loader *L, json_t *obj, const lo_jpos *at)
{
    lo_signals *s = signals_of(L);
    if (!json_is_object(obj)) {
        ERR(L, at,
            "each \"check_in\" must be an object with \"categories\", \"ask\", "
            "\"danger_answer\" and \"safe_reply\"");
        return;
    }
    lo_check_keys(L, obj, at, "a check-in", check_in_keys,
                  sizeof check_in_keys / sizeof *check_in_keys);
    lo_texts cats = {0};
    lo_check_in ci = {.danger_answer = -1};
    const char *danger = lo_get_string(L, obj, at, "danger_answer", true, "a check-in");
    bool ok = lo_get_texts(L, obj, at, "categories", true, 48, "a check-in", &cats);
    const lo_jpos *where[LO_LANGUAGES_MAX];
    ok = lo_get_texts_lang(L, obj, at, "ask", LO_MAX_REPLY_BYTES, "a check-in", &ci.ask, where) &&
         ok;
    ok = lo_get_texts_lang(L, obj, at, "safe_reply", LO_MAX_REPLY_BYTES, "a check-in",
                           &ci.safe_reply, where) &&
         ok;
    if (danger && strcmp(danger, "yes") == 0)
        ci.danger_answer = LO_ANSWER_YES;
    else if (danger && strcmp(danger, "no") == 0)
        ci.danger_answer = LO_ANSWER_NO;
    else if (danger)
        ERR(L, lo_jpos_key(at, "danger_answer"),
            "\"danger_answer\" must be \"yes\" or "
            "\"no\": the answer to the question that means the person is in danger");
    ok = ok && ci.danger_answer >= 0;
    const lo_jpos *cat_at = lo_jpos_key(at, "categories");
    for (size_t i = 0; ok && i < cats.n; i++) {
        const lo_jpos *cp = cat_at ? lo_jpos_index(cat_at, i) : NULL;
        int c = category_index(L, cats.v[i], cp);
        if (c >= 0 && s->cat_check_in[c] >= 0)
            ERR(L, cp, "\"%s\" already has a check-in; each category has one", cats.v[i]);
        if (c < 0 || s->cat_check_in[c] >= 0)
            ok = false;
        else
            s->cat_check_in[c] = (int)s->ncheck_ins;
    }
    lo_texts_free(&cats);
    if (!ok) {
        lo_texts_lang_free(&ci.ask);
        lo_texts_lang_free(&ci.safe_reply);
        return;
    }
    lo_grow(&s->check_ins, &s->check_ins_cap, s->ncheck_ins + 1, sizeof *s->check_ins);
    s->check_ins[s->ncheck_ins++] = ci;
}

void lo_load_check_ins(loader *L, json_t *arr, const lo_jpos *pos)
{
    if (!json_is_array(arr)) {
        ERR(L, pos,
            "\"check_in\" must be a list of check-ins: [{\"categories\": [...], "
            "\"ask\": [...], \"danger_answer\": \"yes\", \"safe_reply\": [...]}]");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v)
        load_check_in(L, v, lo_jpos_index(pos, i));
}

static int cmp_entries(const void *a, const void *b)
{
    const lo_signal_entry *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->signal < y->signal ? -1 : x->signal > y->signal;
}

/* The signal that a category's crisis rule matches stand for. */
static void add_rule_signal(lo_signals *s, size_t c)
{
    lo_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
    lo_signal sig = {.id = lo_xstrdup("rule"),
                     .weight = s->pattern_weight,
                     .category = (int)c,
                     .file = lo_xstrdup("")};
    for (size_t k = 0; k < LO_SIGNAL_CATEGORIES; k++)
        sig.redirect[k] = -1;
    s->rule_signal[c] = (uint32_t)s->n;
    s->v[s->n++] = sig;
}

/* Each "unless" name of the defined signals to the signal's index. */
static void resolve_unless(loader *L, lo_signals *s, size_t defined)
{
    for (size_t i = 0; i < defined; i++) {
        lo_signal *sig = &s->v[i];
        for (size_t u = 0; u < sig->nunless; u++) {
            for (size_t j = 0; j < defined && sig->unless[u] < 0; j++)
                if (strcmp(s->v[j].id, sig->unless_name[u]) == 0)
                    sig->unless[u] = (int)j;
            if (sig->unless[u] < 0) {
                lo_jpos at = {.line = sig->line, .column = sig->column};
                L->file = sig->file;
                ERR(L, &at,
                    "signal \"%s\": \"unless\" names \"%s\", but no signal has that "
                    "name",
                    sig->id, sig->unless_name[u]);
            }
        }
    }
}

/* Each category's crisis rule, and its check-in when signals are defined. */
static void check_categories(loader *L, lo_signals *s, size_t defined)
{
    for (size_t c = 0; c < s->ncats; c++) {
        for (size_t r = 0; r < L->e->nrules && s->cat_rule[c] < 0; r++) {
            const lo_rule *rule = &L->e->rules[r];
            if (rule->crisis && rule->category && strcmp(rule->category, s->cats[c]) == 0 &&
                rule->flow < 0)
                s->cat_rule[c] = (int)r;
        }
        if (s->cat_rule[c] < 0)
            ERR(L, NULL,
                "signals name the category \"%s\", but no crisis rule has it; the "
                "crisis answer comes from that rule's replies",
                s->cats[c]);
        if (defined && s->cat_check_in[c] < 0)
            ERR(L, NULL,
                "the category \"%s\" has no \"check_in\"; add it to the "
                "\"categories\" of one",
                s->cats[c]);
    }
}

/* Phase 4: every crisis rule's category gets its rule signal; every category
 * needs a crisis rule to answer it and, when signals are defined, a check-in.
 * Without any "tiers" a rule's match alone is a crisis, as it always was. */
void lo_signals_finish(loader *L)
{
    lo_signals *s = signals_of(L);
    size_t defined = s->n;
    L->file = defined ? s->v[0].file : NULL;
    if (defined && !s->has_tiers)
        ERR(L, NULL,
            "signals are defined but no \"tiers\" say which score is a check-in and "
            "which a crisis; add {\"tiers\": {\"check_in\": 4, \"crisis\": 6, "
            "\"pattern\": 6}}");
    if (!s->has_tiers)
        s->crisis_at = s->check_in_at = s->pattern_weight = 1;
    s->has_tiers = true;
    for (size_t r = 0; r < L->e->nrules; r++)
        if (L->e->rules[r].crisis && L->e->rules[r].category)
            category_index(L, L->e->rules[r].category, NULL);
    for (size_t c = 0; c < s->ncats; c++)
        add_rule_signal(s, c);
    resolve_unless(L, s, defined);
    check_categories(L, s, defined);
    if (s->nentries)
        qsort(s->entries, s->nentries, sizeof *s->entries, cmp_entries);
    L->file = NULL;
}

void lo_signals_free(lo_signals *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].id);
        free(s->v[i].file);
        for (size_t u = 0; u < s->v[i].nunless; u++)
            free(s->v[i].unless_name[u]);
    }
    free(s->v);
    for (size_t i = 0; i < s->nentries; i++)
        lo_alt_free(&s->entries[i].alt);
    free(s->entries);
    for (size_t c = 0; c < s->ncats; c++)
        free(s->cats[c]);
    for (size_t i = 0; i < s->ncheck_ins; i++) {
        lo_texts_lang_free(&s->check_ins[i].ask);
        lo_texts_lang_free(&s->check_ins[i].safe_reply);
    }
    free(s->check_ins);
    free(s);
}
