/* discord_fake.c - the fake Discord (see discord_fake.h).
 *
 * Gateway: a TCP listener on 127.0.0.1 (the shared lifecycle of fake_server.h: the fake is freed
 * once its listener and every connection have closed); each connection reads the HTTP upgrade, answers 101
 * with Sec-WebSocket-Accept (SHA-1 + base64 of the key and RFC 6455's GUID), then parses client
 * frames (which must be masked) and writes unmasked server frames, both with the codec of
 * src/net/ws_frame.h. The session outlives connections: every dispatch is kept with its
 * sequence number so a Resume can replay what the client missed. REST: fake_http's script hook routes by method and path.
 */
#include "fakes/discord_fake.h"
#include "fakes/fake_server.h"
#include "net/ws_frame.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_HISTORY 8192
#define MAX_BODIES 16384

typedef struct connection {
    uv_tcp_t tcp;
    struct discord_fake *fake;
    char *in;
    size_t in_len, in_cap;
    bool upgraded, closing, identified;
    char *fragments; /* a fragmented message being assembled */
    size_t fragments_len;
    struct connection *next;
} connection;

struct discord_fake {
    fake_server server; /* first: the gateway's listener and the handles still open */
    discord_fake_config config;
    char api_base[64];
    fake_http *rest;
    connection *connections; /* all, newest first */
    connection *current;     /* the newest upgraded one still open */
    discord_fake_counts counts;
    bool no_acks;
    int identify_close;
    unsigned session_number;
    char session_id[32];
    long seq;
    char *history[MAX_HISTORY]; /* dispatch frames by sequence number (1-based) */
    char *bodies[MAX_BODIES];   /* REST answer bodies, alive until stop */
    unsigned body_count;
    unsigned fail_count;
    int fail_status;
    double fail_retry_after;
    bool fail_global;
    json_t *messages; /* [{"path":..., "body":...}] */
    json_t *nonces;   /* enforce_nonce: nonces of messages already created */
    unsigned bucket_remaining;
};

/* ---- writing frames ---- */

typedef struct write_req {
    uv_write_t req;
    char *data;
} write_req;

static void on_written(uv_write_t *req, int status)
{
    (void)status;
    write_req *w = (write_req *)req;
    free(w->data);
    free(w);
}

static void write_raw(connection *c, const void *data, size_t len)
{
    if (c->closing)
        return;
    write_req *w = malloc(sizeof *w);
    w->data = malloc(len);
    memcpy(w->data, data, len);
    uv_buf_t buf = uv_buf_init(w->data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_written) != 0) {
        free(w->data);
        free(w);
    }
}

static void write_frame(connection *c, unsigned opcode, const void *payload, size_t len)
{
    size_t size;
    uint8_t *frame = lo_ws_frame(true, (int)opcode, payload, len, NULL, &size);
    write_raw(c, frame, size);
    free(frame);
}

static void send_json(connection *c, json_t *payload)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    write_frame(c, LO_WS_TEXT, text, strlen(text));
    free(text);
}

static void on_closed(uv_handle_t *handle)
{
    connection *c = handle->data;
    fake_server *server = &c->fake->server;
    free(c->in);
    free(c->fragments);
    free(c);
    fake_server_handle_closed(server);
}

