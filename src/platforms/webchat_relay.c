/* webchat_relay.c - the relay of webchat_relay.h: two uv_polls (the client's socket, the relay's
 * end of the socketpair), a frame timer, a buffer each way.
 *
 * Client to server, in[]: [0, in_sent) was written to lws, [in_sent, in_ready) may be, and
 * [in_ready, in_len) waits: the rest of a request head's successor in HTTP, a frame not yet
 * whole in websocket. Server to client, out[], is copied as it comes. When lws closes its end,
 * what it wrote is flushed, the client's socket is shut for writing, and the relay waits for the
 * client to close, so that lws's last frames are not lost to a reset; all of that within
 * LINGER_MS, then the client's socket is closed whatever it does.
 */
#include "platforms/webchat_relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/buf.h"
#include "net/ws_frame.h"
#include "obs/log.h"

#define IN_START 4096
#define OUT_SIZE 16384
#define LINGER_MS 1000
#define LWS_SNDBUF 4096

typedef enum phase {
    PHASE_HEAD,   /* HTTP: copying a request head */
    PHASE_HELD,   /* HTTP: a head went to lws, the bytes after it wait for its answer */
    PHASE_FRAMES, /* websocket: whole checked frames go to lws */
    PHASE_FAILED, /* failed, or lws is gone: the client's bytes are dropped */
} phase;

struct lo_relay {
    uv_poll_t client_poll, server_poll;
    uv_timer_t timer;
    int client_events, server_events; /* what each poll waits for now */
    int client_fd, inner_fd;
    int open_handles;
    bool server_attached, closing, closed;
    char peer[INET6_ADDRSTRLEN];
    unsigned frame_timeout_ms;
    uint64_t max_frame;
    lo_metrics *metrics;
    phase phase;
    unsigned head_match; /* bytes of "\r\n\r\n" matched so far */
    bool in_message;     /* a fragmented message is begun */
    bool timing;         /* the frame timer runs */
    size_t need;         /* bytes from in_ready the waiting frame needs */
    uint8_t *in;
    size_t in_len, in_cap, in_sent, in_ready;
    bool client_eof, server_shut;
    uint8_t out[OUT_SIZE];
    size_t out_len, out_sent;
    bool server_eof, server_closed, client_shut; /* EOF read; EOF read or EPIPE; shut */
    bool lingering;
    bool ending; /* the timer is the last one: when it fires, the relay ends */
};

static void on_client(uv_poll_t *poll, int status, int events);
static void on_server(uv_poll_t *poll, int status, int events);

static void release(lo_relay *r)
{
    free(r->in);
    free(r);
}

static void on_handle_closed(uv_handle_t *handle)
{
    lo_relay *r = handle->data;
    if (--r->open_handles)
        return;
    close(r->client_fd);
    close(r->inner_fd);
    r->closed = true;
    if (!r->server_attached)
        release(r);
}

static void finish(lo_relay *r)
{
    if (r->closing)
        return;
    r->closing = true;
    uv_close((uv_handle_t *)&r->client_poll, on_handle_closed);
    uv_close((uv_handle_t *)&r->server_poll, on_handle_closed);
    uv_close((uv_handle_t *)&r->timer, on_handle_closed);
}

static void grow(lo_relay *r, size_t cap)
{
    r->in = lo_xrealloc(r->in, cap);
    r->in_cap = cap;
}

static void on_timer(uv_timer_t *timer);

static void start_timer(lo_relay *r, unsigned ms)
{
    uv_timer_start(&r->timer, on_timer, ms, 0);
    r->timing = true;
}

static void stop_timer(lo_relay *r)
{
    uv_timer_stop(&r->timer);
    r->timing = false;
}

/* The client has LINGER_MS more, whatever it sends. */
static void start_ending(lo_relay *r)
{
    r->ending = true;
    start_timer(r, LINGER_MS);
}

/* Fails the websocket: drops the client's unchecked bytes and gives lws a close frame with
 * code in their place, which lws answers with the same code before it closes. */
static void fail(lo_relay *r, int code, const char *reason, const char *text)
{
    lo_log(LO_LOG_WARN, "webchat.closed", "reason=%s close=%d", reason, code);
    char metric[48];
    snprintf(metric, sizeof metric, "webchat_%s", reason);
    lo_metrics_add(r->metrics, LO_METRIC_ERRORS, metric, 1);
    uint8_t payload[125];
    static const uint8_t key[4] = {0, 0, 0, 0}; /* a socketpair: no proxy to confuse */
    size_t size;
    uint8_t *frame = lo_ws_frame(true, LO_WS_CLOSE, payload,
                                 lo_ws_close_payload(payload, code, text), key, &size);
    if (r->in_ready + size > r->in_cap)
        grow(r, r->in_ready + size);
    memcpy(r->in + r->in_ready, frame, size);
    free(frame);
    r->in_len = r->in_ready += size;
    r->phase = PHASE_FAILED;
    start_ending(r); /* lws answers and closes well before */
}

