/* ws.h - the websocket client platforms use (a gateway connection), on libwebsockets driven
 * by the caller's libuv loop.
 *
 * One lo_ws is one logical connection that survives network trouble: it connects (DNS without
 * blocking, TCP, TLS with certificate and host name verification for wss://, the upgrade)
 * within connect_timeout_ms, keeps the line checked with websocket pings if asked, and on any
 * disconnect tells the platform why (close code and reason, or that the connect failed) and
 * asks its resume hook what to do: stop for good (e.g. Discord close 4004, bad token) or
 * reconnect, possibly to another URL (Discord's resume_gateway_url). Reconnects wait
 * floor + full jitter over an exponentially growing, capped window; the window resets only
 * after a connection stayed up for stable_after_ms, so a server that accepts and drops at once
 * still sees growing delays. Outgoing frames wait in a bounded queue while connected; frames
 * still queued when the connection drops are discarded (the count is reported), because a new
 * connection starts a new session that the platform must set up itself.
 */
#ifndef LEANON_WS_H
#define LEANON_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "net/backoff.h"

typedef struct lo_ws lo_ws;

/* Why a connection ended. */
typedef struct lo_ws_close_info {
    int close_code;       /* the peer's close code; 1006 if the connection dropped without a
                              close frame (RFC 6455 7.1.5); 0 if it never opened */
    const char *reason;   /* the peer's close reason or what went wrong; never NULL */
    bool connect_failed;  /* refused, DNS, TLS, handshake or timeout before it opened */
    bool timed_out;       /* the connect timeout or the pong timeout expired */
    bool closed_by_us;    /* after lo_ws_close() */
    unsigned failures;    /* consecutive unstable connections, this one included */
    size_t unsent_frames; /* queued frames discarded with this connection */
} lo_ws_close_info;

/* The resume hook's answer. */
typedef struct lo_ws_resume {
    bool reconnect;  /* preset to true */
    const char *url; /* preset to NULL = same URL; otherwise copied before the hook returns */
} lo_ws_resume;

typedef struct lo_ws_callbacks {
    void (*on_open)(void *user);
    void (*on_message)(void *user, const char *data, size_t len, bool is_text);
    /* every disconnect, with its reason; the resume hook is asked right after */
    void (*on_close)(void *user, const lo_ws_close_info *info);
    void (*resume)(void *user, const lo_ws_close_info *info, lo_ws_resume *choice);
    /* a reconnect will be tried in delay_ms (for metrics and tests); may be NULL */
    void (*on_reconnect_scheduled)(void *user, unsigned failures, uint64_t delay_ms);
} lo_ws_callbacks;

typedef struct lo_ws_config {
    uv_loop_t *loop;
    const char *url;             /* ws://host[:port]/path?query or wss://... */
    const char *ca_file;         /* PEM bundle to trust; NULL = the system's CA store */
    unsigned connect_timeout_ms; /* DNS + TCP + TLS + upgrade; 0 = 10000 */
    unsigned ping_interval_ms;   /* websocket pings; 0 = none (Discord has its own heartbeat) */
    unsigned pong_timeout_ms;    /* no pong or data this long after a ping = dead; 0 = interval */
    unsigned stable_after_ms;    /* up this long = the backoff window resets; 0 = 30000 */
    lo_backoff_policy reconnect_backoff; /* all zero = floor 250 ms, base 1 s, cap 60 s */
    const lo_rng *rng;                   /* NULL = lo_rng_default() */
    size_t send_queue_frames;            /* 0 = 128 */
    size_t max_message_bytes;            /* larger incoming messages close with 1009; 0 = 4 MiB */
    lo_ws_callbacks callbacks;
    void *user;
} lo_ws_config;

/* Creates the client (no connection yet). Strings are copied. NULL on failure. */
lo_ws *lo_ws_new(const lo_ws_config *config);

/* Starts connecting, from the loop (no callback runs inside this call). */
int lo_ws_start(lo_ws *ws);

/* Queues one whole message. 0, -ENOTCONN when not open, -EAGAIN when the queue is full. */
int lo_ws_send(lo_ws *ws, const void *data, size_t len, bool is_text);

/* Closes the current connection with a close frame (1000-1003, 1007-1014 or 3000-4999, else
 * -EINVAL); the resume hook then decides as for any disconnect (Discord: close with a
 * non-1000 code, then resume on the resume URL). */
int lo_ws_close(lo_ws *ws, int code, const char *reason);

/* Closes with 1000 and never reconnects; on_close still reports the end. */
void lo_ws_stop(lo_ws *ws);

/* Whether the connection is open now. */
bool lo_ws_is_open(const lo_ws *ws);

/* Drops everything without further callbacks; safe inside a callback of this client. The
 * teardown runs on the loop (lws needs two stages to let go of a foreign loop): keep running
 * the loop until it is idle, and the memory is gone. */
void lo_ws_free(lo_ws *ws);

#endif
