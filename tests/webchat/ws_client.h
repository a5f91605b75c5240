/* ws_client.h - a small blocking HTTP and websocket client for tests and the
 * benchmark, talking to a leanon run that the test started on loopback. */
#ifndef LEANON_TESTS_WS_CLIENT_H
#define LEANON_TESTS_WS_CLIENT_H

#include <stddef.h>

#include "net/ws_frame.h"

typedef struct ws_client {
    int fd;
    unsigned char buf[65536]; /* bytes received and not yet consumed */
    size_t have;
} ws_client;

/* The opcodes tests use, from the codec (src/net/ws_frame.h). */
enum { WS_TEXT = LO_WS_TEXT, WS_BINARY = LO_WS_BINARY, WS_CLOSE = LO_WS_CLOSE };

/* A TCP connection to 127.0.0.1:port from the loopback address source (NULL: any), or -1. */
int tcp_connect_from(const char *source, int port, int rcvbuf);

/* GET path from 127.0.0.1:port; returns the status (or -1) and the body in
 * *body (heap, may be NULL). */
int http_get(int port, const char *path, char **body);
/* Sends a whole raw request to 127.0.0.1:port; the status (or -1) and body as http_get. */
int http_request(int port, const char *request, char **body);

/* Opens a websocket to 127.0.0.1:port/path with the given Origin (NULL =
 * none). Returns the HTTP status of the upgrade (101 on success) or -1. */
int ws_connect(ws_client *c, int port, const char *path, const char *origin);
/* The same with a small receive buffer (bytes), to play a client that reads slowly. */
int ws_connect_rcvbuf(ws_client *c, int port, const char *path, const char *origin, int rcvbuf);
/* The same from the loopback address source (e.g. "127.0.0.2": another client). */
int ws_connect_from(ws_client *c, const char *source, int port, const char *path,
                    const char *origin, int rcvbuf);
/* The same with raw header lines ("Name: value\r\n" each) instead of an Origin. */
int ws_connect_with(ws_client *c, const char *source, int port, const char *path,
                    const char *headers, int rcvbuf);
/* Sends raw bytes (a frame made by hand: unmasked, cut short, ...). */
int ws_send_raw(ws_client *c, const void *data, size_t len);
int ws_send(ws_client *c, int opcode, const char *data, size_t len);
/* Waits up to timeout_ms for a frame. Returns its opcode, or -1 on timeout,
 * close of the socket or error. *payload is heap and NUL-terminated. */
int ws_recv(ws_client *c, char **payload, size_t *len, int timeout_ms);
void ws_disconnect(ws_client *c);

#endif