/* Moves in_ready over the whole frames at it; fails the connection on a bad one. */
static void check_frames(lo_relay *r)
{
    for (;;) {
        size_t avail = r->in_len - r->in_ready;
        lo_ws_header h;
        int n = lo_ws_parse_header(r->in + r->in_ready, avail, &h);
        if (n < 0)
            return fail(r, LO_WS_CLOSE_PROTOCOL_ERROR, "bad_length", "bad frame length");
        if (n == 0) {
            r->need = LO_WS_HEADER_MAX;
            break;
        }
        if (!h.masked)
            return fail(r, LO_WS_CLOSE_PROTOCOL_ERROR, "unmasked", "unmasked frame");
        if (h.length > r->max_frame)
            return fail(r, LO_WS_CLOSE_TOO_BIG, "too_large", "too large");
        size_t whole = h.size + (size_t)h.length;
        if (avail < whole) {
            r->need = whole;
            break;
        }
        r->in_ready += whole;
        if (h.opcode < LO_WS_CLOSE) /* control frames may come between fragments */
            r->in_message = !h.fin;
    }
    bool partial = r->in_len > r->in_ready || r->in_message;
    if (r->ending)
        return;
    if (partial && !r->timing)
        start_timer(r, r->frame_timeout_ms);
    else if (!partial && r->timing)
        stop_timer(r);
}

/* Moves in_ready over what may go to lws now. */
static void advance(lo_relay *r)
{
    switch (r->phase) {
    case PHASE_HEAD:
        while (r->in_ready < r->in_len) {
            uint8_t c = r->in[r->in_ready++];
            r->head_match =
                c == (uint8_t) "\r\n\r\n"[r->head_match] ? r->head_match + 1 : c == '\r';
            if (r->head_match == 4) {
                r->head_match = 0;
                r->phase = PHASE_HELD;
                break;
            }
        }
        break;
    case PHASE_FRAMES:
        check_frames(r);
        break;
    case PHASE_HELD:
        break;
    case PHASE_FAILED:
        r->in_len = r->in_ready;
        break;
    }
}

static void drop_input(lo_relay *r)
{
    r->phase = PHASE_FAILED;
    r->in_len = r->in_ready = r->in_sent = 0;
}

/* Shuts each side once the other has ended and everything for it was written (a held request
 * too: it goes once lws has answered the one before). */
static void settle(lo_relay *r)
{
    if (r->client_eof && r->in_sent == r->in_ready && r->phase != PHASE_HELD && !r->server_shut) {
        shutdown(r->inner_fd, SHUT_WR);
        r->server_shut = true;
    }
    if (r->server_eof)
        r->server_closed = true;
    if (r->server_closed && !r->lingering) {
        r->lingering = true;
        drop_input(r);
        start_ending(r);
    }
    if (r->server_eof && r->out_sent == r->out_len && !r->client_shut) {
        shutdown(r->client_fd, SHUT_WR);
        r->client_shut = true;
    }
    if (r->client_shut && r->client_eof)
        finish(r);
}

/* Changes what a poll waits for, when that changed (most wake-ups change nothing). */
static void set_events(uv_poll_t *poll, int *current, int events, uv_poll_cb cb)
{
    if (events == *current)
        return;
    *current = events;
    if (events)
        uv_poll_start(poll, events, cb);
    else
        uv_poll_stop(poll);
}

static void watch(lo_relay *r)
{
    settle(r);
    if (r->closing)
        return;
    if (r->in_len == r->in_cap && r->in_sent) {
        memmove(r->in, r->in + r->in_sent, r->in_len - r->in_sent);
        r->in_len -= r->in_sent;
        r->in_ready -= r->in_sent;
        r->in_sent = 0;
    }
    if (r->phase == PHASE_FRAMES && r->in_len == r->in_cap && r->in_ready + r->need > r->in_cap)
        grow(r, r->in_ready + r->need);
    int client = 0, server = 0;
    if (!r->client_eof && r->in_len < r->in_cap && (!r->server_closed || r->client_shut))
        client |= UV_READABLE; /* once lws is gone, only to see the client close */
    if (r->out_sent < r->out_len)
        client |= UV_WRITABLE;
    if (!r->server_eof && r->out_len < OUT_SIZE)
        server |= UV_READABLE;
    if (r->in_sent < r->in_ready)
        server |= UV_WRITABLE;
    set_events(&r->client_poll, &r->client_events, client, on_client);
    set_events(&r->server_poll, &r->server_events, server, on_server);
}

