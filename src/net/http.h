/* http.h - the REST client platforms use: JSON over HTTP(S) on libcurl, driven by a libuv loop.
 *
 * Nothing blocks: lo_http_send() queues a request and returns; the answer comes later through
 * the request's callback, run from the loop. Every accepted request gets exactly one callback:
 * delivered (a final answer from the server) or failed (after its retries), or cancelled when
 * the client is freed first. Requests that share an order key (a channel) are sent one at a
 * time in the order they were queued, so a later message never overtakes an earlier one;
 * different keys run concurrently. Rate limits are honoured per route bucket and globally (see
 * ratelimit.h); 5xx answers, timeouts and network errors are retried with backoff and full
 * jitter, but only for idempotent methods or requests marked retry_safe. The queue is bounded:
 * when full, lo_http_send() refuses with -EAGAIN and the caller decides (back-pressure).
 *
 * The Authorization value is only ever put in the request header; the log hook sees method,
 * route template, status and timings, never headers, bodies or concrete paths (a path may hold
 * a webhook token).
 */
#ifndef LEANON_HTTP_H
#define LEANON_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "net/backoff.h"

typedef struct lo_http_client lo_http_client;

typedef enum lo_http_outcome {
    LO_HTTP_DELIVERED = 0,       /* a final answer arrived: see status (2xx, or a 4xx to handle) */
    LO_HTTP_FAILED_SERVER,       /* 5xx, after the retries allowed */
    LO_HTTP_FAILED_TIMEOUT,      /* no answer within timeout_ms, after the retries allowed */
    LO_HTTP_FAILED_NETWORK,      /* refused, reset, DNS, TLS..., after the retries allowed */
    LO_HTTP_FAILED_RATE_LIMITED, /* still 429 after max_rate_limited answers */
    LO_HTTP_CANCELLED,           /* the client was freed before the request finished */
} lo_http_outcome;

typedef struct lo_http_response {
    lo_http_outcome outcome;
    long status;        /* HTTP status of the last answer, 0 if none came */
    const json_t *json; /* the body when it parsed as JSON, else NULL; valid during the callback */
    const char *body;   /* raw body (NUL-terminated), "" if none; valid during the callback */
    size_t body_len;
    unsigned attempts; /* how many times it was sent */
    const char *error; /* what went wrong on the network, or NULL */
} lo_http_response;

typedef void (*lo_http_done_fn)(void *user, const lo_http_response *response);

typedef struct lo_http_request {
    const char *method;    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;      /* appended to base_url: "/channels/123/messages" */
    const char *route;     /* rate-limit route, e.g. "POST /channels/{channel_id}/messages";
                              NULL = method + path */
    const char *major;     /* top-level resource ("channel:123"), part of the bucket; may be NULL */
    const char *order_key; /* one at a time, in order, per key; NULL = major, else the path */
    const json_t *body;    /* serialised when queued (NULL = no body); the caller keeps ownership */
    bool retry_safe;       /* retry a non-idempotent method too (the platform knows it is safe) */
} lo_http_request;

typedef enum lo_http_event_kind {
    LO_HTTP_EVENT_SENT,         /* an attempt went out */
    LO_HTTP_EVENT_ANSWERED,     /* a final answer arrived */
    LO_HTTP_EVENT_RATE_LIMITED, /* a 429: waiting wait_ms (global or per route) */
    LO_HTTP_EVENT_RETRYING,     /* 5xx / network / timeout: retrying after wait_ms */
    LO_HTTP_EVENT_FAILED,       /* giving up */
} lo_http_event_kind;

/* What the log hook sees: a redacted view, no headers, no bodies, no concrete path. */
typedef struct lo_http_event {
    lo_http_event_kind kind;
    const char *method;
    const char *route;
    long status;
    unsigned attempt;
    uint64_t wait_ms;
    bool global;
    const char *error;
} lo_http_event;

typedef void (*lo_http_log_fn)(void *user, const lo_http_event *event);

typedef struct lo_http_config {
    uv_loop_t *loop;
    const char *base_url;       /* "https://discord.com/api/v10" */
    const char *authorization;  /* the whole header value ("Bot <token>"), or NULL; never logged */
    const char *user_agent;     /* NULL = "leanon" */
    size_t queue_capacity;      /* accepted and unfinished requests; 0 = 256 */
    unsigned max_attempts;      /* sends per request when retrying failures; 0 = 4 */
    unsigned max_rate_limited;  /* 429 answers tolerated per request; 0 = 8 */
    unsigned global_per_second; /* cap on sends per rolling second, all routes; 0 = none
                                      (Discord allows a bot 50: set it a little below) */
    long timeout_ms;            /* whole transfer; 0 = 15000 */
    long connect_timeout_ms;    /* 0 = 5000 */
    lo_backoff_policy retry_backoff; /* all zero = base 500 ms, cap 30 s */
    const lo_rng *rng;               /* NULL = lo_rng_default() */
    lo_http_log_fn log;              /* may be NULL */
    void *log_user;
} lo_http_config;

/* A client on config->loop; strings in config are copied. NULL on failure, also when the
 * libcurl in use cannot resolve names asynchronously (a lookup would block the loop). */
lo_http_client *lo_http_new(const lo_http_config *config);

/* Queues a request. 0 when accepted (done will be called exactly once, never from inside this
 * call); -EAGAIN when the queue is full; -EINVAL for a bad request (or a body jansson cannot encode). */
int lo_http_send(lo_http_client *client, const lo_http_request *request, lo_http_done_fn done,
                 void *user);

/* Accepted requests not yet finished (for draining before shutdown). */
size_t lo_http_pending(const lo_http_client *client);

/* Cancels what is pending (each gets LO_HTTP_CANCELLED now) and closes the client's handles;
 * its memory goes once the loop has run their close callbacks. Safe to call from a callback. */
void lo_http_free(lo_http_client *client);

#endif