/* Marks c closing and takes it out of the fake's list (it is no longer the current one). */
static void forget_connection(connection *c)
{
    c->closing = true;
    discord_fake *f = c->fake;
    if (f->current == c)
        f->current = NULL;
    for (connection **p = &f->connections; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
}

static void end_connection(connection *c)
{
    if (c->closing)
        return;
    forget_connection(c);
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    connection *c = req->data;
    free(req);
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

/* Sends a close frame, then ends the connection once it is written (shutdown waits for it). */
static void close_with(connection *c, int code)
{
    unsigned char payload[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    write_frame(c, LO_WS_CLOSE, payload, 2);
    forget_connection(c);
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_shutdown_t *req = malloc(sizeof *req);
    req->data = c;
    if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        free(req);
        uv_close((uv_handle_t *)&c->tcp, on_closed);
    }
}

/* ---- the gateway protocol ---- */

static void dispatch_on(discord_fake *f, connection *c, const char *type, json_t *data)
{
    f->seq++;
    json_t *frame =
        json_pack("{s:i, s:I, s:s, s:o}", "op", 0, "s", (json_int_t)f->seq, "t", type, "d", data);
    char *text = json_dumps(frame, JSON_COMPACT);
    json_decref(frame);
    if (f->seq < MAX_HISTORY)
        f->history[f->seq] = strdup(text);
    if (c)
        write_frame(c, LO_WS_TEXT, text, strlen(text));
    free(text);
}

static void on_identify(discord_fake *f, connection *c, const json_t *d)
{
    f->counts.identifies++;
    const json_t *shard = json_object_get(d, "shard");
    f->counts.last_intents = (unsigned)json_integer_value(json_object_get(d, "intents"));
    f->counts.last_shard_id = (int)json_integer_value(json_array_get(shard, 0));
    f->counts.last_shard_count = (int)json_integer_value(json_array_get(shard, 1));
    if (f->counts.last_shard_id >= 0 && f->counts.last_shard_id < 32)
        f->counts.shards_identified |= UINT32_C(1) << f->counts.last_shard_id;
    snprintf(f->counts.last_token, sizeof f->counts.last_token, "%s",
             json_string_value(json_object_get(d, "token"))
                 ? json_string_value(json_object_get(d, "token"))
                 : "");
    if (f->identify_close) {
        close_with(c, f->identify_close);
        return;
    }
    f->session_number++;
    snprintf(f->session_id, sizeof f->session_id, "fake-session-%u", f->session_number);
    for (long i = 1; i <= f->seq && i < MAX_HISTORY; i++) {
        free(f->history[i]);
        f->history[i] = NULL;
    }
    f->seq = 0;
    c->identified = true;
    f->current = c;
    char resume_url[96];
    snprintf(resume_url, sizeof resume_url, "ws://127.0.0.1:%d/resume", f->server.port);
    dispatch_on(f, c, "READY",
                json_pack("{s:i, s:{s:s, s:s, s:b}, s:[], s:s, s:s, s:{s:s}, s:[i, i]}", "v", 10,
                          "user", "id", DISCORD_FAKE_BOT_ID, "username", "leanon", "bot", 1,
                          "guilds", "session_id", f->session_id, "resume_gateway_url", resume_url,
                          "application", "id", DISCORD_FAKE_APP_ID, "shard",
                          f->counts.last_shard_id, f->counts.last_shard_count));
}

static void on_resume(discord_fake *f, connection *c, const json_t *d)
{
    f->counts.resumes++;
    const char *session = json_string_value(json_object_get(d, "session_id"));
    const json_t *seq = json_object_get(d, "seq");
    snprintf(f->counts.last_token, sizeof f->counts.last_token, "%s",
             json_string_value(json_object_get(d, "token"))
                 ? json_string_value(json_object_get(d, "token"))
                 : "");
    if (!session || strcmp(session, f->session_id) != 0 || !json_is_integer(seq) ||
        json_integer_value(seq) > f->seq) {
        send_json(c, json_pack("{s:i, s:b}", "op", 9, "d", 0));
        return;
    }
    f->counts.resumes_accepted++;
    for (long i = (long)json_integer_value(seq) + 1; i <= f->seq && i < MAX_HISTORY; i++)
        if (f->history[i])
            write_frame(c, LO_WS_TEXT, f->history[i], strlen(f->history[i]));
    c->identified = true;
    f->current = c;
    dispatch_on(f, c, "RESUMED", json_null());
}

static void on_text(connection *c, const char *text, size_t len)
{
    discord_fake *f = c->fake;
    json_t *frame = json_loadb(text, len, 0, NULL);
    json_t *op = json_object_get(frame, "op");
    const json_t *d = json_object_get(frame, "d");
    if (!json_is_integer(op)) {
        f->counts.protocol_errors++;
        json_decref(frame);
        return;
    }
    switch (json_integer_value(op)) {
    case 1:
        f->counts.heartbeats++;
        if (!f->no_acks)
            send_json(c, json_pack("{s:i}", "op", 11));
        break;
    case 2:
        on_identify(f, c, d);
        break;
    case 6:
        on_resume(f, c, d);
        break;
    default:
        f->counts.protocol_errors++;
        break;
    }
    json_decref(frame);
}

/* ---- reading: the upgrade, then frames ---- */

static bool header_value(const char *request, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *line = strstr(request, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
        const char *start = line + 2;
        if (strncasecmp(start, name, n) == 0 && start[n] == ':') {
            const char *v = start + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= size)
                return false;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
    }
    return false;
}

static bool handle_upgrade(connection *c)
{
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end)
        return false;
    size_t request_len = (size_t)(end - c->in) + 4;
    char saved = c->in[request_len - 1];
    c->in[request_len - 1] = '\0';
    char key[128], accept[64];
    discord_fake *f = c->fake;
    sscanf(c->in, "GET %127s", f->counts.last_path);
    if (!header_value(c->in, "Sec-WebSocket-Key", key, sizeof key)) {
        f->counts.protocol_errors++;
        end_connection(c);
        return false;
    }
    c->in[request_len - 1] = saved;
    char joined[256];
    unsigned char digest[20];
    snprintf(joined, sizeof joined, "%s%s", key, WS_GUID);
    lws_SHA1((const unsigned char *)joined, strlen(joined), digest);
    lws_b64_encode_string((const char *)digest, 20, accept, sizeof accept);
    char response[256];
    int n = snprintf(response, sizeof response,
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                     accept);
    write_raw(c, response, (size_t)n);
    memmove(c->in, c->in + request_len, c->in_len - request_len);
    c->in_len -= request_len;
    c->upgraded = true;
    f->counts.connections++;
    f->current = c;
    unsigned interval = f->config.heartbeat_interval_ms ? f->config.heartbeat_interval_ms : 41250;
    send_json(c, json_pack("{s:i, s:{s:i}, s:n, s:n}", "op", 10, "d", "heartbeat_interval",
                           (int)interval, "s", "t"));
    return true;
}

/* Parses whole frames from c->in; false once the connection is gone. */
static bool handle_frames(connection *c)
{
    discord_fake *f = c->fake;
    for (;;) {
        lo_ws_header h;
        int64_t used = lo_ws_take_client_frame((uint8_t *)c->in, c->in_len, &h);
        if (used == 0)
            return true;
        if (used < 0) {
            f->counts.protocol_errors++; /* unmasked (RFC 6455 5.1) or a bad length */
            end_connection(c);
            return false;
        }
        char *payload = c->in + h.size;
        size_t len = (size_t)h.length;
        bool fin = h.fin;
        unsigned opcode = h.opcode;
        if (opcode == LO_WS_CLOSE) {
            f->counts.last_client_close = lo_ws_close_code((uint8_t *)payload, len);
            write_frame(c, LO_WS_CLOSE, payload, len >= 2 ? 2 : 0);
            end_connection(c);
            return false;
        }
        if (opcode == LO_WS_PING) {
            write_frame(c, LO_WS_PONG, payload, len);
        } else if (opcode == LO_WS_TEXT || opcode == LO_WS_CONTINUATION) {
            if (!fin || c->fragments_len) {
                c->fragments = realloc(c->fragments, c->fragments_len + len + 1);
                memcpy(c->fragments + c->fragments_len, payload, len);
                c->fragments_len += len;
                if (fin) {
                    on_text(c, c->fragments, c->fragments_len);
                    c->fragments_len = 0;
                }
            } else {
                on_text(c, payload, len);
            }
        }
        if (c->closing)
            return false;
        memmove(c->in, c->in + used, c->in_len - (size_t)used);
        c->in_len -= (size_t)used;
    }
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    connection *c = handle->data;
    if (c->in_cap - c->in_len < suggested) {
        c->in_cap = c->in_len + suggested + 1;
        c->in = realloc(c->in, c->in_cap);
    }
    *buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len - 1));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    connection *c = stream->data;
    if (nread < 0) {
        end_connection(c);
        return;
    }
    c->in_len += (size_t)nread;
    c->in[c->in_len] = '\0';
    if (!c->upgraded && !handle_upgrade(c))
        return;
    handle_frames(c);
}

