/* test_http.c - the REST client against the scripted loopback server (tests/fakes/fake_http):
 * exactly one callback per request, order per channel under faults, 429 per route and global,
 * X-RateLimit-Remaining: 0, 5xx / timeout / reset retries only when safe, back-pressure,
 * cancellation on free, and no token in logs. Timing checks are lower bounds only (a slow
 * machine only makes gaps longer) or relative order. */
#include "net/http.h"
#include "fakes/fake_http.h"
#include "testing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { GUARD_MS = 60000 };

typedef struct tracked {
    int calls;
    lo_http_outcome outcome;
    long status;
    unsigned attempts;
} tracked;

typedef struct harness {
    uv_loop_t loop;
    uv_timer_t guard;
    uv_prepare_t wakeups;
    unsigned wakeup_count;
    bool guard_fired;
    fake_http *server;
    lo_http_client *client;
    unsigned finished;
    char log[16384];
    size_t log_len;
    unsigned rate_limited_events;
    lo_http_event last_rate_limited;
    void (*on_event)(struct harness *h, const lo_http_event *event);
} harness;

static harness *current; /* the harness the done callback counts into */

static void on_done(void *user, const lo_http_response *r)
{
    tracked *t = user;
    t->calls++;
    t->outcome = r->outcome;
    t->status = r->status;
    t->attempts = r->attempts;
    current->finished++;
}

static void on_log(void *user, const lo_http_event *ev)
{
    harness *h = user;
    int n = snprintf(h->log + h->log_len, sizeof h->log - h->log_len, "%d %s %s %ld %u %llu %s\n",
                     (int)ev->kind, ev->method, ev->route, ev->status, ev->attempt,
                     (unsigned long long)ev->wait_ms, ev->error ? ev->error : "");
    if (n > 0 && (size_t)n < sizeof h->log - h->log_len)
        h->log_len += (size_t)n;
    if (ev->kind == LO_HTTP_EVENT_RATE_LIMITED) {
        h->rate_limited_events++;
        h->last_rate_limited = *ev;
        h->last_rate_limited.method = h->last_rate_limited.route = h->last_rate_limited.error =
            NULL;
    }
    if (h->on_event)
        h->on_event(h, ev);
}

static void on_wakeup(uv_prepare_t *p)
{
    ((harness *)p->data)->wakeup_count++;
}

static void on_guard(uv_timer_t *t)
{
    harness *h = t->data;
    h->guard_fired = true;
}

static lo_http_config base_config(harness *h)
{
    lo_http_config config = {
        .loop = &h->loop,
        .authorization = "Bot s3cr3t-token",
        .user_agent = "leanon-test",
        .retry_backoff = {.base_ms = 20, .cap_ms = 80},
        .timeout_ms = 10000,
        .log = on_log,
        .log_user = h,
    };
    return config;
}

static void open_harness(harness *h, fake_http_script script, void *script_user,
                         lo_http_config *config)
{
    memset(h, 0, sizeof *h);
    current = h;
    uv_loop_init(&h->loop);
    uv_timer_init(&h->loop, &h->guard);
    h->guard.data = h;
    uv_timer_start(&h->guard, on_guard, GUARD_MS, 0);
    uv_prepare_init(&h->loop, &h->wakeups);
    h->wakeups.data = h;
    uv_prepare_start(&h->wakeups, on_wakeup);
    h->server = fake_http_start(&h->loop, script, script_user);
    CHECK(h->server != NULL);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", fake_http_port(h->server));
    lo_http_config c = config ? *config : base_config(h);
    c.loop = &h->loop;
    c.base_url = url;
    c.log = on_log;
    c.log_user = h;
    h->client = lo_http_new(&c);
    CHECK(h->client != NULL);
}

static void run_until_finished(harness *h, unsigned expected)
{
    while (h->finished < expected && !h->guard_fired)
        uv_run(&h->loop, UV_RUN_ONCE);
    CHECK(!h->guard_fired);
}

static void close_harness(harness *h)
{
    lo_http_free(h->client);
    fake_http_stop(h->server);
    uv_close((uv_handle_t *)&h->guard, NULL);
    uv_close((uv_handle_t *)&h->wakeups, NULL);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    CHECK(uv_loop_close(&h->loop) == 0); /* every handle was closed */
    CHECK(strstr(h->log, "s3cr3t") == NULL);
}

