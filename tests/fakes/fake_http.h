/* fake_http.h - a scripted HTTP/1.1 server on 127.0.0.1 (ephemeral port) for client tests.
 *
 * It runs on the test's own libuv loop. For each request it records method, path, headers of
 * interest, body and arrival time, then asks the test's script what to do: answer (status,
 * extra headers, body) after an optional delay, or reset the connection. Every answer closes
 * its connection ("Connection: close"), so each request is one connection.
 */
#ifndef LEANON_FAKE_HTTP_H
#define LEANON_FAKE_HTTP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct fake_http_record {
    char method[16];
    char path[256];
    char authorization[128];
    char *body;           /* NUL-terminated, "" if none */
    uint64_t arrived_ms;  /* uv_hrtime() / 1e6 when the request was complete */
    uint64_t answered_ms; /* when the answer was written (0 if reset or never) */
    int status;           /* what was answered (0 if reset or never) */
} fake_http_record;

typedef struct fake_http_action {
    int status;
    const char *headers; /* extra header lines, each ending in "\r\n"; may be NULL */
    const char *body;    /* may be NULL */
    unsigned delay_ms;   /* wait before answering (a slow server) */
    bool reset;          /* instead of answering, reset the connection (RST) */
} fake_http_action;

/* Decides the answer to request number `index` (0-based, over the server's life). */
typedef void (*fake_http_script)(void *user, unsigned index, const fake_http_record *request,
                                 fake_http_action *action);

typedef struct fake_http fake_http;

fake_http *fake_http_start(uv_loop_t *loop, fake_http_script script, void *user);
int fake_http_port(const fake_http *server);
unsigned fake_http_count(const fake_http *server);
const fake_http_record *fake_http_request(const fake_http *server, unsigned index);
/* Closes the listener and open connections; memory goes when the loop has closed them. */
void fake_http_stop(fake_http *server);

#endif
