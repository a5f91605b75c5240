/* webchat.c - the built-in web chat on libwebsockets.
 *
 * One lws vhost, one protocol callback serving both HTTP and the websocket:
 *   GET /, /index.html, /style.css, /app.js  the page, from lo_webchat_assets
 *   GET /healthz                             "ok" (503 "stopping" while draining)
 *   GET /metrics                             Prometheus text
 *   websocket /chat, subprotocol leanon-chat one conversation per connection
 *
 * Frames are JSON text (docs/running.md, "Web chat protocol"). In:
 *   {"type":"message","text":"...","browser":"<hex>","region":"GB"} ("browser" is optional: a
 *     random id the page keeps in local storage, so that `stop` holds for the browser across
 *     tabs and reloads; the conversation stays per tab; "region", optional, is the region the
 *     person chose for crisis lines, used when the response set has it);
 *   {"type":"hello"}: answered {"type":"hello","max_message_chars":N,"feedback":true,
 *     "regions":[{"code","name"}...]} (the regions a person may choose);
 *   {"type":"feedback","reply":ID,"verdict":"unhelpful"}: the "Not helpful" button on reply ID.
 * Out: {"type":"reply","id":ID,"text":...,"category":...,"crisis":bool,"risk":...,
 * "feedback":bool} ("feedback": the reply takes a "Not helpful"), {"type":"opted_out",
 * "undo":WORDS} (after the reply to a message, if any: the bot is not answering this browser,
 * because the person opted out, and WORDS undo it), {"type":"feedback_noted",
 * "reply":ID}, or {"type":"error","error":"too_long"|"bad_frame"|"bad_feedback"|
 * "shutting_down"|"internal"} (too_long carries "max_message_chars").
 *
 * Safety of the endpoint: the websocket is refused unless its Origin is the
 * page's own origin (same Host) or a configured one, so other sites cannot
 * talk through a visitor's browser; a frame larger than the limit closes the
 * connection with 1009; a text over max_message_chars characters (code points, as the page
 * counts them) gets "too_long". lws keeps
 * reading from a tab that sends but never reads, so such a tab is closed
 * (1008) once MAX_QUEUED_PER_TAB replies wait for it: no client can make the
 * bot's memory grow.
 *
 * Limits (docs/running.md): connections are accepted here (webchat_listen.c,
 * which backs off when descriptors run out) and handed to lws through a relay
 * (webchat_relay.c) that checks every client frame before lws parses it: an
 * unmasked frame is closed with 1002. At most max_connections connections are
 * open (by default what RLIMIT_NOFILE leaves to the rest of the process, over
 * LO_RELAY_FDS descriptors each); tabs may take all but a tenth of them, so
 * /healthz and /metrics are still served while tabs are at their cap; an
 * address holds at most max_tabs_per_address tabs. A request head must arrive
 * within handshake_timeout (lws's ah idle timeout), so must a frame, or a
 * fragmented message, once begun (the relay's frame timeout, closed with
 * 1008); a tab that sends no message for idle_timeout is closed. A request
 * whose Host is neither the listen address, localhost nor an allowed host gets
 * 421 (DNS rebinding), except /healthz; an h2c upgrade gets 403.
 * Nothing here logs or keeps message text: the receive buffer is freed as
 * soon as the frame has been handled.
 */
#include "platforms/webchat.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/buf.h"
#include "obs/log.h"
#include "platforms/forwarded.h"
#include "platforms/webchat_assets.h"
#include "platforms/webchat_listen.h"
#include "platforms/webchat_peers.h"
#include "platforms/webchat_relay.h"

#define MAX_REGION_CHARS 32 /* a "region" longer than this is not a code */
#define PROTOCOL_NAME "leanon-chat"
#define CHAT_PATH "/chat"
#define HTTP_CHUNK 8192
/* Replies waiting for a tab that does not read them; past this it is closed. */
#define MAX_QUEUED_PER_TAB 32
/* JSON may escape every character of a text as \uXXXX, six bytes each, or as a surrogate pair
 * (twelve bytes) outside the Basic Multilingual Plane. */
