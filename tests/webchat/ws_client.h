/* ws_client.h - a small blocking HTTP and websocket client for tests and the
 * benchmark, talking to a leanon run that the test started on loopback. */
#ifndef LEANON_TESTS_WS_CLIENT_H
#define LEANON_TESTS_WS_CLIENT_H

#include <stddef.h>

typedef struct ws_client {
    int fd;
    unsigned char buf[65536];   /* bytes received and not yet consumed */
    size_t have;
} ws_client;

enum { WS_TEXT = 1, WS_BINARY = 2, WS_CLOSE = 8 };

/* GET path from 127.0.0.1:port; returns the status (or -1) and the body in
 * *body (heap, may be NULL). */
int http_get(int port, const char *path, char **body);

/* Opens a websocket to 127.0.0.1:port/path with the given Origin (NULL =
 * none). Returns the HTTP status of the upgrade (101 on success) or -1. */
int ws_connect(ws_client *c, int port, const char *path, const char *origin);
/* The same with a small receive buffer (bytes), to play a client that reads slowly. */
int ws_connect_rcvbuf(ws_client *c, int port, const char *path, const char *origin, int rcvbuf);
int ws_send(ws_client *c, int opcode, const char *data, size_t len);
/* Waits up to timeout_ms for a frame. Returns its opcode, or -1 on timeout,
 * close of the socket or error. *payload is heap and NUL-terminated. */
int ws_recv(ws_client *c, char **payload, size_t *len, int timeout_ms);
void ws_disconnect(ws_client *c);

#endif
