/* ratelimit.c - rate-limit bucket bookkeeping (see src/net/ratelimit.h).
 *
 * Two small lists: which bucket each route belongs to (learned from X-RateLimit-Bucket), and
 * per bucket + major resource the remaining count and the time it resets. A bucket whose reset
 * time has passed is as good as unknown, so old entries are pruned when the list grows. Linear
 * search is enough: a bot talks to a handful of routes and a few hundred channels at a time.
 */
#include "net/ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"

enum { PRUNE_ABOVE = 1024, DEFAULT_RETRY_AFTER_MS = 1000 };

typedef struct route_bucket {
    struct route_bucket *next;
    char *route;
    char *bucket;
} route_bucket;

typedef struct bucket_state {
    struct bucket_state *next;
    char *key;      /* bucket name (or route) + '\n' + major */
    long remaining; /* -1 while unknown */
    uint64_t reset_at_ms;
} bucket_state;

struct lo_ratelimit {
    route_bucket *routes;
    bucket_state *buckets;
    size_t bucket_count;
    uint64_t global_until_ms;
    uint64_t *recent_sends; /* ring of the last global_cap send times (the global cap) */
    unsigned global_cap, recent_count, recent_next;
};

lo_ratelimit *lo_ratelimit_new(void)
{
    return lo_xcalloc(1, sizeof(lo_ratelimit));
}

void lo_ratelimit_free(lo_ratelimit *limits)
{
    if (!limits)
        return;
    for (route_bucket *r = limits->routes, *next; r; r = next) {
        next = r->next;
        free(r->route);
        free(r->bucket);
        free(r);
    }
    for (bucket_state *b = limits->buckets, *next; b; b = next) {
        next = b->next;
        free(b->key);
        free(b);
    }
    free(limits->recent_sends);
    free(limits);
}

void lo_ratelimit_set_global_cap(lo_ratelimit *limits, unsigned per_second)
{
    uint64_t *ring = per_second ? lo_xcalloc(per_second, sizeof *ring) : NULL;
    free(limits->recent_sends);
    limits->recent_sends = ring;
    limits->global_cap = per_second;
    limits->recent_count = limits->recent_next = 0;
}

/* With the cap reached, the oldest of the last `cap` sends must be a second old. */
static uint64_t global_cap_wait(const lo_ratelimit *limits, uint64_t now_ms)
{
    if (!limits->global_cap || limits->recent_count < limits->global_cap)
        return 0;
    uint64_t oldest = limits->recent_sends[limits->recent_next];
    return oldest + 1000 > now_ms ? oldest + 1000 - now_ms : 0;
}

/* Seconds as the headers and bodies give them ("1", "0.25") to whole milliseconds, rounded up. */
static uint64_t seconds_to_ms(double seconds)
{
    if (!(seconds > 0))
        return 0;
    if (seconds > 86400.0 * 365)
        seconds = 86400.0 * 365;
    double ms = seconds * 1000.0;
    uint64_t whole = (uint64_t)ms;
    return (double)whole < ms ? whole + 1 : whole;
}

/* Copies a header value (leading/trailing blanks and CR/LF removed) into dst. */
static void copy_value(char *dst, size_t cap, const char *value, size_t len)
{
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len && (value[len - 1] == '\r' || value[len - 1] == '\n' || value[len - 1] == ' '))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, value, len);
    dst[len] = '\0';
}

void lo_ratelimit_parse_header(lo_ratelimit_facts *facts, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return;
    size_t name_len = (size_t)(colon - line);
    char value[128];
    copy_value(value, sizeof value, colon + 1, len - name_len - 1);

#define IS(name) (name_len == sizeof(name) - 1 && strncasecmp(line, name, name_len) == 0)
    if (IS("X-RateLimit-Bucket")) {
        copy_value(facts->bucket, sizeof facts->bucket, value, strlen(value));
    } else if (IS("X-RateLimit-Remaining")) {
        char *end;
        long n = strtol(value, &end, 10);
        if (end != value && n >= 0) {
            facts->has_remaining = true;
            facts->remaining = n;
        }
    } else if (IS("X-RateLimit-Reset-After")) {
        char *end;
        double s = strtod(value, &end);
        if (end != value) {
            facts->has_reset_after = true;
            facts->reset_after_ms = seconds_to_ms(s);
        }
    } else if (IS("Retry-After")) {
        char *end;
        double s = strtod(value, &end);
        if (end != value && !facts->has_retry_after) {
            facts->has_retry_after = true;
            facts->retry_after_ms = seconds_to_ms(s);
        }
    } else if (IS("X-RateLimit-Global")) {
        facts->global = strcasecmp(value, "true") == 0;
    } else if (IS("X-RateLimit-Scope")) {
        copy_value(facts->scope, sizeof facts->scope, value, strlen(value));
    }
#undef IS
}

void lo_ratelimit_parse_body(lo_ratelimit_facts *facts, const json_t *body)
{
    if (!json_is_object(body))
        return;
    json_t *retry_after = json_object_get(body, "retry_after");
    if (json_is_number(retry_after)) {
        facts->has_retry_after = true;
        facts->retry_after_ms = seconds_to_ms(json_number_value(retry_after));
    }
    if (json_is_true(json_object_get(body, "global")))
        facts->global = true;
}