#define FRAME_LIMIT(max_chars) ((max_chars)*12 + 256)
/* Replies of a tab a "Not helpful" may still name (the most recent ones). */
#define FEEDBACK_WINDOW 16
/* Descriptors left to the rest of the process (store, watch, Discord, logs). */
#define RESERVED_FDS ((size_t)64)
/* Of max_connections, the part tabs cannot take: HTTP (/healthz, /metrics, the page). */
#define HTTP_SHARE(max) ((max) / 10 > 2 ? (max) / 10 : 2)

static const char security_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

typedef struct outgoing {
    struct outgoing *next;
    size_t len;
    unsigned char data[]; /* LWS_PRE bytes of headroom, then the frame */
} outgoing;

/* A recent reply of a tab that takes a "Not helpful": which rule gave it, or the fallback. */
typedef struct recent_reply {
    unsigned id; /* 0: the slot is empty */
    char rule_id[64];
    bool fallback;
    bool noted; /* a "Not helpful" was counted for it */
} recent_reply;

/* Per connection (lws zeroes it); HTTP fields and websocket fields. */
typedef struct conn {
    /* HTTP response being written */
    const unsigned char *body;
    size_t body_len, body_sent;
    char *owned_body;
    /* websocket conversation */
    bool is_chat;
    char id[40];
    char *rx;
    size_t rx_len;
    outgoing *head, *tail;
    size_t queued;
    bool overflowed;
    lo_peer *peer; /* its address's tab count */
    unsigned replies_sent;
    recent_reply recent[FEEDBACK_WINDOW];
} conn;

struct lo_webchat {
    lo_webchat_options opts;
    uv_loop_t *uv;
    struct lws_protocols protocols[2];
    struct lws_vhost *vhost;
    lo_listener *listener;
    lo_peers *peers;
    size_t open_sockets, max_connections, max_tabs;
    int port;
    bool draining;
    size_t pending;
    size_t open_chats;
};

static lo_webchat *chat_of(struct lws *wsi)
{
    return (lo_webchat *)lws_get_protocol(wsi)->user;
}

/* ---- HTTP ---- */

static int start_response(struct lws *wsi, conn *c, unsigned int status, const char *type,
                          const unsigned char *body, size_t len)
{
    unsigned char buf[LWS_PRE + 1024];
    unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
    if (lws_add_http_common_headers(wsi, status, type, (lws_filepos_t)len, &p, end))
        return -1;
    static const struct {
        const char *name, *value;
    } headers[] = {
        {"content-security-policy:", security_csp},
        {"x-content-type-options:", "nosniff"},
        {"referrer-policy:", "no-referrer"},
        {"cache-control:", "no-store"},
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)headers[i].name,
                                        (const unsigned char *)headers[i].value,
                                        (int)strlen(headers[i].value), &p, end))
            return -1;
    if (lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    c->body = body;
    c->body_len = len;
    c->body_sent = 0;
    lws_callback_on_writable(wsi);
    return 0;
}

static int respond_text(struct lws *wsi, conn *c, unsigned int status, const char *text)
{
    return start_response(wsi, c, status, "text/plain; charset=utf-8", (const unsigned char *)text,
                          strlen(text));
}

/* Whether the request's Host names this server: the listen address (any
 * address literal when listening on all of them), localhost, or an allowed
 * host; with or without a port. */
static bool host_allowed(struct lws *wsi, const lo_webchat *chat)
{
    char host[256];
    if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0)
        return false;
    char *name = host, *end;
    if (host[0] == '[' && (end = strchr(host, ']'))) {
        name = host + 1;
        *end = '\0';
    } else if ((end = strchr(host, ':')) && !strchr(end + 1, ':')) {
        *end = '\0';
    }
    const char *listen = chat->opts.host;
    unsigned char addr[16];
    if (strcasecmp(name, listen) == 0 || strcasecmp(name, "localhost") == 0)
        return true;
    if ((strcmp(listen, "0.0.0.0") == 0 || strcmp(listen, "::") == 0) &&
        (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1))
        return true;
    for (size_t i = 0; i < chat->opts.host_count; i++)
        if (strcasecmp(name, chat->opts.allowed_hosts[i]) == 0)
            return true;
    return false;
}

static void count_refusal(lo_webchat *chat, const char *reason)
{
    lo_log(LO_LOG_WARN, "webchat.refused", "reason=%s", reason);
    lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_refused", 1);
}

