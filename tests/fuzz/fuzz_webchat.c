/* fuzz_webchat.c - the web chat's frame handling (src/platforms/webchat.c), end to end and
 * unchanged: the web chat runs in this process on its own loop thread, bound to 127.0.0.1 on a
 * free port, and each input is sent as one websocket text frame on a connection from the page's
 * origin. Every frame must be answered with exactly one JSON frame, a reply, an error
 * (bad_frame, too_long, bad_feedback), a hello or a feedback_noted; a message must reach on_message with its text within the limit. The
 * connection is opened again whenever the server closes it (invalid UTF-8, a frame too large). */
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fuzz.h"
#include "net/loop.h"
#include "platforms/webchat.h"
#include "ws_client.h"

#define MAX_MESSAGE_CHARS 4000
#define MAX_MESSAGE_BYTES ((size_t)4 * MAX_MESSAGE_CHARS) /* UTF-8: 4 bytes a character at most */
#define ANSWER_TIMEOUT_MS 5000

static lo_loop *loop;
static int port;
static char origin[64];
static ws_client client = {.fd = -1};

/* Runs on the loop thread: answers every message with a fixed reply. */
static int on_message(void *user, const lo_message *msg, lo_reply *reply, char *undo,
                      size_t undo_size)
{
    (void)user;
    FUZZ_CHECK(undo && undo_size > 0 && undo[0] == '\0');
    if (msg->text_len % 2) /* now and then opted out, so the notice frame goes out too */
        snprintf(undo, undo_size, "start");
    FUZZ_CHECK(msg->text != NULL && msg->text_len <= MAX_MESSAGE_BYTES);
    FUZZ_CHECK(msg->is_dm && msg->channel && msg->author);
    reply->text = strdup("I hear you.");
    snprintf(reply->category, sizeof reply->category, "fuzz");
    return 1;
}

static void release_reply(lo_reply *reply)
{
    free(reply->text);
    reply->text = NULL;
}

static void *run_loop(void *arg)
{
    (void)arg;
    lo_loop_run(loop);
    return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    char err[256];
    loop = lo_loop_new(NULL, NULL, err, sizeof err);
    FUZZ_CHECK(loop != NULL);
    static const lo_webchat_options opts = {
        .host = "127.0.0.1",
        .serve_chat = true,
        .max_message_chars = MAX_MESSAGE_CHARS,
        .community = "webchat",
        .on_message = on_message,
        .release_reply = release_reply,
    };
    lo_webchat *chat = lo_webchat_start(loop, &opts, err, sizeof err);
    if (!chat)
        fprintf(stderr, "webchat: %s\n", err);
    FUZZ_CHECK(chat != NULL);
    port = lo_webchat_port(chat);
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    pthread_t thread;
    FUZZ_CHECK(pthread_create(&thread, NULL, run_loop, NULL) == 0);
    pthread_detach(thread);
    return 0;
}

/* Whether the server has closed the connection (as opposed to not answering). */
static bool server_closed(void)
{
    char byte;
    struct pollfd p = {.fd = client.fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && recv(client.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
}

/* A new tab after the server closed the last one: the status of the upgrade. A loaded machine
 * can make the client's read of the answer time out (-1); that one attempt is repeated after a
 * pause, so only a server that refuses, or stays silent twice, is a finding. */
static int reconnect(void)
{
    int status = ws_connect(&client, port, "/chat", origin);
    if (status == -1) {
        fprintf(stderr, "webchat: no answer to the upgrade, trying once more\n");
        ws_disconnect(&client);
        nanosleep(&(struct timespec){.tv_nsec = 500 * 1000 * 1000}, NULL);
        status = ws_connect(&client, port, "/chat", origin);
    }
    if (status != 101)
        fprintf(stderr, "webchat: the upgrade got status %d\n", status);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (client.fd < 0)
        FUZZ_CHECK(reconnect() == 101);
    FUZZ_CHECK(ws_send(&client, WS_TEXT, (const char *)data, size) == 0);
    char *answer = NULL;
    size_t len = 0;
    int opcode = ws_recv(&client, &answer, &len, ANSWER_TIMEOUT_MS);
    if (opcode == WS_TEXT) {
        json_t *frame = json_loadb(answer, len, 0, NULL);
        const char *type = json_string_value(json_object_get(frame, "type"));
        FUZZ_CHECK(type && (strcmp(type, "reply") == 0 || strcmp(type, "error") == 0 ||
                            strcmp(type, "hello") == 0 || strcmp(type, "feedback_noted") == 0 ||
                            strcmp(type, "opted_out") == 0));
        json_decref(frame);
    } else {
        /* no answer in ANSWER_TIMEOUT_MS on a connection that is still open: a finding */
        FUZZ_CHECK(opcode == WS_CLOSE || server_closed());
        ws_disconnect(&client);
    }
    free(answer);
    return 0;
}
