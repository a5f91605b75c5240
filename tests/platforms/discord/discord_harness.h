/* discord_harness.h - what the Discord end-to-end tests share: a loop with the fake Discord
 * and the platform on it, a stand-in bot (echo, crisis, long, helpline answers), bounded waits
 * that run the loop until a condition holds, and MESSAGE_CREATE payloads. */
#ifndef LEANON_TESTS_DISCORD_HARNESS_H
#define LEANON_TESTS_DISCORD_HARNESS_H

#include "platforms/discord.h"
#include "fakes/discord_fake.h"
#include "testing.h"

#include <stdlib.h>
#include <string.h>

#define TOKEN "fake-bot-token.XYZ"

typedef struct harness {
    uv_loop_t loop;
    uv_timer_t pulse;
    discord_fake *fake;
    lo_discord *discord;
    lo_metrics *metrics;
    unsigned answered;
    char fatal[512];
    unsigned fatals;
    char log[32768];
    size_t log_len;
} harness;

static inline int on_message(void *user, const lo_message *msg, const char *command,
                             lo_discord_answer *answer)
{
    harness *h = user;
    h->answered++;
    CHECK_STR(msg->platform, "discord");
    if (command && strcmp(command, "helpline") == 0) {
        answer->reply.text = strdup("You can call or text 988 (US) any time.");
        snprintf(answer->reply.category, sizeof answer->reply.category, "helpline");
        return 1;
    }
    if (strstr(msg->text, "crisis")) {
        answer->reply.text =
            strdup("I'm really glad you said something. You can call or text 988.");
        snprintf(answer->reply.category, sizeof answer->reply.category, "crisis-suicide");
        answer->reply.crisis = true;
        answer->reply.alert_moderators = true;
        answer->unaddressed = !msg->mentions_bot && !msg->is_dm;
        answer->alert_channel = "700";
        return 1;
    }
    if (strstr(msg->text, "long")) {
        size_t n = 4500;
        char *text = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            text[i] = (char)(i % 10 == 9 ? ' ' : 'a' + i % 10);
        text[n] = '\0';
        answer->reply.text = text;
        return 1;
    }
    size_t size = msg->text_len + 16;
    answer->reply.text = malloc(size);
    snprintf(answer->reply.text, size, "echo: %s", msg->text);
    snprintf(answer->reply.rule_id, sizeof answer->reply.rule_id, "echo");
    snprintf(answer->reply.category, sizeof answer->reply.category, "test");
    return 1;
}

static inline void release(void *user, lo_discord_answer *answer)
{
    (void)user;
    free(answer->reply.text);
    answer->reply.text = NULL;
}

static inline void on_fatal(void *user, const char *message)
{
    harness *h = user;
    h->fatals++;
    snprintf(h->fatal, sizeof h->fatal, "%s", message);
}

static inline void on_log(void *user, lo_discord_log_level level, const char *event,
                          const char *detail)
{
    harness *h = user;
    (void)level;
    int n = snprintf(h->log + h->log_len, sizeof h->log - h->log_len, "%s %s\n", event, detail);
    if (n > 0 && (size_t)n < sizeof h->log - h->log_len)
        h->log_len += (size_t)n;
}

static inline void on_pulse(uv_timer_t *timer)
{
    (void)timer; /* only makes uv_run(UV_RUN_ONCE) return regularly */
}

typedef bool (*condition)(harness *h, const void *arg);

static inline bool wait_until(harness *h, condition cond, const void *arg, uint64_t timeout_ms)
{
    uint64_t deadline = uv_now(&h->loop) + timeout_ms;
    while (!cond(h, arg) && uv_now(&h->loop) < deadline)
        uv_run(&h->loop, UV_RUN_ONCE);
    return cond(h, arg);
}

static inline bool fake_ready(harness *h, const void *arg)
{
    (void)arg;
    return discord_fake_ready(h->fake);
}