static int on_http(struct lws *wsi, lo_webchat *chat, conn *c, const char *path)
{
    free(c->owned_body);
    c->owned_body = NULL;
    if (strcmp(path, "/healthz") != 0 && !host_allowed(wsi, chat)) {
        count_refusal(chat, "host");
        return respond_text(wsi, c, 421, "misdirected request\n");
    }
    if (strcmp(path, "/healthz") == 0) {
        /* Up means answering: a response set is always loaded once running. */
        return respond_text(wsi, c,
                            chat->draining ? HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK,
                            chat->draining ? "stopping\n" : "ok\n");
    }
    if (strcmp(path, "/metrics") == 0) {
        c->owned_body = lo_metrics_render(chat->opts.metrics);
        return start_response(wsi, c, HTTP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8",
                              (const unsigned char *)c->owned_body, strlen(c->owned_body));
    }
    if (chat->opts.serve_chat) {
        const char *wanted = strcmp(path, "/") == 0 ? "/index.html" : path;
        for (const lo_webchat_asset *a = lo_webchat_assets; a->path; a++)
            if (strcmp(a->path, wanted) == 0)
                return start_response(wsi, c, HTTP_STATUS_OK, a->content_type, a->data, a->size);
    }
    return respond_text(wsi, c, HTTP_STATUS_NOT_FOUND, "not found\n");
}

static int on_http_writeable(struct lws *wsi, conn *c)
{
    if (!c->body)
        return 0;
    unsigned char buf[LWS_PRE + HTTP_CHUNK];
    size_t n = c->body_len - c->body_sent;
    if (n > HTTP_CHUNK)
        n = HTTP_CHUNK;
    bool last = c->body_sent + n == c->body_len;
    memcpy(buf + LWS_PRE, c->body + c->body_sent, n);
    if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
        return -1;
    c->body_sent += n;
    if (!last) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    c->body = NULL;
    free(c->owned_body);
    c->owned_body = NULL;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* ---- websocket ---- */

static bool origin_allowed(struct lws *wsi, const lo_webchat *chat)
{
    char origin[256], host[256];
    if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0)
        return false;
    for (size_t i = 0; i < chat->opts.origin_count; i++)
        if (strcmp(origin, chat->opts.allowed_origins[i]) == 0)
            return true;
    if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0)
        return false;
    const char *rest = strncmp(origin, "http://", 7) == 0    ? origin + 7
                       : strncmp(origin, "https://", 8) == 0 ? origin + 8
                                                             : NULL;
    return rest && strcmp(rest, host) == 0;
}

/* The address the per-address cap counts: behind a trusted proxy, the client it forwards
 * (forwarded.h), kept on the relay for the tab's whole life. */
static const char *client_address(struct lws *wsi, lo_webchat *chat)
{
    lo_relay *relay = lws_get_opaque_user_data(wsi);
    if (!chat->opts.trusted_proxy_count)
        return lo_relay_peer(relay);
    char forwarded[1024], client[LO_ADDRESS_MAX];
    bool has = lws_hdr_copy(wsi, forwarded, sizeof forwarded, WSI_TOKEN_X_FORWARDED_FOR) > 0;
    lo_forwarded_client(lo_relay_peer(relay), has ? forwarded : NULL, chat->opts.trusted_proxies,
                        chat->opts.trusted_proxy_count, client);
    lo_relay_set_peer(relay, client);
    return lo_relay_peer(relay);
}

static int filter_connection(struct lws *wsi, lo_webchat *chat)
{
    char uri[64];
    const char *reason = NULL;
    if (chat->draining || !chat->opts.serve_chat)
        reason = "unavailable";
    else if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
             strcmp(uri, CHAT_PATH) != 0)
        reason = "path";
    else if (!host_allowed(wsi, chat))
        reason = "host";
    else if (!origin_allowed(wsi, chat))
        reason = "origin";
    else if (chat->open_chats >= chat->max_tabs)
        reason = "tab_cap";
    else if (chat->opts.max_tabs_per_address &&
             lo_peers_count(chat->peers, client_address(wsi, chat)) >=
                 chat->opts.max_tabs_per_address)
        reason = "address_cap";
    if (!reason)
        return 0;
    count_refusal(chat, reason);
    return -1;
}

static void drop_queue(lo_webchat *chat, conn *c)
{
    while (c->head) {
        outgoing *o = c->head;
        c->head = o->next;
        free(o);
        chat->pending--;
    }
    c->tail = NULL;
    c->queued = 0;
}

