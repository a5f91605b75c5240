/* discord_rest.c - building the platform's REST calls (see discord_rest.h).
 *
 * Each builder fills the strings of one lo_discord_call and points its lo_http_request at them,
 * so the caller can hand &call->request to lo_http_send and clear the call right after (the
 * client copies what it needs when the request is queued).
 */
#include "platforms/discord_rest.h"

#include "platforms/discord_commands.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void lo_discord_user_agent(char *out, size_t size, const char *url, const char *version)
{
    snprintf(out, size, "DiscordBot (%s, %s)", url, version);
}

void lo_discord_call_clear(lo_discord_call *call)
{
    json_decref(call->body);
    memset(call, 0, sizeof *call);
}

static void finish(lo_discord_call *call, bool retry_safe)
{
    call->request.method = call->method;
    call->request.path = call->path;
    call->request.route = call->route[0] ? call->route : NULL;
    call->request.major = call->major[0] ? call->major : NULL;
    call->request.order_key = call->order_key[0] ? call->order_key : NULL;
    call->request.body = call->body;
    call->request.retry_safe = retry_safe;
}

/* A stand-in for a secret in keys that may be logged (FNV-1a, 64 bits). */
static uint64_t fingerprint(const char *secret)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)secret; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

/* An interaction token is URL-safe by design; anything else is refused rather than escaped. */
/* A token becomes one path segment: letters, digits, '-', '_' and '.', but
 * never only dots ("." and ".." would walk the path). */
static bool token_is_path_safe(const char *token)
{
    if (!token || !*token || strlen(token) > 400 || strspn(token, ".") == strlen(token))
        return false;
    return strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
           strlen(token);
}

static json_t *no_pings(bool replied_user)
{
    return json_pack("{s:[], s:b}", "parse", "replied_user", replied_user);
}

void lo_discord_call_gateway_bot(lo_discord_call *call)
{
    memset(call, 0, sizeof *call);
    snprintf(call->method, sizeof call->method, "GET");
    snprintf(call->path, sizeof call->path, "/gateway/bot");
    snprintf(call->route, sizeof call->route, "GET /gateway/bot");
    finish(call, false);
}

bool lo_discord_call_create_message(lo_discord_call *call, const char *channel_id,
                                    const char *content, size_t content_len, const char *reply_to,
                                    const char *guild_id, const char *nonce)
{
    memset(call, 0, sizeof *call);
    if (nonce && strlen(nonce) > 25)
        return false;
    call->body = json_pack("{s:s%, s:o}", "content", content, content_len, "allowed_mentions",
                           no_pings(reply_to != NULL));
    if (!call->body)
        return false;
    if (reply_to) {
        /* fail_if_not_exists false: if the person deleted their message, still answer */
        json_t *ref = json_pack("{s:s, s:s, s:b}", "message_id", reply_to, "channel_id", channel_id,
                                "fail_if_not_exists", 0);
        if (ref && guild_id && *guild_id)
            json_object_set_new(ref, "guild_id", json_string(guild_id));
        json_object_set_new(call->body, "message_reference", ref ? ref : json_null());
    }
    if (nonce) {
        json_object_set_new(call->body, "nonce", json_string(nonce));
        json_object_set_new(call->body, "enforce_nonce", json_true());
    }
    snprintf(call->method, sizeof call->method, "POST");
    snprintf(call->path, sizeof call->path, "/channels/%s/messages", channel_id);
    snprintf(call->route, sizeof call->route, "POST /channels/{channel_id}/messages");
    snprintf(call->major, sizeof call->major, "channel:%s", channel_id);
    snprintf(call->order_key, sizeof call->order_key, "channel:%s", channel_id);
    finish(call, nonce != NULL);
    return true;
}

