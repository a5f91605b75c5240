/* bot.c - the flow of one message: addressing, the bot's own commands,
 * safety first through the engine, then the policy's verdict.
 *
 * Conversation state is kept only for people the bot is talking with: an
 * unaddressed message in a listen channel, or one from a person who opted
 * out, is read by the engine without a conversation (conv NULL), so it
 * leaves nothing behind unless it is a crisis that gets its reply. When the
 * opt-out store fails, a stop is never confirmed and a lookup answers.
 */
#include "bot/bot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obs/clock.h"
#include "obs/log.h"

struct lo_bot {
    lo_engine *engine;
    lo_sessions *sessions;
    lo_policy *policy;
    lo_optout *optouts;
    lo_metrics *metrics;
    char *self_id;
    unsigned memory_minutes; /* how long conversations are kept, for "about" */
};

lo_bot *lo_bot_new(lo_engine *engine, lo_optout *optouts, lo_metrics *metrics,
                   const lo_sessions_limits *limits, const char *self_id)
{
    lo_bot *bot = calloc(1, sizeof *bot);
    if (!bot)
        return NULL;
    bot->engine = engine;
    bot->sessions = lo_sessions_new(limits);
    bot->policy = lo_policy_new(0);
    bot->optouts = optouts;
    bot->metrics = metrics;
    bot->self_id = self_id ? strdup(self_id) : NULL;
    double ttl = limits && limits->ttl_seconds > 0 ? limits->ttl_seconds : 1800;
    bot->memory_minutes = (unsigned)((ttl + 59) / 60);
    for (lo_verdict v = LO_VERDICT_SKIP_BOT; v <= LO_VERDICT_SKIP_COOLDOWN; v++)
        lo_metrics_declare(metrics, LO_METRIC_IGNORED, lo_verdict_name(v));
    lo_metrics_declare(metrics, LO_METRIC_ERRORS, "optout_store");
    /* the groups every set answers with: crisis-*, check-in-*, the fallback, the bot's commands */
    static const char *const groups[] = {"crisis", "check", "fallback", "command"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        lo_metrics_declare(metrics, LO_METRIC_REPLIES_OUT, groups[i]);
    if (!bot->sessions || !bot->policy || (self_id && !bot->self_id)) {
        bot->engine = NULL; /* stays the caller's on failure */
        lo_bot_free(bot);
        return NULL;
    }
    return bot;
}

void lo_bot_free(lo_bot *bot)
{
    if (!bot)
        return;
    lo_engine_free(bot->engine);
    lo_sessions_free(bot->sessions);
    lo_policy_free(bot->policy);
    free(bot->self_id);
    free(bot);
}

void lo_bot_set_engine(lo_bot *bot, lo_engine *engine)
{
    lo_engine_free(bot->engine);
    bot->engine = engine;
}

void lo_bot_seed(lo_bot *bot, uint64_t seed)
{
    lo_sessions_seed(bot->sessions, seed);
}

/* Counts and logs a failed opt-out store call: the platform and sqlite's
 * reason only, never the person's id or what they wrote. */
static void store_failed(lo_bot *bot, const char *event, const lo_message *msg)
{
    char reason[128];
    lo_metrics_add(bot->metrics, LO_METRIC_ERRORS, "optout_store", 1);
    lo_log(LO_LOG_ERROR, event, "platform=%s reason=%s", msg->platform,
           lo_log_quote(lo_optout_error(bot->optouts), reason, sizeof reason));
}

/* stop / start / about: answered by the bot, whatever the cooldowns. A stop
 * or start that was not saved is answered as such, never confirmed. */
static lo_verdict own_command(lo_bot *bot, const lo_community_settings *community,
                              const lo_message *msg, lo_command_kind kind, lo_reply *out)
{
    bool unsaved = false;
    if (kind == LO_COMMAND_STOP || kind == LO_COMMAND_START) {
        unsaved =
            lo_optout_set(bot->optouts, msg->platform, msg->author, kind == LO_COMMAND_STOP) != 0;
        if (unsaved)
            store_failed(bot, "optout.write_failed", msg);
    }
    const char *prefix = community && community->prefix ? community->prefix : LO_DEFAULT_PREFIX;
    out->text = unsaved ? lo_command_unsaved_answer(kind, prefix)
                        : lo_command_answer(kind, prefix, bot->memory_minutes);
    if (!out->text)
        return LO_VERDICT_SKIP_NOT_ADDRESSED;
    snprintf(out->category, sizeof out->category, "%s",
             unsaved ? lo_command_unsaved_category(kind) : lo_command_category(kind));
    out->source = LO_SOURCE_RULE;
    return LO_VERDICT_ANSWER;
}

static void session_key(const lo_message *msg, char *out, size_t size)
{
    snprintf(out, size, "%s\x1f%s\x1f%s\x1f%s", msg->platform ? msg->platform : "",
             msg->community ? msg->community : "", msg->channel ? msg->channel : "",
             msg->author ? msg->author : "");
}

lo_session *lo_bot_conversation(lo_bot *bot, const lo_message *msg, double now)
{
    char key[512];
    session_key(msg, key, sizeof key);
    return lo_sessions_get(bot->sessions, key, now);
}

lo_verdict lo_bot_handle(lo_bot *bot, const lo_community_settings *community, const lo_message *msg,
                         double now, lo_reply *out)
{
    double started = lo_monotonic_seconds();
    memset(out, 0, sizeof *out);
    lo_metrics_add(bot->metrics, LO_METRIC_MESSAGES_IN, msg->platform, 1);

    lo_command command;
    lo_addressing addressing = lo_policy_addressing(community, msg, bot->self_id, &command);
    lo_verdict verdict;
    if (addressing == LO_ADDRESSED_COMMAND && command.kind != LO_COMMAND_ENGINE) {
        verdict = own_command(bot, community, msg, command.kind, out);
    } else if (addressing == LO_ADDRESSED_NOT) {
        verdict = lo_policy_from_bot(msg, bot->self_id) ? LO_VERDICT_SKIP_BOT
                                                        : LO_VERDICT_SKIP_NOT_ADDRESSED;
    } else {
        int opted = lo_optout_has(bot->optouts, msg->platform, msg->author);
        if (opted < 0) {
            /* Unsure: answer. A store that cannot be read must not silence
             * everyone; the error is counted and logged for the operator. */
            store_failed(bot, "optout.read_failed", msg);
            opted = 0;
        }
        lo_message ask = *msg;
        if (addressing == LO_ADDRESSED_COMMAND) {
            ask.text = command.text;
            ask.text_len = command.text_len;
        }
        lo_session *conv = NULL;
        if (addressing != LO_ADDRESSED_LISTEN && !opted)
            conv = lo_bot_conversation(bot, msg, now);
        lo_reply_options options = {.region = community ? community->region : NULL};
        lo_engine_reply(bot->engine, conv, &ask, &options, out);
        /* a check-in passes opt-outs and cooldowns like a crisis answer */
        verdict = lo_policy_decide(bot->policy, community, msg, addressing,
                                   out->risk != LO_RISK_NONE, opted != 0, now);
    }

    if (verdict != LO_VERDICT_ANSWER) {
        lo_reply_clear(out);
        lo_metrics_add(bot->metrics, LO_METRIC_IGNORED, lo_verdict_name(verdict), 1);
        return verdict;
    }
    lo_policy_record(bot->policy, msg, now);
    if (out->crisis)
        lo_metrics_add(bot->metrics, LO_METRIC_CRISIS_REPLIES, msg->platform, 1);
    if (out->risk == LO_RISK_CHECK_IN)
        lo_metrics_add(bot->metrics, LO_METRIC_CHECK_INS, out->category + strlen("check-in-"), 1);
    if (out->feedback) /* the rule id only: what was said is not kept */
        lo_metrics_feedback(bot->metrics, out->feedback, out->feedback_on,
                            out->feedback_on_fallback);
    if (out->source == LO_SOURCE_FALLBACK)
        lo_metrics_add(bot->metrics, LO_METRIC_FALLBACK, "fallback", 1);
    if (out->choices_offered)
        lo_metrics_add(bot->metrics, LO_METRIC_FALLBACK, "choices_offered", 1);
    if (out->choice_taken)
        lo_metrics_add(bot->metrics, LO_METRIC_FALLBACK, "choice_taken", 1);
    lo_metrics_reply(bot->metrics, out->category, lo_monotonic_seconds() - started);
    return LO_VERDICT_ANSWER;
}
