/* canaries.c - the last phase of loading: crisis messages that live in code,
 * which every set must answer as a crisis of their kind, alone and said just
 * before or after any guard's example. Whatever a response file says, a set
 * that fails one is refused, so no edit can switch crisis answers off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "engine/canaries.h"
#include "engine/matches.h"
#include "engine/rules.h"
#include "engine/set.h"
#include "engine/text.h"
#include "leanon/engine.h"
#include "common/buf.h"

/* Messages every loaded set must answer as a crisis of the given kind. They
 * live in code on purpose: whatever a response file says, a set that stops
 * recognising these is refused, so crisis answers cannot be edited away. */
static const struct {
    const char *text;
    const char *category;
} canaries[] = {
    {"I want to kill myself", "crisis-suicide"},
    {"i want to die", "crisis-suicide"},
    {"I want to cut myself", "crisis-selfharm"},
    {"I took too many pills on purpose", "crisis-overdose"},
    {"my partner hits me and I am scared to go home", "crisis-abuse"},
    {"I am scared I will hurt my baby", "crisis-harm-others"},
    {"my friend says she wants to kill herself, what do I do", "crisis-third-party"},
};

static void reply_category(const lo_engine *e, const char *text, char *category,
                           size_t category_size)
{
    lo_message msg = {.platform = "canary", .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, NULL, &msg, NULL, &r);
    snprintf(category, category_size, "%s", r.category);
    lo_reply_clear(&r);
}

/* The guard that cancels a crisis match in text, or NULL. */
static const lo_guard *cancelling_guard(const lo_engine *e, const char *text)
{
    lo_tokens toks = {0};
    lo_matches m = {0};
    lo_engine_tokenise(e, text, strlen(text), &toks);
    lo_engine_match_all(e, &toks, &m);
    const lo_guard *found = NULL;
    for (size_t i = 0; i < m.n && !found; i++) {
        const lo_rule *r = lo_rule_of(e, &m.v[i]);
        if (r && r->crisis)
            found = lo_guard_covering(e, &m, &m.v[i]);
    }
    lo_matches_free(&m);
    lo_tokens_free(&toks);
    return found;
}

/* A guard explains only its own words, so any guard's example said next to a
 * canary, before or after, must leave the canary a crisis. Each guard that
 * hides one is reported once, at its own place. */
static void verify_beside_guard_examples(const lo_engine *e, const char *canary, bool *reported,
                                         lo_diags *d)
{
    for (size_t g = 0; g < e->nguards; g++)
        for (size_t k = 0; k < e->guards[g].nexamples; k++)
            for (int order = 0; order < 2; order++) {
                const char *example = e->guards[g].examples[k];
                lo_strbuf text = {0};
                lo_strbuf_addf(&text, "%s. %s", order ? canary : example, order ? example : canary);
                char category[64];
                reply_category(e, text.data, category, sizeof category);
                const lo_guard *culprit =
                    strncmp(category, "crisis-", 7) == 0 ? NULL : cancelling_guard(e, text.data);
                if (culprit && !reported[culprit - e->guards]) {
                    reported[culprit - e->guards] = true;
                    lo_strbuf m = {0};
                    lo_strbuf_addf(&m,
                                   "guard \"%s\" hides a crisis: \"%s\" is answered as %s. "
                                   "A guard may only cancel the crisis words it spells out "
                                   "itself; narrow its patterns",
                                   culprit->id, text.data, category);
                    lo_diags_add(d, LO_DIAG_ERROR, culprit->file, culprit->line, culprit->column,
                                 m.data);
                    lo_strbuf_free(&m);
                }
                lo_strbuf_free(&text);
            }
}

void lo_safety_verify(const lo_engine *e, lo_diags *d)
{
    bool *reported = lo_xcalloc(e->nguards + 1, sizeof *reported);
    for (size_t i = 0; i < sizeof canaries / sizeof *canaries; i++) {
        char category[64];
        reply_category(e, canaries[i].text, category, sizeof category);
        if (strcmp(category, canaries[i].category) != 0) {
            lo_strbuf m = {0};
            lo_strbuf_addf(&m,
                           "the safety rules no longer answer \"%s\" as %s (it got %s). "
                           "Crisis answers cannot be switched off by an edit: restore the "
                           "crisis rules, or the guard that hides this, from the release",
                           canaries[i].text, canaries[i].category, category);
            lo_diags_add(d, LO_DIAG_ERROR, NULL, 0, 0, m.data);
            lo_strbuf_free(&m);
            continue;
        }
        verify_beside_guard_examples(e, canaries[i].text, reported, d);
    }
    free(reported);
}
