/* test_webchat.c - the web chat protocol against a real `leanon run`.
 *
 * Starts the binary on 127.0.0.1 with a free port (--listen 127.0.0.1:0, the
 * port read from its "listening" log line), a config in a temp folder and a
 * copy of the engine's fixture response set, then checks: the page and its
 * promises, /healthz, /metrics, the origin check, replies per tab, crisis
 * replies, the size limits (in characters), bad frames, "Not helpful" by reply id, every
 * series at 0 before any message, stop persisted, a broken file in the
 * set (seen by the folder watch) keeping the last good one, SIGHUP reloading, SIGTERM exiting 0, and that no message text
 * ever reached the log. Usage: test_webchat LEANON_BINARY FIXTURE_SET
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testing.h"
#include "leanon_server.h"
#include "ws_client.h"

#define SECRET_WORDS "purple-elephant-umbrella"

static leanon_server srv;

static bool wait_for_log(const char *want)
{
    return leanon_server_wait_log(&srv, want, 10000);
}

/* Sends a message and returns the next frame (heap), or NULL. */
static char *say(ws_client *c, const char *text)
{
    char frame[8192];
    snprintf(frame, sizeof frame, "{\"type\":\"message\",\"text\":\"%s\"}", text);
    if (ws_send(c, WS_TEXT, frame, strlen(frame)) != 0)
        return NULL;
    char *payload;
    size_t len;
    if (ws_recv(c, &payload, &len, 10000) != WS_TEXT) {
        free(payload);
        return NULL;
    }
    return payload;
}

static void expect_reply_contains(ws_client *c, const char *text, const char *want)
{
    char *reply = say(c, text);
    if (!reply || !strstr(reply, want))
        fprintf(stderr, "  to \"%s\" got %s, wanted %s\n", text, reply ? reply : "nothing", want);
    CHECK(reply && strstr(reply, want));
    free(reply);
}

/* The next frame the tab gets contains want. */
static void expect_next_frame(ws_client *c, const char *want)
{
    char *frame = NULL;
    size_t len;
    int opcode = ws_recv(c, &frame, &len, 10000);
    if (opcode != WS_TEXT || !frame || !strstr(frame, want))
        fprintf(stderr, "  got %s, wanted %s\n", frame ? frame : "nothing", want);
    CHECK(opcode == WS_TEXT && frame && strstr(frame, want));
    free(frame);
}

/* Sends a raw frame and returns the next frame (heap), or NULL. */
static char *exchange(ws_client *c, const char *frame)
{
    char *payload = NULL;
    size_t len;
    if (ws_send(c, WS_TEXT, frame, strlen(frame)) != 0 ||
        ws_recv(c, &payload, &len, 10000) != WS_TEXT) {
        free(payload);
        return NULL;
    }
    return payload;
}

static void expect_exchange(ws_client *c, const char *frame, const char *want)
{
    char *got = exchange(c, frame);
    if (!got || !strstr(got, want))
        fprintf(stderr, "  to %s got %s, wanted %s\n", frame, got ? got : "nothing", want);
    CHECK(got && strstr(got, want));
    free(got);
}

/* Before any message, every series the web chat, the bot and run count is there with 0. */
static void check_fresh_metrics(int port)
{
    static const char *const at_start[] = {
        "leanon_messages_in_total{platform=\"webchat\"} 0\n",
        "leanon_crisis_replies_total{platform=\"webchat\"} 0\n",
        "leanon_connections{platform=\"webchat\"} 0\n",
        "leanon_errors_total{kind=\"webchat_unmasked\"} 0\n",
        "leanon_errors_total{kind=\"webchat_too_large\"} 0\n",
        "leanon_errors_total{kind=\"optout_store\"} 0\n",
        "leanon_ignored_total{reason=\"opted_out\"} 0\n",
        "leanon_reloads_total{result=\"ok\"} 0\n",
        "leanon_reloads_total{result=\"refused\"} 0\n",
        "leanon_replies_out_total{group=\"crisis\"} 0\n",
        "leanon_feedback_on_fallback_total{said=\"unhelpful\"} 0\n",
    };
    char *body = NULL;
    CHECK(http_get(port, "/metrics", &body) == 200);
    for (size_t i = 0; i < sizeof at_start / sizeof at_start[0]; i++) {
        if (!body || !strstr(body, at_start[i]))
            fprintf(stderr, "  fresh /metrics lacks %s", at_start[i]);
        CHECK(body && strstr(body, at_start[i]));
    }
    free(body);
}

