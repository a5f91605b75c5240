/* fake_ws.c - the hand-written RFC 6455 server of fake_ws.h.
 *
 * Per connection: read the upgrade request, answer 101 with the accept key (SHA-1 and base64
 * from libwebsockets' helpers, the only lws use here), then read client frames with the codec
 * of src/net/ws_frame.h: they must be masked (RFC 6455 5.1), fragments are joined, pings get
 * pongs, a close frame is answered with the same code and the TCP connection then closed. The plan decides what happens after the
 * upgrade: echo, close with a code, drop without a close frame, or never upgrade at all.
 */
#include "fakes/fake_ws.h"
#include "fakes/fake_server.h"
#include "net/ws_frame.h"

#include <libwebsockets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct connection connection;

struct fake_ws {
    fake_server base; /* first, so the base's pointer is the fake's */
    fake_ws_script script;
    void *user;
    fake_ws_record *records;
    unsigned count, cap;
    connection *connections;
};

struct connection {
    connection *next;
    fake_ws *server;
    uv_tcp_t tcp;
    unsigned index;
    fake_ws_plan plan;
    bool upgraded, sent_close, closing;
    unsigned char *in;
    size_t in_len, in_cap;
    unsigned char *message;
    size_t message_len;
    int message_opcode;
};

typedef struct pending_write {
    uv_write_t req;
    connection *conn;
    bool close_after;
    size_t len;
    unsigned char bytes[];
} pending_write;

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000u;
}

static fake_ws_record *record_of(connection *c)
{
    return &c->server->records[c->index];
}

static void free_server(fake_server *base)
{
    fake_ws *s = (fake_ws *)base;
    free(s->records);
    free(s);
}

static void on_closed(uv_handle_t *handle)
{
    connection *c = handle->data;
    fake_ws *s = c->server;
    for (connection **link = &s->connections; *link; link = &(*link)->next) {
        if (*link == c) {
            *link = c->next;
            break;
        }
    }
    free(c->in);
    free(c->message);
    free(c);
    fake_server_handle_closed(&s->base);
}

static void close_connection(connection *c)
{
    if (c->closing)
        return;
    c->closing = true;
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_written(uv_write_t *req, int status)
{
    pending_write *w = (pending_write *)req;
    if (status < 0 || w->close_after)
        close_connection(w->conn);
    free(w);
}

static void send_bytes(connection *c, const void *bytes, size_t len, bool close_after)
{
    if (c->closing)
        return;
    pending_write *w = malloc(sizeof *w + len);
    if (!w) {
        close_connection(c);
        return;
    }
    w->conn = c;
    w->close_after = close_after;
    w->len = len;
    memcpy(w->bytes, bytes, len);
    uv_buf_t buf = uv_buf_init((char *)w->bytes, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_written) != 0) {
        free(w);
        close_connection(c);
    }
}

/* A server frame, never masked (RFC 6455 5.1); fin false leaves the message open. */
static void send_fragment(connection *c, bool fin, int opcode, const void *payload, size_t len,
                          bool close_after)
{
    size_t size;
    uint8_t *out = lo_ws_frame(fin, opcode, payload, len, NULL, &size);
    send_bytes(c, out, size, close_after);
    free(out);
}

static void send_frame(connection *c, int opcode, const void *payload, size_t len, bool close_after)
{
    send_fragment(c, true, opcode, payload, len, close_after);
}

static void send_close(connection *c, int code, const char *reason)
{
    uint8_t payload[125];
    c->sent_close = true;
    send_frame(c, LO_WS_CLOSE, payload, lo_ws_close_payload(payload, code, reason), false);
}

static bool header_value(const char *request, const char *name, char *out, size_t cap)
{
    size_t name_len = strlen(name);
    for (const char *line = strstr(request, "\r\n"); line && line[2];
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, name_len) == 0 && h[name_len] == ':') {
            const char *v = h + name_len + 1;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, "\r\n");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* Returns the bytes the handshake used, 0 if it is not complete yet, -1 after refusing it. */
static long handshake(connection *c)
{
    char *end = strstr((char *)c->in, "\r\n\r\n");
    if (!end)
        return 0;
    size_t used = (size_t)(end - (char *)c->in) + 4;
    char saved = end[2];
    end[2] = '\0';
    char key[64], upgrade[32], version[8];
    bool ok = strncmp((char *)c->in, "GET ", 4) == 0 &&
              header_value((char *)c->in, "Upgrade", upgrade, sizeof upgrade) &&
              strcasecmp(upgrade, "websocket") == 0 &&
              header_value((char *)c->in, "Sec-WebSocket-Version", version, sizeof version) &&
              strcmp(version, "13") == 0 &&
              header_value((char *)c->in, "Sec-WebSocket-Key", key, sizeof key);
    end[2] = saved;
    if (!ok) {
        record_of(c)->protocol_error = true;
        const char *refuse =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        send_bytes(c, refuse, strlen(refuse), true);
        return -1;
    }
    char joined[128];
    snprintf(joined, sizeof joined, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    unsigned char digest[20];
    lws_SHA1((const unsigned char *)joined, strlen(joined), digest);
    char accept[64];
    lws_b64_encode_string((const char *)digest, 20, accept, sizeof accept);
    char answer[256];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                     accept);
    c->upgraded = true;
    record_of(c)->upgraded = true;
    switch (c->plan.behaviour) {
    case FAKE_WS_DROP:
        send_bytes(c, answer, (size_t)n, true);
        break;
    case FAKE_WS_CLOSE:
        send_bytes(c, answer, (size_t)n, false);
        send_close(c, c->plan.close_code, c->plan.close_reason);
        break;
    default:
        send_bytes(c, answer, (size_t)n, false);
        break;
    }
    return (long)used;
}