static void on_connection(uv_stream_t *server, int status)
{
    discord_fake *f = server->data;
    if (status < 0 || f->server.stopping)
        return;
    connection *c = calloc(1, sizeof *c);
    c->fake = f;
    uv_tcp_init(f->server.loop, &c->tcp);
    fake_server_handle_opened(&f->server);
    c->tcp.data = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_closed);
        return;
    }
    c->next = f->connections;
    f->connections = c;
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---- REST ---- */

/* Keeps an answer's body or headers alive until stop (fake_http reads them when it answers). */
static const char *keep(discord_fake *f, char *text)
{
    if (f->body_count < MAX_BODIES) {
        f->bodies[f->body_count++] = text;
    } else {
        fprintf(stderr, "discord_fake: more than %d REST answers\n", MAX_BODIES);
        abort();
    }
    return text;
}

static void answer_json(discord_fake *f, fake_http_action *action, int status, json_t *body,
                        const char *headers)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    action->status = status;
    action->body = keep(f, text);
    action->headers = headers;
}

/* An error as Discord writes one: {"message": ..., "code": ...}. */
static void answer_error(discord_fake *f, fake_http_action *action, int status, const char *message,
                         int code)
{
    answer_json(f, action, status, json_pack("{s:s, s:i}", "message", message, "code", code), NULL);
}

