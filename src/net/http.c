/* http.c - REST client: libcurl's multi socket API on the caller's libuv loop (see
 * src/net/http.h for the contract).
 *
 * Shape: requests wait in lanes, one lane per order key (a channel). Only the head of a lane
 * is ever on the wire, so order within a lane is kept by construction; a head that must wait
 * (rate limit, retry backoff) holds its lane and nothing behind it moves. pump() walks the
 * lanes, starts every head that may go now, and arms one wake timer for the earliest head that
 * must wait. curl tells us which sockets to watch (uv_poll per socket) and when to call it
 * back (one uv timer); finished transfers are classified in finish(): delivered, rate limited
 * (learn, stay at the head, wait), retry after backoff, or failed. Every accepted request
 * leaves through complete(), which runs its callback exactly once.
 */
#include "net/http.h"

#include "net/ratelimit.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum {
    DEFAULT_CAPACITY = 256,
    DEFAULT_MAX_ATTEMPTS = 4,
    DEFAULT_MAX_RATE_LIMITED = 8,
    DEFAULT_TIMEOUT_MS = 15000,
    DEFAULT_CONNECT_TIMEOUT_MS = 5000,
    DEFAULT_BACKOFF_BASE_MS = 500,
    DEFAULT_BACKOFF_CAP_MS = 30000,
    MAX_BODY_BYTES = 8 * 1024 * 1024,
};

typedef struct lane lane;

typedef struct pending {
    struct pending *next;
    lane *lane;
    lo_http_client *client;
    char *method;
    char *url;
    char *route;     /* rate-limit key: the caller's route, or method + path */
    char *log_route; /* what logs may show: the caller's route template, or just the method */
    char *major;
    char *body; /* serialised JSON, or NULL */
    bool retryable;
    lo_http_done_fn done;
    void *user;
    unsigned attempts, failures, rate_limited;
    uint64_t not_before_ms;
    CURL *easy;
    struct curl_slist *headers;
    char *answer;
    size_t answer_len, answer_cap;
    lo_ratelimit_facts facts;
    char error[CURL_ERROR_SIZE];
} pending;

struct lane {
    lane *next;
    char *key;
    pending *head, *tail;
    bool busy; /* its head is on the wire */
};

typedef struct socket_watch {
    uv_poll_t poll;
    curl_socket_t fd;
    lo_http_client *client;
} socket_watch;

struct lo_http_client {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t curl_timer; /* when curl wants to be called back */
    uv_timer_t wake_timer; /* when the earliest waiting head may go */
    unsigned open_handles;
    bool closing;
    unsigned callback_depth;
    char *base_url;
    char *authorization_header;
    char *user_agent;
    size_t capacity, pending_count;
    unsigned max_attempts, max_rate_limited;
    long timeout_ms, connect_timeout_ms;
    lo_backoff_policy backoff;
    const lo_rng *rng;
    lo_http_log_fn log;
    void *log_user;
    lane *lanes;
    lo_ratelimit *limits;
};

static void pump(lo_http_client *c);
static void teardown(lo_http_client *c);

static char *dup_or_null(const char *s)
{
    return s ? lo_xstrdup(s) : NULL;
}

static char *join(const char *a, const char *sep, const char *b)
{
    size_t len = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *s = lo_xcalloc(len, 1);
    snprintf(s, len, "%s%s%s", a, sep, b);
    return s;
}

static void emit(lo_http_client *c, lo_http_event_kind kind, const pending *p, long status,
                 uint64_t wait_ms, bool global, const char *error)
{
    if (!c->log)
        return;
    lo_http_event ev = {.kind = kind,
                        .method = p->method,
                        .route = p->log_route,
                        .status = status,
                        .attempt = p->attempts,
                        .wait_ms = wait_ms,
                        .global = global,
                        .error = error};
    c->log(c->log_user, &ev);
}

/* ---- lanes ---- */

