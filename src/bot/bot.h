/* bot.h - one message in, at most one reply out: the engine behind the
 * policy.
 *
 * For every message that reaches it (addressed, or in a listen channel) the
 * bot asks the engine first, so it knows whether the message is a crisis
 * before opt-outs and cooldowns get a say; the bot's own commands (stop,
 * opt out, start, about) are answered here: an opt-out or start the store could
 * not save is answered as not saved. A failed opt-out lookup does not
 * silence the person. A person who opted out and reaches out in a crisis is
 * answered in that conversation for the next 30 minutes of `now`. Counts what
 * happens in the metrics.
 */
#ifndef LEANON_BOT_BOT_H
#define LEANON_BOT_BOT_H

#include "bot/optout.h"
#include "bot/policy.h"
#include "leanon/engine.h"
#include "obs/metrics.h"

typedef struct lo_bot lo_bot;

/* Takes ownership of engine; optouts and metrics stay the caller's. self_id
 * is the bot's own user id on the platforms (may be NULL). Never NULL (out of
 * memory aborts, the rule of leanon/engine.h). */
lo_bot *lo_bot_new(lo_engine *engine, lo_optout *optouts, lo_metrics *metrics,
                   const lo_sessions_limits *limits, const char *self_id);
void lo_bot_free(lo_bot *bot);

/* Swaps in a newly loaded response set (the old one is freed).
 * Conversations carry over: they refer to rules by hash, not by pointer. */
void lo_bot_set_engine(lo_bot *bot, lo_engine *engine);
/* The response set the bot answers with now. */
const lo_engine *lo_bot_engine(const lo_bot *bot);

/* Seeds the choice of replies, so conversations are the same from run to run
 * for one seed (lo_sessions_seed). */
void lo_bot_seed(lo_bot *bot, uint64_t seed);

/* The conversation the bot keeps for msg (created when new), for a tool that
 * explains a reply within it; valid until the next call into the bot. */
lo_session *lo_bot_conversation(lo_bot *bot, const lo_message *msg, double now);

/* After lo_bot_handle: true when the person is opted out and the bot is not answering
 * them (the verdict was "opted out", or the reply confirmed their opt-out), with undo
 * set to the words that opt back in on msg's platform ("start", "!leanon start"). */
bool lo_bot_opted_out_notice(const lo_community_settings *community, const lo_message *msg,
                             lo_verdict verdict, const lo_reply *reply, char *undo, size_t size);

/* Handles msg at time now (seconds, monotonic). Returns LO_VERDICT_ANSWER with
 * out filled (free it with lo_reply_clear), or why it stays quiet. */
lo_verdict lo_bot_handle(lo_bot *bot, const lo_community_settings *community, const lo_message *msg,
                         double now, lo_reply *out);

#endif
