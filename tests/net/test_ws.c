/* test_ws.c - the websocket client against the hand-written RFC 6455 server in
 * tests/fakes/fake_ws: refused connects, drops and close codes lead to reconnects whose delays
 * follow the backoff formula exactly (scripted random source); the resume hook switches URL
 * and stops on a fatal close code; connect timeout; ping keepalive and the pong timeout;
 * the send queue; no busy loop while waiting. Timing checks are lower bounds only. */
#include "net/ws.h"
#include "fakes/fake_ws.h"
#include "fakes/tls_front.h"
#include "testing.h"

#include <libwebsockets.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { GUARD_MS = 60000, MAX_EVENTS = 16 };

typedef struct scripted_rng {
    const uint64_t *values;
    size_t count, next;
} scripted_rng;

static uint64_t scripted_next(void *state)
{
    scripted_rng *s = state;
    return s->values[s->next++ % s->count];
}

typedef struct closed_event {
    int code;
    char reason[128];
    bool connect_failed, timed_out, closed_by_us;
    unsigned failures;
} closed_event;

typedef struct harness {
    uv_loop_t loop;
    uv_timer_t guard, idle;
    uv_prepare_t wakeups;
    unsigned wakeup_count;
    bool guard_fired, idle_over;
    fake_ws *server;
    lo_ws *ws;
    char live_url[96];
    /* what the client told us */
    unsigned opens, messages;
    char last_message[64];
    closed_event closes[MAX_EVENTS];
    unsigned close_count;
    uint64_t delays[MAX_EVENTS];
    unsigned delay_failures[MAX_EVENTS];
    unsigned scheduled;
    bool stopped;
    /* per-test behaviour */
    unsigned switch_url_after_failures; /* resume: go to live_url once this many failed */
    int fatal_code;                     /* resume: stop on this close code */
    unsigned stop_after_closes;         /* resume: stop after this many closes (0 = never) */
    bool echo_then_stop;                /* on_open: send, and stop when the echo comes */
    int sends_rc[3];
    unsigned wakeups_at_schedule, wakeups_at_open;
} harness;

static void on_open(void *user)
{
    harness *h = user;
    h->opens++;
    h->wakeups_at_open = h->wakeup_count;
    if (h->echo_then_stop) {
        h->sends_rc[0] = lo_ws_send(h->ws, "hello leanon", 12, true);
        h->sends_rc[1] = lo_ws_send(h->ws, "second", 6, true);
        h->sends_rc[2] = lo_ws_send(h->ws, "third", 5, true);
    }
}

static void on_message(void *user, const char *data, size_t len, bool is_text)
{
    harness *h = user;
    CHECK(is_text);
    h->messages++;
    snprintf(h->last_message, sizeof h->last_message, "%.*s", (int)len, data);
    if (h->echo_then_stop && h->messages == 2)
        lo_ws_stop(h->ws);
}

static void on_close(void *user, const lo_ws_close_info *info)
{
    harness *h = user;
    CHECK(info->reason != NULL);
    if (h->close_count < MAX_EVENTS) {
        closed_event *e = &h->closes[h->close_count];
        e->code = info->close_code;
        snprintf(e->reason, sizeof e->reason, "%s", info->reason);
        e->connect_failed = info->connect_failed;
        e->timed_out = info->timed_out;
        e->closed_by_us = info->closed_by_us;
        e->failures = info->failures;
    }
    h->close_count++;
    if (info->closed_by_us && info->close_code == 1000)
        h->stopped = true;
}

static void resume(void *user, const lo_ws_close_info *info, lo_ws_resume *choice)
{
    harness *h = user;
    if (h->fatal_code && info->close_code == h->fatal_code)
        choice->reconnect = false;
    if (h->stop_after_closes && h->close_count >= h->stop_after_closes)
        choice->reconnect = false;
    if (h->switch_url_after_failures && info->failures == h->switch_url_after_failures) {
        choice->url = h->live_url;
    }
    if (!choice->reconnect)
        h->stopped = true;
}