static void answer_gateway_bot(discord_fake *f, fake_http_action *action)
{
    char url[64];
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", f->server.port);
    answer_json(
        f, action, 200,
        json_pack("{s:s, s:i, s:{s:i, s:I, s:i, s:i}}", "url", url, "shards",
                  f->config.recommended_shards ? (int)f->config.recommended_shards : 1,
                  "session_start_limit", "total", 1000, "remaining",
                  (json_int_t)(f->config.start_remaining ? f->config.start_remaining : 1000),
                  "reset_after", 14400000, "max_concurrency",
                  f->config.max_concurrency ? (int)f->config.max_concurrency : 1),
        NULL);
}

/* The failure the test asked for (discord_fake_fail), the message not created. */
static void answer_failure(discord_fake *f, fake_http_action *action)
{
    f->fail_count--;
    if (f->fail_status == 429) {
        char headers[256];
        snprintf(headers, sizeof headers,
                 "Retry-After: %.0f\r\nX-RateLimit-Global: %s\r\nX-RateLimit-Scope: %s\r\n%s",
                 f->fail_retry_after < 1 ? 1 : f->fail_retry_after,
                 f->fail_global ? "true" : "false", f->fail_global ? "global" : "user",
                 f->fail_global ? ""
                                : "X-RateLimit-Bucket: fake-messages-bucket\r\n"
                                  "X-RateLimit-Remaining: 0\r\n");
        answer_json(f, action, 429,
                    json_pack("{s:s, s:f, s:b, s:i}", "message", "You are being rate limited.",
                              "retry_after", f->fail_retry_after, "global", f->fail_global, "code",
                              0),
                    keep(f, strdup(headers)));
    } else if (f->fail_status == 403) {
        answer_error(f, action, 403, "Missing Permissions", 50013);
    } else {
        answer_error(f, action, f->fail_status, "500: Internal Server Error", 0);
    }
}

/* The message just created (the last of f->messages) at path, as Discord returns it (clients
 * build their message object from it), with the headers of a generous bucket. */