static int send_json(harness *h, const char *method, const char *path, const char *route,
                     const char *major, bool retry_safe, json_t *body, tracked *t)
{
    lo_http_request r = {.method = method,
                         .path = path,
                         .route = route,
                         .major = major,
                         .body = body,
                         .retry_safe = retry_safe};
    int rc = lo_http_send(h->client, &r, on_done, t);
    json_decref(body);
    return rc;
}

/* ---- order and exactly-once under mixed faults ---- */

enum { CHANNELS = 4, PER_CHANNEL = 25 };

typedef struct fault_plan {
    unsigned attempts[CHANNELS][PER_CHANNEL];
} fault_plan;

static void faulty_script(void *user, unsigned index, const fake_http_record *req,
                          fake_http_action *a)
{
    (void)index;
    fault_plan *plan = user;
    json_t *body = json_loads(req->body, 0, NULL);
    int ch = (int)json_integer_value(json_object_get(body, "ch"));
    int seq = (int)json_integer_value(json_object_get(body, "seq"));
    json_decref(body);
    unsigned attempt = plan->attempts[ch][seq]++;
    if (seq % 3 == 1 && attempt == 0)
        a->status = 500;
    else if (seq % 4 == 2 && attempt == 0) {
        a->status = 429;
        a->headers = "Retry-After: 1\r\n";
        a->body = "{\"message\":\"slow down\",\"retry_after\":0.05,\"global\":false}";
    } else if (seq % 5 == 3 && attempt == 0)
        a->reset = true;
    else if (seq % 6 == 5 && attempt < 2)
        a->status = 503;
    else
        a->status = 200;
}

static void order_and_exactly_once_under_faults(void)
{
    harness h;
    fault_plan plan;
    memset(&plan, 0, sizeof plan);
    open_harness(&h, faulty_script, &plan, NULL);
    tracked t[CHANNELS][PER_CHANNEL];
    memset(t, 0, sizeof t);
    for (int seq = 0; seq < PER_CHANNEL; seq++) {
        for (int ch = 0; ch < CHANNELS; ch++) {
            char path[64], major[32];
            snprintf(path, sizeof path, "/channels/%d/messages", ch);
            snprintf(major, sizeof major, "channel:%d", ch);
            CHECK(send_json(&h, "POST", path, "POST /channels/{id}/messages", major, true,
                            json_pack("{s:i, s:i}", "ch", ch, "seq", seq), &t[ch][seq]) == 0);
        }
    }
    run_until_finished(&h, CHANNELS * PER_CHANNEL);
    for (int ch = 0; ch < CHANNELS; ch++) {
        for (int seq = 0; seq < PER_CHANNEL; seq++) {
            CHECK(t[ch][seq].calls == 1);
            CHECK(t[ch][seq].outcome == LO_HTTP_DELIVERED && t[ch][seq].status == 200);
        }
    }
    /* on the wire: per channel, attempts arrive in non-decreasing seq order, and each seq is
     * accepted (200) exactly once, in order */
    int last_seen[CHANNELS], accepted[CHANNELS];
    for (int ch = 0; ch < CHANNELS; ch++)
        last_seen[ch] = -1, accepted[ch] = 0;
    for (unsigned i = 0; i < fake_http_count(h.server); i++) {
        const fake_http_record *r = fake_http_request(h.server, i);
        json_t *body = json_loads(r->body, 0, NULL);
        int ch = (int)json_integer_value(json_object_get(body, "ch"));
        int seq = (int)json_integer_value(json_object_get(body, "seq"));
        json_decref(body);
        CHECK(seq >= last_seen[ch]);
        last_seen[ch] = seq;
        if (r->status == 200) {
            CHECK(seq == accepted[ch]);
            accepted[ch]++;
        }
        CHECK(strcmp(r->authorization, "Bot s3cr3t-token") == 0);
    }
    for (int ch = 0; ch < CHANNELS; ch++)
        CHECK(accepted[ch] == PER_CHANNEL);
    CHECK(h.rate_limited_events > 0);
    close_harness(&h);
}

