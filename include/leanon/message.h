/* message.h - what comes in from a chat (lo_message) and what goes back (lo_reply).
 *
 * Platforms fill a lo_message from their wire format; the engine and the bot
 * policy read it and produce a lo_reply. Nothing here owns message text beyond
 * the call that uses it: the engine copies nothing of it into long-lived state.
 */
#ifndef LEANON_MESSAGE_H
#define LEANON_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lo_message {
    const char *platform;    /* "webchat", "discord", "console", ... */
    const char *community;   /* guild / workspace / site id, may be NULL */
    const char *channel;     /* channel or DM id */
    const char *author;      /* platform user id */
    const char *author_name; /* display name for {name}, may be NULL */
    bool is_dm;
    bool mentions_bot;
    bool author_is_bot;
    const char *text;   /* UTF-8 (possibly invalid: the engine repairs it), */
    size_t text_len;    /* exactly text_len bytes; no NUL is needed or read */
    const char *region; /* the region the person chose for crisis lines (the web chat's
                           selector), as they sent it; NULL: the community's */
} lo_message;

/* Why a reply was chosen: which stage of the pipeline produced it. */
typedef enum lo_reply_source {
    LO_SOURCE_SAFETY = 0, /* a crisis rule */
    LO_SOURCE_FLOW,       /* a step of a guided flow */
    LO_SOURCE_RULE,       /* an ordinary rule */
    LO_SOURCE_FALLBACK    /* nothing matched */
} lo_reply_source;

/* How much danger the message showed: a crisis (crisis lines first), a
 * check-in (a real but uncertain signal: the reply asks directly, with the
 * lines below), or none. */
typedef enum lo_risk { LO_RISK_NONE = 0, LO_RISK_CHECK_IN, LO_RISK_CRISIS } lo_risk;

typedef struct lo_reply {
    char *text;            /* heap, UTF-8, owned by the reply */
    char rule_id[64];      /* "" when no rule (fallback) */
    char category[48];     /* e.g. "greeting", "crisis-suicide", "fallback" */
    bool crisis;           /* category starts with "crisis-" (risk is LO_RISK_CRISIS) */
    lo_risk risk;          /* check-ins pass opt-outs and cooldowns like crises, no alert */
    bool alert_moderators; /* platforms may post an alert (ids + link, no text) */
    lo_reply_source source;
    /* A long message with two themes: the category a second, short line of the reply
     * acknowledges ("also"), else "". */
    char also_category[48];
    /* The asking fallback: how many themes it offered as numbered choices (0 = none); and
     * whether this reply answers a theme the person chose from the last such offer. */
    unsigned choices_offered;
    bool choice_taken;
    /* No pattern matched and the learned topic score chose the rule (engine/topic_model.h). */
    bool by_topic_score;
    /* Feedback on the previous reply ("that was wrong", "that helped"): the rule
     * it was about, and +1 helpful / -1 unhelpful; 0 and "" when none. Hosts
     * count it per rule id, or as feedback on the fallback when feedback_on_fallback
     * (the previous reply was the fallback: no rule chose it); no text is kept. */
    int feedback;
    char feedback_on[64];
    bool feedback_on_fallback;
} lo_reply;

/* Frees the text of a reply (the struct itself is the caller's). */
void lo_reply_clear(lo_reply *reply);

#endif