static void enqueue(struct lws *wsi, lo_webchat *chat, conn *c, json_t *frame)
{
    if (c->queued >= MAX_QUEUED_PER_TAB) {
        c->overflowed = true;
        return;
    }
    /* A built frame dumps to 0 bytes only when jansson ran out of memory. */
    size_t len = json_dumpb(frame, NULL, 0, JSON_COMPACT);
    outgoing *o = lo_xcheck(len ? malloc(sizeof *o + LWS_PRE + len) : NULL);
    json_dumpb(frame, (char *)o->data + LWS_PRE, len, JSON_COMPACT);
    o->len = len;
    o->next = NULL;
    if (c->tail)
        c->tail->next = o;
    else
        c->head = o;
    c->tail = o;
    c->queued++;
    chat->pending++;
    lws_callback_on_writable(wsi);
}

static void send_frame(struct lws *wsi, lo_webchat *chat, conn *c, json_t *frame)
{
    if (frame)
        enqueue(wsi, chat, c, frame);
    else
        lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_encode", 1);
    json_decref(frame);
}

static void send_error(struct lws *wsi, lo_webchat *chat, conn *c, const char *error)
{
    send_frame(wsi, chat, c, json_pack("{s:s, s:s}", "type", "error", "error", error));
}

/* The page's browser id when it is one (16 to 64 lowercase hex digits), else NULL. */
static const char *browser_id(json_t *frame)
{
    const char *id = json_string_value(json_object_get(frame, "browser"));
    size_t n = id ? strlen(id) : 0;
    if (n < 16 || n > 64 || strspn(id, "0123456789abcdef") != n)
        return NULL;
    return id;
}

/* Whether a reply takes a "Not helpful": not a crisis reply or check-in, not the bot's own
 * commands (no rule), not the thanks for feedback; the fallback does (counted as the
 * fallback's). */
static bool takes_feedback(const lo_reply *reply)
{
    return !reply->crisis && reply->risk == LO_RISK_NONE &&
           (reply->rule_id[0] || reply->source == LO_SOURCE_FALLBACK) &&
           strcmp(reply->category, "feedback") != 0;
}

/* Numbers the reply for its tab and, when it takes feedback, remembers its rule. */
static unsigned remember_reply(conn *c, const lo_reply *reply, bool feedback)
{
    unsigned id = ++c->replies_sent;
    if (feedback) {
        recent_reply *slot = &c->recent[id % FEEDBACK_WINDOW];
        slot->id = id;
        snprintf(slot->rule_id, sizeof slot->rule_id, "%s", reply->rule_id);
        slot->fallback = reply->source == LO_SOURCE_FALLBACK;
        slot->noted = false;
    }
    return id;
}

static const char *risk_name(lo_risk risk)
{
    return risk == LO_RISK_CRISIS ? "crisis" : risk == LO_RISK_CHECK_IN ? "check-in" : "none";
}

static void handle_message(struct lws *wsi, lo_webchat *chat, conn *c, const char *text, size_t len,
                           const char *browser, const char *region)
{
    lo_message msg = {
        .platform = "webchat",
        .community = chat->opts.community,
        .channel = c->id,
        .author = browser ? browser : c->id,
        .is_dm = true,
        .text = text,
        .text_len = len,
        .region = region,
    };
    lo_reply reply;
    memset(&reply, 0, sizeof reply);
    char undo[64] = "";
    int answered = chat->opts.on_message(chat->opts.user, &msg, &reply, undo, sizeof undo);
    if (answered < 0) {
        send_error(wsi, chat, c, "internal");
        return;
    }
    if (answered > 0) {
        bool feedback = takes_feedback(&reply);
        unsigned id = remember_reply(c, &reply, feedback);
        send_frame(wsi, chat, c,
                   json_pack("{s:s, s:I, s:s, s:s, s:b, s:s, s:b}", "type", "reply", "id",
                             (json_int_t)id, "text", reply.text ? reply.text : "", "category",
                             reply.category, "crisis", reply.crisis, "risk", risk_name(reply.risk),
                             "feedback", feedback));
        chat->opts.release_reply(&reply);
    }
    if (undo[0]) /* the page shows that the bot is not answering, and how to undo it */
        send_frame(wsi, chat, c, json_pack("{s:s, s:s}", "type", "opted_out", "undo", undo));
}