static bool would_block(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

static void write_server(lo_relay *r)
{
    if (r->in_sent == r->in_ready)
        return;
    ssize_t n = send(r->inner_fd, r->in + r->in_sent, r->in_ready - r->in_sent, MSG_NOSIGNAL);
    if (n > 0)
        r->in_sent += (size_t)n;
    else if (n < 0 && !would_block())
        r->server_closed = true; /* lws has closed: its end's EOF follows */
}

static void write_client(lo_relay *r)
{
    if (r->out_sent == r->out_len)
        return;
    ssize_t n = send(r->client_fd, r->out + r->out_sent, r->out_len - r->out_sent, MSG_NOSIGNAL);
    if (n > 0)
        r->out_sent += (size_t)n;
    else if (n < 0 && !would_block())
        finish(r);
    if (r->out_sent == r->out_len)
        r->out_sent = r->out_len = 0;
}

static void read_client(lo_relay *r)
{
    ssize_t n = read(r->client_fd, r->in + r->in_len, r->in_cap - r->in_len);
    if (n < 0 && !would_block()) {
        finish(r);
        return;
    }
    if (n == 0) {
        r->client_eof = true;
        if (!r->ending)
            stop_timer(r); /* no frame will be completed now */
    }
    if (n <= 0)
        return;
    r->in_len += (size_t)n;
    advance(r);
    write_server(r);
}

static void read_server(lo_relay *r)
{
    if (r->out_sent && r->out_len == OUT_SIZE) {
        memmove(r->out, r->out + r->out_sent, r->out_len - r->out_sent);
        r->out_len -= r->out_sent;
        r->out_sent = 0;
    }
    ssize_t n = read(r->inner_fd, r->out + r->out_len, OUT_SIZE - r->out_len);
    if (n == 0 || (n < 0 && !would_block()))
        r->server_eof = true;
    if (n <= 0)
        return;
    r->out_len += (size_t)n;
    write_client(r);
}

static void on_client(uv_poll_t *poll, int status, int events)
{
    lo_relay *r = poll->data;
    if (status < 0) {
        finish(r);
        return;
    }
    if (events & UV_WRITABLE)
        write_client(r);
    if (!r->closing && (events & UV_READABLE))
        read_client(r);
    if (!r->closing)
        watch(r);
}

static void on_server(uv_poll_t *poll, int status, int events)
{
    lo_relay *r = poll->data;
    if (status < 0)
        r->server_eof = true;
    else if (events & UV_WRITABLE)
        write_server(r);
    if (status >= 0 && (events & UV_READABLE))
        read_server(r);
    if (!r->closing)
        watch(r);
}

static void on_timer(uv_timer_t *timer)
{
    lo_relay *r = timer->data;
    r->timing = false;
    if (!r->ending) {
        fail(r, LO_WS_CLOSE_POLICY, "frame_timeout", "frame timeout");
        write_server(r);
        watch(r);
    } else {
        finish(r); /* lws did not close after a failure, or the client did not after lws */
    }
}

static void describe_peer(int fd, char *out, size_t size)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    out[0] = '\0';
    if (getpeername(fd, (struct sockaddr *)&addr, &len) != 0)
        return;
    if (addr.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, out, (socklen_t)size);
    else if (addr.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, out, (socklen_t)size);
}

lo_relay *lo_relay_new(uv_loop_t *loop, int client_fd, unsigned frame_timeout_ms,
                       uint64_t max_frame, lo_metrics *metrics, int *server_fd)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0)
        return NULL;
    lo_relay *r = lo_xcalloc(1, sizeof *r);
    /* lws's end sends into a small buffer, so that a client that does not read soon holds
     * lws's writes back (lws then stops reading it, as it would on the client's own socket). */
    int sndbuf = LWS_SNDBUF;
    setsockopt(pair[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    grow(r, IN_START);
    r->client_fd = client_fd;
    r->inner_fd = pair[0];
    r->frame_timeout_ms = frame_timeout_ms;
    r->max_frame = max_frame;
    r->metrics = metrics;
    r->server_attached = true;
    describe_peer(client_fd, r->peer, sizeof r->peer);
    uv_poll_init_socket(loop, &r->client_poll, client_fd);
    uv_poll_init_socket(loop, &r->server_poll, pair[0]);
    uv_timer_init(loop, &r->timer);
    r->client_poll.data = r->server_poll.data = r->timer.data = r;
    r->open_handles = 3;
    *server_fd = pair[1];
    return r;
}

void lo_relay_start(lo_relay *r)
{
    watch(r);
}

const char *lo_relay_peer(const lo_relay *r)
{
    return r->peer;
}

void lo_relay_set_peer(lo_relay *r, const char *address)
{
    snprintf(r->peer, sizeof r->peer, "%s", address);
}

/* The server has decided about the head it was given: the held bytes go on as next. */
static void release_held(lo_relay *r, phase next)
{
    if (r->phase != PHASE_HELD)
        return;
    r->phase = next;
    advance(r);
    watch(r);
}

void lo_relay_answered(lo_relay *r)
{
    release_held(r, PHASE_HEAD);
}

void lo_relay_upgraded(lo_relay *r)
{
    release_held(r, PHASE_FRAMES);
}

void lo_relay_closing(lo_relay *r)
{
    if (!r->ending)
        start_ending(r);
}

void lo_relay_server_gone(lo_relay *r)
{
    r->server_attached = false;
    if (r->closed)
        release(r);
}