static lane *find_or_add_lane(lo_http_client *c, const char *key)
{
    for (lane *l = c->lanes; l; l = l->next) {
        if (strcmp(l->key, key) == 0)
            return l;
    }
    lane *l = lo_xcalloc(1, sizeof *l);
    l->key = lo_xstrdup(key);
    l->next = c->lanes;
    c->lanes = l;
    return l;
}

static void remove_lane(lo_http_client *c, lane *gone)
{
    for (lane **link = &c->lanes; *link; link = &(*link)->next) {
        if (*link == gone) {
            *link = gone->next;
            free(gone->key);
            free(gone);
            return;
        }
    }
}

static void free_pending(pending *p)
{
    if (p->easy) {
        curl_multi_remove_handle(p->client->multi, p->easy);
        curl_easy_cleanup(p->easy);
    }
    curl_slist_free_all(p->headers);
    free(p->method);
    free(p->url);
    free(p->route);
    free(p->log_route);
    free(p->major);
    free(p->body);
    free(p->answer);
    free(p);
}

/* The one exit of every accepted request: unlink it, run its callback, free it. */
static void complete(pending *p, lo_http_outcome outcome, long status, const json_t *json,
                     const char *error)
{
    lo_http_client *c = p->client;
    lane *l = p->lane;
    l->head = p->next;
    if (!l->head)
        l->tail = NULL;
    l->busy = false;
    c->pending_count--;

    lo_http_response response = {
        .outcome = outcome,
        .status = status,
        .json = json,
        .body = p->answer ? p->answer : "",
        .body_len = p->answer_len,
        .attempts = p->attempts,
        .error = error,
    };
    c->callback_depth++;
    p->done(p->user, &response);
    c->callback_depth--;

    free_pending(p);
    if (!l->head && !c->closing)
        remove_lane(c, l);
    if (c->closing && c->callback_depth == 0)
        teardown(c);
}

/* ---- one attempt on the wire ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    pending *p = user;
    size_t n = size * nmemb;
    if (p->answer_len + n + 1 > MAX_BODY_BYTES)
        return 0; /* too big: fails the transfer */
    if (p->answer_len + n + 1 > p->answer_cap) {
        size_t cap = p->answer_cap ? p->answer_cap : 1024;
        while (cap < p->answer_len + n + 1)
            cap *= 2;
        p->answer = lo_xrealloc(p->answer, cap);
        p->answer_cap = cap;
    }
    memcpy(p->answer + p->answer_len, data, n);
    p->answer_len += n;
    p->answer[p->answer_len] = '\0';
    return n;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *user)
{
    pending *p = user;
    size_t n = size * nitems;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0)
        memset(&p->facts, 0, sizeof p->facts);
    else
        lo_ratelimit_parse_header(&p->facts, line, n);
    return n;
}

static bool start_attempt(pending *p)
{
    lo_http_client *c = p->client;
    p->answer_len = 0;
    if (p->answer)
        p->answer[0] = '\0';
    memset(&p->facts, 0, sizeof p->facts);
    p->error[0] = '\0';

    CURL *e = curl_easy_init();
    if (!e)
        return false;
    struct curl_slist *h = NULL, *next;
    if (c->authorization_header) {
        if (!(next = curl_slist_append(h, c->authorization_header)))
            goto fail;
        h = next;
    }
    if (!(next = curl_slist_append(h, "Expect:")))
        goto fail; /* no 100-continue round trip */
    h = next;
    if (p->body) {
        if (!(next = curl_slist_append(h, "Content-Type: application/json")))
            goto fail;
        h = next;
    }

    curl_easy_setopt(e, CURLOPT_URL, p->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, p);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, p);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->error);
    if (strcmp(p->method, "GET") == 0) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(p->method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
        /* a body (or an explicit empty one, so Content-Length: 0 is sent), then the verb */
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, p->body ? p->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(p->body ? strlen(p->body) : 0));
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, p->method);
    }
    if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
        goto fail;

    p->easy = e;
    p->headers = h;
    p->attempts++;
    p->lane->busy = true;
    lo_ratelimit_spend(c->limits, p->route, p->major, uv_now(c->loop));
    emit(c, LO_HTTP_EVENT_SENT, p, 0, 0, false, NULL);
    return true;

