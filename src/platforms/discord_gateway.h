/* discord_gateway.h - the Discord gateway (v10, JSON) session as a pure state machine.
 *
 * Frames in, actions out: the owner feeds it "the socket opened", each text frame, "the socket
 * closed with code C" and the passing of time (tick); it answers through the sink (send this
 * frame, close the socket with this code, here is a dispatch event, stop for good because...)
 * and through the reconnect decision it returns on close. It never touches a socket or a
 * clock: time comes in as milliseconds of any monotonic clock and randomness from an injected
 * lo_rng, so every rule can be tested exactly. next_deadline says when to tick next.
 *
 * Rules (https://discord.com/developers/docs/events/gateway):
 *  - Hello (op 10) -> heartbeat every heartbeat_interval, the first after interval * jitter,
 *    jitter uniform in [0, 1); each heartbeat carries the last sequence number (or null).
 *  - A heartbeat due while the previous one has had no ACK (op 11): the connection is a zombie;
 *    close it with a non-1000 code (so the session survives) and resume.
 *  - op 1 from the server -> heartbeat now. op 7 Reconnect -> close, resume on
 *    resume_gateway_url. op 9 Invalid Session -> after a random 1-5 s, Resume if d is true,
 *    else a fresh Identify.
 *  - Identify carries the token, the intents and the shard pair, and waits for its slot in the
 *    shared session-start / max_concurrency limits (discord_identify.h).
 *  - READY gives session_id, resume_gateway_url and the bot's user id; RESUMED ends a resume.
 *  - Close codes 4004 and 4010-4014 stop the platform with a clear error; 4007 and 4009 start a
 *    new session; every other close resumes when there is a session to resume.
 *  - At most 120 gateway commands per 60 s per connection.
 *  - A connection without Hello after 20 s, or a session without READY / RESUMED 30 s after
 *    Identify / Resume, is closed and replaced (resumed when there is a session).
 */
#ifndef LEANON_PLATFORMS_DISCORD_GATEWAY_H
#define LEANON_PLATFORMS_DISCORD_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "net/backoff.h"
#include "platforms/discord_identify.h"

/* Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents). */
#define LO_DISCORD_INTENT_GUILDS (1u << 0)
#define LO_DISCORD_INTENT_GUILD_MESSAGES (1u << 9)
#define LO_DISCORD_INTENT_DIRECT_MESSAGES (1u << 12)
#define LO_DISCORD_INTENT_MESSAGE_CONTENT (1u << 15) /* privileged: enabled in the portal */
#define LO_DISCORD_INTENTS                                                                         \
    (LO_DISCORD_INTENT_GUILDS | LO_DISCORD_INTENT_GUILD_MESSAGES |                                 \
     LO_DISCORD_INTENT_DIRECT_MESSAGES | LO_DISCORD_INTENT_MESSAGE_CONTENT)

/* Gateway send limit: 120 commands per 60 s per connection, heartbeats included. */
#define LO_DISCORD_SEND_LIMIT 120u
#define LO_DISCORD_SEND_WINDOW_MS 60000u

/* Close code the machine uses when it drops a connection it wants to resume (any code but
 * 1000/1001 keeps the session alive). */
#define LO_DISCORD_CLOSE_RESUME 4900

typedef enum lo_discord_gateway_state {
    LO_DG_DISCONNECTED = 0, /* no socket, or between sockets */
    LO_DG_WAIT_HELLO,       /* socket open, Hello not yet seen */
    LO_DG_WAIT_IDENTIFY,    /* waiting for an Identify slot or the op 9 pause */
    LO_DG_IDENTIFYING,      /* Identify sent, READY not yet seen */
    LO_DG_RESUMING,         /* Resume sent, RESUMED not yet seen */
    LO_DG_READY,            /* events flow */
    LO_DG_CLOSING,          /* we asked for a close; waiting for the socket to end */
    LO_DG_STOPPED           /* a close code that forbids reconnecting: the platform stops */
} lo_discord_gateway_state;

typedef struct lo_discord_gateway_sink {
    /* send one text frame on the current connection */
    void (*send)(void *user, const char *frame, size_t len);
    /* close the current connection with this code (on_closed follows when it has ended) */
    void (*close)(void *user, int code, const char *reason);
    /* a dispatch (op 0) event, e.g. "MESSAGE_CREATE"; data is borrowed for the call */
    void (*dispatch)(void *user, const char *type, const json_t *data);
    /* stop for good: message says what the host must do; it holds no secret */
    void (*fatal)(void *user, int close_code, const char *message);
    void *user;
} lo_discord_gateway_sink;

typedef struct lo_discord_gateway_config {
    const char *token;       /* the bot token (copied; only ever put in Identify/Resume) */
    const char *gateway_url; /* from GET /gateway/bot, e.g. "wss://gateway.discord.gg" */
    uint32_t intents;        /* 0 = LO_DISCORD_INTENTS */
    unsigned shard_id;
    unsigned shard_count;                        /* 0 = 1 */
    lo_discord_identify_limits *identify_limits; /* shared by the process's shards; borrowed */
    const lo_rng *rng;                           /* NULL = lo_rng_default() */
    lo_discord_gateway_sink sink;
} lo_discord_gateway_config;

/* What to do after a close. */
typedef struct lo_discord_reconnect {
    bool reconnect;
    bool resume;     /* the next connection resumes the session */
    const char *url; /* full URL with ?v=10&encoding=json; valid until the next call */
} lo_discord_reconnect;

typedef struct lo_discord_gateway lo_discord_gateway;

lo_discord_gateway *lo_discord_gateway_new(const lo_discord_gateway_config *config);
void lo_discord_gateway_free(lo_discord_gateway *gateway);

/* The URL of the first connection (gateway_url + "?v=10&encoding=json"). */
const char *lo_discord_gateway_url(lo_discord_gateway *gateway);

void lo_discord_gateway_opened(lo_discord_gateway *gateway, uint64_t now_ms);
void lo_discord_gateway_frame(lo_discord_gateway *gateway, const char *text, size_t len,
                              uint64_t now_ms);
void lo_discord_gateway_tick(lo_discord_gateway *gateway, uint64_t now_ms);
/* The socket ended with close_code (1006 when it dropped without a close frame). */
lo_discord_reconnect lo_discord_gateway_closed(lo_discord_gateway *gateway, int close_code,
                                               uint64_t now_ms);

/* When tick should run next; UINT64_MAX when nothing is pending. */
uint64_t lo_discord_gateway_next_deadline(const lo_discord_gateway *gateway);

lo_discord_gateway_state lo_discord_gateway_state_of(const lo_discord_gateway *gateway);
/* The bot's user id from READY, or NULL before it. */
const char *lo_discord_gateway_user_id(const lo_discord_gateway *gateway);
/* Counters for metrics and tests. */
typedef struct lo_discord_gateway_stats {
    unsigned identifies;
    unsigned resumes;
    unsigned heartbeats;
    unsigned zombies;
    unsigned sends_deferred;     /* commands held back by the 120 / 60 s limit */
    unsigned handshake_timeouts; /* no Hello in 20 s, or no READY / RESUMED 30 s after asking */
} lo_discord_gateway_stats;
lo_discord_gateway_stats lo_discord_gateway_stats_of(const lo_discord_gateway *gateway);

#endif