static void on_message(connection *c, int opcode, const unsigned char *data, size_t len)
{
    fake_ws_record *r = record_of(c);
    r->messages++;
    size_t n = len < sizeof r->last_message - 1 ? len : sizeof r->last_message - 1;
    memcpy(r->last_message, data, n);
    r->last_message[n] = '\0';
    if (c->plan.behaviour == FAKE_WS_ECHO || c->plan.behaviour == FAKE_WS_NO_PONG) {
        send_frame(c, opcode, data, len, false);
    } else if (c->plan.behaviour == FAKE_WS_ECHO_FRAGMENTED) {
        size_t third = len / 3;
        send_fragment(c, false, opcode, data, third, false);
        send_fragment(c, false, LO_WS_CONTINUATION, data + third, third, false);
        send_fragment(c, true, LO_WS_CONTINUATION, data + 2 * third, len - 2 * third, false);
    }
}

/* Returns the bytes one frame used, 0 if incomplete, -1 on a protocol error. */
static long parse_frame(connection *c)
{
    lo_ws_header h;
    if (lo_ws_parse_header(c->in, c->in_len, &h) > 0 && h.length > (1u << 24))
        return -1;
    int64_t used = lo_ws_take_client_frame(c->in, c->in_len, &h);
    if (used <= 0)
        return (long)used;
    const unsigned char *payload = c->in + h.size;
    size_t len = (size_t)h.length;
    bool fin = h.fin;
    int opcode = h.opcode;

    fake_ws_record *r = record_of(c);
    switch (opcode) {
    case LO_WS_TEXT:
    case LO_WS_BINARY:
    case LO_WS_CONTINUATION: {
        if (opcode != LO_WS_CONTINUATION) {
            c->message_len = 0;
            c->message_opcode = opcode;
        }
        unsigned char *grown = realloc(c->message, c->message_len + len + 1);
        if (!grown)
            return -1;
        c->message = grown;
        memcpy(c->message + c->message_len, payload, len);
        c->message_len += len;
        if (fin)
            on_message(c, c->message_opcode, c->message, c->message_len);
        break;
    }
    case LO_WS_PING:
        r->pings++;
        if (c->plan.behaviour != FAKE_WS_NO_PONG)
            send_frame(c, LO_WS_PONG, payload, len, false);
        break;
    case LO_WS_PONG:
        break;
    case LO_WS_CLOSE:
        r->client_close_code = lo_ws_close_code(payload, len);
        if (c->sent_close)
            close_connection(c); /* the client answered our close */
        else {
            c->sent_close = true;
            send_frame(c, LO_WS_CLOSE, payload, len >= 2 ? 2 : 0, true);
        }
        break;
    default:
        return -1;
    }
    return (long)used;
}

static void consume(connection *c, size_t used)
{
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
    c->in[c->in_len] = '\0';
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    connection *c = handle->data;
    if (c->in_cap - c->in_len < suggested + 1) {
        size_t cap = c->in_len + suggested + 1;
        unsigned char *grown = realloc(c->in, cap);
        if (!grown) {
            *buf = uv_buf_init(NULL, 0);
            return;
        }
        c->in = grown;
        c->in_cap = cap;
    }
    *buf = uv_buf_init((char *)c->in + c->in_len, (unsigned)(c->in_cap - c->in_len - 1));
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    connection *c = stream->data;
    if (n < 0) {
        close_connection(c);
        return;
    }
    c->in_len += (size_t)n;
    c->in[c->in_len] = '\0';
    while (!c->closing) {
        long used;
        if (!c->upgraded) {
            if (c->plan.behaviour == FAKE_WS_HANG)
                return;
            used = handshake(c);
        } else {
            used = parse_frame(c);
            if (used < 0) {
                record_of(c)->protocol_error = true;
                send_close(c, 1002, "protocol error");
                close_connection(c);
                return;
            }
        }
        if (used <= 0)
            return;
        consume(c, (size_t)used);
    }
}

static void on_accept(uv_stream_t *listener, int status)
{
    fake_ws *s = listener->data;
    if (status < 0 || s->base.stopping)
        return;
    fake_ws_record *grown = fake_server_grow(s->records, s->count, &s->cap, sizeof *grown);
    if (!grown)
        return;
    s->records = grown;
    connection *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->server = s;
    c->index = s->count++;
    memset(&s->records[c->index], 0, sizeof s->records[c->index]);
    s->records[c->index].accepted_ms = now_ms();
    c->plan = (fake_ws_plan){.behaviour = FAKE_WS_ECHO};
    s->script(s->user, c->index, &c->plan);
    uv_tcp_init(s->base.loop, &c->tcp);
    c->tcp.data = c;
    fake_server_handle_opened(&s->base);
    c->next = s->connections;
    s->connections = c;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        close_connection(c);
    }
}

fake_ws *fake_ws_start(uv_loop_t *loop, fake_ws_script script, void *user)
{
    fake_ws *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->script = script;
    s->user = user;
    return fake_server_start(&s->base, loop, 16, on_accept, free_server) < 0 ? NULL : s;
}

int fake_ws_port(const fake_ws *s)
{
    return s->base.port;
}
unsigned fake_ws_count(const fake_ws *s)
{
    return s->count;
}

const fake_ws_record *fake_ws_connection(const fake_ws *s, unsigned index)
{
    return index < s->count ? &s->records[index] : NULL;
}

void fake_ws_stop(fake_ws *s)
{
    for (connection *c = s->connections; c; c = c->next)
        close_connection(c);
    fake_server_stop(&s->base);
}