fail:
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    return false;
}

/* A retryable failure: wait with backoff and go again (returns the wait), or give up
 * (returns 0; p is gone). */
static uint64_t retry_or_fail(pending *p, lo_http_outcome outcome, long status, const json_t *json,
                              const char *error)
{
    lo_http_client *c = p->client;
    p->failures++;
    if (p->retryable && p->failures < c->max_attempts) {
        uint64_t delay = lo_backoff_delay_ms(&c->backoff, p->failures - 1, c->rng);
        if (delay == 0)
            delay = 1; /* still through the wake timer, never a tight loop */
        p->not_before_ms = uv_now(c->loop) + delay;
        emit(c, LO_HTTP_EVENT_RETRYING, p, status, delay, false, error);
        return delay;
    }
    emit(c, LO_HTTP_EVENT_FAILED, p, status, 0, false, error);
    complete(p, outcome, status, json, error);
    return 0;
}

static void finish(pending *p, CURLcode result)
{
    lo_http_client *c = p->client;
    long status = 0;
    curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(c->multi, p->easy);
    curl_easy_cleanup(p->easy);
    curl_slist_free_all(p->headers);
    p->easy = NULL;
    p->headers = NULL;
    p->lane->busy = false;

    uint64_t now = uv_now(c->loop);
    json_t *json =
        p->answer_len ? json_loadb(p->answer, p->answer_len, JSON_DECODE_ANY, NULL) : NULL;

    if (result != CURLE_OK) {
        const char *error = p->error[0] ? p->error : curl_easy_strerror(result);
        retry_or_fail(
            p, result == CURLE_OPERATION_TIMEDOUT ? LO_HTTP_FAILED_TIMEOUT : LO_HTTP_FAILED_NETWORK,
            0, NULL, error);
    } else if (status == 429) {
        /* not processed by the server, so safe to resend whatever the method */
        lo_ratelimit_parse_body(&p->facts, json);
        lo_ratelimit_learn(c->limits, p->route, p->major, 429, &p->facts, now);
        p->rate_limited++;
        if (p->rate_limited >= c->max_rate_limited) {
            emit(c, LO_HTTP_EVENT_FAILED, p, status, 0, p->facts.global, NULL);
            complete(p, LO_HTTP_FAILED_RATE_LIMITED, status, json, NULL);
        } else {
            emit(c, LO_HTTP_EVENT_RATE_LIMITED, p, status,
                 lo_ratelimit_wait_ms(c->limits, p->route, p->major, now), p->facts.global, NULL);
        }
    } else {
        lo_ratelimit_learn(c->limits, p->route, p->major, (int)status, &p->facts, now);
        if (status >= 500) {
            retry_or_fail(p, LO_HTTP_FAILED_SERVER, status, json, NULL);
        } else {
            emit(c, LO_HTTP_EVENT_ANSWERED, p, status, 0, false, NULL);
            complete(p, LO_HTTP_DELIVERED, status, json, NULL);
        }
    }
    json_decref(json);
}