bool lo_discord_call_add_feedback_button(lo_discord_call *call, const char *rule_id)
{
    char custom_id[101];
    int n = snprintf(custom_id, sizeof custom_id, "%s%s", LO_DISCORD_FEEDBACK_PREFIX,
                     rule_id ? rule_id : "");
    if (!call->body || !rule_id || !*rule_id || n < 0 || (size_t)n >= sizeof custom_id)
        return false;
    /* an action row (type 1) holding one secondary-style button (type 2, style 2)
     * (https://discord.com/developers/docs/interactions/message-components) */
    json_t *row = json_pack("[{s:i, s:[{s:i, s:i, s:s, s:s}]}]", "type", 1, "components", "type", 2,
                            "style", 2, "label", "Not helpful", "custom_id", custom_id);
    if (!row)
        return false;
    json_object_set_new(call->body, "components", row);
    return true;
}

static json_t *message_data(const char *content, size_t content_len, bool ephemeral)
{
    json_t *data = json_pack("{s:s%, s:o}", "content", content, content_len, "allowed_mentions",
                             no_pings(false));
    if (data && ephemeral)
        json_object_set_new(data, "flags", json_integer(LO_DISCORD_EPHEMERAL));
    return data;
}

bool lo_discord_call_interaction_reply(lo_discord_call *call, const char *interaction_id,
                                       const char *token, const char *content, size_t content_len,
                                       bool ephemeral)
{
    memset(call, 0, sizeof *call);
    if (!token_is_path_safe(token))
        return false;
    json_t *data = message_data(content, content_len, ephemeral);
    call->body = data ? json_pack("{s:i, s:o}", "type", 4, "data", data) : NULL;
    if (!call->body)
        return false;
    snprintf(call->method, sizeof call->method, "POST");
    snprintf(call->path, sizeof call->path, "/interactions/%s/%s/callback", interaction_id, token);
    snprintf(call->route, sizeof call->route,
             "POST /interactions/{interaction_id}/{interaction_token}/callback");
    snprintf(call->major, sizeof call->major, "interaction:%s", interaction_id);
    snprintf(call->order_key, sizeof call->order_key, "interaction:%s", interaction_id);
    finish(call, true);
    return true;
}

bool lo_discord_call_followup(lo_discord_call *call, const char *application_id,
                              const char *interaction_id, const char *token, const char *content,
                              size_t content_len, bool ephemeral)
{
    memset(call, 0, sizeof *call);
    if (!token_is_path_safe(token))
        return false;
    call->body = message_data(content, content_len, ephemeral);
    if (!call->body)
        return false;
    snprintf(call->method, sizeof call->method, "POST");
    snprintf(call->path, sizeof call->path, "/webhooks/%s/%s", application_id, token);
    snprintf(call->route, sizeof call->route, "POST /webhooks/{webhook_id}/{webhook_token}");
    /* webhook id + token together are the top-level resource; a fingerprint stands for the token */
    snprintf(call->major, sizeof call->major, "webhook:%s:%016llx", application_id,
             (unsigned long long)fingerprint(token));
    /* after the interaction's own callback, in order */
    snprintf(call->order_key, sizeof call->order_key, "interaction:%s", interaction_id);
    finish(call, false);
    return true;
}

bool lo_discord_call_register_commands(lo_discord_call *call, const char *application_id,
                                       const char *guild_id)
{
    memset(call, 0, sizeof *call);
    call->body = lo_discord_commands_definition();
    if (!call->body)
        return false;
    snprintf(call->method, sizeof call->method, "PUT");
    if (guild_id) {
        snprintf(call->path, sizeof call->path, "/applications/%s/guilds/%s/commands",
                 application_id, guild_id);
        snprintf(call->route, sizeof call->route,
                 "PUT /applications/{application_id}/guilds/{guild_id}/commands");
        snprintf(call->major, sizeof call->major, "guild:%s", guild_id);
    } else {
        snprintf(call->path, sizeof call->path, "/applications/%s/commands", application_id);
        snprintf(call->route, sizeof call->route, "PUT /applications/{application_id}/commands");
    }
    finish(call, false); /* PUT is idempotent: the client retries it anyway */
    return true;
}
