/* flow.h - guided flows: their steps, the answer kinds, and a conversation inside one
 * (flow.c, flow_load.c). */
#ifndef LEANON_ENGINE_FLOW_H
#define LEANON_ENGINE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/matches.h"
#include "engine/session.h"
#include "engine/text.h"
#include "engine/texts.h"
#include "leanon/engine.h"
#include "leanon/message.h"

enum {
    LO_ANSWER_YES,
    LO_ANSWER_NO,
    LO_ANSWER_UNSURE,
    LO_ANSWER_SKIP,
    LO_ANSWER_PAUSE,
    LO_ANSWER_RESUME,
    LO_ANSWER_LEAVE,
    LO_ANSWER_TEXT,
    LO_ANSWER_KINDS
};
extern const char *const lo_answer_names[LO_ANSWER_KINDS];

typedef struct lo_flow_step {
    char *id;
    char *category;
    char *prompt;
    lo_texts replies[LO_ANSWER_KINDS]; /* by answer kind; TEXT always present */
    char *keep;     /* the title a written answer is kept under for {plan}, or NULL */
    int keep_index; /* its place in lo_session.kept, -1 when not kept */
} lo_flow_step;

typedef struct lo_flow {
    char *id;
    char *category;
    char *intro;
    lo_flow_step *steps;
    size_t nsteps;
    lo_texts skip, pause, resume, leave, finish;
    uint64_t id_hash;
    size_t nkept;         /* steps with a keep title */
    lo_texts_lang offer;  /* added to the crisis replies and check-ins of offer_after, or empty */
    lo_texts offer_after; /* crisis categories ("crisis-suicide") whose replies offer it */
} lo_flow;

/* Longest kept answer, in bytes (a longer one is cut at a character with "..."). */
#define LO_FLOW_KEPT_BYTES 300

/* The answer kind the matches stand for in a flow step, or LO_ANSWER_TEXT. */
int lo_answer_kind(const lo_engine *e, const lo_matches *m);
/* Handles msg inside an active flow; returns true and fills out if it did. */
bool lo_flow_handle(const lo_engine *e, lo_session *conv, const lo_message *msg,
                    const lo_tokens *toks, const lo_matches *m, lo_reply *out);
void lo_flow_start(const lo_engine *e, lo_session *conv, int flow, lo_strbuf *out);
/* The flow whose offer a reply of crisis category (or its check-in) carries, or NULL. */
const lo_flow *lo_flow_offered_after(const lo_engine *e, const char *category);

#endif
