/* discord.c - the Discord platform glue (see discord.h): wires the gateway state machine to a
 * websocket per shard, events to the bot's callback, and answers to REST calls.
 *
 * start: GET /gateway/bot gives the gateway URL, the recommended shard count and the session
 * start limit; then each shard gets a lo_ws and a lo_discord_gateway, and one uv timer that
 * fires at the machine's next deadline. on_frame: every websocket message goes to the machine,
 * which answers through the sink below. send_reply: pieces of the answer go out in order per
 * channel (the REST client orders by key), the alert after them. stop: close the sockets, let
 * queued calls finish.
 */
#include "platforms/discord.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "net/http.h"
#include "net/ws.h"
#include "platforms/discord_alert.h"
#include "platforms/discord_commands.h"
#include "platforms/discord_forbidden.h"
#include "platforms/discord_gateway.h"
#include "platforms/discord_message.h"
#include "platforms/discord_rest.h"
#include "platforms/discord_split.h"

/* Added to a crisis answer in a listen channel: the person was not talking to the bot. */
#define DM_OFFER "\n\nIf you would like to keep talking, you can send me a direct message."
/* Sends per second over all routes: a margin under Discord's 50. */
#define LO_DISCORD_GLOBAL_PER_SECOND 45
/* The answer to a /leanon invocation the bot stays quiet on (an interaction must be answered). */
#define QUIET_ANSWER "leanon has nothing to add here right now."

typedef struct shard {
    struct lo_discord *owner;
    unsigned id;
    lo_discord_gateway *gateway;
    lo_ws *ws;
    uv_timer_t timer;
} shard;

struct lo_discord {
    lo_discord_options options;
    char *token;
    char *api_base;
    char *gateway_override;
    char *ca_file;
    char **command_guilds;
    lo_http_client *http;
    lo_discord_identify_limits *limits;
    shard *shards;
    unsigned shard_count;
    unsigned open_handles;        /* timers (the retry timer, the shards') not yet closed */
    uv_timer_t gateway_bot_retry; /* GET /gateway/bot again after it failed */
    unsigned gateway_bot_failures;
    char application_id[LO_DISCORD_ID_SIZE];
    bool commands_registered;
    bool stopping, freeing;
    lo_discord_forbidden forbidden; /* channels that just refused the bot */
    lo_discord_stats stats;
};

