/* ratelimit.h - per-route rate-limit bucket bookkeeping for REST clients (no I/O, no clock).
 *
 * A request names its route (method + path template, e.g. "POST /channels/{id}/messages") and
 * its top-level resource ("major", e.g. "channel:123"). Until the server names the route's bucket
 * (X-RateLimit-Bucket), the route itself is the bucket; afterwards every route that shares the
 * bucket name shares its limit, separately per major resource, as Discord documents
 * (https://discord.com/developers/docs/topics/rate-limits). A global block (429 with
 * `global: true` or X-RateLimit-Global) stops every route. Time is passed in by the caller in
 * milliseconds of any monotonic clock, so tests can drive it without waiting.
 */
#ifndef LEANON_RATELIMIT_H
#define LEANON_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The rate-limit facts of one response, gathered from its headers and (for 429) its body. */
typedef struct lo_ratelimit_facts {
    char bucket[72]; /* X-RateLimit-Bucket, "" if absent */
    bool has_remaining;
    long remaining; /* X-RateLimit-Remaining */
    bool has_reset_after;
    uint64_t reset_after_ms; /* X-RateLimit-Reset-After (seconds, fractional) */
    bool has_retry_after;
    uint64_t retry_after_ms; /* 429 body `retry_after`, else Retry-After header (seconds) */
    bool global;             /* X-RateLimit-Global: true, or 429 body `global: true` */
    char scope[16];          /* X-RateLimit-Scope: "user", "global", "shared", "" if absent */
} lo_ratelimit_facts;

typedef struct lo_ratelimit lo_ratelimit;

lo_ratelimit *lo_ratelimit_new(void);
void lo_ratelimit_free(lo_ratelimit *limits);

/* Reads one raw response header line ("Name: value\r\n"); ignores lines it does not know. */
void lo_ratelimit_parse_header(lo_ratelimit_facts *facts, const char *line, size_t len);

/* Reads a 429 body ({"retry_after": 1.5, "global": false}); its retry_after wins over the
 * header's because it is more precise. A NULL body changes nothing. */
void lo_ratelimit_parse_body(lo_ratelimit_facts *facts, const json_t *body);

/* Caps requests per rolling second across all routes, before any 429 (Discord: 50 per second
 * for a bot); 0 = no cap (the default). */
void lo_ratelimit_set_global_cap(lo_ratelimit *limits, unsigned per_second);

/* Milliseconds to wait before a request on (route, major) may be sent; 0 = send now. */
uint64_t lo_ratelimit_wait_ms(lo_ratelimit *limits, const char *route, const char *major,
                              uint64_t now_ms);

/* Records that a request on (route, major) was sent: spends one of the bucket's remaining
 * requests, so concurrent sends in one bucket do not overrun it before the answers come. */
void lo_ratelimit_spend(lo_ratelimit *limits, const char *route, const char *major,
                        uint64_t now_ms);

/* Learns from a response: the bucket name, remaining count and reset time; for a 429 blocks
 * the bucket (or everything, when global) for retry_after (default 1 s when none was given). */
void lo_ratelimit_learn(lo_ratelimit *limits, const char *route, const char *major, int status,
                        const lo_ratelimit_facts *facts, uint64_t now_ms);

#endif
