/* discord_gateway.c - the gateway session state machine (see discord_gateway.h).
 *
 * Everything that happens later is a deadline the owner ticks for: the next heartbeat, the
 * pending Identify or Resume (held back by the identify limits, the op 9 pause or the send
 * limit) and a heartbeat the server asked for while the send limit was full. The session
 * (session_id, resume URL, sequence) outlives connections; the heartbeat and the send window
 * belong to one connection and start afresh with the next.
 */
#include "platforms/discord_gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum {
    OP_DISPATCH = 0,
    OP_HEARTBEAT = 1,
    OP_IDENTIFY = 2,
    OP_RESUME = 6,
    OP_RECONNECT = 7,
    OP_INVALID_SESSION = 9,
    OP_HELLO = 10,
    OP_HEARTBEAT_ACK = 11,
};

/* The documented pause before re-identifying after op 9: a random 1 to 5 seconds
 * (https://discord.com/developers/docs/events/gateway#resuming; the opcode table's "reconnect"
 * wording was reported inconsistent with it in discord/discord-api-docs#5296, so the session
 * is re-established on the same connection, as the Gateway page describes). */
#define INVALID_SESSION_MIN_MS 1000u
#define INVALID_SESSION_SPREAD_MS 4000u

/* How long a connection may take to say Hello, and a session to answer Identify or Resume,
 * before the connection is taken for dead and replaced (Discord answers in well under these). */
#define HELLO_TIMEOUT_MS 20000u
#define SESSION_TIMEOUT_MS 30000u

typedef enum pending_start { START_NONE = 0, START_IDENTIFY, START_RESUME } pending_start;

struct lo_discord_gateway {
    lo_discord_gateway_config config;
    char *token;
    char *gateway_url;
    char *resume_url;
    char *session_id;
    char *user_id;
    char url[1024];

    lo_discord_gateway_state state;
    bool has_seq;
    json_int_t seq;

    uint64_t heartbeat_interval_ms; /* 0 = no heartbeat running */
    uint64_t next_heartbeat_ms;
    bool ack_pending;
    bool heartbeat_requested; /* op 1 came while the send window was full */

    pending_start pending;
    uint64_t start_at_ms;

    uint64_t handshake_deadline_ms; /* Hello, READY or RESUMED is due by then; 0 = none */

    uint64_t sent_at[LO_DISCORD_SEND_LIMIT]; /* ring of this connection's send times */
    unsigned sent_head, sent_count;

    lo_discord_gateway_stats stats;
};

static char *copy(const char *s)
{
    return s ? lo_xstrdup(s) : NULL;
}

static void replace(char **slot, const char *value)
{
    free(*slot);
    *slot = copy(value);
}

lo_discord_gateway *lo_discord_gateway_new(const lo_discord_gateway_config *config)
{
    if (!config->token || !config->gateway_url)
        return NULL;
    lo_discord_gateway *g = lo_xcalloc(1, sizeof *g);
    g->config = *config;
    if (!g->config.intents)
        g->config.intents = LO_DISCORD_INTENTS;
    if (!g->config.shard_count)
        g->config.shard_count = 1;
    if (!g->config.rng)
        g->config.rng = lo_rng_default();
    g->token = copy(config->token);
    g->gateway_url = copy(config->gateway_url);
    g->config.token = NULL; /* only our copy is used */
    return g;
}

void lo_discord_gateway_free(lo_discord_gateway *g)
{
    if (!g)
        return;
    if (g->token) {
        memset(g->token, 0, strlen(g->token));
        free(g->token);
    }
    free(g->gateway_url);
    free(g->resume_url);
    free(g->session_id);
    free(g->user_id);
    free(g);
}

/* base + "/?v=10&encoding=json" unless base already has a query. */
static const char *versioned_url(lo_discord_gateway *g, const char *base)
{
    size_t len = strlen(base);
    const char *slash = (len && base[len - 1] == '/') ? "" : "/";
    if (strchr(base, '?'))
        snprintf(g->url, sizeof g->url, "%s", base);
    else
        snprintf(g->url, sizeof g->url, "%s%s?v=10&encoding=json", base, slash);
    return g->url;
}

const char *lo_discord_gateway_url(lo_discord_gateway *g)
{
    return versioned_url(g, g->gateway_url);
}

/* ---- the send window: 120 commands per 60 s on one connection ---- */

