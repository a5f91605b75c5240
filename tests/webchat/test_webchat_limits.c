/* test_webchat_limits.c - the web chat's limits against a real `leanon run` (issue 10): caps,
 * timeouts, the accept back-off when descriptors run out, the Host check, h2c, UTF-8, unmasked
 * client frames (also sent before the 101), pipelined requests and the frame timeout. The server runs with RLIMIT_NOFILE 128 (so
 * max_connections is (128 - 64) / 3 = 21, each connection holding three descriptors, and tabs
 * may take 19), 4 tabs per address, a 4 s idle and a 1 s handshake (and frame) timeout. Clients come from distinct
 * loopback addresses (127.0.0.2, 127.0.1.N) so that /healthz from 127.0.0.1 is another client.
 * Usage: test_webchat_limits LEANON_BINARY FIXTURE_SET
 */
#define _GNU_SOURCE /* prlimit */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testing.h"
#include "leanon_server.h"
#include "ws_client.h"

#define NOFILE 128
#define TABS_CAP 19 /* 21 less the HTTP share, at least 2 */
#define PER_ADDRESS 4

static leanon_server srv;
static int port;

static bool read_log(const char *want, int wait_ms)
{
    return leanon_server_wait_log(&srv, want, wait_ms);
}

static size_t count_in_log(const char *what)
{
    size_t n = 0;
    for (const char *p = srv.log; (p = strstr(p, what)); p++)
        n++;
    return n;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_fds(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)srv.pid);
    DIR *d = opendir(path);
    int n = 0;
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n - 2;
}

/* Seconds until the peer closes fd (reading and dropping what it sends), at most limit. */
static double seconds_until_closed(int fd, double limit)
{
    double start = now_seconds();
    char buf[4096];
    while (now_seconds() - start < limit) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) > 0 && read(fd, buf, sizeof buf) <= 0)
            return now_seconds() - start;
    }
    return limit;
}

static int close_code(ws_client *c)
{
    char *frame;
    size_t len;
    int opcode = ws_recv(c, &frame, &len, 5000);
    int code = opcode == WS_CLOSE && len >= 2
                   ? ((unsigned char)frame[0] << 8) | (unsigned char)frame[1]
                   : -1;
    free(frame);
    return code;
}

static int get_with_host(const char *path, const char *host)
{
    char request[512], *body;
    snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
             path, host);
    int status = http_request(port, request, &body);
    free(body);
    return status;
}

static int healthz(void)
{
    char *body;
    int status = http_get(port, "/healthz", &body);
    free(body);
    return status;
}

static bool tab_answers(ws_client *c)
{
    const char *hello = "{\"type\":\"message\",\"text\":\"hello\"}";
    char *frame = NULL;
    size_t len;
    bool ok = ws_send(c, WS_TEXT, hello, strlen(hello)) == 0 &&
              ws_recv(c, &frame, &len, 5000) == WS_TEXT && strstr(frame, "\"type\":\"reply\"");
    free(frame);
    return ok;
}

/* webchat-host-421 and webchat-h2c-refused */
static void test_host_and_upgrades(void)
{
    char own[64], evil[64], request[1024], *body;
    snprintf(own, sizeof own, "127.0.0.1:%d", port);
    snprintf(evil, sizeof evil, "other.invalid:%d", port);
    CHECK(get_with_host("/", own) == 200);
    CHECK(get_with_host("/", "localhost") == 200);
    CHECK(get_with_host("/", "127.0.0.2") == 200); /* allowed_hosts */
    CHECK(get_with_host("/", evil) == 421);
    CHECK(get_with_host("/metrics", evil) == 421);
    CHECK(get_with_host("/healthz", evil) == 200); /* probes use any Host */
    /* DNS rebinding: Origin and Host agree, but name another site */
    snprintf(request, sizeof request,
             "GET /chat HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: leanon-chat\r\n\r\n",
             evil, evil);
    CHECK(http_request(port, request, &body) != 101);
    free(body);
    snprintf(request, sizeof request,
             "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
             "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
             own);
    CHECK(http_request(port, request, &body) == 403);
    free(body);
}

/* webchat-utf8-1007 */
static void test_utf8(void)
{
    ws_client *c = calloc(1, sizeof *c);
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    CHECK(ws_connect(c, port, "/chat", origin) == 101);
    const char bad[] = "{\"type\":\"message\",\"text\":\"\xff\xfe\xc3\x28\"}";
    CHECK(ws_send(c, WS_TEXT, bad, sizeof bad - 1) == 0);
    CHECK(close_code(c) == 1007);
    ws_disconnect(c);
    free(c);
}

/* webchat-idle-exhaustion: an address holds at most its cap; others and /healthz are served;
 * idle tabs are closed after idle_timeout and their places freed. */