static const char *bucket_of_route(const lo_ratelimit *limits, const char *route)
{
    for (const route_bucket *r = limits->routes; r; r = r->next) {
        if (strcmp(r->route, route) == 0)
            return r->bucket;
    }
    return NULL;
}

static char *bucket_key(const lo_ratelimit *limits, const char *route, const char *major)
{
    const char *bucket = bucket_of_route(limits, route);
    const char *name = bucket ? bucket : route;
    if (!major)
        major = "";
    size_t len = strlen(name) + 1 + strlen(major) + 1;
    char *key = lo_xcalloc(len, 1);
    snprintf(key, len, "%s\n%s", name, major);
    return key;
}

static bucket_state *find_bucket(lo_ratelimit *limits, const char *route, const char *major)
{
    char *key = bucket_key(limits, route, major);
    bucket_state *found = NULL;
    for (bucket_state *b = limits->buckets; b; b = b->next) {
        if (strcmp(b->key, key) == 0) {
            found = b;
            break;
        }
    }
    free(key);
    return found;
}

static void prune_expired(lo_ratelimit *limits, uint64_t now_ms)
{
    for (bucket_state **link = &limits->buckets; *link;) {
        bucket_state *b = *link;
        if (b->reset_at_ms <= now_ms) {
            *link = b->next;
            free(b->key);
            free(b);
            limits->bucket_count--;
        } else {
            link = &b->next;
        }
    }
}

static bucket_state *get_bucket(lo_ratelimit *limits, const char *route, const char *major,
                                uint64_t now_ms)
{
    bucket_state *b = find_bucket(limits, route, major);
    if (b)
        return b;
    if (limits->bucket_count >= PRUNE_ABOVE)
        prune_expired(limits, now_ms);
    b = lo_xcalloc(1, sizeof *b);
    b->key = bucket_key(limits, route, major);
    b->remaining = -1;
    b->next = limits->buckets;
    limits->buckets = b;
    limits->bucket_count++;
    return b;
}

uint64_t lo_ratelimit_wait_ms(lo_ratelimit *limits, const char *route, const char *major,
                              uint64_t now_ms)
{
    uint64_t wait = limits->global_until_ms > now_ms ? limits->global_until_ms - now_ms : 0;
    uint64_t capped = global_cap_wait(limits, now_ms);
    if (capped > wait)
        wait = capped;
    bucket_state *b = find_bucket(limits, route, major);
    if (b && b->remaining == 0) {
        if (b->reset_at_ms > now_ms) {
            uint64_t bucket_wait = b->reset_at_ms - now_ms;
            if (bucket_wait > wait)
                wait = bucket_wait;
        } else {
            b->remaining = -1; /* the window has reset: unknown again until the next answer */
        }
    }
    return wait;
}

void lo_ratelimit_spend(lo_ratelimit *limits, const char *route, const char *major, uint64_t now_ms)
{
    if (limits->global_cap) {
        limits->recent_sends[limits->recent_next] = now_ms;
        limits->recent_next = (limits->recent_next + 1) % limits->global_cap;
        if (limits->recent_count < limits->global_cap)
            limits->recent_count++;
    }
    bucket_state *b = find_bucket(limits, route, major);
    if (b && b->remaining > 0)
        b->remaining--;
}

static void remember_route_bucket(lo_ratelimit *limits, const char *route, const char *bucket)
{
    for (route_bucket *r = limits->routes; r; r = r->next) {
        if (strcmp(r->route, route) == 0) {
            if (strcmp(r->bucket, bucket) != 0) {
                free(r->bucket);
                r->bucket = lo_xstrdup(bucket);
            }
            return;
        }
    }
    route_bucket *r = lo_xcalloc(1, sizeof *r);
    r->route = lo_xstrdup(route);
    r->bucket = lo_xstrdup(bucket);
    r->next = limits->routes;
    limits->routes = r;
}

void lo_ratelimit_learn(lo_ratelimit *limits, const char *route, const char *major, int status,
                        const lo_ratelimit_facts *facts, uint64_t now_ms)
{
    if (facts->bucket[0])
        remember_route_bucket(limits, route, facts->bucket);

    if (status == 429) {
        uint64_t retry = facts->has_retry_after   ? facts->retry_after_ms
                         : facts->has_reset_after ? facts->reset_after_ms
                                                  : DEFAULT_RETRY_AFTER_MS;
        if (facts->global || strcmp(facts->scope, "global") == 0) {
            if (now_ms + retry > limits->global_until_ms)
                limits->global_until_ms = now_ms + retry;
            return;
        }
        bucket_state *b = get_bucket(limits, route, major, now_ms);
        b->remaining = 0;
        if (now_ms + retry > b->reset_at_ms)
            b->reset_at_ms = now_ms + retry;
        return;
    }

    if (!facts->has_remaining && !facts->has_reset_after)
        return;
    bucket_state *b = get_bucket(limits, route, major, now_ms);
    if (facts->has_remaining)
        b->remaining = facts->remaining;
    if (facts->has_reset_after)
        b->reset_at_ms = now_ms + facts->reset_after_ms;
}