static uint64_t window_free_at(const lo_discord_gateway *g, uint64_t now_ms)
{
    if (g->sent_count < LO_DISCORD_SEND_LIMIT)
        return now_ms;
    uint64_t oldest = g->sent_at[g->sent_head];
    uint64_t free_at = oldest + LO_DISCORD_SEND_WINDOW_MS;
    return free_at > now_ms ? free_at : now_ms;
}

static bool window_allows(const lo_discord_gateway *g, uint64_t now_ms)
{
    return window_free_at(g, now_ms) <= now_ms;
}

static void send_payload(lo_discord_gateway *g, json_t *payload, uint64_t now_ms)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!text)
        return;
    if (g->sent_count < LO_DISCORD_SEND_LIMIT) {
        g->sent_at[(g->sent_head + g->sent_count) % LO_DISCORD_SEND_LIMIT] = now_ms;
        g->sent_count++;
    } else {
        g->sent_at[g->sent_head] = now_ms;
        g->sent_head = (g->sent_head + 1) % LO_DISCORD_SEND_LIMIT;
    }
    g->config.sink.send(g->config.sink.user, text, strlen(text));
    size_t len = strlen(text);
    memset(text, 0, len); /* Identify and Resume frames hold the token */
    free(text);
}

/* ---- commands ---- */

static json_t *sequence_json(const lo_discord_gateway *g)
{
    return g->has_seq ? json_integer(g->seq) : json_null();
}

static void send_heartbeat(lo_discord_gateway *g, uint64_t now_ms)
{
    if (!window_allows(g, now_ms)) {
        g->heartbeat_requested = true;
        g->stats.sends_deferred++;
        return;
    }
    g->heartbeat_requested = false;
    g->ack_pending = true;
    g->stats.heartbeats++;
    send_payload(g, json_pack("{s:i, s:o}", "op", OP_HEARTBEAT, "d", sequence_json(g)), now_ms);
}

static void send_identify(lo_discord_gateway *g, uint64_t now_ms)
{
    json_t *payload =
        json_pack("{s:i, s:{s:s, s:I, s:{s:s, s:s, s:s}, s:[I, I]}}", "op", OP_IDENTIFY, "d",
                  "token", g->token, "intents", (json_int_t)g->config.intents, "properties", "os",
                  "linux", "browser", "leanon", "device", "leanon", "shard",
                  (json_int_t)g->config.shard_id, (json_int_t)g->config.shard_count);
    g->stats.identifies++;
    g->state = LO_DG_IDENTIFYING;
    g->handshake_deadline_ms = now_ms + SESSION_TIMEOUT_MS;
    send_payload(g, payload, now_ms);
}

static void send_resume(lo_discord_gateway *g, uint64_t now_ms)
{
    json_t *payload = json_pack("{s:i, s:{s:s, s:s, s:o}}", "op", OP_RESUME, "d", "token", g->token,
                                "session_id", g->session_id, "seq", sequence_json(g));
    g->stats.resumes++;
    g->state = LO_DG_RESUMING;
    g->handshake_deadline_ms = now_ms + SESSION_TIMEOUT_MS;
    send_payload(g, payload, now_ms);
}

/* Schedules an Identify (through the shared limits, not before not_before_ms) or a Resume. */
static void schedule_start(lo_discord_gateway *g, bool resume, uint64_t not_before_ms)
{
    g->state = LO_DG_WAIT_IDENTIFY;
    if (resume && g->session_id) {
        g->pending = START_RESUME; /* a resume starts no new session: no identify slot */
        g->start_at_ms = not_before_ms;
        return;
    }
    g->pending = START_IDENTIFY;
    g->start_at_ms = g->config.identify_limits
                         ? lo_discord_identify_limits_reserve(g->config.identify_limits,
                                                              g->config.shard_id, not_before_ms)
                         : not_before_ms;
}

static void forget_session(lo_discord_gateway *g)
{
    replace(&g->session_id, NULL);
    replace(&g->resume_url, NULL);
    g->has_seq = false;
    g->seq = 0;
}

static void stop_heartbeat(lo_discord_gateway *g)
{
    g->heartbeat_interval_ms = 0;
    g->ack_pending = false;
    g->heartbeat_requested = false;
}

static void request_close(lo_discord_gateway *g, int code, const char *reason)
{
    g->state = LO_DG_CLOSING;
    g->pending = START_NONE;
    g->handshake_deadline_ms = 0;
    stop_heartbeat(g);
    g->config.sink.close(g->config.sink.user, code, reason);
}

static bool heartbeating(const lo_discord_gateway *g)
{
    return g->heartbeat_interval_ms > 0 && g->state != LO_DG_CLOSING && g->state != LO_DG_STOPPED &&
           g->state != LO_DG_DISCONNECTED;
}