static void test_per_address_and_idle(void)
{
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    ws_client *tabs = calloc(PER_ADDRESS + 2, sizeof *tabs);
    for (int i = 0; i < PER_ADDRESS; i++)
        CHECK(ws_connect_from(&tabs[i], "127.0.0.2", port, "/chat", origin, 0) == 101);
    CHECK(ws_connect_from(&tabs[PER_ADDRESS], "127.0.0.2", port, "/chat", origin, 0) != 101);
    ws_disconnect(&tabs[PER_ADDRESS]);
    CHECK(healthz() == 200);
    CHECK(ws_connect_from(&tabs[PER_ADDRESS + 1], "127.0.0.3", port, "/chat", origin, 0) == 101);
    CHECK(tab_answers(&tabs[PER_ADDRESS + 1]));
    ws_disconnect(&tabs[PER_ADDRESS + 1]);
    /* idle_timeout 4 s: closed between 3 and 6 s from now */
    double waited = seconds_until_closed(tabs[0].fd, 8);
    CHECK(waited > 2.5 && waited < 6);
    for (int i = 1; i < PER_ADDRESS; i++)
        CHECK(seconds_until_closed(tabs[i].fd, 3) < 3);
    for (int i = 0; i < PER_ADDRESS; i++)
        ws_disconnect(&tabs[i]);
    test_sleep_ms(200);
    CHECK(ws_connect_from(&tabs[0], "127.0.0.2", port, "/chat", origin, 0) == 101);
    ws_disconnect(&tabs[0]);
    free(tabs);
}

/* Opens a tab from source with the given X-Forwarded-For; the upgrade's status. */
static int tab_forwarded_for(ws_client *tab, const char *source, const char *forwarded)
{
    char headers[300];
    snprintf(headers, sizeof headers, "Origin: http://127.0.0.1:%d\r\nX-Forwarded-For: %s\r\n",
             port, forwarded);
    return ws_connect_with(tab, source, port, "/chat", headers, 0);
}

/* Behind the trusted proxy 127.0.0.9 the cap counts the client its X-Forwarded-For names (the
 * rightmost hop, so a client's own forged entries do not help); from any other peer the header
 * is ignored, so a client cannot spread its tabs over invented addresses. */
static void test_trusted_proxy(void)
{
    ws_client *tabs = calloc(PER_ADDRESS + 1, sizeof *tabs);
    for (int i = 0; i < PER_ADDRESS; i++)
        CHECK(tab_forwarded_for(&tabs[i], "127.0.0.9", "203.0.113.5") == 101);
    ws_client extra;
    CHECK(tab_forwarded_for(&extra, "127.0.0.9", "203.0.113.5") != 101);
    ws_disconnect(&extra);
    CHECK(tab_forwarded_for(&extra, "127.0.0.9", "198.51.100.1, 203.0.113.5") != 101);
    ws_disconnect(&extra);
    CHECK(tab_forwarded_for(&extra, "127.0.0.9", "203.0.113.6") == 101);
    CHECK(tab_answers(&extra));
    ws_disconnect(&extra);
    for (int i = 0; i < PER_ADDRESS; i++)
        ws_disconnect(&tabs[i]);
    test_sleep_ms(200);
    char forged[32];
    for (int i = 0; i < PER_ADDRESS; i++) {
        snprintf(forged, sizeof forged, "203.0.113.%d", 20 + i);
        CHECK(tab_forwarded_for(&tabs[i], "127.0.0.7", forged) == 101);
    }
    CHECK(tab_forwarded_for(&extra, "127.0.0.7", "203.0.113.99") != 101);
    ws_disconnect(&extra);
    for (int i = 0; i < PER_ADDRESS; i++)
        ws_disconnect(&tabs[i]);
    test_sleep_ms(200);
    free(tabs);
}

/* webchat-handshake-timeout: a request head, or a message, left half-sent is closed after
 * handshake_timeout (1 s), well before the idle timeout. */
static void test_handshake_timeout(void)
{
    int fd = tcp_connect_from("127.0.0.4", port, 0);
    const char *half = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    CHECK(fd >= 0 && write(fd, half, strlen(half)) == (ssize_t)strlen(half));
    double waited = seconds_until_closed(fd, 5);
    CHECK(waited < 3);
    close(fd);

    ws_client *c = calloc(1, sizeof *c);
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    CHECK(ws_connect_from(c, "127.0.0.4", port, "/chat", origin, 0) == 101);
    /* a masked text frame that announces 100 bytes and brings 10 */
    const unsigned char frame[] = {0x81, 0x80 | 100, 1,   2,   3,   4,   'a', 'b',
                                   'c',  'd',        'e', 'f', 'g', 'h', 'i', 'j'};
    CHECK(ws_send_raw(c, frame, sizeof frame) == 0);
    waited = seconds_until_closed(c->fd, 5);
    CHECK(waited < 3);
    ws_disconnect(c);
    free(c);
}

