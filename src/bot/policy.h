/* policy.h - whether the bot answers a message: manners for group chats.
 *
 * The bot answers in DMs, when mentioned, or to its command prefix; in a
 * community's "listen" channels it also answers crisis messages nobody
 * addressed to it. It never answers bots or itself. Outside DMs, per-person
 * and per-channel cooldowns keep it from crowding a conversation. A crisis
 * reply is never held back: not by cooldowns, not by an opt-out.
 */
#ifndef LEANON_BOT_POLICY_H
#define LEANON_BOT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/commands.h"
#include "bot/cooldown.h"
#include "leanon/message.h"

/* One community's settings (config.c fills these; the defaults are zeroes
 * plus LO_DEFAULT_PREFIX). */
typedef struct lo_community_settings {
    const char *id;     /* community id; NULL = default for all */
    const char *region; /* crisis line region, NULL = international */
    const char *prefix; /* command prefix, NULL = "!leanon" */
    const char *const *listen_channels;
    size_t listen_count;
    const char *alert_channel;  /* moderators' channel for crisis alerts, may be NULL */
    bool alert_include_text;    /* quote the person's words in alerts (default: ids + link) */
    const char *people_contact; /* how to reach the community's people (text, links), or NULL */
    double person_cooldown;     /* seconds between replies to one person, 0 = none */
    double channel_cooldown;    /* seconds between replies in one channel, 0 = none */
} lo_community_settings;

/* How a message reached the bot. */
typedef enum lo_addressing {
    LO_ADDRESSED_NOT = 0, /* not for the bot: ignore */
    LO_ADDRESSED_LISTEN,  /* not addressed, but in a listen channel: crisis only */
    LO_ADDRESSED_DIRECT,  /* DM or mention */
    LO_ADDRESSED_COMMAND  /* the command prefix (see the lo_command) */
} lo_addressing;

typedef enum lo_verdict {
    LO_VERDICT_ANSWER = 0,
    LO_VERDICT_SKIP_BOT, /* from a bot or from the bot itself */
    LO_VERDICT_SKIP_NOT_ADDRESSED,
    LO_VERDICT_SKIP_OPTED_OUT,
    LO_VERDICT_SKIP_COOLDOWN
} lo_verdict;

/* Short stable name of a verdict, for metrics labels ("cooldown"). */
const char *lo_verdict_name(lo_verdict verdict);

/* True for messages from bots, or from the bot itself (self_id may be NULL). */
bool lo_policy_from_bot(const lo_message *msg, const char *self_id);

/* Decides how msg reaches the bot; fills command when addressed by prefix.
 * self_id is the bot's own user id on this platform (may be NULL). */
lo_addressing lo_policy_addressing(const lo_community_settings *community, const lo_message *msg,
                                   const char *self_id, lo_command *command);

typedef struct lo_policy lo_policy;

/* Never NULL: out of memory aborts (the rule of leanon/engine.h). */
lo_policy *lo_policy_new(size_t max_tracked);
void lo_policy_free(lo_policy *policy);

/* The final word once the engine has said whether the message is a crisis. */
lo_verdict lo_policy_decide(const lo_policy *policy, const lo_community_settings *community,
                            const lo_message *msg, lo_addressing addressing, bool crisis,
                            bool opted_out, double now);

/* Records that the bot answered msg at now (starts the cooldowns). */
void lo_policy_record(lo_policy *policy, const lo_message *msg, double now);

#endif
