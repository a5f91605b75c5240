/* ws.c - websocket client on libwebsockets (see src/net/ws.h for the contract).
 *
 * Loop choice: libwebsockets runs on the caller's libuv loop (LWS_SERVER_OPTION_LIBUV with a
 * foreign loop; Debian ships the backend as libwebsockets-evlib-uv), so the gateway socket,
 * the REST client (http.c, curl on the same loop) and every timer share the one thread and
 * the one loop of DESIGN.md. Each lo_ws owns a small client-only lws context.
 *
 * Shape: a state machine IDLE -> RESOLVING -> CONNECTING -> OPEN -> WAITING -> RESOLVING ...
 * (or STOPPED). Host names are resolved with uv_getaddrinfo (lws 4.1 would call getaddrinfo
 * on the loop thread and block it); lws then connects to the address while TLS SNI and
 * certificate host name checks use the name. Every attempt has a generation number carried
 * in the wsi's opaque user data: when an attempt ends (error, close, timeout) the number
 * moves on, so late lws callbacks about an abandoned wsi are recognised and ignored. All
 * endings go through connection_ended(), which reports, asks the resume hook and schedules
 * the next attempt with backoff.c. Our own uv timers give the connect timeout (covering DNS,
 * TCP, TLS and the upgrade) and the ping / pong-timeout keepalive.
 *
 * Two quirks of Debian's lws 4.1.6 on libuv are worked around here: our close frame is written
 * by hand (on_writeable), and the context is destroyed in two stages, the second once lws's
 * own handles have closed (on_teardown_tick, release).
 */
#include "net/ws.h"

#include <libwebsockets.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum {
    DEFAULT_CONNECT_TIMEOUT_MS = 10000,
    DEFAULT_STABLE_AFTER_MS = 30000,
    DEFAULT_QUEUE_FRAMES = 128,
    DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024,
    DEFAULT_BACKOFF_FLOOR_MS = 250,
    DEFAULT_BACKOFF_BASE_MS = 1000,
    DEFAULT_BACKOFF_CAP_MS = 60000,
    CLOSE_REASON_MAX = 123, /* a close frame's payload is at most 125 bytes, 2 for the code */
    CLOSE_ACK_TIMEOUT_S = 5,
    TEARDOWN_TICK_MS = 1,
    TEARDOWN_MAX_TICKS = 2000,
    LWS_WRITE_CLOSE_FRAME = 4, /* lws's private LWS_WRITE_CLOSE (roles/ws/private-lib-roles-ws.h) */
};

typedef enum ws_state {
    WS_IDLE,
    WS_RESOLVING,
    WS_CONNECTING,
    WS_OPEN,
    WS_WAITING,
    WS_STOPPED
} ws_state;

typedef struct frame {
    struct frame *next;
    size_t len;
    bool is_text;
    unsigned char bytes[]; /* LWS_PRE bytes lws may use, then the payload */
} frame;

typedef struct resolve_request {
    uv_getaddrinfo_t req;
    lo_ws *ws;
    unsigned generation;
} resolve_request;

struct lo_ws {
    uv_loop_t *loop;
    struct lws_context *context;
    struct lws *wsi;
    lo_ws_callbacks cb;
    void *user;

    char *host;        /* name to resolve, send as SNI and verify the certificate against */
    char *host_header; /* host, with :port when not the scheme's default */
    char *path;        /* path and query, starting with '/' */
    int port;
    bool tls;

    unsigned connect_timeout_ms, ping_interval_ms, pong_timeout_ms, stable_after_ms;
    lo_backoff_policy backoff;
    const lo_rng *rng;
    size_t queue_capacity, queue_len, max_message;
    frame *queue_head, *queue_tail;

    ws_state state;
    unsigned generation;
    unsigned failures;
    uint64_t opened_at_ms;
    uv_timer_t connect_timer, reconnect_timer, ping_timer;
    bool ping_due, awaiting_pong;
    uint64_t ping_sent_ms;
    int close_to_send;
    char close_reason[CLOSE_REASON_MAX + 1];
    bool close_sent, closing_by_us, stop_requested, freeing;
    int peer_close_code;
    char peer_reason[CLOSE_REASON_MAX + 1];
    char *rx;
    size_t rx_len, rx_cap;
    unsigned releases_pending; /* our timers and resolves in flight */
    unsigned lws_handles_left, teardown_ticks;
};

static void begin_attempt(lo_ws *ws);

/* ---- URL ---- */