static inline bool messages_at_least(harness *h, const void *arg)
{
    return discord_fake_messages(h->fake) >= *(const unsigned *)arg;
}

static inline bool resumes_accepted_at_least(harness *h, const void *arg)
{
    return discord_fake_counts_of(h->fake).resumes_accepted >= *(const unsigned *)arg &&
           discord_fake_ready(h->fake);
}

static inline bool got_fatal(harness *h, const void *arg)
{
    (void)arg;
    return h->fatals > 0;
}

static inline bool never(harness *h, const void *arg)
{
    (void)h;
    (void)arg;
    return false;
}

static inline json_t *message_event(const char *id, const char *channel, const char *guild,
                                    const char *author, const char *content, bool mention)
{
    json_t *d = json_pack("{s:s, s:i, s:s, s:{s:s, s:s}, s:s, s:[]}", "id", id, "type", 0,
                          "channel_id", channel, "author", "id", author, "username", "person",
                          "content", content, "mentions");
    if (guild)
        json_object_set_new(d, "guild_id", json_string(guild));
    if (mention)
        json_array_append_new(json_object_get(d, "mentions"),
                              json_pack("{s:s}", "id", DISCORD_FAKE_BOT_ID));
    return d;
}

/* Starts the fake with fc and the platform on it (shard_auto: every recommended shard). */
static inline void start_with(harness *h, const discord_fake_config *fc, bool shard_auto)
{
    memset(h, 0, sizeof *h);
    uv_loop_init(&h->loop);
    uv_timer_init(&h->loop, &h->pulse);
    uv_timer_start(&h->pulse, on_pulse, 5, 5);
    h->fake = discord_fake_start(&h->loop, fc);
    h->metrics = lo_metrics_new();
    lo_discord_options options = {
        .loop = &h->loop,
        .token = TOKEN,
        .api_base = discord_fake_api_base(h->fake),
        .version = "0.1.0",
        .shard_auto = shard_auto,
        .on_message = on_message,
        .release = release,
        .on_fatal = on_fatal,
        .log = on_log,
        .user = h,
        .metrics = h->metrics,
        .reconnect_backoff = {.base_ms = 50, .cap_ms = 200, .floor_ms = 10},
        .retry_backoff = {.base_ms = 50, .cap_ms = 200, .floor_ms = 0},
        .global_per_second = 2000, /* the fake has no global limit; the soak is not 2 minutes */
    };
    char err[256];
    h->discord = lo_discord_start(&options, err, sizeof err);
    CHECK(h->discord != NULL);
}

static inline void start(harness *h, unsigned heartbeat_ms)
{
    discord_fake_config fc = {.heartbeat_interval_ms = heartbeat_ms};
    start_with(h, &fc, false);
}

static inline void finish(harness *h)
{
    lo_discord_stop(h->discord);
    wait_until(h, never, NULL, 300); /* the close handshake */
    lo_discord_free(h->discord);
    discord_fake_stop(h->fake);
    uv_close((uv_handle_t *)&h->pulse, NULL);
    for (int i = 0; i < 200 && uv_run(&h->loop, UV_RUN_NOWAIT); i++)
        uv_sleep(1);
    CHECK(strstr(h->log, TOKEN) == NULL);            /* the token never reaches the log */
    CHECK(strstr(h->log, "I am in crisis") == NULL); /* nor does message text */
    CHECK(strstr(h->log, "interaction-token-abc") == NULL);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    CHECK(uv_loop_close(&h->loop) == 0);
    lo_metrics_free(h->metrics);
}

static inline const json_t *message_at(harness *h, unsigned index, const char **path)
{
    return discord_fake_message(h->fake, index, path);
}

static inline unsigned rest_status_count(harness *h, int status)
{
    const fake_http *rest = discord_fake_rest(h->fake);
    unsigned n = 0;
    for (unsigned i = 0; i < fake_http_count(rest); i++)
        n += fake_http_request(rest, i)->status == status;
    return n;
}

#endif