static void answer_created(discord_fake *f, fake_http_action *action, const char *path)
{
    /* a generous bucket: 5 per window, as Discord's message create bucket */
    f->bucket_remaining = f->bucket_remaining ? f->bucket_remaining - 1 : 4;
    char headers[256];
    snprintf(
        headers, sizeof headers,
        "X-RateLimit-Limit: 5\r\nX-RateLimit-Remaining: %u\r\nX-RateLimit-Reset-After: 0.050\r\n"
        "X-RateLimit-Bucket: fake-messages-bucket\r\n",
        f->bucket_remaining);
    char channel[32] = "";
    sscanf(path, "/channels/%31[0-9]", channel);
    const char *content = json_string_value(
        json_object_get(json_array_get(f->messages, json_array_size(f->messages) - 1), "body")
            ? json_object_get(
                  json_object_get(json_array_get(f->messages, json_array_size(f->messages) - 1),
                                  "body"),
                  "content")
            : NULL);
    answer_json(f, action, 200,
                json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:s, s:s, s:b}, s:s, s:n, s:b, s:b, "
                          "s:[], s:[], s:[], s:[]}",
                          "id", "1000", "type", 0, "channel_id", channel, "content",
                          content ? content : "", "author", "id", DISCORD_FAKE_BOT_ID, "username",
                          "leanon", "discriminator", "0", "bot", 1, "timestamp",
                          "2026-11-25T12:00:00.000000+00:00", "edited_timestamp", "tts", 0,
                          "mention_everyone", 0, "mentions", "mention_roles", "attachments",
                          "embeds"),
                keep(f, strdup(headers)));
}

/* A message create (a channel message, an interaction's answer, a webhook's follow-up):
 * answered from its nonce, failed as the test asked, or created. */
static void create_message(discord_fake *f, const fake_http_record *request, const char *path,
                           fake_http_action *action)
{
    json_t *body = json_loads(request->body, 0, NULL);
    const char *nonce = json_is_true(json_object_get(body, "enforce_nonce"))
                            ? json_string_value(json_object_get(body, "nonce"))
                            : NULL;
    if (nonce && json_object_get(f->nonces, nonce)) {
        /* documented: the message created earlier with this nonce is returned, none is added */
        answer_json(f, action, 200,
                    json_pack("{s:s, s:i, s:s}", "id", "1000", "type", 0, "nonce", nonce), NULL);
        json_decref(body);
        return;
    }
    if (f->fail_count && f->fail_status >= 500 && nonce) {
        /* the worst 5xx: the message was created but the answer is lost */
        json_object_set_new(f->nonces, nonce, json_true());
        json_array_append_new(f->messages, json_pack("{s:s, s:o}", "path", path, "body", body));
        f->fail_count--;
        answer_error(f, action, f->fail_status, "500: Internal Server Error", 0);
        return;
    }
    if (f->fail_count) {
        json_decref(body);
        answer_failure(f, action);
        return;
    }
    if (nonce)
        json_object_set_new(f->nonces, nonce, json_true());
    json_array_append_new(f->messages,
                          json_pack("{s:s, s:o}", "path", path, "body", body ? body : json_null()));
    if (strncmp(path, "/interactions/", 14) == 0)
        action->status = 204;
    else
        answer_created(f, action, path);
}

static bool is_message_create(const char *method, const char *path)
{
    return strcmp(method, "POST") == 0 &&
           ((strncmp(path, "/channels/", 10) == 0 && strstr(path, "/messages")) ||
            strncmp(path, "/interactions/", 14) == 0 || strncmp(path, "/webhooks/", 10) == 0);
}

