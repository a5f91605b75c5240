/* test_ratelimit.c - bucket bookkeeping with a hand-driven clock: header parsing, shared
 * buckets per major resource, 429 per route and global, reset windows, spending. */
#include "net/ratelimit.h"
#include "testing.h"

#include <string.h>

static lo_ratelimit_facts facts_from(const char *const *lines)
{
    lo_ratelimit_facts f;
    memset(&f, 0, sizeof f);
    for (; *lines; lines++)
        lo_ratelimit_parse_header(&f, *lines, strlen(*lines));
    return f;
}

static void parses_discord_headers(void)
{
    const char *lines[] = {"x-ratelimit-bucket: abcd1234\r\n",
                           "X-RateLimit-Remaining: 3\r\n",
                           "X-RateLimit-Reset-After: 1.2345\r\n",
                           "X-RateLimit-Global: true\r\n",
                           "X-RateLimit-Scope: shared\r\n",
                           "Retry-After: 2\r\n",
                           "Content-Type: application/json\r\n",
                           "HTTP/1.1 200 OK\r\n",
                           NULL};
    lo_ratelimit_facts f = facts_from(lines);
    CHECK(strcmp(f.bucket, "abcd1234") == 0);
    CHECK(f.has_remaining && f.remaining == 3);
    CHECK(f.has_reset_after && f.reset_after_ms == 1235); /* rounded up */
    CHECK(f.global);
    CHECK(strcmp(f.scope, "shared") == 0);
    CHECK(f.has_retry_after && f.retry_after_ms == 2000);

    json_t *body = json_pack("{s:f, s:b}", "retry_after", 0.25, "global", 0);
    lo_ratelimit_parse_body(&f, body);
    CHECK(f.retry_after_ms == 250); /* the body is more precise than the header */
    json_decref(body);
}

static void remaining_zero_waits_until_reset(void)
{
    lo_ratelimit *rl = lo_ratelimit_new();
    const char *route = "POST /channels/{id}/messages";
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, route, "channel:1", 1000), 0);
    const char *lines[] = {"X-RateLimit-Bucket: b1\r\n", "X-RateLimit-Remaining: 1\r\n",
                           "X-RateLimit-Reset-After: 2\r\n", NULL};
    lo_ratelimit_facts f = facts_from(lines);
    lo_ratelimit_learn(rl, route, "channel:1", 200, &f, 1000);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, route, "channel:1", 1000), 0);
    lo_ratelimit_spend(rl, route, "channel:1", 1000); /* spends the last one */
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, route, "channel:1", 1500), 1500);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, route, "channel:2", 1500), 0); /* other major */
    /* another route the server puts in the same bucket shares the limit */
    const char *other = "PATCH /channels/{id}/messages/{m}";
    const char *same_bucket[] = {"X-RateLimit-Bucket: b1\r\n", NULL};
    lo_ratelimit_facts g = facts_from(same_bucket);
    lo_ratelimit_learn(rl, other, "channel:9", 200, &g, 1500);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, other, "channel:1", 1600), 1400);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, route, "channel:1", 3000), 0); /* window reset */
    lo_ratelimit_free(rl);
}

static void route_429_blocks_only_that_bucket(void)
{
    lo_ratelimit *rl = lo_ratelimit_new();
    const char *lines[] = {"Retry-After: 3\r\n", "X-RateLimit-Scope: user\r\n", NULL};
    lo_ratelimit_facts f = facts_from(lines);
    lo_ratelimit_learn(rl, "POST /a", "channel:1", 429, &f, 0);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /a", "channel:1", 1000), 2000);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /b", "channel:1", 1000), 0);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /a", "channel:2", 1000), 0);
    /* a 429 without any retry hint still blocks, for the default second */
    lo_ratelimit_facts none;
    memset(&none, 0, sizeof none);
    lo_ratelimit_learn(rl, "POST /c", NULL, 429, &none, 0);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /c", NULL, 0), 1000);
    lo_ratelimit_free(rl);
}

static void global_429_blocks_every_route(void)
{
    lo_ratelimit *rl = lo_ratelimit_new();
    lo_ratelimit_facts f;
    memset(&f, 0, sizeof f);
    json_t *body = json_pack("{s:f, s:b}", "retry_after", 0.5, "global", 1);
    lo_ratelimit_parse_body(&f, body);
    json_decref(body);
    lo_ratelimit_learn(rl, "POST /a", "channel:1", 429, &f, 100);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "GET /anything", NULL, 100), 500);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /a", "channel:7", 400), 200);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "POST /a", "channel:7", 600), 0);
    lo_ratelimit_free(rl);
}

static void many_majors_are_pruned_not_leaked(void)
{
    lo_ratelimit *rl = lo_ratelimit_new();
    const char *lines[] = {"X-RateLimit-Remaining: 0\r\n", "X-RateLimit-Reset-After: 1\r\n", NULL};
    lo_ratelimit_facts f = facts_from(lines);
    char major[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(major, sizeof major, "channel:%d", i);
        lo_ratelimit_learn(rl, "POST /m", major, 200, &f, (uint64_t)i * 10);
    }
    /* the newest entries survive pruning and still block */
    CHECK(lo_ratelimit_wait_ms(rl, "POST /m", "channel:2999", 29990) == 1000);
    lo_ratelimit_free(rl);
}

static void global_cap_spaces_bursts(void)
{
    lo_ratelimit *rl = lo_ratelimit_new();
    lo_ratelimit_set_global_cap(rl, 3);
    lo_ratelimit_spend(rl, "GET /a", NULL, 0);
    lo_ratelimit_spend(rl, "POST /b", "channel:1", 100);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "GET /c", NULL, 150), 0); /* two in the last second */
    lo_ratelimit_spend(rl, "GET /c", NULL, 200);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "GET /d", NULL, 300), 700); /* the first must age */
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "GET /d", NULL, 1000), 0);
    lo_ratelimit_spend(rl, "GET /d", NULL, 1000);
    CHECK_EQ_U64(lo_ratelimit_wait_ms(rl, "GET /e", NULL, 1050), 50); /* now the one at 100 */
    lo_ratelimit_free(rl);
}

int main(void)
{
    global_cap_spaces_bursts();
    parses_discord_headers();
    remaining_zero_waits_until_reset();
    route_429_blocks_only_that_bucket();
    global_429_blocks_every_route();
    many_majors_are_pruned_not_leaked();
    return CHECK_DONE();
}
