/* fake_ws.h - a scripted websocket server on 127.0.0.1 (ephemeral port) for client tests,
 * written by hand from RFC 6455: upgrade handshake (Sec-WebSocket-Accept), client masking
 * required, text/binary/continuation, ping/pong, close codes. It runs on the test's libuv loop;
 * the script tells each new connection how to behave, and every connection is recorded.
 */
#ifndef LEANON_FAKE_WS_H
#define LEANON_FAKE_WS_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef enum fake_ws_behaviour {
    FAKE_WS_ECHO,            /* upgrade, echo every message, answer pings */
    FAKE_WS_CLOSE,           /* upgrade, then send a close frame with close_code */
    FAKE_WS_DROP,            /* upgrade, then close the TCP connection without a close frame */
    FAKE_WS_HANG,            /* accept the TCP connection and never answer the upgrade */
    FAKE_WS_NO_PONG,         /* like ECHO, but ignore pings */
    FAKE_WS_ECHO_FRAGMENTED, /* like ECHO, but each echo goes out as three fragments */
} fake_ws_behaviour;

typedef struct fake_ws_plan {
    fake_ws_behaviour behaviour;
    int close_code;
    const char *close_reason;
} fake_ws_plan;

typedef void (*fake_ws_script)(void *user, unsigned connection_index, fake_ws_plan *plan);

typedef struct fake_ws_record {
    uint64_t accepted_ms; /* uv_hrtime() / 1e6 at TCP accept */
    bool upgraded;
    unsigned messages;
    char last_message[256];
    unsigned pings;
    int client_close_code; /* from the client's close frame; 0 if none came */
    bool protocol_error;   /* an unmasked client frame, a bad opcode or a bad handshake */
} fake_ws_record;

typedef struct fake_ws fake_ws;

fake_ws *fake_ws_start(uv_loop_t *loop, fake_ws_script script, void *user);
int fake_ws_port(const fake_ws *server);
unsigned fake_ws_count(const fake_ws *server);
const fake_ws_record *fake_ws_connection(const fake_ws *server, unsigned index);
void fake_ws_stop(fake_ws *server);

#endif