/* ---- 429 on one route: that bucket waits, other channels do not ---- */

static void route_429_script(void *user, unsigned index, const fake_http_record *req,
                             fake_http_action *a)
{
    (void)index;
    bool *limited_once = user;
    if (!*limited_once && strcmp(req->path, "/channels/a/messages") == 0) {
        *limited_once = true;
        a->status = 429;
        a->headers = "Retry-After: 3\r\nX-RateLimit-Scope: user\r\nX-RateLimit-Bucket: msgs\r\n";
        a->body =
            "{\"message\":\"You are being rate limited.\",\"retry_after\":2.0,\"global\":false}";
    } else {
        a->status = 200;
    }
}

static unsigned find_nth(const fake_http *s, const char *path, unsigned nth)
{
    for (unsigned i = 0; i < fake_http_count(s); i++) {
        if (strcmp(fake_http_request(s, i)->path, path) == 0 && nth-- == 0)
            return i;
    }
    return UINT32_MAX;
}

static void route_429_waits_for_its_bucket_only(void)
{
    harness h;
    bool limited_once = false;
    open_harness(&h, route_429_script, &limited_once, NULL);
    tracked a1 = {0}, a2 = {0}, b1 = {0};
    const char *route = "POST /channels/{id}/messages";
    send_json(&h, "POST", "/channels/a/messages", route, "channel:a", false,
              json_pack("{s:i}", "n", 1), &a1);
    send_json(&h, "POST", "/channels/a/messages", route, "channel:a", false,
              json_pack("{s:i}", "n", 2), &a2);
    send_json(&h, "POST", "/channels/b/messages", route, "channel:b", false,
              json_pack("{s:i}", "n", 3), &b1);
    run_until_finished(&h, 3);
    CHECK(a1.calls == 1 && a1.outcome == LO_HTTP_DELIVERED && a1.attempts == 2);
    CHECK(a2.calls == 1 && a2.outcome == LO_HTTP_DELIVERED && a2.attempts == 1);
    CHECK(b1.calls == 1 && b1.outcome == LO_HTTP_DELIVERED);
    CHECK(h.rate_limited_events == 1 && !h.last_rate_limited.global);
    CHECK(h.wakeup_count < 200); /* two seconds of waiting: a few timer wakeups, no spinning */
    CHECK(h.last_rate_limited.wait_ms >= 1900); /* the body's 2.0 s, not the header's 3 */
    const fake_http *s = h.server;
    unsigned first = find_nth(s, "/channels/a/messages", 0);
    unsigned retry = find_nth(s, "/channels/a/messages", 1);
    unsigned second = find_nth(s, "/channels/a/messages", 2);
    unsigned other = find_nth(s, "/channels/b/messages", 0);
    CHECK(first != UINT32_MAX && retry != UINT32_MAX && second != UINT32_MAX &&
          other != UINT32_MAX);
    if (first != UINT32_MAX && retry != UINT32_MAX && second != UINT32_MAX && other != UINT32_MAX) {
        CHECK(strstr(fake_http_request(s, retry)->body, "\"n\":1") != NULL); /* a1 again, first */
        CHECK(strstr(fake_http_request(s, second)->body, "\"n\":2") != NULL);
        CHECK(fake_http_request(s, first)->status == 429);
        CHECK(fake_http_request(s, retry)->arrived_ms >=
              fake_http_request(s, first)->answered_ms + 1900);
        CHECK(other < retry); /* channel b was not held by channel a's bucket */
    }
    close_harness(&h);
}

/* ---- a global 429 holds every route ---- */

static void global_429_script(void *user, unsigned index, const fake_http_record *req,
                              fake_http_action *a)
{
    (void)user;
    (void)req;
    if (index == 0) {
        a->status = 429;
        a->headers = "X-RateLimit-Global: true\r\nX-RateLimit-Scope: global\r\nRetry-After: 1\r\n";
        a->body =
            "{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":true}";
    } else {
        a->status = 200;
    }
}

static tracked global_late;

static void send_other_route_when_limited(harness *h, const lo_http_event *ev)
{
    if (ev->kind != LO_HTTP_EVENT_RATE_LIMITED)
        return;
    lo_http_request r = {.method = "GET", .path = "/users/@me", .route = "GET /users/@me"};
    CHECK(lo_http_send(h->client, &r, on_done, &global_late) == 0);
}

