/* loader.h - what the parts of the response-set loader share: the loader's
 * state, diagnostics at a JSON position, the checks every kind of content
 * uses (keys, names, lists of texts, patterns), and each part's entry points.
 * Private to src/engine; load.c runs the parts in order. */
#ifndef LEANON_ENGINE_LOADER_H
#define LEANON_ENGINE_LOADER_H

#include <jansson.h>
#include <stdbool.h>

#include "common/jpos.h"
#include "common/schema.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/texts.h"
#include "leanon/engine.h"

typedef struct loader {
    lo_engine *e;
    lo_diags *d;
    const char *file;
    size_t rules_cap, guards_cap, flows_cap, patterns_cap, regions_cap, concepts_cap;
    size_t repl_cap, emoji_cap, leet_cap;
} loader;

void lo_load_report(loader *L, lo_severity sev, const lo_jpos *at, bool at_key, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

#define ERR(L, at, ...) lo_load_report((L), LO_DIAG_ERROR, (at), false, __VA_ARGS__)
#define KEY_ERR(L, at, ...) lo_load_report((L), LO_DIAG_ERROR, (at), true, __VA_ARGS__)
#define WARN(L, at, ...) lo_load_report((L), LO_DIAG_WARNING, (at), false, __VA_ARGS__)

/* ---- checks (loader.c; keys and typed values by common/schema.h, whose lo_suggest
 * gives every "did you mean") ---- */
/* Reports every key of obj not in allowed, with a "did you mean". */
void lo_check_keys(loader *L, json_t *obj, const lo_jpos *pos, const char *what,
                   const char *const *allowed, size_t nallowed);
/* Lower-case letters, digits, '-' and '_', 1 to max bytes. */
bool lo_valid_name(const char *s, size_t max);
void lo_texts_free(lo_texts *t);
/* Reads arr (found at `at`, named key) as a list of non-empty strings. */
bool lo_texts_from_array(loader *L, json_t *arr, const lo_jpos *at, const char *key, bool required,
                         size_t max_bytes, const char *what, lo_texts *out);
/* Reads key of obj as a list of texts. Returns false after reporting when it
 * is present but wrong, or missing while required. */
bool lo_get_texts(loader *L, json_t *obj, const lo_jpos *pos, const char *key, bool required,
                  size_t max_bytes, const char *what, lo_texts *out);
const char *lo_get_string(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                          bool required, const char *what);
/* Reads key of obj, when present, as a whole number from min to max into *out, or as true
 * or false; false after reporting a wrong value (*out unchanged). */
bool lo_get_whole(loader *L, json_t *obj, const lo_jpos *pos, const char *key, long long min,
                  long long max, long long *out);
bool lo_get_bool(loader *L, json_t *obj, const lo_jpos *pos, const char *key, bool *out);
lo_pattern_context lo_loader_pattern_context(loader *L);
/* Compiles each of srcs into the engine's patterns, owned by (kind, owner). */
bool lo_compile_patterns(loader *L, const lo_texts *srcs, const lo_jpos *at, uint8_t kind,
                         uint32_t owner);
/* Reply texts may name only known {placeholders}. */
bool lo_check_placeholders(loader *L, const lo_texts *t, const lo_jpos *at);
/* Reads "id" (and "category" when category is not NULL) of a rule, guard, flow or step. */
bool lo_load_id_category(loader *L, json_t *obj, const lo_jpos *pos, const char *what, char **id,
                         char **category);

/* ---- the parts ---- */
/* normalise_load.c: "replace", "emoji", "leet", "negation", then "concepts" */
void lo_load_replace(loader *L, json_t *obj, const lo_jpos *pos, bool emoji);
void lo_load_leet(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_negation(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_concepts(loader *L, json_t *obj, const lo_jpos *pos);
/* A top-level list of single words of doc: "amount_units", "filler" */
void lo_load_word_list(loader *L, json_t *doc, const lo_jpos *pos, const char *key, char ***list,
                       size_t *n);
void lo_concepts_free(lo_engine *e);
/* rules.c: "rules" and "guards" */
void lo_load_rule(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_guard(loader *L, json_t *obj, const lo_jpos *pos);
/* Calls each for every item of the list root[key]. */
void lo_load_array(loader *L, json_t *root, const lo_jpos *pos, const char *key,
                   void (*each)(loader *, json_t *, const lo_jpos *));
void lo_rules_free(lo_engine *e);
/* A new, zeroed rule at the end of the engine's rules (flows start one too). */
lo_rule *lo_new_rule(loader *L);
/* Reads a rule's or flow's "examples" and "not" lines. */
bool lo_load_rule_tests(loader *L, json_t *obj, const lo_jpos *pos, const char *what, lo_rule *r);
/* flow_load.c: "flows" and "answers" */
void lo_load_flow(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_answers(loader *L, json_t *obj, const lo_jpos *pos);
void lo_flows_free(lo_engine *e);
/* signals_load.c: "signals", "tiers" and "check_in"; then (phase 4) each
 * category tied to the crisis rule that answers it */
void lo_load_signals(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_tiers(loader *L, json_t *obj, const lo_jpos *pos);
void lo_load_check_ins(loader *L, json_t *arr, const lo_jpos *pos);
void lo_signals_finish(loader *L);
/* language_load.c: "languages" (phase 2, before anything with texts) */
void lo_load_languages(loader *L, json_t *obj, const lo_jpos *pos);
/* Reads key of obj as required texts in the set's languages: a list (English)
 * or {"en": [...], "es": [...]}, placeholders checked; where[k] is the
 * position of language k's list (NULL when absent). */
bool lo_get_texts_lang(loader *L, json_t *obj, const lo_jpos *pos, const char *key,
                       size_t max_bytes, const char *what, lo_texts_lang *out,
                       const lo_jpos *where[LO_LANGUAGES_MAX]);
void lo_texts_lang_free(lo_texts_lang *t);
/* reasons.c: "reasons" (category -> why that reply, in plain words) */
void lo_load_reasons(loader *L, json_t *obj, const lo_jpos *pos);
/* helplines_load.c: "regions" */
void lo_load_regions(loader *L, json_t *obj, const lo_jpos *pos);
/* Once every file is read: "common" names regions of the set, and only "international" has it. */
void lo_check_regions_common(loader *L);
void lo_regions_free(lo_engine *e);

#endif