static void log_event(lo_discord *dc, lo_discord_log_level level, const char *event,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void log_event(lo_discord *dc, lo_discord_log_level level, const char *event,
                      const char *fmt, ...)
{
    if (!dc->options.log)
        return;
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    dc->options.log(dc->options.user, level, event, detail);
}

static void count(lo_discord *dc, lo_metric metric, const char *label, double delta)
{
    if (dc->options.metrics)
        lo_metrics_add(dc->options.metrics, metric, label, delta);
}

static uint64_t now_ms(const lo_discord *dc)
{
    return uv_now(dc->options.loop);
}

/* ---- REST ---- */

typedef enum call_kind { CALL_REPLY, CALL_ALERT, CALL_REGISTER, CALL_GATEWAY_BOT } call_kind;

typedef struct call_context {
    lo_discord *dc;
    call_kind kind;
    char channel[LO_DISCORD_ID_SIZE]; /* a message create's channel, "" otherwise */
} call_context;

static void stop_shards(lo_discord *dc, const struct shard *except); /* below */

static void start_shards(lo_discord *dc, const json_t *gateway_bot);
static int request_gateway_bot(lo_discord *dc);

static void on_gateway_bot_retry(uv_timer_t *timer)
{
    lo_discord *dc = timer->data;
    if (!dc->stopping && request_gateway_bot(dc) != 0)
        log_event(dc, LO_DISCORD_ERROR, "discord.gateway_bot_refused", "queue=full");
}

/* After the REST client's own retries failed: try again later, with growing, jittered delays,
 * so a network outage at start does not stop the platform for good. */
static void schedule_gateway_bot_retry(lo_discord *dc, long status)
{
    lo_backoff_policy policy = dc->options.reconnect_backoff;
    if (!policy.base_ms && !policy.cap_ms && !policy.floor_ms)
        policy = (lo_backoff_policy){.floor_ms = 1000, .base_ms = 5000, .cap_ms = 300000};
    uint64_t delay = lo_backoff_delay_ms(&policy, dc->gateway_bot_failures++,
                                         dc->options.rng ? dc->options.rng : lo_rng_default());
    log_event(dc, LO_DISCORD_WARN, "discord.gateway_bot_failed", "status=%ld retry_ms=%llu", status,
              (unsigned long long)delay);
    uv_timer_start(&dc->gateway_bot_retry, on_gateway_bot_retry, delay, 0);
}

/* The answer to GET /gateway/bot: start the shards, stop on a rejected token, or retry. */
static void on_gateway_bot(lo_discord *dc, const lo_http_response *response, bool ok)
{
    if (ok) {
        start_shards(dc, response->json);
    } else if (response->status == 401) {
        log_event(dc, LO_DISCORD_ERROR, "discord.stopped", "reason=token_rejected status=401");
        if (dc->options.on_fatal)
            dc->options.on_fatal(dc->options.user,
                                 "Discord rejected the bot token (HTTP 401 on GET /gateway/bot): "
                                 "set a valid token in LEANON_DISCORD_TOKEN or "
                                 "LEANON_DISCORD_TOKEN_FILE; not connecting");
    } else if (!dc->stopping) {
        schedule_gateway_bot_retry(dc, response->status);
    }
}

static void on_call_done(void *user, const lo_http_response *response)
{
    call_context *ctx = user;
    lo_discord *dc = ctx->dc;
    call_kind kind = ctx->kind;
    char channel[LO_DISCORD_ID_SIZE];
    snprintf(channel, sizeof channel, "%s", ctx->channel);
    free(ctx);
    if (response->outcome == LO_HTTP_CANCELLED)
        return;
    bool ok =
        response->outcome == LO_HTTP_DELIVERED && response->status >= 200 && response->status < 300;
    if (response->status == 401 && kind != CALL_GATEWAY_BOT && !dc->stopping) {
        /* the token was reset or revoked while running: every further call would be refused */
        log_event(dc, LO_DISCORD_ERROR, "discord.stopped", "reason=token_rejected status=401");
        dc->stopping = true;
        stop_shards(dc, NULL);
        if (dc->options.on_fatal)
            dc->options.on_fatal(dc->options.user,
                                 "Discord stopped accepting the bot token (HTTP 401): set the new "
                                 "token in LEANON_DISCORD_TOKEN or LEANON_DISCORD_TOKEN_FILE and "
                                 "restart; not sending");
        return;
    }
    if ((response->status == 403 || response->status == 404) && channel[0]) {
        lo_discord_forbidden_add(&dc->forbidden, channel, now_ms(dc));
        log_event(dc, LO_DISCORD_WARN, "discord.channel_refused",
                  "channel=%s status=%ld pause_s=%u", channel, response->status,
                  LO_DISCORD_FORBIDDEN_MS / 1000);
    }
    if (kind == CALL_GATEWAY_BOT) {
        on_gateway_bot(dc, response, ok);
        return;
    }
    if (kind == CALL_REGISTER) {
        log_event(dc, ok ? LO_DISCORD_INFO : LO_DISCORD_WARN, "discord.commands_registered",
                  "ok=%d status=%ld", ok, response->status);
        return;
    }
    if (ok) {
        dc->stats.replies_sent++;
        if (kind == CALL_ALERT)
            dc->stats.alerts_sent++;
    } else {
        dc->stats.replies_failed++;
        count(dc, LO_METRIC_ERRORS, "discord_send", 1);
        log_event(dc, LO_DISCORD_WARN, "discord.send_failed", "kind=%s status=%ld attempts=%u",
                  kind == CALL_ALERT ? "alert" : "reply", response->status, response->attempts);
    }
}

/* Queues a built call (channel: a message create's channel, or NULL); the call is cleared
 * either way. Nothing is sent to a channel that has just refused the bot. */
static void send_call(lo_discord *dc, lo_discord_call *call, call_kind kind, const char *channel)
{
    if (channel && lo_discord_forbidden_has(&dc->forbidden, channel, now_ms(dc))) {
        dc->stats.replies_skipped++;
        lo_discord_call_clear(call);
        return;
    }
    call_context *ctx = lo_xcalloc(1, sizeof *ctx);
    ctx->dc = dc;
    ctx->kind = kind;
    snprintf(ctx->channel, sizeof ctx->channel, "%s", channel ? channel : "");
    int rc = lo_http_send(dc->http, &call->request, on_call_done, ctx);
    if (rc != 0) {
        free(ctx);
        dc->stats.replies_failed++;
        log_event(dc, LO_DISCORD_WARN, "discord.send_refused", "route=\"%s\" rc=%d", call->route,
                  rc);
    }
    lo_discord_call_clear(call);
}

/* ---- send_reply: answers to messages and to /leanon ---- */

static char *answer_text(const lo_discord_answer *answer)
{
    const char *text = answer->reply.text ? answer->reply.text : "";
    bool offer = answer->unaddressed && answer->reply.crisis;
    size_t size = strlen(text) + (offer ? sizeof DM_OFFER : 1);
    char *out = lo_xcalloc(size, 1);
    snprintf(out, size, "%s%s", text, offer ? DM_OFFER : "");
    return out;
}

/* nonce_source: the id the alert is about (message or interaction), unique per alert */
static void send_alert(lo_discord *dc, const lo_discord_answer *answer, const lo_message *msg,
                       const char *message_id, const char *nonce_source)
{
    /* a DM belongs to no community: its moderators are not told (the person may not even be a
     * member of the community whose settings apply by default) */
    if (!answer->reply.alert_moderators || msg->is_dm ||
        !lo_discord_is_snowflake(answer->alert_channel))
        return;
    char *content =
        lo_discord_alert_content(msg->community, msg->channel, message_id, answer->reply.category,
                                 answer->alert_with_text ? msg->text : NULL, msg->text_len);
    char nonce[LO_DISCORD_ID_SIZE + 2];
    snprintf(nonce, sizeof nonce, "a%s", nonce_source);
    lo_discord_call call;
    if (lo_discord_call_create_message(&call, answer->alert_channel, content, strlen(content), NULL,
                                       NULL, nonce))
        send_call(dc, &call, CALL_ALERT, answer->alert_channel);
    free(content);
}

static void send_reply(lo_discord *dc, const lo_discord_inbound *in,
                       const lo_discord_answer *answer)
{
    char *text = answer_text(answer);
    size_t len = strlen(text), offset = 0, start, piece;
    unsigned index = 0;
    lo_discord_call held; /* each piece goes once the next is known: the last gets the button */
    bool holding = false;
    while ((piece = lo_discord_split_next(text, len, &offset, LO_DISCORD_MESSAGE_LIMIT, &start)) >
           0) {
        char nonce[32]; /* "r" + the person's message id + "." + the piece: unique, <= 25 */
        snprintf(nonce, sizeof nonce, "r%s.%u", in->message_id, index);
        if (holding)
            send_call(dc, &held, CALL_REPLY, in->channel_id);
        holding = lo_discord_call_create_message(&held, in->channel_id, text + start, piece,
                                                 index == 0 ? in->message_id : NULL, in->guild_id,
                                                 strlen(nonce) <= 25 ? nonce : NULL);
        index++;
    }
    if (holding) {
        /* people can say a reply missed; crisis replies and thanks-for-feedback carry no button */
        const lo_reply *r = &answer->reply;
        if (!r->crisis && r->rule_id[0] && strcmp(r->category, "feedback") != 0)
            lo_discord_call_add_feedback_button(&held, r->rule_id);
        send_call(dc, &held, CALL_REPLY, in->channel_id);
    }
    free(text);
    send_alert(dc, answer, &in->msg, in->message_id, in->message_id);
}

static void send_interaction_reply(lo_discord *dc, const lo_discord_invocation *inv,
                                   const lo_discord_answer *answer)
{
    char *text = answer ? answer_text(answer) : lo_xstrdup(QUIET_ANSWER);
    bool ephemeral = !answer || lo_discord_invocation_private(inv) || answer->reply.crisis;
    size_t len = strlen(text), offset = 0, start, piece;
    bool first = true;
    while ((piece = lo_discord_split_next(text, len, &offset, LO_DISCORD_MESSAGE_LIMIT, &start)) >
           0) {
        lo_discord_call call;
        bool built = first
                         ? lo_discord_call_interaction_reply(&call, inv->interaction_id, inv->token,
                                                             text + start, piece, ephemeral)
                         : lo_discord_call_followup(&call, inv->application_id, inv->interaction_id,
                                                    inv->token, text + start, piece, ephemeral);
        if (built)
            send_call(dc, &call, CALL_REPLY, NULL);
        first = false;
    }
    free(text);
    if (answer)
        send_alert(dc, answer, &inv->in.msg, NULL, inv->interaction_id);
}

/* ---- dispatch events ---- */

static void register_commands(lo_discord *dc)
{
    if (dc->commands_registered || !dc->application_id[0])
        return;
    dc->commands_registered = true;
    lo_discord_call call;
    if (dc->options.command_guild_count == 0) {
        if (lo_discord_call_register_commands(&call, dc->application_id, NULL))
            send_call(dc, &call, CALL_REGISTER, NULL);
    }
    for (size_t i = 0; i < dc->options.command_guild_count; i++)
        if (lo_discord_call_register_commands(&call, dc->application_id, dc->command_guilds[i]))
            send_call(dc, &call, CALL_REGISTER, NULL);
}

static void on_message_create(lo_discord *dc, shard *sh, const json_t *d)
{
    lo_discord_inbound in;
    if (!lo_discord_message_parse(d, lo_discord_gateway_user_id(sh->gateway), &in))
        return;
    dc->stats.messages_in++;
    lo_discord_answer answer;
    memset(&answer, 0, sizeof answer);
    if (dc->options.on_message(dc->options.user, &in.msg, NULL, &answer) == 1) {
        send_reply(dc, &in, &answer);
        dc->options.release(dc->options.user, &answer);
    }
    lo_discord_inbound_clear(&in);
}

/* The "Not helpful" button: counted for the rule (no text kept), and thanked privately. */
static void on_feedback(lo_discord *dc, const lo_discord_feedback *fb)
{
    /* the engine's fallback rule is the one named "fallback": feedback on it is the fallback's */
    lo_metrics_feedback(dc->options.metrics, -1, fb->rule_id, strcmp(fb->rule_id, "fallback") == 0);
    lo_discord_call call;
    static const char thanks[] = "Thank you for telling me. The moderators see which replies miss, "
                                 "so this helps. If you'd like to talk to a person, a moderator "
                                 "or someone you trust is a good next step.";
    if (lo_discord_call_interaction_reply(&call, fb->interaction_id, fb->token, thanks,
                                          sizeof thanks - 1, true))
        send_call(dc, &call, CALL_REPLY, NULL);
}

static void on_interaction_create(lo_discord *dc, const json_t *d)
{
    lo_discord_feedback fb;
    if (lo_discord_feedback_parse(d, &fb)) {
        on_feedback(dc, &fb);
        lo_discord_feedback_clear(&fb);
        return;
    }
    lo_discord_invocation inv;
    if (!lo_discord_invocation_parse(d, &inv))
        return;
    dc->stats.commands_in++;
    lo_discord_answer answer;
    memset(&answer, 0, sizeof answer);
    if (dc->options.on_message(dc->options.user, &inv.in.msg, inv.subcommand, &answer) == 1) {
        send_interaction_reply(dc, &inv, &answer);
        dc->options.release(dc->options.user, &answer);
    } else {
        send_interaction_reply(dc, &inv, NULL);
    }
    lo_discord_invocation_clear(&inv);
}

/* ---- the gateway sink: what the state machine asks for ---- */

static void sink_send(void *user, const char *frame, size_t len)
{
    shard *sh = user;
    int rc = lo_ws_send(sh->ws, frame, len, true);
    if (rc != 0)
        log_event(sh->owner, LO_DISCORD_WARN, "gateway.send_failed", "shard=%u rc=%d", sh->id, rc);
}

static void sink_close(void *user, int code, const char *reason)
{
    shard *sh = user;
    log_event(sh->owner, LO_DISCORD_INFO, "gateway.closing", "shard=%u code=%d reason=\"%s\"",
              sh->id, code, reason);
    lo_ws_close(sh->ws, code, reason);
}

static void sink_dispatch(void *user, const char *type, const json_t *data)
{
    shard *sh = user;
    lo_discord *dc = sh->owner;
    if (dc->stopping)
        return;
    if (strcmp(type, "READY") == 0) {
        const char *app =
            json_string_value(json_object_get(json_object_get(data, "application"), "id"));
        if (lo_discord_is_snowflake(app))
            snprintf(dc->application_id, sizeof dc->application_id, "%s", app);
        log_event(dc, LO_DISCORD_INFO, "gateway.ready", "shard=%u", sh->id);
        register_commands(dc);
    } else if (strcmp(type, "RESUMED") == 0) {
        log_event(dc, LO_DISCORD_INFO, "gateway.resumed", "shard=%u", sh->id);
    } else if (strcmp(type, "MESSAGE_CREATE") == 0) {
        on_message_create(dc, sh, data);
    } else if (strcmp(type, "INTERACTION_CREATE") == 0) {
        on_interaction_create(dc, data);
    }
}

static void sink_fatal(void *user, int close_code, const char *message)
{
    shard *sh = user;
    lo_discord *dc = sh->owner;
    log_event(dc, LO_DISCORD_ERROR, "discord.stopped", "shard=%u close_code=%d", sh->id,
              close_code);
    stop_shards(dc, sh); /* the same cause stops every shard; this one is told by its decision */
    if (dc->options.on_fatal)
        dc->options.on_fatal(dc->options.user, message);
}

/* ---- per-shard websocket and timer ---- */

static void on_timer(uv_timer_t *timer);

static void arm_timer(shard *sh)
{
    if (sh->owner->freeing)
        return;
    uint64_t deadline = lo_discord_gateway_next_deadline(sh->gateway);
    if (deadline == UINT64_MAX) {
        uv_timer_stop(&sh->timer);
        return;
    }
    uint64_t now = now_ms(sh->owner);
    uv_timer_start(&sh->timer, on_timer, deadline > now ? deadline - now : 0, 0);
}

static void on_timer(uv_timer_t *timer)
{
    shard *sh = timer->data;
    lo_discord_gateway_tick(sh->gateway, now_ms(sh->owner));
    arm_timer(sh);
}

static void on_ws_open(void *user)
{
    shard *sh = user;
    count(sh->owner, LO_METRIC_CONNECTIONS, "discord", 1);
    lo_discord_gateway_opened(sh->gateway, now_ms(sh->owner));
    arm_timer(sh);
}

/* on_frame: one gateway message */
static void on_ws_message(void *user, const char *data, size_t len, bool is_text)
{
    shard *sh = user;
    if (!is_text)
        return; /* encoding=json: every gateway frame is text */
    lo_discord_gateway_frame(sh->gateway, data, len, now_ms(sh->owner));
    arm_timer(sh);
}

static void on_ws_close(void *user, const lo_ws_close_info *info)
{
    shard *sh = user;
    if (!info->connect_failed)
        count(sh->owner, LO_METRIC_CONNECTIONS, "discord", -1);
    log_event(sh->owner, LO_DISCORD_INFO, "gateway.closed", "shard=%u code=%d by_us=%d", sh->id,
              info->close_code, info->closed_by_us);
}

static void on_ws_resume(void *user, const lo_ws_close_info *info, lo_ws_resume *choice)
{
    shard *sh = user;
    lo_discord *dc = sh->owner;
    int code = info->close_code ? info->close_code : 1006;
    lo_discord_reconnect next = lo_discord_gateway_closed(sh->gateway, code, now_ms(dc));
    choice->reconnect = next.reconnect && !dc->stopping;
    choice->url = next.url;
    if (choice->reconnect) {
        dc->stats.reconnects++;
        count(dc, LO_METRIC_RECONNECTS, "discord", 1);
    }
    arm_timer(sh);
}

static int start_shard(lo_discord *dc, shard *sh, unsigned id, unsigned count, const char *url)
{
    sh->owner = dc;
    sh->id = id;
    lo_discord_gateway_config gc = {
        .token = dc->token,
        .gateway_url = url,
        .shard_id = id,
        .shard_count = count,
        .identify_limits = dc->limits,
        .rng = dc->options.rng,
        .sink = {sink_send, sink_close, sink_dispatch, sink_fatal, sh},
    };
    sh->gateway = lo_discord_gateway_new(&gc);
    if (!sh->gateway)
        return -1;
    uv_timer_init(dc->options.loop, &sh->timer);
    sh->timer.data = sh;
    dc->open_handles++;
    lo_ws_config wc = {
        .loop = dc->options.loop,
        .url = lo_discord_gateway_url(sh->gateway),
        .ca_file = dc->ca_file,
        .reconnect_backoff = dc->options.reconnect_backoff,
        .rng = dc->options.rng,
        .callbacks = {on_ws_open, on_ws_message, on_ws_close, on_ws_resume, NULL},
        .user = sh,
    };
    sh->ws = lo_ws_new(&wc);
    if (!sh->ws || lo_ws_start(sh->ws) != 0)
        return -1;
    return 0;
}

static void start_shards(lo_discord *dc, const json_t *gateway_bot)
{
    if (dc->stopping || dc->shards)
        return;
    const char *url = dc->gateway_override ? dc->gateway_override
                                           : json_string_value(json_object_get(gateway_bot, "url"));
    const json_t *limit = json_object_get(gateway_bot, "session_start_limit");
    if (json_is_object(limit)) {
        json_int_t concurrency = json_integer_value(json_object_get(limit, "max_concurrency"));
        lo_discord_identify_limits_learn(
            dc->limits, (long)json_integer_value(json_object_get(limit, "remaining")),
            (uint64_t)json_integer_value(json_object_get(limit, "reset_after")),
            concurrency > 0 ? (unsigned)concurrency : 1, now_ms(dc));
    }
    unsigned first = dc->options.shard_id,
             total = dc->options.shard_count ? dc->options.shard_count : 1;
    unsigned run = 1;
    if (dc->options.shard_auto) {
        json_int_t recommended = json_integer_value(json_object_get(gateway_bot, "shards"));
        total = recommended > 0 ? (unsigned)recommended : 1;
        first = 0;
        run = total;
    }
    if (!url || (first >= total)) {
        log_event(dc, LO_DISCORD_ERROR, "discord.bad_gateway_answer", "has_url=%d", url != NULL);
        if (dc->options.on_fatal)
            dc->options.on_fatal(dc->options.user, url ? "shard_id must be below shard_count"
                                                       : "GET /gateway/bot gave no gateway URL");
        return;
    }
    dc->shards = lo_xcalloc(run, sizeof *dc->shards);
    dc->shard_count = run;
    log_event(dc, LO_DISCORD_INFO, "discord.shards", "first=%u running=%u total=%u", first, run,
              total);
    for (unsigned i = 0; i < run; i++)
        if (start_shard(dc, &dc->shards[i], first + i, total, url) != 0)
            log_event(dc, LO_DISCORD_ERROR, "discord.shard_failed", "shard=%u", first + i);
}

static void stop_shards(lo_discord *dc, const shard *except)
{
    if (!dc->shards) /* none started (shard_count is 0 too) */
        return;
    for (unsigned i = 0; i < dc->shard_count; i++) {
        shard *sh = &dc->shards[i];
        if (sh != except && sh->ws)
            lo_ws_stop(sh->ws);
        if (sh->gateway)
            uv_timer_stop(&sh->timer);
    }
}

/* The REST client's redacted events (route templates, statuses, waits; never paths or bodies). */
static void on_http_event(void *user, const lo_http_event *event)
{
    lo_discord *dc = user;
    if (event->kind == LO_HTTP_EVENT_RATE_LIMITED) {
        count(dc, LO_METRIC_RATELIMIT_WAITS, "discord", 1);
        log_event(dc, LO_DISCORD_INFO, "discord.rate_limited",
                  "route=\"%s\" wait_ms=%llu global=%d", event->route,
                  (unsigned long long)event->wait_ms, event->global);
    } else if (event->kind == LO_HTTP_EVENT_RETRYING) {
        log_event(dc, LO_DISCORD_INFO, "discord.retrying", "route=\"%s\" status=%ld attempt=%u",
                  event->route, event->status, event->attempt);
    }
}

/* ---- start / stop / free ---- */

static char *copy_or_null(const char *s)
{
    return s ? lo_xstrdup(s) : NULL;
}

lo_discord *lo_discord_start(const lo_discord_options *options, char *err, size_t err_size)
{
    if (!options->loop || !options->token || !*options->token || !options->on_message ||
        !options->release) {
        snprintf(err, err_size, "discord: a loop, a token and the message callbacks are required");
        return NULL;
    }
    if (!options->shard_auto && options->shard_count && options->shard_id >= options->shard_count) {
        snprintf(err, err_size, "discord: shard_id (%u) must be below shard_count (%u)",
                 options->shard_id, options->shard_count);
        return NULL;
    }
    for (size_t i = 0; i < options->command_guild_count; i++) {
        if (!lo_discord_is_snowflake(options->command_guilds[i])) {
            snprintf(err, err_size, "discord: command guild \"%s\" is not a guild id",
                     options->command_guilds[i]);
            return NULL;
        }
    }
    lo_discord *dc = lo_xcalloc(1, sizeof *dc);
    dc->options = *options;
    static const struct {
        lo_metric metric;
        const char *label;
    } series[] = {{LO_METRIC_MESSAGES_IN, "discord"},
                  {LO_METRIC_CRISIS_REPLIES, "discord"},
                  {LO_METRIC_RECONNECTS, "discord"},
                  {LO_METRIC_RATELIMIT_WAITS, "discord"},
                  {LO_METRIC_ERRORS, "discord_send"}};
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
        lo_metrics_declare(options->metrics, series[i].metric, series[i].label);
    dc->token = lo_xstrdup(options->token);
    dc->api_base = lo_xstrdup(options->api_base ? options->api_base : LO_DISCORD_API_BASE);
    dc->gateway_override = copy_or_null(options->gateway_url);
    dc->ca_file = copy_or_null(options->ca_file);
    dc->limits = lo_discord_identify_limits_new();
    dc->command_guilds = lo_xcalloc(options->command_guild_count + 1, sizeof *dc->command_guilds);
    for (size_t i = 0; i < options->command_guild_count; i++)
        dc->command_guilds[i] = lo_xstrdup(options->command_guilds[i]);
    dc->options.token = dc->options.api_base = dc->options.gateway_url = dc->options.ca_file = NULL;
    dc->options.command_guilds = NULL;
    char authorization[512], user_agent[256];
    {
        snprintf(authorization, sizeof authorization, "Bot %s", dc->token);
        lo_discord_user_agent(user_agent, sizeof user_agent,
                              options->user_agent_url ? options->user_agent_url
                                                      : LO_DISCORD_DEFAULT_USER_AGENT_URL,
                              options->version ? options->version : "0");
        lo_http_config hc = {
            .loop = options->loop,
            .base_url = dc->api_base,
            .authorization = authorization,
            .user_agent = user_agent,
            .retry_backoff = options->retry_backoff,
            .rng = options->rng,
            /* Discord allows a bot 50 requests per second over all routes
             * (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit); stay
             * under it so the global 429 (and the invalid-request count it feeds) never comes */
            .global_per_second = options->global_per_second ? options->global_per_second
                                                            : LO_DISCORD_GLOBAL_PER_SECOND,
            .log = on_http_event,
            .log_user = dc,
        };
        dc->http = lo_http_new(&hc);
        memset(authorization, 0, sizeof authorization);
    }
    if (!dc->http) {
        snprintf(err, err_size,
                 "discord: cannot create the HTTP client (libcurl needs an asynchronous resolver)");
        lo_discord_free(dc);
        return NULL;
    }
    uv_timer_init(options->loop, &dc->gateway_bot_retry);
    dc->gateway_bot_retry.data = dc;
    dc->open_handles++;
    int rc = request_gateway_bot(dc);
    if (rc != 0) {
        snprintf(err, err_size, "discord: cannot queue GET /gateway/bot (%s)", strerror(-rc));
        lo_discord_free(dc);
        return NULL;
    }
    return dc;
}

static int request_gateway_bot(lo_discord *dc)
{
    call_context *ctx = lo_xcalloc(1, sizeof *ctx);
    *ctx = (call_context){.dc = dc, .kind = CALL_GATEWAY_BOT, .channel = ""};
    lo_discord_call call;
    lo_discord_call_gateway_bot(&call);
    int rc = lo_http_send(dc->http, &call.request, on_call_done, ctx);
    if (rc != 0)
        free(ctx);
    lo_discord_call_clear(&call);
    return rc;
}

void lo_discord_stop(lo_discord *dc)
{
    if (!dc || dc->stopping)
        return;
    dc->stopping = true;
    if (dc->open_handles)
        uv_timer_stop(&dc->gateway_bot_retry);
    stop_shards(dc, NULL);
}

size_t lo_discord_pending(const lo_discord *dc)
{
    return dc->http ? lo_http_pending(dc->http) : 0;
}

lo_discord_stats lo_discord_stats_of(const lo_discord *dc)
{
    lo_discord_stats stats = dc->stats;
    for (unsigned i = 0; i < dc->shard_count; i++) {
        if (!dc->shards[i].gateway)
            continue;
        lo_discord_gateway_stats g = lo_discord_gateway_stats_of(dc->shards[i].gateway);
        stats.identifies += g.identifies;
        stats.resumes += g.resumes;
        stats.zombies += g.zombies;
    }
    return stats;
}

static void release_memory(lo_discord *dc)
{
    for (unsigned i = 0; i < dc->shard_count; i++)
        lo_discord_gateway_free(dc->shards[i].gateway);
    free(dc->shards);
    for (size_t i = 0; dc->command_guilds && dc->command_guilds[i]; i++)
        free(dc->command_guilds[i]);
    free(dc->command_guilds);
    lo_discord_identify_limits_free(dc->limits);
    if (dc->token) {
        memset(dc->token, 0, strlen(dc->token));
        free(dc->token);
    }
    free(dc->api_base);
    free(dc->gateway_override);
    free(dc->ca_file);
    free(dc);
}

static void handle_closed(lo_discord *dc)
{
    if (--dc->open_handles == 0)
        release_memory(dc);
}

static void on_shard_timer_closed(uv_handle_t *handle)
{
    handle_closed(((shard *)handle->data)->owner);
}

static void on_retry_timer_closed(uv_handle_t *handle)
{
    handle_closed(handle->data);
}

void lo_discord_free(lo_discord *dc)
{
    if (!dc)
        return;
    dc->freeing = true;
    dc->stopping = true;
    if (dc->http)
        lo_http_free(dc->http); /* cancels what is pending: their callbacks see CANCELLED */
    dc->http = NULL;
    for (unsigned i = 0; i < dc->shard_count; i++) {
        shard *sh = &dc->shards[i];
        if (sh->ws)
            lo_ws_free(sh->ws);
        sh->ws = NULL;
    }
    unsigned timers = dc->open_handles;
    if (timers == 0) {
        release_memory(dc);
        return;
    }
    uv_close((uv_handle_t *)&dc->gateway_bot_retry, on_retry_timer_closed);
    for (unsigned i = 0; i < dc->shard_count; i++)
        if (dc->shards[i].gateway && !uv_is_closing((uv_handle_t *)&dc->shards[i].timer))
            uv_close((uv_handle_t *)&dc->shards[i].timer, on_shard_timer_closed);
}