/* webchat-unmasked-1002: a masked frame is answered; an unmasked one (RFC 6455 5.1) gets no
 * reply but a close with 1002, and one log line. */
static void test_unmasked(void)
{
    ws_client *c = calloc(1, sizeof *c);
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    CHECK(ws_connect_from(c, "127.0.0.6", port, "/chat", origin, 0) == 101);
    CHECK(tab_answers(c));
    const char *hello = "{\"type\":\"message\",\"text\":\"hello\"}";
    size_t size;
    uint8_t *frame = lo_ws_frame(true, LO_WS_TEXT, hello, strlen(hello), NULL, &size);
    CHECK(ws_send_raw(c, frame, size) == 0);
    free(frame);
    CHECK(close_code(c) == LO_WS_CLOSE_PROTOCOL_ERROR);
    CHECK(read_log("event=webchat.closed reason=unmasked close=1002", 2000));
    CHECK(seconds_until_closed(c->fd, 3) < 3);
    ws_disconnect(c);
    free(c);
}

/* Sends request on a new connection from 127.0.0.8 and reads all that comes back until the
 * server closes it (at most 5 s), NUL-terminated; returns its length. */
static size_t exchange(const void *request, size_t len, char *reply, size_t cap)
{
    int fd = tcp_connect_from("127.0.0.8", port, 0);
    size_t have = 0;
    CHECK(fd >= 0 && write(fd, request, len) == (ssize_t)len);
    double start = now_seconds();
    while (fd >= 0 && have + 1 < cap && now_seconds() - start < 5) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n = poll(&p, 1, 100) > 0 ? read(fd, reply + have, cap - 1 - have) : -2;
        if (n == 0 || n == -1)
            break;
        if (n > 0)
            have += (size_t)n;
    }
    reply[have] = '\0';
    if (fd >= 0)
        close(fd);
    return have;
}

/* webchat-relay-pipelined: requests sent in one write are each answered; an unmasked frame sent
 * in the same write as its upgrade request (before the 101) is checked as well. */