static void on_reconnect_scheduled(void *user, unsigned failures, uint64_t delay_ms)
{
    harness *h = user;
    if (h->scheduled < MAX_EVENTS) {
        h->delays[h->scheduled] = delay_ms;
        h->delay_failures[h->scheduled] = failures;
    }
    h->scheduled++;
    h->wakeups_at_schedule = h->wakeup_count;
}

static void on_guard(uv_timer_t *t)
{
    ((harness *)t->data)->guard_fired = true;
}
static void on_idle_over(uv_timer_t *t)
{
    ((harness *)t->data)->idle_over = true;
}
static void on_wakeup(uv_prepare_t *p)
{
    ((harness *)p->data)->wakeup_count++;
}

static void open_harness(harness *h, fake_ws_script script, void *script_user)
{
    memset(h, 0, sizeof *h);
    uv_loop_init(&h->loop);
    uv_timer_init(&h->loop, &h->guard);
    uv_timer_init(&h->loop, &h->idle);
    uv_prepare_init(&h->loop, &h->wakeups);
    h->guard.data = h->idle.data = h->wakeups.data = h;
    uv_timer_start(&h->guard, on_guard, GUARD_MS, 0);
    uv_prepare_start(&h->wakeups, on_wakeup);
    h->server = fake_ws_start(&h->loop, script, script_user);
    CHECK(h->server != NULL);
    snprintf(h->live_url, sizeof h->live_url, "ws://127.0.0.1:%d/gateway?v=10&encoding=json",
             fake_ws_port(h->server));
}

static lo_ws_config base_config(harness *h, const char *url)
{
    lo_ws_config config = {
        .loop = &h->loop,
        .url = url,
        .connect_timeout_ms = 5000,
        .stable_after_ms = 60000,
        .reconnect_backoff = {.floor_ms = 10, .base_ms = 40, .cap_ms = 160},
        .callbacks = {on_open, on_message, on_close, resume, on_reconnect_scheduled},
        .user = h,
    };
    return config;
}

static void run_until_stopped(harness *h)
{
    while (!h->stopped && !h->guard_fired)
        uv_run(&h->loop, UV_RUN_ONCE);
    CHECK(!h->guard_fired);
}

/* Lets the loop run for ms more (to see that nothing else happens). */
static void run_for(harness *h, uint64_t ms)
{
    h->idle_over = false;
    uv_timer_start(&h->idle, on_idle_over, ms, 0);
    while (!h->idle_over && !h->guard_fired)
        uv_run(&h->loop, UV_RUN_ONCE);
}

static void close_harness(harness *h)
{
    lo_ws_free(h->ws);
    fake_ws_stop(h->server);
    uv_close((uv_handle_t *)&h->guard, NULL);
    uv_close((uv_handle_t *)&h->idle, NULL);
    uv_close((uv_handle_t *)&h->wakeups, NULL);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    CHECK(uv_loop_close(&h->loop) == 0);
}

