/* reasons.c - the plain words for why a reply was given ({reason} in a reply, for "why did
 * you say that?"): the moderators' sentence for the category of the conversation's last
 * reply (the "reasons" table of a response file, read here), else a sentence made from the
 * category's name ("low-mood" -> "low mood"). */
#include "engine/reasons.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "engine/loader.h"
#include "engine/session.h"
#include "engine/set.h"

static const char *text_of(const lo_reasons *r, const char *category)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->categories[i], category) == 0)
            return r->texts[i];
    return NULL;
}

char *lo_reason_of(const lo_engine *e, const lo_session *conv)
{
    const char *category = conv && conv->last_category[0] ? conv->last_category : NULL;
    const char *text = text_of(&e->reasons, category ? category : LO_REASON_NOTHING_YET);
    if (text)
        return lo_xstrdup(text);
    if (!category)
        return lo_xstrdup("I have not answered anything yet in this conversation.");
    char words[sizeof conv->last_category];
    snprintf(words, sizeof words, "%s", category);
    for (char *p = words; *p; p++)
        if (*p == '-' || *p == '_')
            *p = ' ';
    lo_strbuf b = {0};
    lo_strbuf_addf(&b,
                   "I took your last message to be about %s, so I chose one of the replies "
                   "written for that.",
                   words);
    return lo_strbuf_take(&b);
}

void lo_load_reasons(loader *L, json_t *obj, const lo_jpos *pos)
{
    lo_reasons *r = &L->e->reasons;
    const char *category;
    json_t *v;
    json_object_foreach (obj, category, v) {
        const lo_jpos *at = lo_jpos_key(pos, category);
        if (!json_is_string(v) || !*json_string_value(v)) {
            ERR(L, at, "reason \"%s\" must be a text: the plain words for why that reply came",
                category);
            continue;
        }
        if (text_of(r, category)) {
            ERR(L, at, "a second reason for \"%s\"; keep one", category);
            continue;
        }
        r->categories = lo_xrealloc(r->categories, (r->n + 1) * sizeof *r->categories);
        r->texts = lo_xrealloc(r->texts, (r->n + 1) * sizeof *r->texts);
        r->categories[r->n] = lo_xstrdup(category);
        r->texts[r->n] = lo_xstrdup(json_string_value(v));
        r->n++;
    }
}

void lo_reasons_free(lo_reasons *reasons)
{
    for (size_t i = 0; i < reasons->n; i++) {
        free(reasons->categories[i]);
        free(reasons->texts[i]);
    }
    free(reasons->categories);
    free(reasons->texts);
}