/* Runs whatever is due at now_ms. */
static void run_due(lo_discord_gateway *g, uint64_t now_ms)
{
    if (g->handshake_deadline_ms && now_ms >= g->handshake_deadline_ms) {
        g->stats.handshake_timeouts++;
        request_close(g, LO_DISCORD_CLOSE_RESUME, "no hello, ready or resumed in time");
        return;
    }
    if (heartbeating(g) && now_ms >= g->next_heartbeat_ms) {
        if (g->ack_pending) {
            /* No ACK since the last heartbeat: a zombie connection
             * (https://discord.com/developers/docs/events/gateway#sending-heartbeats). */
            g->stats.zombies++;
            request_close(g, LO_DISCORD_CLOSE_RESUME, "no heartbeat ack");
            return;
        }
        send_heartbeat(g, now_ms);
        g->next_heartbeat_ms += g->heartbeat_interval_ms;
        if (g->next_heartbeat_ms <= now_ms)
            g->next_heartbeat_ms = now_ms + g->heartbeat_interval_ms;
    }
    if (g->heartbeat_requested && window_allows(g, now_ms))
        send_heartbeat(g, now_ms);
    if (g->pending != START_NONE && now_ms >= g->start_at_ms) {
        if (!window_allows(g, now_ms)) {
            g->start_at_ms = window_free_at(g, now_ms);
            g->stats.sends_deferred++;
            return;
        }
        pending_start what = g->pending;
        g->pending = START_NONE;
        if (what == START_RESUME)
            send_resume(g, now_ms);
        else
            send_identify(g, now_ms);
    }
}

/* ---- events in ---- */

void lo_discord_gateway_opened(lo_discord_gateway *g, uint64_t now_ms)
{
    if (g->state == LO_DG_STOPPED)
        return;
    g->state = LO_DG_WAIT_HELLO;
    g->pending = START_NONE;
    g->handshake_deadline_ms = now_ms + HELLO_TIMEOUT_MS;
    stop_heartbeat(g);
    g->sent_head = g->sent_count = 0;
}

static double unit_random(const lo_rng *rng)
{
    return (double)(rng->next(rng->state) >> 11) * 0x1.0p-53; /* [0, 1) */
}

static void on_hello(lo_discord_gateway *g, const json_t *d, uint64_t now_ms)
{
    json_int_t interval = json_integer_value(json_object_get(d, "heartbeat_interval"));
    if (interval <= 0 || g->state != LO_DG_WAIT_HELLO)
        return;
    g->handshake_deadline_ms = 0; /* the Identify or Resume sets the next one */
    g->heartbeat_interval_ms = (uint64_t)interval;
    g->next_heartbeat_ms = now_ms + (uint64_t)((double)interval * unit_random(g->config.rng));
    g->ack_pending = false;
    schedule_start(g, true, now_ms);
}

static void on_invalid_session(lo_discord_gateway *g, const json_t *d, uint64_t now_ms)
{
    bool resumable = json_is_true(d);
    if (!resumable)
        forget_session(g);
    uint64_t pause = INVALID_SESSION_MIN_MS +
                     g->config.rng->next(g->config.rng->state) % (INVALID_SESSION_SPREAD_MS + 1);
    schedule_start(g, resumable, now_ms + pause);
}

static void on_dispatch(lo_discord_gateway *g, const char *type, const json_t *d)
{
    if (!type)
        return;
    if (strcmp(type, "READY") == 0) {
        const char *session = json_string_value(json_object_get(d, "session_id"));
        const char *resume = json_string_value(json_object_get(d, "resume_gateway_url"));
        const char *user = json_string_value(json_object_get(json_object_get(d, "user"), "id"));
        replace(&g->session_id, session);
        replace(&g->resume_url, resume);
        if (user)
            replace(&g->user_id, user);
        g->state = LO_DG_READY;
        g->handshake_deadline_ms = 0;
    } else if (strcmp(type, "RESUMED") == 0) {
        g->state = LO_DG_READY;
        g->handshake_deadline_ms = 0;
    }
    g->config.sink.dispatch(g->config.sink.user, type, d);
}

