/* test_silent_server.c - net-silent-server: the REST client and the websocket client against a
 * loopback server that accepts the TCP connection and never answers. Both give up on each
 * attempt within their configured timeout, say so (LO_HTTP_FAILED_TIMEOUT with curl's
 * "Operation timed out" text; a close with connect_failed, timed_out and "connect timed
 * out"), retry after the backoff delay their policy gives, close every connection they
 * opened, and stop when their retries are spent: no hang, no crash. The one upper bound on
 * time (SLACK_MS over the timeouts and delays) is loose on purpose: it only shows that the
 * configured timeout applied, not the default (5 s / 10 s per attempt). */
#include "net/http.h"
#include "net/ws.h"
#include "fakes/silent_server.h"
#include "testing.h"

#include <stdio.h>
#include <string.h>

enum { TIMEOUT_MS = 300, ATTEMPTS = 3, GUARD_MS = 20000, SLACK_MS = 3000 };

/* 50, then 150, ...: inside the first two jitter windows (100 and 200 ms), so every backoff
 * delay is known exactly. */
static uint64_t next_draw(void *state)
{
    unsigned *draws = state;
    return 50 + 100 * (uint64_t)(*draws)++;
}

typedef struct harness {
    uv_loop_t loop;
    uv_timer_t guard;
    bool guard_fired, done;
    silent_server *server;
    char url[64]; /* the server's, in the client's scheme */
    uint64_t started_ms, ended_ms;
    /* REST */
    lo_http_response response;
    char error[256];
    unsigned retrying, failed;
    uint64_t waits[ATTEMPTS];
    /* websocket */
    lo_ws *ws;
    lo_ws_close_info closes[ATTEMPTS];
    char reasons[ATTEMPTS][64];
    unsigned close_count, scheduled;
    uint64_t delays[ATTEMPTS];
    unsigned draws;
    lo_rng rng;
} harness;

static void on_guard(uv_timer_t *t)
{
    ((harness *)t->data)->guard_fired = true;
}

static void open_harness(harness *h, const char *url_format)
{
    memset(h, 0, sizeof *h);
    uv_loop_init(&h->loop);
    uv_timer_init(&h->loop, &h->guard);
    h->guard.data = h;
    uv_timer_start(&h->guard, on_guard, GUARD_MS, 0);
    h->rng = (lo_rng){next_draw, &h->draws};
    h->server = silent_server_start(&h->loop);
    CHECK(h->server != NULL);
    snprintf(h->url, sizeof h->url, url_format, h->server ? silent_server_port(h->server) : 0);
    uv_update_time(&h->loop);
    h->started_ms = uv_now(&h->loop);
}

static void run_until_done(harness *h)
{
    while (!h->done && !h->guard_fired)
        uv_run(&h->loop, UV_RUN_ONCE);
    CHECK(!h->guard_fired); /* the client never hung */
}

/* Every attempt lasted its timeout plus the backoff delays before it (least_ms in all), had
 * one connection of its own on which the client sent its request, and that connection was
 * closed by the client. */
static void check_attempts(harness *h, uint64_t least_ms, const char *client)
{
    uint64_t took = h->ended_ms - h->started_ms;
    if (took < least_ms || took > least_ms + SLACK_MS)
        fprintf(stderr, "%s took %llu ms\n", client, (unsigned long long)took);
    CHECK(took >= least_ms && took <= least_ms + SLACK_MS);
    CHECK_EQ_U64(silent_server_accepted(h->server), ATTEMPTS);
    for (unsigned i = 0; i < ATTEMPTS; i++)
        CHECK(silent_server_received(h->server, i) > 0);
    /* the websocket client closes an abandoned attempt as the next begins; lws 4.1 closes
     * the last one on its own timeout sweep, a few seconds later (bounded by the guard) */
    CHECK(silent_server_closed(h->server) >= ATTEMPTS - 1);
    while (silent_server_closed(h->server) < ATTEMPTS && !h->guard_fired)
        uv_run(&h->loop, UV_RUN_ONCE);
    CHECK_EQ_U64(silent_server_closed(h->server), ATTEMPTS);
}

static void close_harness(harness *h)
{
    silent_server_stop(h->server);
    uv_close((uv_handle_t *)&h->guard, NULL);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    CHECK(uv_loop_close(&h->loop) == 0);
}

/* ---- REST ---- */

static void on_http_log(void *user, const lo_http_event *ev)
{
    harness *h = user;
    if (ev->kind == LO_HTTP_EVENT_RETRYING && h->retrying < ATTEMPTS)
        h->waits[h->retrying++] = ev->wait_ms;
    if (ev->kind == LO_HTTP_EVENT_FAILED)
        h->failed++;
}

static void on_http_done(void *user, const lo_http_response *r)
{
    harness *h = user;
    h->response = *r;
    snprintf(h->error, sizeof h->error, "%s", r->error ? r->error : "");
    h->response.error = h->error;
    h->response.json = NULL;
    h->response.body = NULL;
    h->ended_ms = uv_now(&h->loop);
    h->done = true;
}

