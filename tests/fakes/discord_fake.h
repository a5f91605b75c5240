/* discord_fake.h - a fake Discord on loopback for platform tests: the REST API (on fake_http)
 * and the gateway (a websocket server written from RFC 6455), both on 127.0.0.1 with ephemeral
 * ports, on the test's libuv loop.
 *
 * The gateway speaks the documented protocol: Hello with a heartbeat interval, Heartbeat ACKs,
 * READY for Identify (session id, resume_gateway_url, the bot's user and application), sequence
 * numbers on every dispatch, replay of missed dispatches and RESUMED for a good Resume, op 9
 * for a bad one, op 7 and op 9 on request, close codes on request. REST answers GET /gateway/bot,
 * the command registration, message creates (with X-RateLimit-* headers) and interaction
 * callbacks, and can be told to answer the next requests with a 429 (retry_after, global,
 * X-RateLimit-Scope) or a 500. Tests inject faults through the functions below.
 */
#ifndef LEANON_DISCORD_FAKE_H
#define LEANON_DISCORD_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "fakes/fake_http.h"

#define DISCORD_FAKE_BOT_ID "999"
#define DISCORD_FAKE_APP_ID "555"

typedef struct discord_fake discord_fake;

typedef struct discord_fake_config {
    unsigned heartbeat_interval_ms; /* 0 = 41250 */
    unsigned recommended_shards;    /* 0 = 1 */
    long start_remaining;           /* session_start_limit.remaining; 0 = 1000 */
    unsigned max_concurrency;       /* 0 = 1 */
    unsigned gateway_bot_failures;  /* answer the first N GET /gateway/bot with 502 */
} discord_fake_config;

typedef struct discord_fake_counts {
    unsigned connections; /* websocket upgrades */
    unsigned identifies;
    unsigned resumes;
    unsigned resumes_accepted; /* answered with replay + RESUMED */
    unsigned heartbeats;
    unsigned protocol_errors; /* unmasked frames, bad JSON, unknown ops */
    unsigned last_intents;
    int last_shard_id, last_shard_count;
    uint32_t shards_identified; /* bit n: shard n (< 32) has identified */
    int last_client_close;      /* the close code of the client's last close frame */
    char last_path[128];        /* path + query of the last upgrade request */
    char last_token[128];       /* token in the last Identify / Resume */
} discord_fake_counts;

discord_fake *discord_fake_start(uv_loop_t *loop, const discord_fake_config *config);
/* "http://127.0.0.1:PORT/api/v10" */
const char *discord_fake_api_base(const discord_fake *fake);
discord_fake_counts discord_fake_counts_of(const discord_fake *fake);
const fake_http *discord_fake_rest(const discord_fake *fake);
/* Whether a websocket connection is open and identified or resumed. */
bool discord_fake_ready(const discord_fake *fake);

/* Faults and events, sent on the current gateway connection. */
void discord_fake_dispatch(discord_fake *fake, const char *type, json_t *data); /* steals data */
void discord_fake_send_reconnect(discord_fake *fake);                           /* op 7 */
void discord_fake_send_invalid_session(discord_fake *fake, bool resumable);     /* op 9 */
void discord_fake_close(discord_fake *fake, int code);                          /* close frame */
void discord_fake_drop(discord_fake *fake);                                     /* TCP gone */
void discord_fake_set_acks(discord_fake *fake, bool ack); /* ACK heartbeats? */
/* Answer every Identify with a close frame of this code (0 = READY as usual). */
void discord_fake_close_on_identify(discord_fake *fake, int code);

/* REST faults: the next `count` message creates get this status (429 bodies carry retry_after
 * seconds and global; headers X-RateLimit-Scope and Retry-After). A 5xx for a message sent with
 * enforce_nonce is the worst kind: the message is created, the answer lost; a resend with the
 * same nonce gets the created message back, as documented, and adds none. */
void discord_fake_rest_fail_next(discord_fake *fake, unsigned count, int status, double retry_after,
                                 bool global);

/* Message creates the REST side answered 2xx, in arrival order. */
unsigned discord_fake_messages(const discord_fake *fake);
const json_t *discord_fake_message(const discord_fake *fake, unsigned index, const char **path);

void discord_fake_stop(discord_fake *fake);

#endif