/* Characters (code points) of valid UTF-8, as the page counts them: every byte that does not
 * continue a sequence. */
static size_t utf8_chars(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

/* A region code is short and plain: letters, digits and '-' (what helplines.json uses). */
static bool region_ok(const json_t *region)
{
    const char *code = json_string_value(region);
    size_t n = code ? strlen(code) : 0;
    return !region ||
           (n >= 1 && n <= MAX_REGION_CHARS &&
            strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == n);
}

static void handle_text(struct lws *wsi, lo_webchat *chat, conn *c, json_t *root)
{
    json_t *text = json_object_get(root, "text");
    json_t *region = json_object_get(root, "region");
    if (!json_is_string(text) || !region_ok(region)) {
        lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_bad_frame", 1);
        send_error(wsi, chat, c, "bad_frame");
    } else if (utf8_chars(json_string_value(text), json_string_length(text)) >
               chat->opts.max_message_chars) {
        send_frame(wsi, chat, c,
                   json_pack("{s:s, s:s, s:I}", "type", "error", "error", "too_long",
                             "max_message_chars", (json_int_t)chat->opts.max_message_chars));
    } else {
        handle_message(wsi, chat, c, json_string_value(text), json_string_length(text),
                       browser_id(root), json_string_value(region));
    }
}

/* The "Not helpful" button: counted once for the reply it names (its rule, or the fallback),
 * which must be one of the tab's recent replies that take feedback. */
static void handle_feedback(struct lws *wsi, lo_webchat *chat, conn *c, json_t *root)
{
    json_t *reply = json_object_get(root, "reply");
    const char *verdict = json_string_value(json_object_get(root, "verdict"));
    json_int_t id = json_is_integer(reply) ? json_integer_value(reply) : 0;
    recent_reply *slot = id > 0 ? &c->recent[(unsigned long long)id % FEEDBACK_WINDOW] : NULL;
    if (!slot || slot->id != (unsigned long long)id || slot->noted || !verdict ||
        strcmp(verdict, "unhelpful") != 0) {
        send_error(wsi, chat, c, "bad_feedback");
        return;
    }
    slot->noted = true;
    lo_metrics_feedback(chat->opts.metrics, -1, slot->rule_id, slot->fallback);
    send_frame(wsi, chat, c, json_pack("{s:s, s:I}", "type", "feedback_noted", "reply", id));
}

static void handle_frame(struct lws *wsi, lo_webchat *chat, conn *c)
{
    if (chat->draining) {
        send_error(wsi, chat, c, "shutting_down");
        return;
    }
    json_t *root = json_loadb(c->rx, c->rx_len, 0, NULL);
    const char *type = json_string_value(json_object_get(root, "type"));
    if (type && strcmp(type, "message") == 0) {
        handle_text(wsi, chat, c, root);
    } else if (type && strcmp(type, "hello") == 0) {
        json_t *regions = chat->opts.regions ? chat->opts.regions(chat->opts.user) : NULL;
        send_frame(wsi, chat, c,
                   json_pack("{s:s, s:I, s:b, s:o}", "type", "hello", "max_message_chars",
                             (json_int_t)chat->opts.max_message_chars, "feedback", 1, "regions",
                             regions ? regions : json_array()));
    } else if (type && strcmp(type, "feedback") == 0) {
        handle_feedback(wsi, chat, c, root);
    } else {
        lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_bad_frame", 1);
        send_error(wsi, chat, c, "bad_frame");
    }
    json_decref(root);
}

static int on_receive(struct lws *wsi, lo_webchat *chat, conn *c, const void *in, size_t len)
{
    if (lws_frame_is_binary(wsi)) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, (unsigned char *)"text only",
                         9);
        return -1;
    }
    if (c->rx_len + len > FRAME_LIMIT(chat->opts.max_message_chars)) {
        lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_too_large", 1);
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)"too large", 9);
        return -1;
    }
    c->rx = lo_xrealloc(c->rx, c->rx_len + len + 1);
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return 0;
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, chat->opts.idle_timeout);
    handle_frame(wsi, chat, c);
    free(c->rx);
    c->rx = NULL;
    c->rx_len = 0;
    if (c->overflowed) {
        lo_metrics_add(chat->opts.metrics, LO_METRIC_ERRORS, "webchat_not_reading", 1);
        lo_log(LO_LOG_WARN, "webchat.closed", "conn=%s reason=not_reading", c->id);
        lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, (unsigned char *)"not reading",
                         11);
        return -1;
    }
    return 0;
}

