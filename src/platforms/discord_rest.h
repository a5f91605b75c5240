/* discord_rest.h - the REST requests the Discord platform sends, as data: path, the route
 * template and top-level resource the rate limiter needs, the order key, and the JSON body.
 *
 * Rate limits are per route and per top-level resource ("major parameter": channel_id,
 * guild_id, or webhook_id + webhook_token; https://discord.com/developers/docs/topics/rate-limits),
 * so each request names its route template ("POST /channels/{channel_id}/messages") and its
 * major ("channel:123"); the net client does the buckets. Interaction tokens stay out of routes,
 * majors and order keys (which may be logged): only the path holds them, and a hash stands in.
 * Every message body carries allowed_mentions so nobody is pinged but the person replied to.
 */
#ifndef LEANON_PLATFORMS_DISCORD_REST_H
#define LEANON_PLATFORMS_DISCORD_REST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "net/http.h"

#define LO_DISCORD_API_BASE "https://discord.com/api/v10"
#define LO_DISCORD_EPHEMERAL (1 << 6) /* message flag 64: only the invoking person sees it */
#define LO_DISCORD_FEEDBACK_PREFIX "leanon:unhelpful:" /* custom_id of the feedback button */

/* One request: the strings the lo_http_request points into, and its body (owned). */
typedef struct lo_discord_call {
    char method[8];
    char path[512];
    char route[96];
    char major[96];
    char order_key[96];
    json_t *body;
    lo_http_request request; /* ready for lo_http_send, pointing into this struct */
} lo_discord_call;

/* "DiscordBot (url, version)", the form Discord requires
 * (https://discord.com/developers/docs/reference#user-agent). */
void lo_discord_user_agent(char *out, size_t size, const char *url, const char *version);

void lo_discord_call_clear(lo_discord_call *call);

/* GET /gateway/bot: the gateway URL, recommended shards and session_start_limit. */
void lo_discord_call_gateway_bot(lo_discord_call *call);

/* POST /channels/{channel}/messages with content. reply_to (a message id, may be NULL) adds a
 * message_reference to it and lets that one person be pinged; guild_id may be NULL. A nonce
 * (at most 25 characters, unique per message the bot sends) is sent with enforce_nonce, so
 * Discord creates the message at most once however often it is sent: the call is then safe to
 * retry after a 5xx or a timeout
 * (https://discord.com/developers/docs/resources/message#create-message). */
bool lo_discord_call_create_message(lo_discord_call *call, const char *channel_id,
                                    const char *content, size_t content_len, const char *reply_to,
                                    const char *guild_id, const char *nonce);

/* Adds a "Not helpful" button under a message being created, naming the rule that chose the
 * reply (custom_id "leanon:unhelpful:<rule>", at most 100 characters; see discord_commands.h).
 * False when the rule id does not fit or the call is not a message. */
bool lo_discord_call_add_feedback_button(lo_discord_call *call, const char *rule_id);

/* POST /interactions/{id}/{token}/callback, type 4 (a message answering the command);
 * ephemeral sets flags 64. Ordered per interaction. Safe to retry: Discord accepts only one
 * response per interaction and refuses a second one. */
bool lo_discord_call_interaction_reply(lo_discord_call *call, const char *interaction_id,
                                       const char *token, const char *content, size_t content_len,
                                       bool ephemeral);

/* POST /webhooks/{application_id}/{token}: a follow-up message after the interaction reply
 * (the rest of a long answer), in order after it. */
bool lo_discord_call_followup(lo_discord_call *call, const char *application_id,
                              const char *interaction_id, const char *token, const char *content,
                              size_t content_len, bool ephemeral);

/* PUT /applications/{app}/commands, or /applications/{app}/guilds/{guild}/commands when
 * guild_id is given: the /leanon command (discord_commands.h) replaces what was there. */
bool lo_discord_call_register_commands(lo_discord_call *call, const char *application_id,
                                       const char *guild_id);

#endif