/* Collects finished transfers; stops if a callback freed the client. */
static void collect_finished(lo_http_client *c)
{
    CURLMsg *msg;
    int left;
    while (!c->closing && (msg = curl_multi_info_read(c->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        pending *p = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
        finish(p, msg->data.result);
    }
    pump(c);
}

/* ---- the scheduler ---- */

static void on_wake(uv_timer_t *timer)
{
    pump(timer->data);
}

static void pump(lo_http_client *c)
{
    if (c->closing)
        return;
    uint64_t now = uv_now(c->loop);
    uint64_t earliest = UINT64_MAX;
    for (lane *l = c->lanes, *next; l && !c->closing; l = next) {
        next = l->next; /* complete() may remove l, never another lane */
        pending *p = l->head;
        if (l->busy || !p)
            continue;
        uint64_t wait = p->not_before_ms > now ? p->not_before_ms - now : 0;
        uint64_t limited = lo_ratelimit_wait_ms(c->limits, p->route, p->major, now);
        if (limited > wait)
            wait = limited;
        if (wait == 0 && !start_attempt(p)) {
            wait =
                retry_or_fail(p, LO_HTTP_FAILED_NETWORK, 0, NULL, "could not start the transfer");
        }
        if (wait && wait < earliest)
            earliest = wait;
    }
    if (c->closing)
        return;
    if (earliest != UINT64_MAX)
        uv_timer_start(&c->wake_timer, on_wake, earliest, 0);
    else
        uv_timer_stop(&c->wake_timer);
}

/* ---- curl <-> libuv glue ---- */

static void on_handle_closed(uv_handle_t *handle)
{
    lo_http_client *c;
    if (handle->type == UV_POLL) {
        socket_watch *w = handle->data;
        c = w->client;
        free(w);
    } else {
        c = handle->data;
    }
    if (--c->open_handles == 0) {
        lo_ratelimit_free(c->limits);
        free(c->base_url);
        free(c->authorization_header);
        free(c->user_agent);
        free(c);
    }
}

static void on_socket_ready(uv_poll_t *poll, int status, int events)
{
    socket_watch *w = poll->data;
    lo_http_client *c = w->client;
    int flags = status < 0 ? CURL_CSELECT_ERR
                           : ((events & UV_READABLE) ? CURL_CSELECT_IN : 0) |
                                 ((events & UV_WRITABLE) ? CURL_CSELECT_OUT : 0);
    int running;
    curl_multi_socket_action(c->multi, w->fd, flags, &running);
    collect_finished(c);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *user, void *socket_user)
{
    (void)easy;
    lo_http_client *c = user;
    socket_watch *w = socket_user;
    if (what == CURL_POLL_REMOVE) {
        if (w) {
            uv_poll_stop(&w->poll);
            curl_multi_assign(c->multi, fd, NULL);
            uv_close((uv_handle_t *)&w->poll, on_handle_closed);
        }
        return 0;
    }
    if (!w) {
        w = lo_xcalloc(1, sizeof *w);
        if (uv_poll_init_socket(c->loop, &w->poll, fd) != 0) {
            free(w);
            return -1;
        }
        w->fd = fd;
        w->client = c;
        w->poll.data = w;
        c->open_handles++;
        curl_multi_assign(c->multi, fd, w);
    }
    int events =
        ((what & CURL_POLL_IN) ? UV_READABLE : 0) | ((what & CURL_POLL_OUT) ? UV_WRITABLE : 0);
    uv_poll_start(&w->poll, events, on_socket_ready);
    return 0;
}

static void on_curl_timeout(uv_timer_t *timer)
{
    lo_http_client *c = timer->data;
    int running;
    curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    collect_finished(c);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *user)
{
    (void)multi;
    lo_http_client *c = user;
    if (c->closing)
        return 0;
    if (timeout_ms < 0)
        uv_timer_stop(&c->curl_timer);
    else
        uv_timer_start(&c->curl_timer, on_curl_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

/* ---- public ---- */

lo_http_client *lo_http_new(const lo_http_config *config)
{
    if (!config || !config->loop || !config->base_url)
        return NULL;
    static bool curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        curl_ready = true;
    }
    /* without a threaded (or c-ares) resolver, every DNS lookup would block the loop */
    if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_ASYNCHDNS))
        return NULL;
    CURLM *multi = curl_multi_init();
    if (!multi)
        return NULL;
    lo_http_client *c = lo_xcalloc(1, sizeof *c);
    c->loop = config->loop;
    c->multi = multi;
    c->base_url = lo_xstrdup(config->base_url);
    c->user_agent = lo_xstrdup(config->user_agent ? config->user_agent : "leanon");
    c->authorization_header =
        config->authorization ? join("Authorization", ": ", config->authorization) : NULL;
    c->limits = lo_ratelimit_new();
    lo_ratelimit_set_global_cap(c->limits, config->global_per_second);
    c->capacity = config->queue_capacity ? config->queue_capacity : DEFAULT_CAPACITY;
    c->max_attempts = config->max_attempts ? config->max_attempts : DEFAULT_MAX_ATTEMPTS;
    c->max_rate_limited =
        config->max_rate_limited ? config->max_rate_limited : DEFAULT_MAX_RATE_LIMITED;
    c->timeout_ms = config->timeout_ms ? config->timeout_ms : DEFAULT_TIMEOUT_MS;
    c->connect_timeout_ms =
        config->connect_timeout_ms ? config->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    c->backoff = config->retry_backoff;
    if (!c->backoff.base_ms && !c->backoff.cap_ms) {
        c->backoff.base_ms = DEFAULT_BACKOFF_BASE_MS;
        c->backoff.cap_ms = DEFAULT_BACKOFF_CAP_MS;
    }
    c->rng = config->rng ? config->rng : lo_rng_default();
    c->log = config->log;
    c->log_user = config->log_user;

    uv_timer_init(c->loop, &c->curl_timer);
    uv_timer_init(c->loop, &c->wake_timer);
    c->curl_timer.data = c;
    c->wake_timer.data = c;
    c->open_handles = 2;
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
    return c;
}

static bool is_idempotent(const char *method)
{
    static const char *const safe[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++) {
        if (strcmp(method, safe[i]) == 0)
            return true;
    }
    return false;
}

int lo_http_send(lo_http_client *c, const lo_http_request *request, lo_http_done_fn done,
                 void *user)
{
    if (!c || c->closing || !request || !request->method || !request->path || !done)
        return -EINVAL;
    if (request->path[0] != '/')
        return -EINVAL;
    if (c->pending_count >= c->capacity)
        return -EAGAIN;

    pending *p = lo_xcalloc(1, sizeof *p);
    p->client = c;
    p->done = done;
    p->user = user;
    p->retryable = request->retry_safe || is_idempotent(request->method);
    p->method = lo_xstrdup(request->method);
    p->url = join(c->base_url, "", request->path);
    p->route =
        request->route ? lo_xstrdup(request->route) : join(request->method, " ", request->path);
    p->log_route = lo_xstrdup(request->route ? request->route : request->method);
    p->major = dup_or_null(request->major);
    p->body = request->body ? json_dumps(request->body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    const char *key = request->order_key ? request->order_key
                      : request->major   ? request->major
                                         : request->path;
    if (request->body && !p->body) { /* jansson could not encode it */
        free_pending(p);
        return -EINVAL;
    }
    lane *l = find_or_add_lane(c, key);
    p->lane = l;
    if (l->tail)
        l->tail->next = p;
    else
        l->head = p;
    l->tail = p;
    c->pending_count++;
    uv_timer_start(&c->wake_timer, on_wake, 0, 0); /* start from the loop, not from here */
    return 0;
}

size_t lo_http_pending(const lo_http_client *c)
{
    return c ? c->pending_count : 0;
}

/* Cancels everything and closes the handles (called once no callback is running). */
static void teardown(lo_http_client *c)
{
    c->callback_depth++; /* callbacks below must not start a second teardown */
    while (c->lanes) {
        lane *l = c->lanes;
        while (l->head) {
            pending *p = l->head;
            /* c->closing is set, so complete() keeps the lane: p is the new head, not freed */
            // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
            if (p->easy) {
                curl_multi_remove_handle(c->multi, p->easy);
                curl_easy_cleanup(p->easy);
                p->easy = NULL;
            }
            complete(p, LO_HTTP_CANCELLED, 0, NULL, "client closed");
        }
        remove_lane(c, l);
    }
    c->callback_depth--;
    curl_multi_cleanup(c->multi);
    c->multi = NULL;
    uv_timer_stop(&c->curl_timer);
    uv_timer_stop(&c->wake_timer);
    uv_close((uv_handle_t *)&c->curl_timer, on_handle_closed);
    uv_close((uv_handle_t *)&c->wake_timer, on_handle_closed);
}

void lo_http_free(lo_http_client *c)
{
    if (!c || c->closing)
        return;
    c->closing = true;
    if (c->callback_depth == 0)
        teardown(c);
}
