/* reasons.h - why the last reply was given, in plain words: the "reasons" table of a
 * response set (category -> a sentence) and the sentence for a conversation (reasons.c). */
#ifndef LEANON_ENGINE_REASONS_H
#define LEANON_ENGINE_REASONS_H

#include <stddef.h>

#include "leanon/engine.h"

/* The key of the sentence for a conversation the bot has not answered yet. */
#define LO_REASON_NOTHING_YET "nothing-yet"
/* The category of the answer to "why": not remembered as the last reply (engine.c). */
#define LO_WHY_CATEGORY "why"

typedef struct lo_reasons {
    char **categories; /* sorted as found; a category once */
    char **texts;
    size_t n;
} lo_reasons;

/* The sentence that says why conv's last reply was given: the set's text for its
 * category, else one built from the category's name; from nothing but the category the
 * conversation keeps (never what was said). conv may be NULL. Returns a heap string. */
char *lo_reason_of(const lo_engine *e, const lo_session *conv);
void lo_reasons_free(lo_reasons *reasons);

#endif
