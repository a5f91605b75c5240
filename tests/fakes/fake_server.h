/* fake_server.h - the lifecycle every scripted fake server shares: a loopback listener, a
 * count of the libuv handles still open (the listener's and each connection's), and a stop
 * that frees the server only once the last of them has closed, so no callback ever runs on
 * freed memory. A fake embeds a fake_server as its FIRST member and gives it the function
 * that frees the whole fake. */
#ifndef LEANON_TESTS_FAKES_FAKE_SERVER_H
#define LEANON_TESTS_FAKES_FAKE_SERVER_H

#include <stdbool.h>
#include <uv.h>

typedef struct fake_server fake_server;
typedef void (*fake_server_free_fn)(fake_server *server);

struct fake_server {
    uv_loop_t *loop;
    uv_tcp_t listener; /* listener.data is the fake_server itself */
    int port;
    unsigned open_handles;
    bool stopping;
    fake_server_free_fn free_server;
};

/* Starts listening on 127.0.0.1 with a port the kernel picks; on_accept gets the listener, whose
 * data is server. Returns the port, or -1: then the server is already stopping and frees itself
 * through free_server once its listener has closed (the caller must not touch it again). */
int fake_server_start(fake_server *server, uv_loop_t *loop, int backlog, uv_connection_cb on_accept,
                      fake_server_free_fn free_server);

/* A connection's handles: counted when opened, and each close callback reports one closed. */
void fake_server_handle_opened(fake_server *server);
void fake_server_handle_closed(fake_server *server);

/* Refuses new connections and closes the listener; the caller closes its connections. */
void fake_server_stop(fake_server *server);

/* The records array with room for one more after count (doubling *cap from 16 when full), or
 * NULL when memory runs out (records is then untouched). */
void *fake_server_grow(void *records, unsigned count, unsigned *cap, size_t record_size);

#endif