static void global_429_holds_every_route(void)
{
    harness h;
    open_harness(&h, global_429_script, NULL, NULL);
    h.on_event = send_other_route_when_limited;
    memset(&global_late, 0, sizeof global_late);
    tracked first = {0};
    send_json(&h, "POST", "/channels/a/messages", "POST /channels/{id}/messages", "channel:a",
              false, json_pack("{s:s}", "content", "hi"), &first);
    run_until_finished(&h, 2);
    CHECK(first.calls == 1 && first.outcome == LO_HTTP_DELIVERED && first.attempts == 2);
    CHECK(global_late.calls == 1 && global_late.outcome == LO_HTTP_DELIVERED);
    CHECK(h.last_rate_limited.global);
    CHECK(fake_http_count(h.server) == 3);
    uint64_t limited_at = fake_http_request(h.server, 0)->answered_ms;
    for (unsigned i = 1; i < fake_http_count(h.server); i++) {
        CHECK(fake_http_request(h.server, i)->arrived_ms >= limited_at + 900);
    }
    close_harness(&h);
}

/* ---- X-RateLimit-Remaining: 0 makes the next request wait for the reset ---- */

static void remaining_zero_script(void *user, unsigned index, const fake_http_record *req,
                                  fake_http_action *a)
{
    (void)user;
    (void)req;
    a->status = 200;
    if (index == 0) {
        a->headers = "X-RateLimit-Bucket: abc\r\nX-RateLimit-Limit: 1\r\n"
                     "X-RateLimit-Remaining: 0\r\nX-RateLimit-Reset-After: 0.8\r\n";
    }
}

static void remaining_zero_waits_for_reset(void)
{
    harness h;
    open_harness(&h, remaining_zero_script, NULL, NULL);
    tracked m1 = {0}, m2 = {0};
    send_json(&h, "POST", "/channels/a/messages", "POST /channels/{id}/messages", "channel:a",
              false, json_pack("{s:i}", "n", 1), &m1);
    send_json(&h, "POST", "/channels/a/messages", "POST /channels/{id}/messages", "channel:a",
              false, json_pack("{s:i}", "n", 2), &m2);
    run_until_finished(&h, 2);
    CHECK(m1.calls == 1 && m2.calls == 1 && m2.outcome == LO_HTTP_DELIVERED);
    CHECK(fake_http_count(h.server) == 2);
    if (fake_http_count(h.server) == 2) {
        CHECK(fake_http_request(h.server, 1)->arrived_ms >=
              fake_http_request(h.server, 0)->answered_ms + 700);
    }
    CHECK(h.rate_limited_events == 0); /* waited ahead of time: no 429 was needed */
    close_harness(&h);
}

/* ---- the proactive global cap spaces a burst across channels ---- */

static void slow_script(void *user, unsigned index, const fake_http_record *req,
                        fake_http_action *a)
{
    (void)index;
    (void)req;
    a->status = 200;
    a->delay_ms = *(unsigned *)user;
}

static void global_cap_spaces_a_burst(void)
{
    harness h;
    unsigned delay = 0;
    lo_http_config config = base_config(&h);
    config.global_per_second = 2;
    open_harness(&h, slow_script, &delay, &config);
    tracked t[4];
    memset(t, 0, sizeof t);
    for (int i = 0; i < 4; i++) {
        char path[32];
        snprintf(path, sizeof path, "/channels/%d", i);
        lo_http_request r = {.method = "GET", .path = path, .route = "GET /channels/{id}"};
        CHECK(lo_http_send(h.client, &r, on_done, &t[i]) == 0);
    }
    run_until_finished(&h, 4);
    for (int i = 0; i < 4; i++)
        CHECK(t[i].calls == 1 && t[i].outcome == LO_HTTP_DELIVERED);
    CHECK(fake_http_count(h.server) == 4);
    if (fake_http_count(h.server) == 4) {
        /* at most two in any second: the third waits for the first to age */
        CHECK(fake_http_request(h.server, 2)->arrived_ms >=
              fake_http_request(h.server, 0)->arrived_ms + 800);
        CHECK(fake_http_request(h.server, 3)->arrived_ms >=
              fake_http_request(h.server, 1)->arrived_ms + 800);
    }
    close_harness(&h);
}