static int unused_port(uv_loop_t *loop)
{
    uv_tcp_t probe;
    uv_tcp_init(loop, &probe);
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    struct sockaddr_storage bound;
    int len = sizeof bound;
    uv_tcp_bind(&probe, (const struct sockaddr *)&addr, 0);
    uv_tcp_getsockname(&probe, (struct sockaddr *)&bound, &len);
    uv_close((uv_handle_t *)&probe, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return ntohs(((struct sockaddr_in *)&bound)->sin_port);
}

/* ---- refused, close 4000, drop, close 1001, then a good connection; exact delays ---- */

static void reconnect_script(void *user, unsigned index, fake_ws_plan *plan)
{
    (void)user;
    static const fake_ws_plan plans[] = {
        {FAKE_WS_CLOSE, 4000, "unknown error"},
        {FAKE_WS_DROP, 0, NULL},
        {FAKE_WS_CLOSE, 1001, "going away"},
        {FAKE_WS_ECHO, 0, NULL},
    };
    *plan = plans[index < 4 ? index : 3];
}

static void reconnects_with_growing_jittered_delays(void)
{
    harness h;
    open_harness(&h, reconnect_script, NULL);
    char refused_url[64];
    snprintf(refused_url, sizeof refused_url, "ws://127.0.0.1:%d/", unused_port(&h.loop));
    h.switch_url_after_failures = 2;
    h.echo_then_stop = true;
    const uint64_t values[] = {40, 80, 100, 1000, 7};
    scripted_rng script = {values, 5, 0};
    lo_rng rng = {scripted_next, &script};
    lo_ws_config config = base_config(&h, refused_url);
    config.rng = &rng;
    config.send_queue_frames = 2;
    h.ws = lo_ws_new(&config);
    CHECK(h.ws != NULL);
    CHECK(lo_ws_send(h.ws, "x", 1, true) == -ENOTCONN);
    CHECK(lo_ws_start(h.ws) == 0);
    run_until_stopped(&h);

    /* the five disconnects, as the platform saw them */
    CHECK(h.close_count == 6);
    CHECK(h.closes[0].connect_failed && h.closes[0].code == 0 && h.closes[0].failures == 1);
    CHECK(h.closes[1].connect_failed && h.closes[1].code == 0 && h.closes[1].failures == 2);
    CHECK(h.closes[2].code == 4000 && strcmp(h.closes[2].reason, "unknown error") == 0);
    CHECK(h.closes[3].code == 1006 && !h.closes[3].connect_failed);
    CHECK(h.closes[4].code == 1001 && strcmp(h.closes[4].reason, "going away") == 0);
    CHECK(h.closes[4].failures == 5);
    CHECK(h.closes[5].code == 1000 && h.closes[5].closed_by_us); /* lo_ws_stop */

    /* delay n = floor + value % (min(cap, base * 2^n) + 1): 10 + {40, 80, 100, 1000 % 161, 7} */
    const uint64_t expected[] = {50, 90, 110, 44, 17};
    CHECK(h.scheduled == 5);
    for (unsigned i = 0; i < 5 && i < h.scheduled; i++) {
        CHECK_EQ_U64(h.delays[i], expected[i]);
        CHECK(h.delay_failures[i] == i + 1);
    }

    /* the server: four upgrades, masked frames, spaced at least by (half) the delays */
    CHECK(fake_ws_count(h.server) == 4);
    for (unsigned i = 0; i < fake_ws_count(h.server); i++) {
        const fake_ws_record *r = fake_ws_connection(h.server, i);
        CHECK(r->upgraded && !r->protocol_error);
        if (i > 0) {
            CHECK(r->accepted_ms >=
                  fake_ws_connection(h.server, i - 1)->accepted_ms + expected[i + 1] / 2);
        }
    }
    CHECK(h.sends_rc[0] == 0 && h.sends_rc[1] == 0 && h.sends_rc[2] == -EAGAIN); /* queue of 2 */
    CHECK(h.messages == 2 && strcmp(h.last_message, "second") == 0);
    run_for(&h, 200);
    const fake_ws_record *good = fake_ws_connection(h.server, 3);
    if (good) {
        CHECK(good->messages == 2 && strcmp(good->last_message, "second") == 0);
        CHECK(good->client_close_code == 1000);
    }
    CHECK(fake_ws_count(h.server) == 4 && h.scheduled == 5); /* stopped means stopped */
    close_harness(&h);
}

/* ---- a fatal close code stops reconnecting; the loop sleeps while idle ---- */

static void fatal_script(void *user, unsigned index, fake_ws_plan *plan)
{
    (void)user;
    (void)index;
    *plan = (fake_ws_plan){FAKE_WS_CLOSE, 4004, "Authentication failed."};
}

static void fatal_close_code_stops(void)
{
    harness h;
    open_harness(&h, fatal_script, NULL);
    h.fatal_code = 4004;
    lo_ws_config config = base_config(&h, h.live_url);
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(h.close_count == 1 && h.closes[0].code == 4004);
    CHECK(strcmp(h.closes[0].reason, "Authentication failed.") == 0);
    unsigned before = h.wakeup_count;
    run_for(&h, 500);
    CHECK(fake_ws_count(h.server) == 1 && h.scheduled == 0 && h.close_count == 1);
    CHECK(!lo_ws_is_open(h.ws));
    CHECK(h.wakeup_count - before < 50); /* idle, not spinning */
    close_harness(&h);
}

/* ---- freeing the client from its own on_close: nothing follows, nothing leaks ---- */

static void free_on_close(void *user, const lo_ws_close_info *info)
{
    harness *h = user;
    on_close(user, info);
    lo_ws_free(h->ws);
    h->ws = NULL;
    h->stopped = true;
}

static void free_inside_on_close(void)
{
    harness h;
    open_harness(&h, fatal_script, NULL);
    lo_ws_config config = base_config(&h, h.live_url);
    config.callbacks.on_close = free_on_close;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    run_for(&h, 200);
    CHECK(h.close_count == 1 && h.closes[0].code == 4004);
    CHECK(h.scheduled == 0 && fake_ws_count(h.server) == 1); /* the resume hook was not asked */
    close_harness(&h); /* the loop still closes every handle, ASan checks the memory */
}

/* ---- waiting to reconnect costs a handful of wakeups, not a busy loop ---- */

static void close_once_script(void *user, unsigned index, fake_ws_plan *plan)
{
    (void)user;
    *plan = index == 0 ? (fake_ws_plan){FAKE_WS_CLOSE, 1001, "restart"}
                       : (fake_ws_plan){FAKE_WS_ECHO, 0, NULL};
}

static void stop_when_open(void *user)
{
    harness *h = user;
    h->opens++;
    h->wakeups_at_open = h->wakeup_count;
    if (h->opens == 2)
        lo_ws_stop(h->ws);
}

static void waiting_is_not_busy(void)
{
    harness h;
    open_harness(&h, close_once_script, NULL);
    lo_ws_config config = base_config(&h, h.live_url);
    config.reconnect_backoff = (lo_backoff_policy){.floor_ms = 600, .base_ms = 1, .cap_ms = 1};
    config.callbacks.on_open = stop_when_open;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(h.scheduled == 1 && h.delays[0] >= 600 && h.opens == 2);
    CHECK(h.wakeups_at_open - h.wakeups_at_schedule < 40);
    CHECK(fake_ws_connection(h.server, 1) != NULL &&
          fake_ws_connection(h.server, 1)->accepted_ms >=
              fake_ws_connection(h.server, 0)->accepted_ms + 300);
    close_harness(&h);
}

/* ---- connect timeout: a server that never answers the upgrade ---- */

static void hang_script(void *user, unsigned index, fake_ws_plan *plan)
{
    (void)user;
    (void)index;
    *plan = (fake_ws_plan){FAKE_WS_HANG, 0, NULL};
}

static void connect_timeout_then_retry(void)
{
    harness h;
    open_harness(&h, hang_script, NULL);
    h.stop_after_closes = 2;
    lo_ws_config config = base_config(&h, h.live_url);
    config.connect_timeout_ms = 250;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(h.close_count == 2 && h.scheduled == 1);
    for (unsigned i = 0; i < 2; i++)
        CHECK(h.closes[i].connect_failed && h.closes[i].timed_out);
    CHECK(fake_ws_count(h.server) == 2);
    if (fake_ws_count(h.server) == 2) {
        CHECK(fake_ws_connection(h.server, 1)->accepted_ms >=
              fake_ws_connection(h.server, 0)->accepted_ms + 200);
        CHECK(!fake_ws_connection(h.server, 0)->upgraded);
    }
    close_harness(&h);
}

/* ---- keepalive: pings answered keep it open; unanswered pings end it ---- */

static void behaviour_script(void *user, unsigned index, fake_ws_plan *plan)
{
    (void)index;
    plan->behaviour = *(fake_ws_behaviour *)user;
}

static void pings_keep_it_open_and_silence_ends_it(void)
{
    harness h;
    fake_ws_behaviour behaviour = FAKE_WS_ECHO;
    open_harness(&h, behaviour_script, &behaviour);
    h.stop_after_closes = 1;
    lo_ws_config config = base_config(&h, h.live_url);
    config.ping_interval_ms = 100;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    /* until the second ping is answered (by events, not a fixed time: a loaded machine may
     * take long to connect), then a few more intervals in which nothing may close it */
    while (!h.guard_fired && h.close_count == 0 &&
           !(fake_ws_count(h.server) == 1 && fake_ws_connection(h.server, 0)->pings >= 2))
        uv_run(&h.loop, UV_RUN_ONCE);
    run_for(&h, 300);
    CHECK(h.opens == 1 && h.close_count == 0 && lo_ws_is_open(h.ws));
    CHECK(fake_ws_count(h.server) == 1 && fake_ws_connection(h.server, 0)->pings >= 2);
    lo_ws_stop(h.ws);
    run_until_stopped(&h);
    close_harness(&h);

    behaviour = FAKE_WS_NO_PONG;
    open_harness(&h, behaviour_script, &behaviour);
    h.stop_after_closes = 1;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(h.opens == 1 && h.close_count == 1);
    CHECK(h.closes[0].timed_out && !h.closes[0].connect_failed && h.closes[0].code == 1006);
    CHECK(fake_ws_count(h.server) == 1 && fake_ws_connection(h.server, 0)->pings >= 1);
    close_harness(&h);
}

/* ---- our own close code reaches the server; resume then reconnects ---- */

static int invalid_close_rc;

static void close_first_stop_second(void *user)
{
    harness *h = user;
    h->opens++;
    if (h->opens == 1) {
        invalid_close_rc = lo_ws_close(h->ws, 1006, "reserved"); /* never sent on the wire */
        CHECK(lo_ws_close(h->ws, 4000, "zombie connection") == 0);
        CHECK(lo_ws_send(h->ws, "late", 4, true) == -ENOTCONN); /* nothing after a close */
    } else {
        lo_ws_stop(h->ws);
    }
}

static void own_close_code_then_resume(void)
{
    harness h;
    fake_ws_behaviour echo = FAKE_WS_ECHO;
    open_harness(&h, behaviour_script, &echo);
    lo_ws_config config = base_config(&h, h.live_url);
    config.callbacks.on_open = close_first_stop_second;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(invalid_close_rc == -EINVAL);
    CHECK(h.close_count == 2 && h.closes[0].code == 4000 && h.closes[0].closed_by_us);
    CHECK(h.scheduled == 1 && h.opens == 2);
    CHECK(fake_ws_count(h.server) == 2 &&
          fake_ws_connection(h.server, 0)->client_close_code == 4000);
    close_harness(&h);
}

/* ---- messages arrive whole: fragmented ones and ones bigger than lws's buffers ---- */

enum { BIG_MESSAGE = 300000 };
static char *big_message;
static size_t big_echo_len;
static bool big_echo_equal;
static char fragmented_echo[64];

static void send_two_messages(void *user)
{
    harness *h = user;
    h->opens++;
    CHECK(lo_ws_send(h->ws, "fragmented hello from leanon", 28, true) == 0);
    CHECK(lo_ws_send(h->ws, big_message, BIG_MESSAGE, true) == 0);
}

static void keep_two_messages(void *user, const char *data, size_t len, bool is_text)
{
    harness *h = user;
    CHECK(is_text);
    if (++h->messages == 1) {
        snprintf(fragmented_echo, sizeof fragmented_echo, "%.*s", (int)len, data);
    } else {
        big_echo_len = len;
        big_echo_equal = len == BIG_MESSAGE && memcmp(data, big_message, len) == 0;
        lo_ws_stop(h->ws);
    }
}

static void messages_arrive_whole(void)
{
    big_message = malloc(BIG_MESSAGE);
    CHECK(big_message != NULL);
    if (!big_message)
        return;
    for (size_t i = 0; i < BIG_MESSAGE; i++)
        big_message[i] = (char)('a' + i % 26);
    harness h;
    fake_ws_behaviour fragmented = FAKE_WS_ECHO_FRAGMENTED;
    open_harness(&h, behaviour_script, &fragmented);
    lo_ws_config config = base_config(&h, h.live_url);
    config.callbacks.on_open = send_two_messages;
    config.callbacks.on_message = keep_two_messages;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(strcmp(fragmented_echo, "fragmented hello from leanon") == 0);
    CHECK(big_echo_len == BIG_MESSAGE && big_echo_equal);
    CHECK(fake_ws_connection(h.server, 0) && !fake_ws_connection(h.server, 0)->protocol_error);
    close_harness(&h);
    free(big_message);
}

/* ---- an incoming message over the size limit ends the connection as 1009 ---- */

static void send_big(void *user)
{
    harness *h = user;
    h->opens++;
    char big[100];
    memset(big, 'a', sizeof big);
    CHECK(lo_ws_send(h->ws, big, sizeof big, true) == 0); /* echoed back: too big for us */
}

static void oversized_message_closes_1009(void)
{
    harness h;
    fake_ws_behaviour echo = FAKE_WS_ECHO;
    open_harness(&h, behaviour_script, &echo);
    h.stop_after_closes = 1;
    lo_ws_config config = base_config(&h, h.live_url);
    config.callbacks.on_open = send_big;
    config.max_message_bytes = 64;
    h.ws = lo_ws_new(&config);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    CHECK(h.messages == 0 && h.close_count == 1);
    CHECK(h.closes[0].code == 1009 && h.closes[0].closed_by_us);
    close_harness(&h);
}

/* ---- wss: the certificate must chain to a trusted CA and name the host ---- */

static void tls_case(const char *name, const char *trusted, bool expect_open)
{
    char cert[512], key[512], ca[512];
    snprintf(cert, sizeof cert, "%s/%s-cert.pem", LEANON_TEST_TLS_DIR, name);
    snprintf(key, sizeof key, "%s/%s-key.pem", LEANON_TEST_TLS_DIR, name);
    snprintf(ca, sizeof ca, "%s/%s-cert.pem", LEANON_TEST_TLS_DIR, trusted ? trusted : "");
    fake_ws_behaviour echo = FAKE_WS_ECHO;
    harness h;
    open_harness(&h, behaviour_script, &echo);
    h.stop_after_closes = 1;
    h.echo_then_stop = true;
    tls_front *front = tls_front_start(cert, key, fake_ws_port(h.server));
    CHECK(front != NULL);
    char url[64];
    snprintf(url, sizeof url, "wss://127.0.0.1:%d/", front ? tls_front_port(front) : 1);
    lo_ws_config config = base_config(&h, url);
    config.ca_file = trusted ? ca : NULL; /* NULL: the system store, which knows no test cert */
    h.ws = lo_ws_new(&config);
    CHECK(h.ws != NULL);
    lo_ws_start(h.ws);
    run_until_stopped(&h);
    if (expect_open) {
        CHECK(h.opens == 1 && h.messages >= 2); /* echoed by fake_ws through TLS */
        CHECK(h.close_count == 1 && h.closes[0].closed_by_us);
        CHECK(fake_ws_count(h.server) == 1 && fake_ws_connection(h.server, 0)->upgraded);
    } else {
        CHECK(h.opens == 0 && h.close_count == 1 && h.closes[0].connect_failed);
        CHECK(fake_ws_count(h.server) == 0);
        CHECK(front && tls_front_handshakes(front) == 0);
    }
    close_harness(&h);
    if (front)
        tls_front_stop(front);
}

static void tls_verifies_chain_and_host_name(void)
{
    tls_case("loopback", NULL, false);           /* self-signed, not trusted */
    tls_case("loopback", "loopback", true);      /* trusted and names 127.0.0.1 */
    tls_case("wrong-name", "wrong-name", false); /* trusted but names another host */
}

int main(void)
{
    lws_set_log_level(getenv("LWS_DEBUG") ? 0xff : LLL_ERR, NULL);
    reconnects_with_growing_jittered_delays();
    fatal_close_code_stops();
    free_inside_on_close();
    waiting_is_not_busy();
    connect_timeout_then_retry();
    pings_keep_it_open_and_silence_ends_it();
    own_close_code_then_resume();
    messages_arrive_whole();
    oversized_message_closes_1009();
    tls_verifies_chain_and_host_name();
    return CHECK_DONE();
}