static void test_pipelined(void)
{
    char request[2048], reply[8192];
    int n = snprintf(request, sizeof request,
                     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(request, (size_t)n, reply, sizeof reply);
    char *second = strstr(reply, "HTTP/1.1 200");
    CHECK(second && strstr(second + 1, "HTTP/1.1 200"));

    n = snprintf(request, sizeof request,
                 "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1:%d\r\n"
                 "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 "Sec-WebSocket-Protocol: leanon-chat\r\n\r\n",
                 port, port);
    const char *hello = "{\"type\":\"message\",\"text\":\"hello\"}";
    size_t size;
    uint8_t *frame = lo_ws_frame(true, LO_WS_TEXT, hello, strlen(hello), NULL, &size);
    memcpy(request + n, frame, size);
    free(frame);
    size_t got = exchange(request, (size_t)n + size, reply, sizeof reply);
    char *end = strstr(reply, "\r\n\r\n");
    CHECK(strncmp(reply, "HTTP/1.1 101", 12) == 0 && end);
    lo_ws_header h;
    uint8_t *rest = end ? (uint8_t *)end + 4 : NULL;
    CHECK(rest && lo_ws_take_frame(rest, got - (size_t)((char *)rest - reply), &h) > 0 &&
          h.opcode == LO_WS_CLOSE &&
          lo_ws_close_code(rest + h.size, (size_t)h.length) == LO_WS_CLOSE_PROTOCOL_ERROR);
}

/* Sends bytes on a new tab: the tab must get a close with 1008 after the frame timeout (1 s),
 * well before the idle timeout (4 s). */
static void expect_frame_timeout(const uint8_t *bytes, size_t len)
{
    ws_client *c = calloc(1, sizeof *c);
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    CHECK(ws_connect_from(c, "127.0.0.7", port, "/chat", origin, 0) == 101);
    CHECK(ws_send_raw(c, bytes, len) == 0);
    double start = now_seconds();
    CHECK(close_code(c) == LO_WS_CLOSE_POLICY);
    double waited = now_seconds() - start;
    CHECK(waited > 0.8 && waited < 2.5);
    ws_disconnect(c);
    free(c);
}

/* webchat-frame-timeout: a frame header alone, and a fragmented message's first fragment
 * alone, are closed after the frame timeout. */
static void test_frame_timeout(void)
{
    static const uint8_t mask[4] = {1, 2, 3, 4};
    uint8_t head[LO_WS_HEADER_MAX];
    expect_frame_timeout(head, lo_ws_encode_header(head, true, LO_WS_TEXT, 100, mask));
    size_t size;
    uint8_t *fragment = lo_ws_frame(false, LO_WS_TEXT, "{\"type\"", 7, mask, &size);
    expect_frame_timeout(fragment, size);
    free(fragment);
    CHECK(read_log("event=webchat.closed reason=frame_timeout close=1008", 2000));
}

/* webchat-connection-cap: tabs from many addresses stop at the cap derived from
 * RLIMIT_NOFILE, and /healthz is still served then. */
static void test_global_cap(void)
{
    char origin[64], source[32];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    ws_client *tabs = calloc(TABS_CAP + 8, sizeof *tabs);
    int opened = 0;
    for (int i = 0; i < TABS_CAP + 8; i++) {
        snprintf(source, sizeof source, "127.0.1.%d", 1 + i / PER_ADDRESS);
        if (ws_connect_from(&tabs[i], source, port, "/chat", origin, 0) == 101)
            opened++;
        else
            ws_disconnect(&tabs[i]);
    }
    CHECK(opened == TABS_CAP);
    CHECK(healthz() == 200);
    CHECK(strstr(srv.log, "reason=tab_cap") || read_log("reason=tab_cap", 1000));
    for (int i = 0; i < TABS_CAP + 8; i++)
        ws_disconnect(&tabs[i]);
    free(tabs);
}

/* webchat-emfile-backoff (fault injection): the server's descriptor limit is lowered to what
 * it has open, clients keep connecting: accept pauses and retries on a timer, logging a
 * bounded number of lines (no busy loop); with the limit back it serves again. */
static void test_descriptors_exhausted(void)
{
    test_sleep_ms(500); /* the cap test's sockets close */
    struct rlimit low = {.rlim_cur = (rlim_t)open_fds(), .rlim_max = NOFILE};
    CHECK(prlimit(srv.pid, RLIMIT_NOFILE, &low, NULL) == 0);
    size_t lines_before = count_in_log("\n");
    int fds[20];
    for (int i = 0; i < 20; i++)
        fds[i] = tcp_connect_from("127.0.0.5", port, 0); /* they wait in the backlog */
    read_log(NULL, 4000);
    size_t paused = count_in_log("event=webchat.accept_paused errno=EMFILE");
    CHECK(paused >= 1 && paused <= 12);
    CHECK(count_in_log("\n") - lines_before <= 20);
    CHECK(count_in_log("accept: errno") == 0);
    struct rlimit back = {.rlim_cur = NOFILE, .rlim_max = NOFILE};
    CHECK(prlimit(srv.pid, RLIMIT_NOFILE, &back, NULL) == 0);
    for (int i = 0; i < 20; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    test_sleep_ms(2500); /* the next retry */
    CHECK(healthz() == 200);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_webchat_limits LEANON_BINARY FIXTURE_SET\n");
        return 2;
    }
    char dir[] = "/tmp/leanon-limits-XXXXXX", config[300];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(config, sizeof config, "%s/leanon.json", dir);
    FILE *f = fopen(config, "w");
    fprintf(f,
            "{\"responses\": \"%s\", \"optout_db\": \"%s/optout.sqlite\",\n"
            " \"platforms\": {\"webchat\": {\"max_tabs_per_address\": %d,\n"
            "   \"idle_timeout_seconds\": 4, \"handshake_timeout_seconds\": 1,\n"
            "   \"allowed_hosts\": [\"127.0.0.2\"], \"trusted_proxies\": [\"127.0.0.9\"]}}}\n",
            argv[2], dir, PER_ADDRESS);
    fclose(f);
    signal(SIGPIPE, SIG_IGN);
    port = leanon_server_start(&srv, argv[1], config, NOFILE);
    CHECK(port > 0);
    if (port > 0) {
        CHECK(strstr(srv.log, " max_connections=21") != NULL);
        test_host_and_upgrades();
        test_utf8();
        test_per_address_and_idle();
        test_trusted_proxy();
        test_handshake_timeout();
        test_unmasked();
        test_pipelined();
        test_frame_timeout();
        test_global_cap();
        test_descriptors_exhausted();
    }
    kill(srv.pid, SIGTERM);
    int status = 0;
    CHECK(waitpid(srv.pid, &status, 0) == srv.pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    read_log("event=stopped", 2000);
    CHECK(strstr(srv.log, "ERROR: LeakSanitizer") == NULL);
    if (test_failures)
        fprintf(stderr, "server log:\n%s\n", srv.log);
    unlink(config);
    snprintf(config, sizeof config, "%s/optout.sqlite", dir);
    unlink(config);
    rmdir(dir);
    TEST_MAIN_END();
}
