/* policy.c - when the bot answers, and the cooldowns that keep it polite.
 *
 * Two steps, because the second needs the engine's safety verdict: first how
 * the message reached the bot (lo_policy_addressing), then, knowing whether
 * it is a crisis, whether to answer (lo_policy_decide). The order of the
 * checks in lo_policy_decide is the policy: crisis comes right after "is this
 * a person talking to us or in a listen channel", before opt-outs and
 * cooldowns, so nothing can hold a crisis reply back.
 *
 * Cooldowns apply only in shared channels; a DM (and every web chat tab) is
 * one person talking to the bot, where a cooldown would only be rude.
 */
#include "bot/policy.h"
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cooldown keys longer than this are cut; ids are far shorter in practice. */
#define KEY_MAX 320
/* Entries older than this are forgotten, so cooldowns are capped at it. */
#define COOLDOWN_HORIZON (24.0 * 3600.0)

struct lo_policy {
    lo_cooldowns *recent;
};

const char *lo_verdict_name(lo_verdict verdict)
{
    switch (verdict) {
    case LO_VERDICT_ANSWER:
        return "answer";
    case LO_VERDICT_SKIP_BOT:
        return "bot";
    case LO_VERDICT_SKIP_NOT_ADDRESSED:
        return "not_addressed";
    case LO_VERDICT_SKIP_OPTED_OUT:
        return "opted_out";
    case LO_VERDICT_SKIP_COOLDOWN:
        return "cooldown";
    }
    return "unknown";
}

static bool is_listen_channel(const lo_community_settings *community, const char *channel)
{
    if (!community || !channel)
        return false;
    for (size_t i = 0; i < community->listen_count; i++)
        if (strcmp(community->listen_channels[i], channel) == 0)
            return true;
    return false;
}

bool lo_policy_from_bot(const lo_message *msg, const char *self_id)
{
    return msg->author_is_bot || (self_id && msg->author && strcmp(self_id, msg->author) == 0);
}

lo_addressing lo_policy_addressing(const lo_community_settings *community, const lo_message *msg,
                                   const char *self_id, lo_command *command)
{
    if (lo_policy_from_bot(msg, self_id))
        return LO_ADDRESSED_NOT;
    const char *prefix = community && community->prefix ? community->prefix : LO_DEFAULT_PREFIX;
    if (lo_command_parse(prefix, msg->text, msg->text_len, command))
        return LO_ADDRESSED_COMMAND;
    if (msg->is_dm && lo_command_parse_bare(msg->text, msg->text_len, command))
        return LO_ADDRESSED_COMMAND;
    if (msg->is_dm || msg->mentions_bot)
        return LO_ADDRESSED_DIRECT;
    if (is_listen_channel(community, msg->channel))
        return LO_ADDRESSED_LISTEN;
    return LO_ADDRESSED_NOT;
}

lo_policy *lo_policy_new(size_t max_tracked)
{
    lo_policy *policy = lo_xcalloc(1, sizeof *policy);
    policy->recent = lo_cooldowns_new(COOLDOWN_HORIZON, max_tracked);
    return policy;
}

void lo_policy_free(lo_policy *policy)
{
    if (!policy)
        return;
    lo_cooldowns_free(policy->recent);
    free(policy);
}

static void person_key(const lo_message *msg, char *out, size_t size)
{
    snprintf(out, size, "p\x1f%s\x1f%s", msg->platform ? msg->platform : "",
             msg->author ? msg->author : "");
}

static void channel_key(const lo_message *msg, char *out, size_t size)
{
    snprintf(out, size, "c\x1f%s\x1f%s\x1f%s", msg->platform ? msg->platform : "",
             msg->community ? msg->community : "", msg->channel ? msg->channel : "");
}

lo_verdict lo_policy_decide(const lo_policy *policy, const lo_community_settings *community,
                            const lo_message *msg, lo_addressing addressing, bool crisis,
                            bool opted_out, double now)
{
    if (lo_policy_from_bot(msg, NULL))
        return LO_VERDICT_SKIP_BOT;
    if (addressing == LO_ADDRESSED_NOT)
        return LO_VERDICT_SKIP_NOT_ADDRESSED;
    if (crisis)
        return LO_VERDICT_ANSWER;
    if (addressing == LO_ADDRESSED_LISTEN)
        return LO_VERDICT_SKIP_NOT_ADDRESSED;
    if (opted_out)
        return LO_VERDICT_SKIP_OPTED_OUT;
    if (msg->is_dm || !community)
        return LO_VERDICT_ANSWER;
    char key[KEY_MAX];
    person_key(msg, key, sizeof key);
    if (lo_cooldowns_active(policy->recent, key, community->person_cooldown, now))
        return LO_VERDICT_SKIP_COOLDOWN;
    channel_key(msg, key, sizeof key);
    if (lo_cooldowns_active(policy->recent, key, community->channel_cooldown, now))
        return LO_VERDICT_SKIP_COOLDOWN;
    return LO_VERDICT_ANSWER;
}

void lo_policy_record(lo_policy *policy, const lo_message *msg, double now)
{
    if (msg->is_dm)
        return;
    char key[KEY_MAX];
    person_key(msg, key, sizeof key);
    lo_cooldowns_touch(policy->recent, key, now);
    channel_key(msg, key, sizeof key);
    lo_cooldowns_touch(policy->recent, key, now);
}