/* ---- 5xx, timeouts and resets: retried only when safe, bounded ---- */

static void failure_script(void *user, unsigned index, const fake_http_record *req,
                           fake_http_action *a)
{
    (void)index;
    unsigned *seen = user; /* per-path attempt counters, by a tiny path code */
    const char *p = req->path;
    unsigned slot = (unsigned)(p[1] - 'a');
    unsigned attempt = seen[slot]++;
    a->status = 200;
    if (strcmp(p, "/a-get-5xx") == 0 && attempt < 3)
        a->status = (int[]){500, 502, 503}[attempt];
    if (strcmp(p, "/b-post-503") == 0)
        a->status = 503;
    if (strcmp(p, "/c-post-safe-500") == 0)
        a->status = 500;
    if (strcmp(p, "/d-get-slow-once") == 0 && attempt == 0)
        a->delay_ms = 5000;
    if (strcmp(p, "/e-post-slow") == 0)
        a->delay_ms = 5000;
    if (strcmp(p, "/f-post-safe-reset-twice") == 0 && attempt < 2)
        a->reset = true;
    if (strcmp(p, "/g-post-reset") == 0)
        a->reset = true;
}

static void failures_retry_only_when_safe(void)
{
    harness h;
    unsigned seen[8] = {0};
    lo_http_config config = base_config(&h);
    config.timeout_ms = 400;
    config.max_attempts = 4;
    open_harness(&h, failure_script, seen, &config);
    tracked t[7];
    memset(t, 0, sizeof t);
    lo_http_request r[] = {
        {.method = "GET", .path = "/a-get-5xx"},
        {.method = "POST", .path = "/b-post-503"},
        {.method = "POST", .path = "/c-post-safe-500", .retry_safe = true},
        {.method = "GET", .path = "/d-get-slow-once"},
        {.method = "POST", .path = "/e-post-slow"},
        {.method = "POST", .path = "/f-post-safe-reset-twice", .retry_safe = true},
        {.method = "POST", .path = "/g-post-reset"},
    };
    for (int i = 0; i < 7; i++)
        CHECK(lo_http_send(h.client, &r[i], on_done, &t[i]) == 0);
    run_until_finished(&h, 7);
    for (int i = 0; i < 7; i++)
        CHECK(t[i].calls == 1);
    CHECK(t[0].outcome == LO_HTTP_DELIVERED && t[0].status == 200 && t[0].attempts == 4);
    CHECK(t[1].outcome == LO_HTTP_FAILED_SERVER && t[1].status == 503 && t[1].attempts == 1);
    CHECK(t[2].outcome == LO_HTTP_FAILED_SERVER && t[2].status == 500 && t[2].attempts == 4);
    CHECK(t[3].outcome == LO_HTTP_DELIVERED && t[3].attempts == 2);
    CHECK(t[4].outcome == LO_HTTP_FAILED_TIMEOUT && t[4].attempts == 1);
    CHECK(t[5].outcome == LO_HTTP_DELIVERED && t[5].attempts == 3);
    CHECK(t[6].outcome == LO_HTTP_FAILED_NETWORK && t[6].attempts == 1);
    /* the server saw exactly the attempts the client reports */
    CHECK(seen[0] == 4 && seen[1] == 1 && seen[2] == 4 && seen[3] == 2 && seen[4] == 1 &&
          seen[5] == 3 && seen[6] == 1);
    close_harness(&h);
}

/* ---- back-pressure and cancellation ---- */

static void full_queue_refuses_then_recovers(void)
{
    harness h;
    unsigned delay = 100;
    lo_http_config config = base_config(&h);
    config.queue_capacity = 3;
    open_harness(&h, slow_script, &delay, &config);
    tracked t[4];
    memset(t, 0, sizeof t);
    lo_http_request r = {.method = "GET", .path = "/x"};
    for (int i = 0; i < 3; i++)
        CHECK(lo_http_send(h.client, &r, on_done, &t[i]) == 0);
    CHECK(lo_http_send(h.client, &r, on_done, &t[3]) == -EAGAIN);
    CHECK(lo_http_pending(h.client) == 3);
    run_until_finished(&h, 3);
    CHECK(lo_http_pending(h.client) == 0);
    CHECK(lo_http_send(h.client, &r, on_done, &t[3]) == 0);
    run_until_finished(&h, 4);
    for (int i = 0; i < 4; i++)
        CHECK(t[i].calls == 1 && t[i].outcome == LO_HTTP_DELIVERED);
    close_harness(&h);
}