static bool set_url(lo_ws *ws, const char *url)
{
    bool tls;
    const char *p;
    if (strncmp(url, "wss://", 6) == 0)
        tls = true, p = url + 6;
    else if (strncmp(url, "ws://", 5) == 0)
        tls = false, p = url + 5;
    else
        return false;

    const char *host_start = p, *host_end;
    if (*p == '[') { /* [v6 literal] */
        host_end = strchr(p, ']');
        if (!host_end)
            return false;
        host_start = p + 1;
        p = host_end + 1;
    } else {
        p += strcspn(p, ":/?");
        host_end = p;
    }
    if (host_end == host_start)
        return false;
    int port = tls ? 443 : 80;
    if (*p == ':') {
        char *end;
        long n = strtol(p + 1, &end, 10);
        if (end == p + 1 || n < 1 || n > 65535)
            return false;
        port = (int)n;
        p = end;
    }
    if (*p && *p != '/' && *p != '?')
        return false;

    size_t host_len = (size_t)(host_end - host_start);
    char *host = lo_xstrndup(host_start, host_len);
    size_t header_cap = host_len + 16;
    char *header = lo_xcalloc(header_cap, 1);
    size_t path_cap = strlen(p) + 2;
    char *path = lo_xcalloc(path_cap, 1);
    bool v6 = strchr(host, ':') != NULL;
    if (port == (tls ? 443 : 80))
        snprintf(header, header_cap, v6 ? "[%s]" : "%s", host);
    else
        snprintf(header, header_cap, v6 ? "[%s]:%d" : "%s:%d", host, port);
    snprintf(path, path_cap, "%s%s", *p == '/' ? "" : "/", p);

    free(ws->host);
    free(ws->host_header);
    free(ws->path);
    ws->host = host;
    ws->host_header = header;
    ws->path = path;
    ws->port = port;
    ws->tls = tls;
    return true;
}

/* ---- memory ---- */

