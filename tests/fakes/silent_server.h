/* silent_server.h - a server on 127.0.0.1 (ephemeral port) that accepts every TCP connection,
 * reads and discards what the client sends, and never writes a byte: the peer that hangs
 * after the handshake, for timeout tests of the REST and websocket clients. */
#ifndef LEANON_FAKE_SILENT_SERVER_H
#define LEANON_FAKE_SILENT_SERVER_H

#include <stddef.h>
#include <uv.h>

typedef struct silent_server silent_server;

silent_server *silent_server_start(uv_loop_t *loop);
int silent_server_port(const silent_server *server);
unsigned silent_server_accepted(const silent_server *server);
/* connections the client has closed (EOF or reset seen) */
unsigned silent_server_closed(const silent_server *server);
/* bytes received on connection `index` (0-based), so far */
size_t silent_server_received(const silent_server *server, unsigned index);
/* Closes the listener and open connections; memory goes when the loop has closed them. */
void silent_server_stop(silent_server *server);

#endif
