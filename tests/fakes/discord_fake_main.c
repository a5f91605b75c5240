/* discord_fake_main.c - the fake Discord as a program, for checking it against a real Discord
 * library (tests/platforms/discord/discordjs/check.mjs). It prints its REST base URL on the
 * first line, waits for a client to identify, sends it one direct message (MESSAGE_CREATE), and
 * exits 0 once the client has posted a reply to that message's channel through the REST API
 * with the message referenced, or 1 after 30 seconds. Loopback only, ephemeral ports. */
#include "fakes/discord_fake.h"

#include <stdio.h>
#include <string.h>

enum { POLL_MS = 50, SETTLE_MS = 300, GIVE_UP_MS = 30000 };

typedef struct driver {
    uv_timer_t timer;
    discord_fake *fake;
    uint64_t ready_at, started_at;
    bool sent;
    int verdict; /* -1 while running */
} driver;

static void on_poll(uv_timer_t *timer)
{
    driver *d = timer->data;
    uint64_t now = uv_now(timer->loop);
    if (!d->sent && discord_fake_ready(d->fake)) {
        if (!d->ready_at)
            d->ready_at = now;
        if (now - d->ready_at >= SETTLE_MS) {
            discord_fake_dispatch(d->fake, "MESSAGE_CREATE",
                                  json_pack("{s:s, s:i, s:s, s:{s:s, s:s, s:s}, s:s, s:s, s:[], "
                                            "s:[], s:[], s:[], s:b, s:b, s:n}",
                                            "id", "1001", "type", 0, "channel_id", "2002", "author",
                                            "id", "3003", "username", "person", "discriminator",
                                            "0", "content", "hello from a person", "timestamp",
                                            "2026-11-25T12:00:00.000000+00:00", "mentions",
                                            "mention_roles", "attachments", "embeds", "tts", 0,
                                            "mention_everyone", 0, "edited_timestamp"));
            d->sent = true;
        }
    }
    if (d->sent && discord_fake_messages(d->fake) >= 1) {
        const char *path = NULL;
        const json_t *body = discord_fake_message(d->fake, 0, &path);
        char *text = json_dumps(body, JSON_COMPACT);
        printf("reply %s %s\n", path, text);
        free(text);
        const char *ref = json_string_value(
            json_object_get(json_object_get(body, "message_reference"), "message_id"));
        d->verdict =
            strcmp(path, "/channels/2002/messages") == 0 && ref && strcmp(ref, "1001") == 0 ? 0 : 1;
    } else if (now - d->started_at > GIVE_UP_MS) {
        discord_fake_counts c = discord_fake_counts_of(d->fake);
        printf("gave up: connections=%u identifies=%u heartbeats=%u protocol_errors=%u sent=%d\n",
               c.connections, c.identifies, c.heartbeats, c.protocol_errors, d->sent);
        d->verdict = 1;
    }
    if (d->verdict >= 0) {
        fflush(stdout);
        uv_timer_stop(timer);
        uv_close((uv_handle_t *)timer, NULL);
        discord_fake_stop(d->fake);
    }
}

int main(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    driver d = {.verdict = -1};
    discord_fake_config config = {.heartbeat_interval_ms = 41250};
    d.fake = discord_fake_start(&loop, &config);
    printf("%s\n", discord_fake_api_base(d.fake));
    fflush(stdout);
    uv_timer_init(&loop, &d.timer);
    d.timer.data = &d;
    d.started_at = uv_now(&loop);
    uv_timer_start(&d.timer, on_poll, POLL_MS, POLL_MS);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return d.verdict;
}