static size_t drop_queue(lo_ws *ws)
{
    size_t dropped = ws->queue_len;
    for (frame *f = ws->queue_head, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    ws->queue_head = ws->queue_tail = NULL;
    ws->queue_len = 0;
    return dropped;
}

/* Our last handle has closed, after lws's own (see on_teardown_tick): with a foreign loop
 * lws needs a second lws_context_destroy() to free the context. */
static void release(lo_ws *ws)
{
    if (--ws->releases_pending)
        return;
    lws_context_destroy(ws->context);
    free(ws->host);
    free(ws->host_header);
    free(ws->path);
    free(ws->rx);
    free(ws);
}

static void on_timer_closed(uv_handle_t *handle)
{
    release(handle->data);
}

static void find_lws_static_handle(uv_handle_t *handle, void *arg)
{
    lo_ws *ws = arg;
    if (handle->data == (void *)ws->context)
        ws->lws_handles_left++;
}

/* After the first lws_context_destroy(), lws closes its wsi handles, then its static handles
 * (whose data is the context). Once none is left, the second stage may run (in release()).
 * Polled on a slow timer: lws 4.1 offers no callback for this with a foreign loop. */
static void on_teardown_tick(uv_timer_t *timer)
{
    lo_ws *ws = timer->data;
    ws->lws_handles_left = 0;
    uv_walk(ws->loop, find_lws_static_handle, ws);
    if (ws->lws_handles_left && ++ws->teardown_ticks < TEARDOWN_MAX_TICKS)
        return;
    uv_timer_stop(timer);
    uv_close((uv_handle_t *)timer, on_timer_closed);
}

/* ---- the end of a connection, and the next one ---- */

static void kill_wsi(struct lws *wsi)
{
    if (wsi)
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void on_reconnect_due(uv_timer_t *timer)
{
    begin_attempt(timer->data);
}

static void connection_ended(lo_ws *ws, int code, const char *reason, bool connect_failed,
                             bool timed_out)
{
    bool was_open = ws->state == WS_OPEN;
    ws->generation++; /* whatever lws still says about this attempt is stale now */
    ws->wsi = NULL;
    uv_timer_stop(&ws->connect_timer);
    uv_timer_stop(&ws->ping_timer);
    ws->ping_due = ws->awaiting_pong = false;
    ws->rx_len = 0;
    size_t unsent = drop_queue(ws);
    uint64_t now = uv_now(ws->loop);
    if (was_open && now - ws->opened_at_ms >= ws->stable_after_ms)
        ws->failures = 0;
    ws->failures++;

    lo_ws_close_info info = {
        .close_code = code,
        .reason = reason ? reason : "",
        .connect_failed = connect_failed,
        .timed_out = timed_out,
        .closed_by_us = ws->closing_by_us,
        .failures = ws->failures,
        .unsent_frames = unsent,
    };
    ws->closing_by_us = ws->close_sent = false;
    ws->close_to_send = 0;
    ws->state = WS_WAITING;
    if (ws->cb.on_close)
        ws->cb.on_close(ws->user, &info);
    if (ws->freeing)
        return; /* lo_ws_free from the callback: its timer owns the rest */
    if (ws->stop_requested || ws->state == WS_STOPPED) {
        ws->state = WS_STOPPED;
        return;
    }

    lo_ws_resume choice = {.reconnect = true, .url = NULL};
    if (ws->cb.resume)
        ws->cb.resume(ws->user, &info, &choice);
    if (ws->freeing)
        return;
    if (!choice.reconnect || ws->stop_requested) {
        ws->state = WS_STOPPED;
        return;
    }
    if (choice.url && !set_url(ws, choice.url)) {
        lwsl_err("leanon ws: resume URL is not a ws:// or wss:// URL; keeping the previous one\n");
    }
    uint64_t delay = lo_backoff_delay_ms(&ws->backoff, ws->failures - 1, ws->rng);
    if (ws->cb.on_reconnect_scheduled)
        ws->cb.on_reconnect_scheduled(ws->user, ws->failures, delay);
    uv_timer_start(&ws->reconnect_timer, on_reconnect_due, delay, 0);
}

static void on_connect_timeout(uv_timer_t *timer)
{
    lo_ws *ws = timer->data;
    if (ws->state != WS_RESOLVING && ws->state != WS_CONNECTING)
        return;
    struct lws *wsi = ws->wsi;
    connection_ended(ws, 0, "connect timed out", true, true);
    kill_wsi(wsi);
}

static void open_socket(lo_ws *ws, const char *address)
{
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = ws->context;
    ci.address = address;
    ci.port = ws->port;
    ci.path = ws->path;
    ci.host = ws->host_header;
    ci.ssl_connection = ws->tls ? LCCSCF_USE_SSL : 0; /* verified: no ALLOW_* flags */
    ci.local_protocol_name = "leanon-ws-client";
    ci.pwsi = &ws->wsi;
    ci.opaque_user_data = (void *)(uintptr_t)ws->generation;
    ws->state = WS_CONNECTING;
    unsigned generation = ws->generation;
    /* cppcheck-suppress knownConditionTrueFalse ; a callback inside the connect may end it */
    if (!lws_client_connect_via_info(&ci) && ws->generation == generation) {
        connection_ended(ws, 0, "could not start the connection", true, false);
    }
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    resolve_request *r = (resolve_request *)req;
    lo_ws *ws = r->ws;
    bool current = !ws->freeing && r->generation == ws->generation && ws->state == WS_RESOLVING;
    char address[64] = "";
    if (current && status == 0 && res) {
        if (res->ai_family == AF_INET6) {
            uv_ip6_name((const struct sockaddr_in6 *)res->ai_addr, address, sizeof address);
        } else {
            uv_ip4_name((const struct sockaddr_in *)res->ai_addr, address, sizeof address);
        }
    }
    uv_freeaddrinfo(res);
    free(r);
    if (current) {
        if (address[0])
            open_socket(ws, address);
        else
            connection_ended(ws, 0, "host name lookup failed", true, false);
    }
    release(ws);
}

static void begin_attempt(lo_ws *ws)
{
    if (ws->freeing || ws->stop_requested)
        return;
    ws->state = WS_RESOLVING;
    ws->peer_close_code = 0;
    ws->peer_reason[0] = '\0';
    uv_timer_start(&ws->connect_timer, on_connect_timeout, ws->connect_timeout_ms, 0);
    resolve_request *r = lo_xcalloc(1, sizeof *r);
    r->ws = ws;
    r->generation = ws->generation;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    ws->releases_pending++;
    if (uv_getaddrinfo(ws->loop, &r->req, on_resolved, ws->host, NULL, &hints) != 0) {
        free(r);
        ws->releases_pending--;
        connection_ended(ws, 0, "host name lookup could not start", true, false);
    }
}

/* ---- keepalive ---- */

static void on_ping_tick(uv_timer_t *timer)
{
    lo_ws *ws = timer->data;
    if (ws->state != WS_OPEN)
        return;
    uint64_t now = uv_now(ws->loop);
    if (ws->awaiting_pong && now - ws->ping_sent_ms >= ws->pong_timeout_ms) {
        struct lws *wsi = ws->wsi;
        connection_ended(ws, 1006, "no pong within the timeout", false, true);
        kill_wsi(wsi);
        return;
    }
    if (!ws->awaiting_pong && ws->wsi) {
        ws->ping_due = true;
        ws->ping_sent_ms = now;
        lws_callback_on_writable(ws->wsi);
    }
}

/* ---- lws events ---- */

static bool is_current(const lo_ws *ws, struct lws *wsi)
{
    return !ws->freeing && (ws->state == WS_CONNECTING || ws->state == WS_OPEN) &&
           (uintptr_t)lws_get_opaque_user_data(wsi) == ws->generation;
}

static int on_established(lo_ws *ws, struct lws *wsi)
{
    ws->wsi = wsi;
    ws->state = WS_OPEN;
    ws->opened_at_ms = uv_now(ws->loop);
    uv_timer_stop(&ws->connect_timer);
    if (ws->ping_interval_ms) {
        uv_timer_start(&ws->ping_timer, on_ping_tick, ws->ping_interval_ms, ws->ping_interval_ms);
    }
    if (ws->cb.on_open)
        ws->cb.on_open(ws->user);
    if (ws->queue_head && ws->state == WS_OPEN)
        lws_callback_on_writable(wsi);
    return 0;
}

static int on_receive(lo_ws *ws, struct lws *wsi, const char *data, size_t len)
{
    ws->awaiting_pong = false; /* any data proves the line is alive */
    if (lws_is_first_fragment(wsi))
        ws->rx_len = 0;
    if (ws->rx_len + len + 1 > ws->max_message) {
        /* cannot write from here; the connection is dropped and reported as our 1009 */
        ws->close_to_send = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
        ws->closing_by_us = true;
        snprintf(ws->close_reason, sizeof ws->close_reason, "message larger than %zu bytes",
                 ws->max_message);
        return -1;
    }
    if (ws->rx_len + len + 1 > ws->rx_cap) {
        size_t cap = ws->rx_cap ? ws->rx_cap : 4096;
        while (cap < ws->rx_len + len + 1)
            cap *= 2;
        ws->rx = lo_xrealloc(ws->rx, cap);
        ws->rx_cap = cap;
    }
    memcpy(ws->rx + ws->rx_len, data, len);
    ws->rx_len += len;
    ws->rx[ws->rx_len] = '\0';
    if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
        size_t total = ws->rx_len;
        ws->rx_len = 0;
        if (ws->cb.on_message)
            ws->cb.on_message(ws->user, ws->rx, total, !lws_frame_is_binary(wsi));
    }
    return 0;
}

/* Our close frame, written by hand: the usual lws_close_reason() + return -1 never reaches
 * the wire in Debian's 4.1.6 with libuv (a debug-build "uv repeat test" closes the socket
 * again at once), and the peer must get our code. The peer's answering close ends it. */
static int write_close(lo_ws *ws, struct lws *wsi)
{
    unsigned char out[LWS_PRE + 2 + CLOSE_REASON_MAX];
    size_t reason_len = strlen(ws->close_reason);
    out[LWS_PRE] = (unsigned char)(ws->close_to_send >> 8);
    out[LWS_PRE + 1] = (unsigned char)ws->close_to_send;
    memcpy(out + LWS_PRE + 2, ws->close_reason, reason_len);
    ws->close_sent = true;
    if (lws_write(wsi, out + LWS_PRE, 2 + reason_len,
                  (enum lws_write_protocol)LWS_WRITE_CLOSE_FRAME) < 0) {
        return -1;
    }
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, CLOSE_ACK_TIMEOUT_S);
    return 0;
}