static void rest_times_out_and_retries(void)
{
    harness h;
    open_harness(&h, "http://127.0.0.1:%d/api");
    lo_http_config config = {
        .loop = &h.loop,
        .base_url = h.url,
        .authorization = "Bot silent-test-token",
        .max_attempts = ATTEMPTS,
        .timeout_ms = TIMEOUT_MS,
        .connect_timeout_ms = TIMEOUT_MS,
        .retry_backoff = {.base_ms = 100, .cap_ms = 400},
        .rng = &h.rng,
        .log = on_http_log,
        .log_user = &h,
    };
    lo_http_client *client = lo_http_new(&config);
    CHECK(client != NULL);
    lo_http_request request = {.method = "GET", .path = "/gateway/bot"};
    CHECK(lo_http_send(client, &request, on_http_done, &h) == 0);
    run_until_done(&h);

    CHECK(h.response.outcome == LO_HTTP_FAILED_TIMEOUT);
    CHECK_EQ_U64(h.response.status, 0);
    CHECK_EQ_U64(h.response.attempts, ATTEMPTS);
    /* curl's own words, e.g. "Operation timed out after 301 milliseconds with 0 bytes received" */
    if (strncmp(h.error, "Operation timed out after ", 26) != 0 ||
        !strstr(h.error, " milliseconds with 0 bytes received"))
        fprintf(stderr, "error was \"%s\"\n", h.error);
    CHECK(strncmp(h.error, "Operation timed out after ", 26) == 0);
    CHECK(strstr(h.error, " milliseconds with 0 bytes received") != NULL);
    /* two retries, after the drawn jitter: 50 of the first window, 150 of the doubled one */
    CHECK_EQ_U64(h.retrying, ATTEMPTS - 1);
    CHECK_EQ_U64(h.waits[0], 50);
    CHECK_EQ_U64(h.waits[1], 150);
    CHECK_EQ_U64(h.failed, 1);
    check_attempts(&h, ATTEMPTS * TIMEOUT_MS + 50 + 150, "REST");
    lo_http_free(client);
    close_harness(&h);
}

/* ---- websocket ---- */

static void on_ws_close(void *user, const lo_ws_close_info *info)
{
    harness *h = user;
    if (h->close_count < ATTEMPTS) {
        h->closes[h->close_count] = *info;
        snprintf(h->reasons[h->close_count], sizeof h->reasons[0], "%s", info->reason);
        h->closes[h->close_count].reason = h->reasons[h->close_count];
    }
    h->close_count++;
}

static void on_ws_resume(void *user, const lo_ws_close_info *info, lo_ws_resume *choice)
{
    (void)info;
    harness *h = user;
    if (h->close_count >= ATTEMPTS) {
        choice->reconnect = false;
        h->ended_ms = uv_now(&h->loop);
        h->done = true;
    }
}

static void on_ws_scheduled(void *user, unsigned failures, uint64_t delay_ms)
{
    (void)failures;
    harness *h = user;
    if (h->scheduled < ATTEMPTS)
        h->delays[h->scheduled] = delay_ms;
    h->scheduled++;
}

static void websocket_times_out_and_retries(void)
{
    harness h;
    open_harness(&h, "ws://127.0.0.1:%d/?v=10");
    lo_ws_config config = {
        .loop = &h.loop,
        .url = h.url,
        .connect_timeout_ms = TIMEOUT_MS,
        .reconnect_backoff = {.floor_ms = 10, .base_ms = 100, .cap_ms = 400},
        .rng = &h.rng,
        .callbacks = {.on_close = on_ws_close,
                      .resume = on_ws_resume,
                      .on_reconnect_scheduled = on_ws_scheduled},
        .user = &h,
    };
    h.ws = lo_ws_new(&config);
    CHECK(h.ws != NULL);
    CHECK(lo_ws_start(h.ws) == 0);
    run_until_done(&h);

    CHECK_EQ_U64(h.close_count, ATTEMPTS);
    for (unsigned i = 0; i < ATTEMPTS && i < h.close_count; i++) {
        CHECK(h.closes[i].connect_failed && h.closes[i].timed_out && !h.closes[i].closed_by_us);
        CHECK_EQ_U64(h.closes[i].close_code, 0);
        CHECK_EQ_U64(h.closes[i].failures, i + 1);
        CHECK(strcmp(h.reasons[i], "connect timed out") == 0);
    }
    /* floor + the drawn jitter: 10 + 50, then 10 + 150; none after the last */
    CHECK_EQ_U64(h.scheduled, ATTEMPTS - 1);
    CHECK_EQ_U64(h.delays[0], 60);
    CHECK_EQ_U64(h.delays[1], 160);
    check_attempts(&h, ATTEMPTS * TIMEOUT_MS + 60 + 160, "websocket");
    lo_ws_free(h.ws);
    close_harness(&h);
}

int main(void)
{
    rest_times_out_and_retries();
    websocket_times_out_and_retries();
    return CHECK_DONE();
}