static int on_chat_writeable(struct lws *wsi, lo_webchat *chat, conn *c)
{
    outgoing *o = c->head;
    if (!o)
        return 0;
    if (lws_write(wsi, o->data + LWS_PRE, o->len, LWS_WRITE_TEXT) < (int)o->len)
        return -1;
    c->head = o->next;
    if (!c->head)
        c->tail = NULL;
    free(o);
    c->queued--;
    chat->pending--;
    if (c->head)
        lws_callback_on_writable(wsi);
    return 0;
}

static void on_established(struct lws *wsi, lo_webchat *chat, conn *c)
{
    unsigned char random[12];
    lws_get_random(lws_get_context(wsi), random, sizeof random);
    int n = snprintf(c->id, sizeof c->id, "tab-");
    for (size_t i = 0; i < sizeof random; i++)
        n += snprintf(c->id + n, sizeof c->id - (size_t)n, "%02x", random[i]);
    lo_relay *relay = lws_get_opaque_user_data(wsi);
    lo_relay_upgraded(relay);
    c->peer = lo_peers_acquire(chat->peers, lo_relay_peer(relay));
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, chat->opts.idle_timeout);
    c->is_chat = true;
    chat->open_chats++;
    lo_metrics_add(chat->opts.metrics, LO_METRIC_CONNECTIONS, "webchat", 1);
    lo_log(LO_LOG_DEBUG, "webchat.open", "conn=%s", c->id);
}

static void on_closed(lo_webchat *chat, conn *c)
{
    if (!c->is_chat)
        return;
    c->is_chat = false;
    drop_queue(chat, c);
    free(c->rx);
    c->rx = NULL;
    lo_peers_release(chat->peers, c->peer);
    c->peer = NULL;
    chat->open_chats--;
    lo_metrics_add(chat->opts.metrics, LO_METRIC_CONNECTIONS, "webchat", -1);
    lo_log(LO_LOG_DEBUG, "webchat.close", "conn=%s", c->id);
}

/* A websocket callback's result; on -1, lws closes the websocket, and its relay is told. */
static int ws_result(struct lws *wsi, int result)
{
    if (result)
        lo_relay_closing(lws_get_opaque_user_data(wsi));
    return result;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    conn *c = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        lo_relay_answered(lws_get_opaque_user_data(wsi));
        return on_http(wsi, chat_of(wsi), c, in ? (const char *)in : "/");
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return c ? on_http_writeable(wsi, c) : 0;
    case LWS_CALLBACK_CLOSED_HTTP:
        if (c) {
            free(c->owned_body);
            c->owned_body = NULL;
        }
        return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        if (in && strcasecmp(in, "websocket") == 0)
            return 0;
        count_refusal(chat_of(wsi), "upgrade"); /* h2c or other: no protocol switch */
        lo_relay_answered(lws_get_opaque_user_data(wsi));
        return lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, NULL) ? -1 : 1;
    case LWS_CALLBACK_WSI_CREATE:
        chat_of(wsi)->open_sockets++;
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        chat_of(wsi)->open_sockets--;
        if (lws_get_opaque_user_data(wsi))
            lo_relay_server_gone(lws_get_opaque_user_data(wsi));
        return 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return filter_connection(wsi, chat_of(wsi));
    case LWS_CALLBACK_ESTABLISHED:
        on_established(wsi, chat_of(wsi), c);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        return ws_result(wsi, on_receive(wsi, chat_of(wsi), c, in, len));
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return ws_result(wsi, on_chat_writeable(wsi, chat_of(wsi), c));
    case LWS_CALLBACK_CLOSED:
        on_closed(chat_of(wsi), c);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

/* A connection from the listener: through a relay (webchat_relay.h) to lws, or closed at once
 * past max_connections or when the relay's socketpair cannot be made. */
