/* bot.c - the flow of one message: addressing, the bot's own commands,
 * safety first through the engine, then the policy's verdict.
 *
 * Conversation state is kept only for people the bot is talking with: an
 * unaddressed message in a listen channel, or one from a person who opted
 * out, is read by the engine without a conversation (conv NULL), so it
 * leaves nothing behind unless it is a crisis that gets its reply. When the
 * opt-out store fails, a stop is never confirmed and a lookup answers.
 *
 * "stop" inside a guided flow ends the flow (the engine's leave answer), as the
 * flow's intro says; outside one, and "opt out" anywhere, opts the person out.
 * A person who opted out and then sends a crisis message (or one that gets a
 * check-in) gets the reply in their conversation, and the bot stays with them
 * there for STAY_SECONDS of the clock it is given (`now`), answering as usual,
 * and says so in that reply. "helpline <region>" answers with that region's
 * lines; "I want a person" with the community's people_contact when it has one.
 */
#include "bot/bot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/cooldown.h"
#include "common/buf.h"
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
    lo_cooldowns *stays;     /* conversations of opted-out people who reached out in a crisis */
};

/* How long the bot stays with an opted-out person after their crisis message. */
#define STAY_SECONDS (30.0 * 60.0)

lo_bot *lo_bot_new(lo_engine *engine, lo_optout *optouts, lo_metrics *metrics,
                   const lo_sessions_limits *limits, const char *self_id)
{
    lo_bot *bot = lo_xcalloc(1, sizeof *bot);
    bot->engine = engine;
    bot->sessions = lo_sessions_new(limits);
    bot->policy = lo_policy_new(0);
    bot->stays = lo_cooldowns_new(STAY_SECONDS, 0);
    bot->optouts = optouts;
    bot->metrics = metrics;
    bot->self_id = self_id ? lo_xstrdup(self_id) : NULL;
    double ttl = limits && limits->ttl_seconds > 0 ? limits->ttl_seconds : 1800;
    bot->memory_minutes = (unsigned)((ttl + 59) / 60);
    for (lo_verdict v = LO_VERDICT_SKIP_BOT; v <= LO_VERDICT_SKIP_COOLDOWN; v++)
        lo_metrics_declare(metrics, LO_METRIC_IGNORED, lo_verdict_name(v));
    lo_metrics_declare(metrics, LO_METRIC_ERRORS, "optout_store");
    /* the groups every set answers with: crisis-*, check-in-*, the fallback, the bot's commands */
    static const char *const groups[] = {"crisis", "check", "fallback", "command"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        lo_metrics_declare(metrics, LO_METRIC_REPLIES_OUT, groups[i]);
    return bot;
}

void lo_bot_free(lo_bot *bot)
{
    if (!bot)
        return;
    lo_engine_free(bot->engine);
    lo_sessions_free(bot->sessions);
    lo_policy_free(bot->policy);
    lo_cooldowns_free(bot->stays);
    free(bot->self_id);
    free(bot);
}

const lo_engine *lo_bot_engine(const lo_bot *bot)
{
    return bot->engine;
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

static void session_key(const lo_message *msg, char *out, size_t size)
{
    snprintf(out, size, "%s\x1f%s\x1f%s\x1f%s", msg->platform ? msg->platform : "",
             msg->community ? msg->community : "", msg->channel ? msg->channel : "",
             msg->author ? msg->author : "");
}

static const char *prefix_of(const lo_community_settings *community)
{
    return community && community->prefix ? community->prefix : LO_DEFAULT_PREFIX;
}

static bool opts_out(lo_command_kind kind)
{
    return kind == LO_COMMAND_STOP || kind == LO_COMMAND_OPT_OUT;
}

/* stop / opt out / start / about: answered by the bot, whatever the cooldowns. An
 * opt-out or start that was not saved is answered as such, never confirmed; a saved
 * opt-out ends a stay. */
static lo_verdict own_command(lo_bot *bot, const lo_community_settings *community,
                              const lo_message *msg, lo_command_kind kind, lo_reply *out)
{
    bool unsaved = false;
    if (opts_out(kind) || kind == LO_COMMAND_START) {
        unsaved = lo_optout_set(bot->optouts, msg->platform, msg->author, opts_out(kind)) != 0;
        if (unsaved)
            store_failed(bot, "optout.write_failed", msg);
    }
    if (opts_out(kind) && !unsaved) {
        char key[512];
        session_key(msg, key, sizeof key);
        lo_cooldowns_forget(bot->stays, key);
    }
    const char *prefix = prefix_of(community);
    out->text = unsaved ? lo_command_unsaved_answer(kind, msg->platform, prefix)
                        : lo_command_answer(kind, msg->platform, prefix, bot->memory_minutes);
    snprintf(out->category, sizeof out->category, "%s",
             unsaved ? lo_command_unsaved_category(kind) : lo_command_category(kind));
    out->source = LO_SOURCE_RULE;
    return LO_VERDICT_ANSWER;
}

/* True when msg's conversation is in a flow that waits for an answer. */
static bool in_flow(lo_bot *bot, const lo_message *msg, double now)
{
    char key[512];
    session_key(msg, key, sizeof key);
    return lo_session_in_flow(lo_sessions_find(bot->sessions, key, now));
}

/* Adds note to the end of the reply, after an empty line. */
static void append_note(lo_reply *out, char *note)
{
    size_t size = strlen(out->text) + 2 + strlen(note) + 1;
    char *joined = lo_xcalloc(1, size);
    snprintf(joined, size, "%s\n\n%s", out->text, note);
    free(out->text);
    out->text = joined;
    free(note);
}

bool lo_bot_opted_out_notice(const lo_community_settings *community, const lo_message *msg,
                             lo_verdict verdict, const lo_reply *reply, char *undo, size_t size)
{
    bool confirmed = verdict == LO_VERDICT_ANSWER && strcmp(reply->category, "command-stop") == 0;
    if (verdict != LO_VERDICT_SKIP_OPTED_OUT && !confirmed)
        return false;
    lo_command_words(msg->platform, prefix_of(community), "start", undo, size);
    return true;
}

lo_session *lo_bot_conversation(lo_bot *bot, const lo_message *msg, double now)
{
    char key[512];
    session_key(msg, key, sizeof key);
    return lo_sessions_get(bot->sessions, key, now);
}

/* "helpline xyz" for a region the set has no lines for (the engine gave its fallback):
 * the regions it knows, how to ask, and the community's own lines meanwhile. */
static void unknown_region(lo_bot *bot, lo_session *conv, const lo_message *ask,
                           const lo_reply_options *options, const char *words, lo_reply *out)
{
    lo_reply_clear(out);
    lo_message helpline = *ask;
    helpline.text = "helpline";
    helpline.text_len = strlen(helpline.text);
    lo_engine_reply(bot->engine, conv, &helpline, options, out);
    size_t size = strlen(words) + strlen(out->text) + 256;
    for (size_t i = 0; i < lo_engine_region_count(bot->engine); i++)
        size += strlen(lo_engine_region_code(bot->engine, i)) +
                strlen(lo_engine_region_name(bot->engine, i)) + 8;
    char *text = lo_xcalloc(1, size);
    int n = snprintf(text, size, "I do not have lines for \"%s\". The regions I know are", words);
    const char *example = "US";
    const char *sep = ":";
    for (size_t i = 0; i < lo_engine_region_count(bot->engine); i++) {
        const char *code = lo_engine_region_code(bot->engine, i);
        if (strcmp(code, "international") == 0)
            continue; /* the lines of no region: what the person gets meanwhile */
        n += snprintf(text + n, size - (size_t)n, "%s %s (%s)", sep, code,
                      lo_engine_region_name(bot->engine, i));
        example = *sep == ':' ? code : example;
        sep = ",";
    }
    snprintf(text + n, size - (size_t)n, ". Write, for example, \"helpline %s\".\n\n%s", example,
             out->text);
    free(out->text);
    out->text = text;
}

/* The engine's answer to ask, with the two requests the bot completes: a region's
 * lines ("helpline uk") and the community's way to reach its people. */
static void engine_answer(lo_bot *bot, const lo_community_settings *community, lo_session *conv,
                          const lo_message *ask, lo_reply *out)
{
    /* the region the person chose, when the set has it, before the community's */
    const char *chosen = ask->region ? lo_engine_region_lookup(bot->engine, ask->region) : NULL;
    lo_reply_options options = {.region = chosen ? chosen : community ? community->region : NULL};
    char words[64];
    bool region_asked = lo_command_region_request(ask->text, ask->text_len, words, sizeof words);
    const char *region = region_asked ? lo_engine_region_lookup(bot->engine, words) : NULL;
    lo_message asked = *ask;
    if (region) {
        asked.text = "helpline";
        asked.text_len = strlen(asked.text);
        options.region = region;
    }
    lo_engine_reply(bot->engine, conv, &asked, &options, out);
    if (region_asked && !region && out->source == LO_SOURCE_FALLBACK)
        unknown_region(bot, conv, ask, &options, words, out);
    if (strcmp(out->category, "human") == 0 && community && community->people_contact &&
        *community->people_contact) {
        char *text = lo_command_people_answer(community->people_contact, ask->platform,
                                              prefix_of(community));
        free(out->text);
        out->text = text;
    }
}

/* A message for the engine from a person the bot may or may not be answering. */
static lo_verdict converse(lo_bot *bot, const lo_community_settings *community,
                           const lo_message *msg, lo_addressing addressing,
                           const lo_command *command, double now, lo_reply *out)
{
    int opted = lo_optout_has(bot->optouts, msg->platform, msg->author);
    if (opted < 0) {
        /* Unsure: answer. A store that cannot be read must not silence
         * everyone; the error is counted and logged for the operator. */
        store_failed(bot, "optout.read_failed", msg);
        opted = 0;
    }
    lo_message ask = *msg;
    if (addressing == LO_ADDRESSED_COMMAND) {
        ask.text = command->text;
        ask.text_len = command->text_len;
    }
    char key[512];
    session_key(msg, key, sizeof key);
    bool addressed = addressing != LO_ADDRESSED_LISTEN;
    bool staying = opted && lo_cooldowns_active(bot->stays, key, STAY_SECONDS, now);
    lo_session *conv = addressed && (!opted || staying) ? lo_bot_conversation(bot, msg, now) : NULL;
    engine_answer(bot, community, conv, &ask, out);
    bool danger = out->risk != LO_RISK_NONE;
    if (opted && addressed && danger) {
        /* They reached out: answer in their conversation and stay with them there. */
        if (!conv) {
            lo_reply_clear(out);
            engine_answer(bot, community, lo_bot_conversation(bot, msg, now), &ask, out);
        }
        lo_cooldowns_touch(bot->stays, key, now);
        append_note(out, lo_command_stay_note(msg->platform, prefix_of(community),
                                              (unsigned)(STAY_SECONDS / 60)));
        staying = true;
    }
    /* a check-in passes opt-outs and cooldowns like a crisis answer */
    return lo_policy_decide(bot->policy, community, msg, addressing, danger, opted && !staying,
                            now);
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
    bool own = addressing == LO_ADDRESSED_COMMAND && command.kind != LO_COMMAND_ENGINE &&
               !(command.kind == LO_COMMAND_STOP && in_flow(bot, msg, now));
    if (own) {
        verdict = own_command(bot, community, msg, command.kind, out);
    } else if (addressing == LO_ADDRESSED_NOT) {
        verdict = lo_policy_from_bot(msg, bot->self_id) ? LO_VERDICT_SKIP_BOT
                                                        : LO_VERDICT_SKIP_NOT_ADDRESSED;
    } else {
        verdict = converse(bot, community, msg, addressing, &command, now, out);
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
