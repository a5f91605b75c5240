/* silent_server.c - see silent_server.h. */
#include "fakes/silent_server.h"

#include <stdbool.h>
#include <stdlib.h>

#include "fakes/fake_server.h"

enum { MAX_CONNECTIONS = 32 };

typedef struct connection {
    uv_tcp_t tcp;
    silent_server *server;
    size_t received;
    bool open;
} connection;

struct silent_server {
    fake_server base; /* first, so the base's pointer is the fake's */
    unsigned accepted, closed;
    connection connections[MAX_CONNECTIONS];
};

static void free_server(fake_server *base)
{
    free(base);
}

static void on_handle_closed(uv_handle_t *handle)
{
    silent_server *s = handle->data;
    fake_server_handle_closed(&s->base);
}

static void close_connection(connection *c)
{
    if (!c->open)
        return;
    c->open = false;
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)handle;
    static char sink[4096]; /* everything read is discarded */
    (void)suggested;
    *buf = uv_buf_init(sink, sizeof sink);
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    connection *c = (connection *)stream;
    if (n > 0) {
        c->received += (size_t)n;
    } else if (n < 0) {
        c->server->closed++;
        close_connection(c);
    }
}

static void on_connection(uv_stream_t *listener, int status)
{
    silent_server *s = listener->data;
    if (status != 0 || s->base.stopping || s->accepted >= MAX_CONNECTIONS)
        return;
    connection *c = &s->connections[s->accepted];
    uv_tcp_init(listener->loop, &c->tcp);
    c->tcp.data = s;
    c->server = s;
    c->open = true;
    fake_server_handle_opened(&s->base);
    s->accepted++;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        close_connection(c);
        return;
    }
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

silent_server *silent_server_start(uv_loop_t *loop)
{
    silent_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    return fake_server_start(&s->base, loop, 16, on_connection, free_server) < 0 ? NULL : s;
}

int silent_server_port(const silent_server *s)
{
    return s->base.port;
}
unsigned silent_server_accepted(const silent_server *s)
{
    return s->accepted;
}
unsigned silent_server_closed(const silent_server *s)
{
    return s->closed;
}

size_t silent_server_received(const silent_server *s, unsigned index)
{
    return index < s->accepted ? s->connections[index].received : 0;
}

void silent_server_stop(silent_server *s)
{
    for (unsigned i = 0; i < MAX_CONNECTIONS; i++)
        close_connection(&s->connections[i]);
    fake_server_stop(&s->base);
}