static void on_accept(void *user, int fd)
{
    lo_webchat *chat = user;
    int server_fd;
    lo_relay *relay =
        chat->open_sockets < chat->max_connections
            ? lo_relay_new(chat->uv, fd, (unsigned)chat->opts.handshake_timeout * 1000u,
                           FRAME_LIMIT(chat->opts.max_message_chars), chat->opts.metrics,
                           &server_fd)
            : NULL;
    if (!relay) {
        close(fd);
        count_refusal(chat, chat->open_sockets < chat->max_connections ? "descriptors"
                                                                       : "connection_cap");
        return;
    }
    struct lws *wsi =
        lws_adopt_socket_vhost(chat->vhost, server_fd); /* on failure lws has closed it */
    if (wsi)
        lws_set_opaque_user_data(wsi, relay);
    else
        lo_relay_server_gone(relay);
    lo_relay_start(relay);
}

/* max_connections as configured, but never above what RLIMIT_NOFILE leaves (each connection
 * holds LO_RELAY_FDS descriptors). */
static size_t connection_cap(size_t configured)
{
    struct rlimit limit;
    size_t fds = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                     ? (size_t)limit.rlim_cur
                     : 1024;
    size_t budget = (fds > 2 * RESERVED_FDS ? fds - RESERVED_FDS : fds / 2) / LO_RELAY_FDS;
    if (configured && configured > budget)
        lo_log(LO_LOG_WARN, "webchat.max_connections",
               "configured=%zu used=%zu reason=RLIMIT_NOFILE", configured, budget);
    return configured && configured < budget ? configured : budget;
}

/* The web chat's series, exported with 0 from the start (the relay's errors are
 * "webchat_" and its reason). */
static void declare_series(lo_metrics *metrics)
{
    static const char *const errors[] = {
        "webchat_refused", "webchat_bad_frame", "webchat_too_large",  "webchat_not_reading",
        "webchat_encode",  "webchat_unmasked",  "webchat_bad_length", "webchat_frame_timeout"};
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        lo_metrics_declare(metrics, LO_METRIC_ERRORS, errors[i]);
    lo_metrics_declare(metrics, LO_METRIC_MESSAGES_IN, "webchat");
    lo_metrics_declare(metrics, LO_METRIC_CRISIS_REPLIES, "webchat");
    lo_metrics_declare(metrics, LO_METRIC_CONNECTIONS, "webchat");
}

lo_webchat *lo_webchat_start(lo_loop *loop, const lo_webchat_options *opts, char *err,
                             size_t err_size)
{
    lo_webchat *chat = lo_xcalloc(1, sizeof *chat);
    chat->opts = *opts;
    declare_series(opts->metrics);
    chat->uv = lo_loop_uv(loop);
    chat->peers = lo_peers_new();
    chat->max_connections = connection_cap(opts->max_connections);
    chat->max_tabs = chat->max_connections - HTTP_SHARE(chat->max_connections);
    chat->protocols[0] = (struct lws_protocols){
        .name = PROTOCOL_NAME,
        .callback = callback,
        .per_session_data_size = sizeof(conn),
        .rx_buffer_size = 4096,
        .user = chat,
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.vhost_name = "webchat";
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER; /* webchat_listen.c accepts */
    info.protocols = chat->protocols;
    info.timeout_secs_ah_idle = (unsigned int)opts->handshake_timeout;
    chat->vhost = lws_create_vhost(lo_loop_lws(loop), &info);
    if (chat->vhost)
        chat->listener = lo_listener_start(lo_loop_uv(loop), opts->host, opts->port, on_accept,
                                           chat, err, err_size);
    else
        snprintf(err, err_size, "cannot create the web chat's lws vhost");
    if (!chat->listener) {
        if (chat->vhost)
            lws_vhost_destroy(chat->vhost);
        lo_peers_free(chat->peers);
        free(chat);
        return NULL;
    }
    chat->port = lo_listener_port(chat->listener);
    return chat;
}

int lo_webchat_port(const lo_webchat *chat)
{
    return chat->port;
}

size_t lo_webchat_max_connections(const lo_webchat *chat)
{
    return chat->max_connections;
}

void lo_webchat_drain(lo_webchat *chat)
{
    chat->draining = true;
}

size_t lo_webchat_pending(const lo_webchat *chat)
{
    return chat->pending;
}

void lo_webchat_stop(lo_webchat *chat)
{
    if (!chat)
        return;
    lo_listener_close(chat->listener);
    chat->listener = NULL;
}

void lo_webchat_free(lo_webchat *chat)
{
    if (!chat)
        return;
    lo_peers_free(chat->peers);
    free(chat);
}