/* The limit (200 here) is in characters: 200 two-byte characters pass, 201 do not; the
 * page learns the limit from the hello. */
static void check_characters(ws_client *c)
{
    expect_exchange(c, "{\"type\":\"hello\"}",
                    "{\"type\":\"hello\",\"max_message_chars\":200,\"feedback\":true,"
                    "\"regions\":[{\"code\":\"US\",\"name\":\"United States\"}]}");
    enum { E_ACUTE = 2 }; /* "é" in UTF-8: two bytes */
    char text[E_ACUTE * 201 + 1];
    for (size_t i = 0; i < 201; i++)
        memcpy(text + (size_t)E_ACUTE * i, "\xc3\xa9", E_ACUTE);
    text[(size_t)E_ACUTE * 200] = '\0'; /* 200 characters, 400 bytes */
    expect_reply_contains(c, text, "\"type\":\"reply\"");
    text[(size_t)E_ACUTE * 200] = '\xc3'; /* 201 */
    text[(size_t)E_ACUTE * 201] = '\0';
    expect_reply_contains(c, text,
                          "{\"type\":\"error\",\"error\":\"too_long\",\"max_message_chars\":200}");
}

/* The region the person chose (the page's selector) picks the crisis lines when the set has
 * it; an unknown one leaves the community's (here none: the international lines only); a region
 * that is not a short code is a bad frame. */
static void check_region(ws_client *c)
{
    static const char crisis[] = "{\"type\":\"message\",\"text\":\"I want to die\"%s}";
    char frame[128];
    snprintf(frame, sizeof frame, crisis, ",\"region\":\"US\"");
    expect_exchange(c, frame, "988 Lifeline");
    snprintf(frame, sizeof frame, crisis, ",\"region\":\"united-states\"");
    char *got = exchange(c, frame);
    CHECK(got && strstr(got, "\"crisis\":true") && !strstr(got, "988 Lifeline"));
    free(got);
    snprintf(frame, sizeof frame, crisis, "");
    got = exchange(c, frame);
    CHECK(got && strstr(got, "Find A Helpline") && !strstr(got, "988 Lifeline"));
    free(got);
    snprintf(frame, sizeof frame, crisis, ",\"region\":\"U S\"");
    expect_exchange(c, frame, "{\"type\":\"error\",\"error\":\"bad_frame\"}");
    snprintf(frame, sizeof frame, crisis, ",\"region\":5");
    expect_exchange(c, frame, "{\"type\":\"error\",\"error\":\"bad_frame\"}");
}

/* "Not helpful" on a reply, by its id: counted once, for its rule or as the fallback's; never
 * on a crisis reply or an unknown id. */