/* The first queued frame, taken off the queue; -1 when it was not written whole. */
static int write_queued(lo_ws *ws, struct lws *wsi)
{
    frame *f = ws->queue_head;
    ws->queue_head = f->next;
    if (!ws->queue_head)
        ws->queue_tail = NULL;
    ws->queue_len--;
    int written =
        lws_write(wsi, f->bytes + LWS_PRE, f->len, f->is_text ? LWS_WRITE_TEXT : LWS_WRITE_BINARY);
    bool complete = written >= 0 && (size_t)written >= f->len;
    free(f);
    return complete ? 0 : -1;
}

static int on_writeable(lo_ws *ws, struct lws *wsi)
{
    if (ws->close_sent)
        return 0; /* nothing may follow a close frame */
    if (ws->close_to_send)
        return write_close(ws, wsi);
    if (ws->ping_due) {
        unsigned char ping[LWS_PRE + 1];
        ws->ping_due = false;
        ws->awaiting_pong = true;
        if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
            return -1;
    } else if (ws->queue_head) {
        if (write_queued(ws, wsi) < 0)
            return -1;
    }
    if (ws->queue_head || ws->ping_due)
        lws_callback_on_writable(wsi);
    return 0;
}

/* The peer's close frame (its code and reason), kept for connection_ended. */
static int on_peer_close(lo_ws *ws, struct lws *wsi, const void *in, size_t len)
{
    if (is_current(ws, wsi) && len >= 2) {
        const unsigned char *payload = in;
        ws->peer_close_code = payload[0] << 8 | payload[1];
        size_t n = len - 2 > CLOSE_REASON_MAX ? CLOSE_REASON_MAX : len - 2;
        memcpy(ws->peer_reason, payload + 2, n);
        ws->peer_reason[n] = '\0';
    }
    return ws->close_sent ? -1 : 0; /* the peer's answer to ours: done; else lws answers */
}

