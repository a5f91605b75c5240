/* session.h - what a conversation remembers between messages: used replies, the flow step,
 * the offered follow-up, check-in and themes (session.c). */
#ifndef LEANON_ENGINE_SESSION_H
#define LEANON_ENGINE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "leanon/engine.h"

typedef struct lo_used_replies {
    uint64_t rule_hash;
    uint64_t mask;
    uint32_t last; /* index of the last reply given + 1, 0 = none */
} lo_used_replies;

#define LO_SESSION_RULE_SLOTS 24
#define LO_SESSION_CHOICES 3 /* themes the asking fallback offers at most */
#define LO_SESSION_KEPT 10   /* answers a flow keeps at most (the safety plan's steps) */

struct lo_session {
    char *key;
    double last_seen;
    uint64_t rng;
    lo_used_replies used[LO_SESSION_RULE_SLOTS];
    uint8_t nused;
    uint64_t flow_hash; /* active or paused flow, 0 = none */
    int flow_step;      /* step to ask next */
    bool flow_paused;
    uint64_t followup_hash; /* rule or flow offered by the last reply, 0 = none */
    uint64_t check_in_hash; /* crisis category the last reply's check-in asked about, 0 = none */
    int check_in_lang;      /* the language that check-in was asked in */
    char last_rule[64];     /* the rule of the last reply, for feedback */
    char last_category[48]; /* the category of the last reply, for "why" ({reason}) */
    bool last_fallback;     /* the last reply was the fallback (feedback on it is the fallback's) */
    uint64_t choice_hash[LO_SESSION_CHOICES]; /* the rules whose themes the last reply offered,
                                                 by number (1 first); 0 = none */
    /* The person's own words for the active flow's kept steps (a safety plan), by the step's
     * keep number: in memory only, shown back at the flow's end and wiped when it ends, when
     * another flow starts, or with the conversation. The one place a session holds text. */
    char *kept[LO_SESSION_KEPT];
    bool plan_offered; /* a flow's offer was added to a crisis reply in this conversation */
    struct lo_session *lru_prev, *lru_next, *hash_next;
};

uint64_t lo_session_random(lo_session *s);
/* Wipes and frees the kept answers. */
void lo_session_forget_kept(lo_session *s);
/* A copy of src to try a message on without touching src (explain, check): its own kept
 * answers, no key and no place in a store; give it back with lo_session_forget_kept. */
void lo_session_copy(lo_session *dst, const lo_session *src);
lo_used_replies *lo_session_used(lo_session *s, uint64_t rule_hash);

#endif