static void check_feedback(int port, const char *origin)
{
    ws_client *tab = calloc(1, sizeof *tab);
    CHECK(ws_connect(tab, port, "/chat", origin) == 101);
    expect_reply_contains(tab, "hello", "\"id\":1,");
    expect_reply_contains(tab, "hello", "\"feedback\":true}");
    const char *on_first = "{\"type\":\"feedback\",\"reply\":1,\"verdict\":\"unhelpful\"}";
    expect_exchange(tab, on_first, "{\"type\":\"feedback_noted\",\"reply\":1}");
    expect_exchange(tab, on_first, "{\"type\":\"error\",\"error\":\"bad_feedback\"}");
    expect_exchange(tab, "{\"type\":\"feedback\",\"reply\":99,\"verdict\":\"unhelpful\"}",
                    "bad_feedback");
    expect_exchange(tab, "{\"type\":\"feedback\",\"reply\":2,\"verdict\":\"great\"}",
                    "bad_feedback");
    expect_reply_contains(tab, "blorp", "\"category\":\"fallback\""); /* reply 3 */
    expect_exchange(tab, "{\"type\":\"feedback\",\"reply\":3,\"verdict\":\"unhelpful\"}",
                    "feedback_noted");
    expect_reply_contains(tab, "I want to die", "\"id\":4,");
    expect_exchange(tab, "{\"type\":\"feedback\",\"reply\":4,\"verdict\":\"unhelpful\"}",
                    "bad_feedback");
    ws_disconnect(tab);
    free(tab);
    char *body = NULL;
    CHECK(http_get(port, "/metrics", &body) == 200);
    CHECK(body && strstr(body, "leanon_feedback_unhelpful_total{rule=\"greeting\"} 1\n"));
    CHECK(body && strstr(body, "leanon_feedback_on_fallback_total{said=\"unhelpful\"} 1\n"));
    CHECK(body && !strstr(body, "leanon_feedback_unhelpful_total{rule=\"fallback\"}"));
    CHECK(body && !strstr(body, "leanon_feedback_unhelpful_total{rule=\"suicide\"}"));
    free(body);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_webchat LEANON_BINARY FIXTURE_SET\n");
        return 2;
    }
    char dir[] = "/tmp/leanon-webchat-XXXXXX", cmd[1024], config[300], origin[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s/set'", argv[2], dir);
    CHECK(system(cmd) == 0);
    snprintf(config, sizeof config, "%s/leanon.json", dir);
    FILE *f = fopen(config, "w");
    fprintf(f,
            "{\"responses\": \"%s/set\", \"optout_db\": \"%s/optout.sqlite\",\n"
            " \"platforms\": {\"webchat\": {\"max_message_chars\": 200,\n"
            "   \"allowed_origins\": [\"http://127.0.0.2:8080\"]}}}\n",
            dir, dir);
    fclose(f);

    signal(SIGPIPE, SIG_IGN); /* the slow reader below writes to a closed socket */
    int port = leanon_server_start(&srv, argv[1], config, 0);
    CHECK(port > 0);
    if (port <= 0) {
        fprintf(stderr, "server log:\n%s\n", srv.log);
        kill(srv.pid, SIGKILL);
        TEST_MAIN_END();
    }
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);

    /* HTTP: the page keeps its promises; health; 404. */
    char *body;
    CHECK(http_get(port, "/", &body) == 200);
    CHECK(body && strstr(body, "not a person and not a therapist") &&
          strstr(body, "id=\"crisis-link\"") && strstr(body, "aria-live=\"polite\"") &&
          strstr(body, "<label for=\"message\">"));
    free(body);
    CHECK(http_get(port, "/app.js", &body) == 200 && body && strstr(body, "leanon-chat"));
    free(body);
    CHECK(http_get(port, "/healthz", &body) == 200 && body && strcmp(body, "ok\n") == 0);
    free(body);
    CHECK(http_get(port, "/secret.txt", &body) == 404);
    free(body);
    check_fresh_metrics(port);

    /* The origin check. */
    ws_client *tab1 = calloc(1, sizeof *tab1), *tab2 = calloc(1, sizeof *tab2),
              *bad = calloc(1, sizeof *bad);
    CHECK(ws_connect(bad, port, "/chat", "http://127.0.0.9:1") != 101);
    ws_disconnect(bad);
    CHECK(ws_connect(bad, port, "/chat", NULL) != 101);
    ws_disconnect(bad);
    CHECK(ws_connect(bad, port, "/elsewhere", origin) != 101);
    ws_disconnect(bad);
    CHECK(ws_connect(bad, port, "/chat", "http://127.0.0.2:8080") == 101); /* configured */
    ws_disconnect(bad);

    /* Two tabs, two conversations. */
    CHECK(ws_connect(tab1, port, "/chat", origin) == 101);
    CHECK(ws_connect(tab2, port, "/chat", origin) == 101);
    expect_reply_contains(tab1, "hello", "\"category\":\"greeting\"");
    expect_reply_contains(tab2, "hi there", "\"category\":\"greeting\"");
    expect_reply_contains(tab1, "I feel " SECRET_WORDS, "\"type\":\"reply\"");
    expect_reply_contains(tab1, "reflect", "\"category\":\"reflect\""); /* tab 1 starts a flow */
    expect_reply_contains(tab2, "yes", "\"category\":\"fallback\"");    /* not in tab 2 */
    expect_reply_contains(tab1, "yes", "\"category\":\"affirmation\"");
    expect_reply_contains(tab1, "quit", "\"type\":\"reply\""); /* leaves the flow */
    expect_reply_contains(tab2, "I want to die", "\"category\":\"crisis-suicide\"");
    expect_reply_contains(tab2, "I want to die", "\"crisis\":true");

    /* Limits and bad frames. */
    char long_text[301];
    memset(long_text, 'a', 300);
    long_text[300] = '\0';
    expect_reply_contains(tab1, long_text, "\"error\":\"too_long\"");
    check_characters(tab1);
    check_region(tab1);
    const char *junk = "this is not json";
    CHECK(ws_send(tab1, WS_TEXT, junk, strlen(junk)) == 0);
    char *frame;
    size_t len;
    CHECK(ws_recv(tab1, &frame, &len, 10000) == WS_TEXT && strstr(frame, "bad_frame"));
    free(frame);
    expect_reply_contains(tab1, "hello", "greeting"); /* still talking */

    /* stop: persisted, confirmed with the web chat's undo word, and the page told that the bot
     * is not answering; a message then gets only that notice; a crisis still gets through (and
     * the bot stays: answered, no notice); start. */
    expect_reply_contains(tab1, "stop", "\"category\":\"command-stop\"");
    expect_next_frame(tab1, "{\"type\":\"opted_out\",\"undo\":\"start\"}");
    expect_reply_contains(tab1, "hello", "{\"type\":\"opted_out\",\"undo\":\"start\"}");
    expect_reply_contains(tab1, "I want to die", "for the next 30 minutes");
    expect_reply_contains(tab1, "hello", "\"category\":\"greeting\""); /* staying */
    expect_reply_contains(tab1, "start", "command-start");

    /* with the page's browser id, stop holds in another tab of the same browser */
    const char *in_browser = "{\"type\":\"message\",\"text\":\"%s\",\"browser\":"
                             "\"0123456789abcdef0123456789abcdef\"}";
    char framed[256];
    snprintf(framed, sizeof framed, in_browser, "stop");
    CHECK(ws_send(tab1, WS_TEXT, framed, strlen(framed)) == 0);
    CHECK(ws_recv(tab1, &frame, &len, 10000) == WS_TEXT && strstr(frame, "command-stop"));
    free(frame);
    expect_next_frame(tab1, "\"opted_out\"");
    snprintf(framed, sizeof framed, in_browser, "hello");
    CHECK(ws_send(tab2, WS_TEXT, framed, strlen(framed)) == 0); /* opted out: only the notice */
    expect_next_frame(tab2, "{\"type\":\"opted_out\",\"undo\":\"start\"}");
    snprintf(framed, sizeof framed, in_browser, "I want to die");
    CHECK(ws_send(tab2, WS_TEXT, framed, strlen(framed)) == 0);
    CHECK(ws_recv(tab2, &frame, &len, 10000) == WS_TEXT && strstr(frame, "crisis-suicide"));
    free(frame);
    snprintf(framed, sizeof framed, in_browser, "start");
    CHECK(ws_send(tab2, WS_TEXT, framed, strlen(framed)) == 0);
    CHECK(ws_recv(tab2, &frame, &len, 10000) == WS_TEXT && strstr(frame, "command-start"));
    free(frame);

    /* An oversized frame closes the connection with 1009. */
    size_t huge_len = 200 * 12 + 1000; /* past the frame limit: 12 bytes a character, and 256 */
    char *huge = malloc(huge_len);
    memset(huge, ' ', huge_len);
    CHECK(ws_send(tab2, WS_TEXT, huge, huge_len) == 0);
    free(huge);
    int opcode = ws_recv(tab2, &frame, &len, 10000);
    CHECK(opcode == WS_CLOSE && len >= 2 &&
          (((unsigned char)frame[0] << 8) | (unsigned char)frame[1]) == 1009);
    free(frame);

    /* A tab that sends and never reads is closed once its replies pile up (lws would go on
     * reading from it): its socket fails within seconds (lws's close, then the relay's second
     * for an answer), whatever it sends. */
    ws_client *sender = calloc(1, sizeof *sender);
    CHECK(ws_connect_rcvbuf(sender, port, "/chat", origin, 2048) == 101);
    char hello[256];
    snprintf(hello, sizeof hello, "{\"type\":\"message\",\"text\":\"hello%0150d\"}", 0);
    int sent = 0;
    time_t began = time(NULL);
    while (time(NULL) - began < 20 && ws_send(sender, WS_TEXT, hello, strlen(hello)) == 0)
        sent++;
    CHECK(sent > 0 && time(NULL) - began < 10);
    ws_disconnect(sender);
    free(sender);

    CHECK(http_get(port, "/metrics", &body) == 200);
    CHECK(body && strstr(body, "leanon_errors_total{kind=\"webchat_not_reading\"} 1\n"));
    /* 4 crisis messages, and the 3 of check_region */
    CHECK(body && strstr(body, "leanon_crisis_replies_total{platform=\"webchat\"} 7\n"));
    CHECK(body && strstr(body, "leanon_replies_out_total{group=\"crisis\"} 7\n"));
    CHECK(body && strstr(body, "leanon_connections{platform=\"webchat\"} "));
    free(body);
    check_feedback(port, origin);

    /* A broken file appears: the change is seen, the set refused, the last
     * good set keeps answering. Then SIGHUP with the file gone: reloaded. */
    snprintf(cmd, sizeof cmd, "%s/set/broken.json", dir);
    f = fopen(cmd, "w");
    fputs("{\"rules\": [ {\"id\": }", f);
    fclose(f);
    CHECK(wait_for_log("event=reload.start cause=file_change"));
    CHECK(wait_for_log("event=reload.refused"));
    CHECK(strstr(srv.log, "broken.json:1:") != NULL);
    expect_reply_contains(tab1, "hello", "greeting");
    unlink(cmd);
    CHECK(kill(srv.pid, SIGHUP) == 0);
    CHECK(wait_for_log("event=reload.start cause=SIGHUP"));
    CHECK(wait_for_log("event=reload.ok"));
    expect_reply_contains(tab1, "I want to die", "crisis-suicide");

    /* SIGTERM: drains and exits 0. */
    CHECK(kill(srv.pid, SIGTERM) == 0);
    int status = 0;
    CHECK(waitpid(srv.pid, &status, 0) == srv.pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    wait_for_log("event=stopped");
    CHECK(strstr(srv.log, "event=stopped exit=0") != NULL);
    CHECK(strstr(srv.log, SECRET_WORDS) == NULL); /* no message text in the log */
    CHECK(strstr(srv.log, "want to die") == NULL);
    CHECK(strstr(srv.log, "ERROR: LeakSanitizer") == NULL);
    if (test_failures)
        fprintf(stderr, "server log:\n%s\n", srv.log);

    ws_disconnect(tab1);
    ws_disconnect(tab2);
    free(tab1);
    free(tab2);
    free(bad);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    TEST_MAIN_END();
}