void lo_discord_gateway_frame(lo_discord_gateway *g, const char *text, size_t len, uint64_t now_ms)
{
    if (g->state == LO_DG_DISCONNECTED || g->state == LO_DG_CLOSING || g->state == LO_DG_STOPPED)
        return;
    json_t *frame = json_loadb(text, len, 0, NULL);
    if (!json_is_object(frame)) {
        json_decref(frame);
        return;
    }
    json_t *op = json_object_get(frame, "op");
    const json_t *d = json_object_get(frame, "d");
    if (!json_is_integer(op)) {
        json_decref(frame);
        return;
    }
    switch (json_integer_value(op)) {
    case OP_HELLO:
        on_hello(g, d, now_ms);
        break;
    case OP_HEARTBEAT_ACK:
        g->ack_pending = false;
        break;
    case OP_HEARTBEAT:
        send_heartbeat(g, now_ms);
        break;
    case OP_RECONNECT:
        request_close(g, LO_DISCORD_CLOSE_RESUME, "reconnect requested");
        break;
    case OP_INVALID_SESSION:
        on_invalid_session(g, d, now_ms);
        break;
    case OP_DISPATCH: {
        json_t *s = json_object_get(frame, "s");
        if (json_is_integer(s)) {
            g->seq = json_integer_value(s);
            g->has_seq = true;
        }
        on_dispatch(g, json_string_value(json_object_get(frame, "t")), d);
        break;
    }
    default:
        break;
    }
    json_decref(frame);
    run_due(g, now_ms);
}

void lo_discord_gateway_tick(lo_discord_gateway *g, uint64_t now_ms)
{
    run_due(g, now_ms);
}

/* The close codes after which reconnecting cannot help, and what the host must do
 * (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes). */
static const char *fatal_reason(int code)
{
    switch (code) {
    case 4004:
        return "Discord rejected the bot token (close 4004, authentication failed): set a valid "
               "token in LEANON_DISCORD_TOKEN or LEANON_DISCORD_TOKEN_FILE (Developer Portal > "
               "your application > Bot > Reset Token); not reconnecting";
    case 4010:
        return "Discord rejected the shard (close 4010, invalid shard): shard_id must be below "
               "shard_count; not reconnecting";
    case 4011:
        return "Discord requires sharding for this bot (close 4011, sharding required): set "
               "\"shard_count\" (or \"auto\") in the discord section; not reconnecting";
    case 4012:
        return "Discord rejected the gateway version (close 4012, invalid API version); "
               "not reconnecting";
    case 4013:
        return "Discord rejected the intents (close 4013, invalid intents); not reconnecting";
    case 4014:
        return "Discord refused the MESSAGE_CONTENT intent (close 4014, disallowed intents): open "
               "https://discord.com/developers/applications, choose the application, go to Bot > "
               "Privileged Gateway Intents and enable \"Message Content Intent\", then restart "
               "leanon; not reconnecting";
    default:
        return NULL;
    }
}

lo_discord_reconnect lo_discord_gateway_closed(lo_discord_gateway *g, int close_code,
                                               uint64_t now_ms)
{
    (void)now_ms;
    lo_discord_reconnect decision = {false, false, NULL};
    if (g->state == LO_DG_STOPPED)
        return decision;
    stop_heartbeat(g);
    g->pending = START_NONE;
    g->handshake_deadline_ms = 0;
    const char *fatal = fatal_reason(close_code);
    if (fatal) {
        g->state = LO_DG_STOPPED;
        g->config.sink.fatal(g->config.sink.user, close_code, fatal);
        return decision;
    }
    g->state = LO_DG_DISCONNECTED;
    if (close_code == 4007 || close_code == 4009)
        forget_session(g); /* invalid sequence / session timed out: a new session is needed */
    decision.reconnect = true;
    decision.resume = g->session_id != NULL;
    decision.url =
        versioned_url(g, decision.resume && g->resume_url ? g->resume_url : g->gateway_url);
    return decision;
}

uint64_t lo_discord_gateway_next_deadline(const lo_discord_gateway *g)
{
    uint64_t next = UINT64_MAX;
    if (heartbeating(g) && g->next_heartbeat_ms < next)
        next = g->next_heartbeat_ms;
    if (g->pending != START_NONE && g->start_at_ms < next)
        next = g->start_at_ms;
    if (g->handshake_deadline_ms && g->handshake_deadline_ms < next)
        next = g->handshake_deadline_ms;
    if (g->heartbeat_requested) {
        uint64_t free_at = window_free_at(g, 0);
        if (free_at < next)
            next = free_at;
    }
    return next;
}

lo_discord_gateway_state lo_discord_gateway_state_of(const lo_discord_gateway *g)
{
    return g->state;
}

const char *lo_discord_gateway_user_id(const lo_discord_gateway *g)
{
    return g->user_id;
}

lo_discord_gateway_stats lo_discord_gateway_stats_of(const lo_discord_gateway *g)
{
    return g->stats;
}
