/* fuzz_discord_gateway.c - the Discord gateway state machine (discord_gateway.c) on fuzzed
 * frames. Each input line is one text frame from the server, 700 ms after the previous one,
 * with due ticks between; a line "!CODE" is the socket closing with that close code. The machine
 * is opened first, reopened whenever it decides to reconnect, and each dispatch it passes on
 * goes through the platform's parsers (discord_payloads.c). Everything it sends must be JSON,
 * and a reconnect must name a URL. */
#include <stdlib.h>
#include <string.h>

#include "discord_payloads.h"
#include "fuzz.h"
#include "platforms/discord_gateway.h"

#define STEP_MS 700

typedef struct harness {
    lo_discord_gateway *gateway;
    int close_code; /* the machine asked to close the socket with this; 0 = not asked */
    bool stopped;
} harness;

static void on_send(void *user, const char *frame, size_t len)
{
    (void)user;
    json_t *sent = json_loadb(frame, len, 0, NULL);
    FUZZ_CHECK(json_is_object(sent) && json_is_integer(json_object_get(sent, "op")));
    json_decref(sent);
}

static void on_close(void *user, int code, const char *reason)
{
    (void)reason;
    ((harness *)user)->close_code = code ? code : 1000;
}

static void on_dispatch(void *user, const char *type, const json_t *data)
{
    const char *self = lo_discord_gateway_user_id(((harness *)user)->gateway);
    fuzz_discord_payload(type, data, self ? self : FUZZ_DISCORD_SELF_ID);
}

static void on_fatal(void *user, int close_code, const char *message)
{
    (void)close_code;
    FUZZ_CHECK(message != NULL && strstr(message, "fuzz-token") == NULL);
    ((harness *)user)->stopped = true;
}

static uint64_t rng_next(void *state)
{
    uint64_t *s = state;
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The socket ended with code: the machine decides, and a new socket opens if it says so. */
static void socket_closed(harness *h, int code, uint64_t now)
{
    h->close_code = 0;
    lo_discord_reconnect r = lo_discord_gateway_closed(h->gateway, code, now);
    if (r.reconnect && !h->stopped) {
        FUZZ_CHECK(r.url != NULL && r.url[0] != '\0');
        lo_discord_gateway_opened(h->gateway, now);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t seed = 0x9E3779B97F4A7C15u;
    lo_rng rng = {rng_next, &seed};
    lo_discord_identify_limits *limits = lo_discord_identify_limits_new();
    harness h = {0};
    lo_discord_gateway_config config = {
        .token = "fuzz-token",
        .gateway_url = "wss://gateway.invalid",
        .identify_limits = limits,
        .rng = &rng,
        .sink = {.send = on_send,
                 .close = on_close,
                 .dispatch = on_dispatch,
                 .fatal = on_fatal,
                 .user = &h},
    };
    h.gateway = lo_discord_gateway_new(&config);
    FUZZ_CHECK(h.gateway != NULL);
    uint64_t now = 1000;
    lo_discord_gateway_opened(h.gateway, now);
    const uint8_t *p = data, *end = data + size;
    size_t len;
    const char *line;
    while (!h.stopped && (line = fuzz_next_line(&p, end, &len))) {
        now += STEP_MS;
        if (lo_discord_gateway_next_deadline(h.gateway) <= now)
            lo_discord_gateway_tick(h.gateway, now);
        if (len > 1 && line[0] == '!') {
            char *code = fuzz_strndup((const uint8_t *)line + 1, len - 1);
            socket_closed(&h, atoi(code), now);
            free(code);
        } else {
            lo_discord_gateway_frame(h.gateway, line, len, now);
        }
        if (h.close_code)
            socket_closed(&h, h.close_code, now);
    }
    (void)lo_discord_gateway_stats_of(h.gateway);
    lo_discord_gateway_free(h.gateway);
    lo_discord_identify_limits_free(limits);
    return 0;
}
