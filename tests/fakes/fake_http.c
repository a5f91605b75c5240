/* fake_http.c - the scripted loopback HTTP server of fake_http.h.
 *
 * One connection = one request: read until the headers and Content-Length bytes of body are
 * in, record the request, ask the script, then answer (after the scripted delay) and close, or
 * reset. If the client gives up first (its timeout), the connection is simply closed.
 */
#include "fakes/fake_http.h"
#include "fakes/fake_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct connection connection;

struct fake_http {
    fake_server base; /* first, so the base's pointer is the fake's */
    fake_http_script script;
    void *user;
    fake_http_record *records;
    unsigned count, cap;
    connection *connections;
};

struct connection {
    connection *next;
    fake_http *server;
    uv_tcp_t tcp;
    uv_timer_t delay;
    uv_write_t write;
    char *in;
    size_t in_len, in_cap;
    bool answered_or_closing;
    unsigned index;
    fake_http_action action;
    char *out;
    int open_handles;
};

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000u;
}

static void free_server(fake_server *base)
{
    fake_http *s = (fake_http *)base;
    for (unsigned i = 0; i < s->count; i++)
        free(s->records[i].body);
    free(s->records);
    free(s);
}

static void on_connection_handle_closed(uv_handle_t *handle)
{
    connection *c = handle->data;
    if (--c->open_handles > 0)
        return;
    fake_http *s = c->server;
    for (connection **link = &s->connections; *link; link = &(*link)->next) {
        if (*link == c) {
            *link = c->next;
            break;
        }
    }
    free(c->in);
    free(c->out);
    free(c);
    fake_server_handle_closed(&s->base);
}

static void close_connection(connection *c, bool reset)
{
    if (uv_is_closing((uv_handle_t *)&c->tcp))
        return;
    c->answered_or_closing = true;
    uv_close((uv_handle_t *)&c->delay, on_connection_handle_closed);
    if (reset)
        uv_tcp_close_reset(&c->tcp, on_connection_handle_closed);
    else
        uv_close((uv_handle_t *)&c->tcp, on_connection_handle_closed);
}

static void on_written(uv_write_t *req, int status)
{
    (void)status;
    close_connection(req->data, false);
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

static void answer(connection *c)
{
    fake_http *s = c->server;
    if (c->action.reset) {
        close_connection(c, true);
        return;
    }
    const char *body = c->action.body ? c->action.body : "";
    const char *headers = c->action.headers ? c->action.headers : "";
    size_t len = strlen(body) + strlen(headers) + 256;
    c->out = malloc(len);
    if (!c->out) {
        close_connection(c, true);
        return;
    }
    int n = snprintf(c->out, len,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n%s\r\n%s",
                     c->action.status, reason(c->action.status), strlen(body), headers, body);
    s->records[c->index].answered_ms = now_ms();
    s->records[c->index].status = c->action.status;
    uv_buf_t buf = uv_buf_init(c->out, (unsigned)n);
    c->write.data = c;
    if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &buf, 1, on_written) != 0)
        close_connection(c, false);
}

static void on_delay_over(uv_timer_t *timer)
{
    answer(timer->data);
}

static bool header_value(const char *headers, const char *name, char *out, size_t cap)
{
    size_t name_len = strlen(name);
    for (const char *line = strstr(headers, "\r\n"); line && line[2];
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, name_len) == 0 && h[name_len] == ':') {
            const char *v = h + name_len + 1;
            while (*v == ' ')
                v++;
            const char *end = strstr(v, "\r\n");
            size_t n = end ? (size_t)(end - v) : strlen(v);
            if (n >= cap)
                n = cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* Records and schedules the answer once the whole request is in. */
static void try_handle(connection *c)
{
    fake_http *s = c->server;
    char *end = c->in_len >= 4 ? strstr(c->in, "\r\n\r\n") : NULL;
    if (!end)
        return;
    size_t head_len = (size_t)(end - c->in) + 4;
    end[2] = '\0'; /* cut after the last header line for header_value(); put back if incomplete */
    char length_text[32] = "0";
    header_value(c->in, "Content-Length", length_text, sizeof length_text);
    size_t body_len = strtoul(length_text, NULL, 10);
    if (c->in_len < head_len + body_len) {
        end[2] = '\r';
        return;
    }

    fake_http_record *grown = fake_server_grow(s->records, s->count, &s->cap, sizeof *grown);
    if (!grown) {
        close_connection(c, true);
        return;
    }
    s->records = grown;
    fake_http_record *r = &s->records[s->count];
    memset(r, 0, sizeof *r);
    sscanf(c->in, "%15s %255s", r->method, r->path);
    header_value(c->in, "Authorization", r->authorization, sizeof r->authorization);
    r->body = malloc(body_len + 1);
    if (!r->body) {
        close_connection(c, true);
        return;
    }
    memcpy(r->body, c->in + head_len, body_len);
    r->body[body_len] = '\0';
    r->arrived_ms = now_ms();
    c->index = s->count++;
    c->answered_or_closing = true;

    c->action = (fake_http_action){.status = 200, .body = "{}"};
    s->script(s->user, c->index, r, &c->action);
    if (c->action.delay_ms)
        uv_timer_start(&c->delay, on_delay_over, c->action.delay_ms, 0);
    else
        answer(c);
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    connection *c = handle->data;
    if (c->in_cap - c->in_len < suggested + 1) {
        size_t cap = c->in_len + suggested + 1;
        char *grown = realloc(c->in, cap);
        if (!grown) {
            *buf = uv_buf_init(NULL, 0);
            return;
        }
        c->in = grown;
        c->in_cap = cap;
    }
    *buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len - 1));
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    connection *c = stream->data;
    if (n < 0) { /* the client hung up (e.g. it timed out on a slow answer) */
        close_connection(c, false);
        return;
    }
    c->in_len += (size_t)n;
    c->in[c->in_len] = '\0';
    if (!c->answered_or_closing)
        try_handle(c);
}

static void on_accept(uv_stream_t *listener, int status)
{
    fake_http *s = listener->data;
    if (status < 0 || s->base.stopping)
        return;
    connection *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->server = s;
    uv_tcp_init(s->base.loop, &c->tcp);
    uv_timer_init(s->base.loop, &c->delay);
    c->tcp.data = c;
    c->delay.data = c;
    c->open_handles = 2;
    fake_server_handle_opened(&s->base);
    c->next = s->connections;
    s->connections = c;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        close_connection(c, false);
    }
}

fake_http *fake_http_start(uv_loop_t *loop, fake_http_script script, void *user)
{
    fake_http *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->script = script;
    s->user = user;
    return fake_server_start(&s->base, loop, 64, on_accept, free_server) < 0 ? NULL : s;
}

int fake_http_port(const fake_http *s)
{
    return s->base.port;
}
unsigned fake_http_count(const fake_http *s)
{
    return s->count;
}

const fake_http_record *fake_http_request(const fake_http *s, unsigned index)
{
    return index < s->count ? &s->records[index] : NULL;
}

void fake_http_stop(fake_http *s)
{
    for (connection *c = s->connections; c; c = c->next)
        close_connection(c, false);
    fake_server_stop(&s->base);
}