/* The connection of wsi is gone: ended with the code and reason it ended with. */
static void on_closed(lo_ws *ws, struct lws *wsi)
{
    if (!is_current(ws, wsi))
        return;
    if (ws->state == WS_CONNECTING) {
        connection_ended(ws, 0, "connection closed before it opened", true, false);
    } else if (ws->peer_close_code) {
        connection_ended(ws, ws->peer_close_code, ws->peer_reason, false, false);
    } else if (ws->closing_by_us) {
        char reason_copy[CLOSE_REASON_MAX + 1];
        memcpy(reason_copy, ws->close_reason, sizeof reason_copy);
        connection_ended(ws, ws->close_to_send, reason_copy, false, false);
    } else {
        connection_ended(ws, 1006, "connection dropped without a close frame", false, false);
    }
}

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *session, void *in,
                        size_t len)
{
    (void)session;
    if (!wsi)
        return 0;
    lo_ws *ws = lws_context_user(lws_get_context(wsi));
    if (!ws)
        return 0;

    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        return is_current(ws, wsi) ? on_established(ws, wsi) : -1;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return is_current(ws, wsi) ? on_receive(ws, wsi, in, len) : -1;
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        if (is_current(ws, wsi))
            ws->awaiting_pong = false;
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return is_current(ws, wsi) ? on_writeable(ws, wsi) : -1;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        return on_peer_close(ws, wsi, in, len);
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (is_current(ws, wsi)) {
            connection_ended(ws, 0, in && len ? (const char *)in : "connection failed", true,
                             false);
        }
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
    case LWS_CALLBACK_WSI_DESTROY: /* in case lws drops a wsi without either of the above */
        on_closed(ws, wsi);
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols client_protocols[] = {
    {"leanon-ws-client", on_lws_event, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- public ---- */

lo_ws *lo_ws_new(const lo_ws_config *config)
{
    if (!config || !config->loop || !config->url)
        return NULL;
    lo_ws *ws = lo_xcalloc(1, sizeof *ws);
    if (!set_url(ws, config->url)) {
        free(ws);
        return NULL;
    }
    ws->loop = config->loop;
    ws->cb = config->callbacks;
    ws->user = config->user;
    ws->connect_timeout_ms =
        config->connect_timeout_ms ? config->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    ws->ping_interval_ms = config->ping_interval_ms;
    ws->pong_timeout_ms =
        config->pong_timeout_ms ? config->pong_timeout_ms : config->ping_interval_ms;
    ws->stable_after_ms =
        config->stable_after_ms ? config->stable_after_ms : DEFAULT_STABLE_AFTER_MS;
    ws->backoff = config->reconnect_backoff;
    if (!ws->backoff.base_ms && !ws->backoff.cap_ms && !ws->backoff.floor_ms) {
        ws->backoff = (lo_backoff_policy){.floor_ms = DEFAULT_BACKOFF_FLOOR_MS,
                                          .base_ms = DEFAULT_BACKOFF_BASE_MS,
                                          .cap_ms = DEFAULT_BACKOFF_CAP_MS};
    }
    ws->rng = config->rng ? config->rng : lo_rng_default();
    ws->queue_capacity =
        config->send_queue_frames ? config->send_queue_frames : DEFAULT_QUEUE_FRAMES;
    ws->max_message =
        config->max_message_bytes ? config->max_message_bytes : DEFAULT_MAX_MESSAGE_BYTES;

    void *foreign_loops[1] = {ws->loop};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = client_protocols;
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_LIBUV;
    info.foreign_loops = foreign_loops;
    info.user = ws;
    info.gid = -1;
    info.uid = -1;
    info.client_ssl_ca_filepath = config->ca_file;
    ws->context = lws_create_context(&info);
    if (!ws->context) {
        free(ws->host);
        free(ws->host_header);
        free(ws->path);
        free(ws);
        return NULL;
    }
    uv_timer_init(ws->loop, &ws->connect_timer);
    uv_timer_init(ws->loop, &ws->reconnect_timer);
    uv_timer_init(ws->loop, &ws->ping_timer);
    ws->connect_timer.data = ws->reconnect_timer.data = ws->ping_timer.data = ws;
    ws->releases_pending = 3; /* the three timers */
    return ws;
}

int lo_ws_start(lo_ws *ws)
{
    if (!ws || ws->freeing || (ws->state != WS_IDLE && ws->state != WS_STOPPED))
        return -EINVAL;
    ws->stop_requested = false;
    ws->failures = 0;
    ws->state = WS_WAITING;
    uv_timer_start(&ws->reconnect_timer, on_reconnect_due, 0, 0);
    return 0;
}

int lo_ws_send(lo_ws *ws, const void *data, size_t len, bool is_text)
{
    if (!ws || ws->state != WS_OPEN || ws->close_to_send || !ws->wsi)
        return -ENOTCONN;
    if (ws->queue_len >= ws->queue_capacity)
        return -EAGAIN;
    frame *f = lo_xcalloc(1, sizeof *f + LWS_PRE + len);
    f->next = NULL;
    f->len = len;
    f->is_text = is_text;
    memcpy(f->bytes + LWS_PRE, data, len);
    if (ws->queue_tail)
        ws->queue_tail->next = f;
    else
        ws->queue_head = f;
    ws->queue_tail = f;
    ws->queue_len++;
    lws_callback_on_writable(ws->wsi);
    return 0;
}

/* RFC 6455 7.4: 1000-1003 and 1007-1014 are defined for sending, 3000-4999 belong to
 * libraries and applications; 1004-1006 and 1015 must never appear in a close frame. */
static bool is_sendable_close_code(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

int lo_ws_close(lo_ws *ws, int code, const char *reason)
{
    if (!ws || ws->state != WS_OPEN || !ws->wsi)
        return -ENOTCONN;
    if (!is_sendable_close_code(code))
        return -EINVAL;
    ws->close_to_send = code;
    ws->closing_by_us = true;
    snprintf(ws->close_reason, sizeof ws->close_reason, "%s", reason ? reason : "");
    lws_callback_on_writable(ws->wsi);
    return 0;
}

void lo_ws_stop(lo_ws *ws)
{
    if (!ws || ws->freeing)
        return;
    ws->stop_requested = true;
    switch (ws->state) {
    case WS_OPEN:
        if (!ws->close_to_send)
            lo_ws_close(ws, 1000, "stopping");
        break;
    case WS_RESOLVING:
    case WS_CONNECTING: {
        struct lws *wsi = ws->wsi;
        connection_ended(ws, 0, "stopped before the connection opened", true, false);
        kill_wsi(wsi);
        break;
    }
    default:
        uv_timer_stop(&ws->reconnect_timer);
        ws->state = WS_STOPPED;
        break;
    }
}

bool lo_ws_is_open(const lo_ws *ws)
{
    return ws && ws->state == WS_OPEN;
}

/* Runs from the loop, never inside an lws callback, so destroying the context is safe. */
static void on_free_due(uv_timer_t *timer)
{
    lo_ws *ws = timer->data;
    lws_context_destroy(ws->context); /* first stage: starts closing lws's handles on the loop */
    uv_close((uv_handle_t *)&ws->connect_timer, on_timer_closed);
    uv_close((uv_handle_t *)&ws->ping_timer, on_timer_closed);
    uv_timer_start(&ws->reconnect_timer, on_teardown_tick, TEARDOWN_TICK_MS, TEARDOWN_TICK_MS);
}

void lo_ws_free(lo_ws *ws)
{
    if (!ws || ws->freeing)
        return;
    ws->freeing = true; /* from here on no callback reaches the user */
    ws->generation++;
    drop_queue(ws);
    uv_timer_stop(&ws->connect_timer);
    uv_timer_stop(&ws->ping_timer);
    uv_timer_start(&ws->reconnect_timer, on_free_due, 0, 0);
}