static void free_cancels_everything_once(void)
{
    harness h;
    unsigned delay = 20000;
    open_harness(&h, slow_script, &delay, NULL);
    tracked t[3];
    memset(t, 0, sizeof t);
    lo_http_request same = {.method = "GET", .path = "/c/1", .order_key = "c1"};
    lo_http_request other = {.method = "GET", .path = "/c/2", .order_key = "c2"};
    lo_http_send(h.client, &same, on_done, &t[0]);
    lo_http_send(h.client, &same, on_done, &t[1]);
    lo_http_send(h.client, &other, on_done, &t[2]);
    while (fake_http_count(h.server) < 2 && !h.guard_fired)
        uv_run(&h.loop, UV_RUN_ONCE);
    CHECK(fake_http_count(h.server) == 2); /* the two lane heads, not the queued second of c1 */
    lo_http_free(h.client);
    for (int i = 0; i < 3; i++)
        CHECK(t[i].calls == 1 && t[i].outcome == LO_HTTP_CANCELLED);
    h.client = NULL;
    close_harness(&h);
}

static void free_from_callback(void *user, const lo_http_response *r)
{
    on_done(user, r);
    lo_http_free(current->client); /* allowed inside a callback: the rest are cancelled */
}

static void path_script(void *user, unsigned index, const fake_http_record *req,
                        fake_http_action *a)
{
    (void)user;
    (void)index;
    a->status = 200;
    if (strcmp(req->path, "/slow") == 0)
        a->delay_ms = 20000;
}

static void free_inside_a_callback(void)
{
    harness h;
    open_harness(&h, path_script, NULL, NULL);
    tracked fast = {0}, slow[2];
    memset(slow, 0, sizeof slow);
    lo_http_request slow_request = {.method = "GET", .path = "/slow"};
    lo_http_request fast_request = {.method = "GET", .path = "/fast"};
    lo_http_send(h.client, &slow_request, on_done, &slow[0]);
    lo_http_send(h.client, &slow_request, on_done, &slow[1]);
    lo_http_send(h.client, &fast_request, free_from_callback, &fast);
    run_until_finished(&h, 3);
    CHECK(fast.calls == 1 && fast.outcome == LO_HTTP_DELIVERED);
    for (int i = 0; i < 2; i++)
        CHECK(slow[i].calls == 1 && slow[i].outcome == LO_HTTP_CANCELLED);
    h.client = NULL;
    close_harness(&h);
}

/* ---- the token and concrete paths never reach the log ---- */

static void logs_are_redacted(void)
{
    harness h;
    unsigned delay = 0;
    open_harness(&h, slow_script, &delay, NULL);
    tracked t = {0};
    send_json(&h, "POST", "/webhooks/42/s3cr3t-token", "POST /webhooks/{id}/{token}", "webhook:42",
              false, json_pack("{s:s}", "content", "s3cr3t-token in a body"), &t);
    run_until_finished(&h, 1);
    CHECK(t.calls == 1 && t.outcome == LO_HTTP_DELIVERED);
    CHECK(strstr(h.log, "POST /webhooks/{id}/{token}") != NULL); /* it did log, redacted */
    CHECK(strcmp(fake_http_request(h.server, 0)->authorization, "Bot s3cr3t-token") == 0);
    close_harness(&h); /* checks the log holds no "s3cr3t" */
}

int main(void)
{
    order_and_exactly_once_under_faults();
    route_429_waits_for_its_bucket_only();
    global_429_holds_every_route();
    remaining_zero_waits_for_reset();
    global_cap_spaces_a_burst();
    failures_retry_only_when_safe();
    full_queue_refuses_then_recovers();
    free_cancels_everything_once();
    free_inside_a_callback();
    logs_are_redacted();
    return CHECK_DONE();
}
