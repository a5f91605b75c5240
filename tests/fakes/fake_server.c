/* fake_server.c - see fake_server.h. */
#include "fakes/fake_server.h"
#include "fakes/loopback.h"

#include <stdlib.h>

static void maybe_free(fake_server *server)
{
    if (server->stopping && server->open_handles == 0)
        server->free_server(server);
}

static void on_listener_closed(uv_handle_t *handle)
{
    fake_server_handle_closed(handle->data);
}

int fake_server_start(fake_server *server, uv_loop_t *loop, int backlog, uv_connection_cb on_accept,
                      fake_server_free_fn free_server)
{
    server->loop = loop;
    server->free_server = free_server;
    server->listener.data = server;
    server->open_handles = 1;
    server->port = fake_listen_loopback(loop, &server->listener, backlog, on_accept);
    if (server->port < 0)
        fake_server_stop(server);
    return server->port;
}

void fake_server_handle_opened(fake_server *server)
{
    server->open_handles++;
}

void fake_server_handle_closed(fake_server *server)
{
    server->open_handles--;
    maybe_free(server);
}

void fake_server_stop(fake_server *server)
{
    server->stopping = true;
    uv_close((uv_handle_t *)&server->listener, on_listener_closed);
}

void *fake_server_grow(void *records, unsigned count, unsigned *cap, size_t record_size)
{
    if (count < *cap)
        return records;
    unsigned bigger = *cap ? *cap * 2 : 16;
    void *grown = realloc(records, bigger * record_size);
    if (grown)
        *cap = bigger;
    return grown;
}
