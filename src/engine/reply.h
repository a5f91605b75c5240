/* reply.h - choosing a reply text and rendering its placeholders (reply.c). */
#ifndef LEANON_ENGINE_REPLY_H
#define LEANON_ENGINE_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/pattern.h"
#include "engine/text.h"
#include "leanon/engine.h"
#include "leanon/message.h"
#include "engine/session.h"

/* Appends text (n bytes) with mentions, links and markup taken out: the characters that make
 * them (@ < > [ ] ( ) * _ ~ ` | : / \\ # ! { }), control characters and invalid UTF-8 become
 * single spaces; cut at a character within max_bytes, then cut (e.g. "...") is added. */
void lo_reply_safe_text(const char *text, size_t n, size_t max_bytes, const char *cut,
                        lo_strbuf *out);
/* Picks one text not yet used in this conversation (any text when conv is NULL). */
const char *lo_pick(lo_session *conv, uint64_t key_hash, char *const *texts, size_t n);
/* Expands {name}, {echo}, {helplines} and {reason} (reason: why the last reply was given,
 * NULL when unknown) in tmpl. */
/* crisis: the region's lines are always included (appended if the template
 * has no {helplines}); domestic: domestic-violence lines instead of crisis lines. */
char *lo_reply_render(const lo_engine *e, const char *tmpl, const lo_message *msg,
                      const lo_tokens *toks, const lo_match *m, const char *region, bool crisis,
                      bool domestic, const char *reason);

#endif