static void rest_script(void *user, unsigned index, const fake_http_record *request,
                        fake_http_action *action)
{
    (void)index;
    discord_fake *f = user;
    const char *prefix = "/api/v10";
    if (strncmp(request->path, prefix, strlen(prefix)) != 0) {
        answer_error(f, action, 404, "404: Not Found", 0);
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s", request->path + strlen(prefix));
    if (strcmp(request->authorization, "") == 0 ||
        strncmp(request->authorization, "Bot ", 4) != 0) {
        answer_error(f, action, 401, "401: Unauthorized", 0);
        return;
    }
    bool gateway_bot = strcmp(request->method, "GET") == 0 && strcmp(path, "/gateway/bot") == 0;
    if (gateway_bot && f->config.gateway_bot_failures) {
        f->config.gateway_bot_failures--;
        answer_error(f, action, 502, "502: Bad Gateway", 0);
    } else if (gateway_bot) {
        answer_gateway_bot(f, action);
    } else if (strcmp(request->method, "PUT") == 0 && strstr(path, "/commands")) {
        answer_json(f, action, 200, json_array(), NULL);
    } else if (is_message_create(request->method, path)) {
        create_message(f, request, path, action);
    } else {
        answer_error(f, action, 404, "404: Not Found", 0);
    }
}

/* ---- public ---- */

/* The fake_server's free_server: runs once the listener and every connection have closed. */
static void free_fake(fake_server *server)
{
    discord_fake *f = (discord_fake *)server;
    for (long i = 0; i < MAX_HISTORY; i++)
        free(f->history[i]);
    for (unsigned i = 0; i < f->body_count; i++)
        free(f->bodies[i]);
    json_decref(f->messages);
    json_decref(f->nonces);
    free(f);
}

discord_fake *discord_fake_start(uv_loop_t *loop, const discord_fake_config *config)
{
    discord_fake *f = calloc(1, sizeof *f);
    if (config)
        f->config = *config;
    f->messages = json_array();
    f->nonces = json_object();
    if (fake_server_start(&f->server, loop, 16, on_connection, free_fake) < 0) {
        fprintf(stderr, "discord_fake: cannot listen on 127.0.0.1\n");
        abort();
    }
    f->rest = fake_http_start(loop, rest_script, f);
    snprintf(f->api_base, sizeof f->api_base, "http://127.0.0.1:%d/api/v10",
             fake_http_port(f->rest));
    return f;
}

const char *discord_fake_api_base(const discord_fake *f)
{
    return f->api_base;
}

discord_fake_counts discord_fake_counts_of(const discord_fake *f)
{
    return f->counts;
}

const fake_http *discord_fake_rest(const discord_fake *f)
{
    return f->rest;
}

bool discord_fake_ready(const discord_fake *f)
{
    return f->current && f->current->identified;
}

void discord_fake_dispatch(discord_fake *f, const char *type, json_t *data)
{
    /* Discord adds the channel's type to MESSAGE_CREATE (GUILD_TEXT 0, DM 1); libraries use it
     * to build a channel they have not cached */
    if (strcmp(type, "MESSAGE_CREATE") == 0 && !json_object_get(data, "channel_type"))
        json_object_set_new(data, "channel_type",
                            json_integer(json_object_get(data, "guild_id") ? 0 : 1));
    dispatch_on(f, f->current && f->current->identified ? f->current : NULL, type, data);
}

void discord_fake_send_reconnect(discord_fake *f)
{
    if (f->current)
        send_json(f->current, json_pack("{s:i, s:n}", "op", 7, "d"));
}

void discord_fake_send_invalid_session(discord_fake *f, bool resumable)
{
    if (f->current)
        send_json(f->current, json_pack("{s:i, s:b}", "op", 9, "d", resumable));
}

void discord_fake_close(discord_fake *f, int code)
{
    if (f->current)
        close_with(f->current, code);
}

void discord_fake_drop(discord_fake *f)
{
    if (f->current)
        end_connection(f->current);
}

void discord_fake_set_acks(discord_fake *f, bool ack)
{
    f->no_acks = !ack;
}

void discord_fake_close_on_identify(discord_fake *f, int code)
{
    f->identify_close = code;
}

void discord_fake_rest_fail_next(discord_fake *f, unsigned count, int status, double retry_after,
                                 bool global)
{
    f->fail_count = count;
    f->fail_status = status;
    f->fail_retry_after = retry_after;
    f->fail_global = global;
}

unsigned discord_fake_messages(const discord_fake *f)
{
    return (unsigned)json_array_size(f->messages);
}

const json_t *discord_fake_message(const discord_fake *f, unsigned index, const char **path)
{
    const json_t *entry = json_array_get(f->messages, index);
    if (path)
        *path = json_string_value(json_object_get(entry, "path"));
    return json_object_get(entry, "body");
}

void discord_fake_stop(discord_fake *f)
{
    while (f->connections)
        end_connection(f->connections);
    fake_http_stop(f->rest);
    fake_server_stop(&f->server);
}
