/* test_discord.c - the Discord platform end to end against the fake Discord on loopback:
 * connect through GET /gateway/bot, identify (intents, shard, v=10&encoding=json), /leanon
 * registration, MESSAGE_CREATE -> a reply that references the message and pings nobody else,
 * a long reply split in order, a 429 with retry_after and still delivered, a crisis reply with
 * the moderators' alert (link and category, no text), a slash command answered ephemerally,
 * op 7 -> resume on the resume URL, a dropped connection -> resume with the missed message
 * replayed and answered once, a zombie connection -> resume, and 4014 -> the clear error and
 * no reconnect loop; a channel answering 403 left alone for a while; a bad token (4004) stops the same way; GET /gateway/bot failing at start is
 * tried again later. Waits are bounded by generous deadlines and never assert durations. */
#include "platforms/discord/discord_harness.h"

static void test_full_session(void)
{
    harness h;
    start(&h, 300);
    CHECK(wait_until(&h, fake_ready, NULL, 10000));
    discord_fake_counts counts = discord_fake_counts_of(h.fake);
    CHECK_EQ_U64(counts.identifies, 1);
    CHECK_EQ_U64(counts.last_intents, 37377);
    CHECK_EQ_U64(counts.last_shard_id, 0);
    CHECK_EQ_U64(counts.last_shard_count, 1);
    CHECK_STR(counts.last_token, TOKEN);
    CHECK(strstr(counts.last_path, "v=10&encoding=json") != NULL);

    /* a mention in a guild channel: a reply to that message, pinging nobody else */
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("101", "20", "30", "40", "<@999> hello", true));
    unsigned want = 1;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    const char *path = NULL;
    const json_t *body = message_at(&h, 0, &path);
    CHECK_STR(path, "/channels/20/messages");
    CHECK_STR(json_string_value(json_object_get(body, "content")), "echo: hello");
    CHECK_STR(json_string_value(
                  json_object_get(json_object_get(body, "message_reference"), "message_id")),
              "101");
    const json_t *am = json_object_get(body, "allowed_mentions");
    CHECK_EQ_U64(json_array_size(json_object_get(am, "parse")), 0);
    CHECK(json_is_true(json_object_get(am, "replied_user")));

    /* /leanon registered globally once READY named the application */
    const fake_http *rest = discord_fake_rest(h.fake);
    bool registered = false;
    for (unsigned i = 0; i < fake_http_count(rest); i++)
        registered |=
            strcmp(fake_http_request(rest, i)->method, "PUT") == 0 &&
            strcmp(fake_http_request(rest, i)->path, "/api/v10/applications/555/commands") == 0;
    CHECK(registered);

    /* a 429 (route scope, retry_after 0.3 s) twice, and the reply still arrives once */
    discord_fake_rest_fail_next(h.fake, 2, 429, 0.3, false);
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("102", "20", "30", "40", "<@999> again", true));
    want = 2;
    CHECK(wait_until(&h, messages_at_least, &want, 15000));
    CHECK_EQ_U64(rest_status_count(&h, 429), 2);
    CHECK(lo_metrics_get(h.metrics, LO_METRIC_RATELIMIT_WAITS, "discord") >= 2);
    CHECK(lo_metrics_get(h.metrics, LO_METRIC_CONNECTIONS, "discord") == 1);
    CHECK_STR(json_string_value(json_object_get(message_at(&h, 1, NULL), "content")),
              "echo: again");

    /* a long reply: three pieces, in order, the first one referencing the message */
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("103", "21", NULL, "41", "a long one please", false));
    want = 5;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    size_t total = 0;
    for (unsigned i = 2; i < 5; i++) {
        const json_t *piece = message_at(&h, i, &path);
        CHECK_STR(path, "/channels/21/messages");
        size_t len = strlen(json_string_value(json_object_get(piece, "content")));
        CHECK(len <= 2000);
        total += len;
        CHECK((json_object_get(piece, "message_reference") != NULL) == (i == 2));
    }
    CHECK(total >= 4500 - 450); /* only the spaces between pieces are gone */

    /* a crisis in a listen channel: the reply offers DMs; the alert has link and category only */
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("104", "22", "30", "42", "I am in crisis", false));
    want = 7;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    const json_t *reply = NULL, *alert = NULL;
    for (unsigned i = 5; i < 7; i++) {
        const json_t *m = message_at(&h, i, &path);
        if (strcmp(path, "/channels/700/messages") == 0)
            alert = m;
        else if (strcmp(path, "/channels/22/messages") == 0)
            reply = m;
    }
    CHECK(reply && strstr(json_string_value(json_object_get(reply, "content")), "direct message"));
    CHECK(alert != NULL);
    if (alert) {
        const char *text = json_string_value(json_object_get(alert, "content"));
        CHECK(strstr(text, "https://discord.com/channels/30/22/104") != NULL);
        CHECK(strstr(text, "crisis-suicide") != NULL);
        CHECK(strstr(text, "I am in crisis") == NULL);
        CHECK_EQ_U64(
            json_array_size(json_object_get(json_object_get(alert, "allowed_mentions"), "parse")),
            0);
    }

    /* /leanon helpline: the interaction callback, type 4, ephemeral */
    discord_fake_dispatch(
        h.fake, "INTERACTION_CREATE",
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:{s:{s:s}}, s:{s:s, s:[{s:i, s:s}]}}", "id",
                  "801", "application_id", DISCORD_FAKE_APP_ID, "type", 2, "token",
                  "interaction-token-abc", "channel_id", "20", "guild_id", "30", "member", "user",
                  "id", "43", "data", "name", "leanon", "options", "type", 1, "name", "helpline"));
    want = 8;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    body = message_at(&h, 7, &path);
    CHECK_STR(path, "/interactions/801/interaction-token-abc/callback");
    CHECK_EQ_U64(json_integer_value(json_object_get(body, "type")), 4);
    CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(body, "data"), "flags")), 64);

    /* op 7 Reconnect: resume on the resume URL, no new Identify */
    discord_fake_send_reconnect(h.fake);
    want = 1;
    CHECK(wait_until(&h, resumes_accepted_at_least, &want, 10000));
    counts = discord_fake_counts_of(h.fake);
    CHECK(strncmp(counts.last_path, "/resume", 7) == 0);
    CHECK(strstr(counts.last_path, "v=10&encoding=json") != NULL);
    CHECK_EQ_U64(counts.identifies, 1);
    CHECK(counts.last_client_close != 1000 && counts.last_client_close != 1001);

    /* the connection drops; a message sent meanwhile is replayed on resume and answered once */
    discord_fake_drop(h.fake);
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("105", "23", "30", "44", "<@999> while away", true));
    want = 2;
    CHECK(wait_until(&h, resumes_accepted_at_least, &want, 10000));
    want = 9;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    CHECK_STR(json_string_value(json_object_get(message_at(&h, 8, &path), "content")),
              "echo: while away");
    wait_until(&h, never, NULL, 300);
    CHECK_EQ_U64(discord_fake_messages(h.fake), 9); /* no duplicate */
    lo_discord_stats stats = lo_discord_stats_of(h.discord);
    CHECK_EQ_U64(stats.messages_in, 5);
    CHECK_EQ_U64(stats.commands_in, 1);
    CHECK_EQ_U64(stats.replies_sent, 9); /* 7 message pieces, the alert, the interaction answer */
    CHECK_EQ_U64(stats.alerts_sent, 1);
    CHECK_EQ_U64(stats.replies_failed, 0);
    CHECK_EQ_U64(stats.identifies, 1);
    CHECK_EQ_U64(stats.resumes, 2);

    /* heartbeats no longer acknowledged: a zombie; the platform closes and resumes */
    discord_fake_set_acks(h.fake, false);
    want = 3;
    CHECK(wait_until(&h, resumes_accepted_at_least, &want, 10000));
    discord_fake_set_acks(h.fake, true);
    CHECK(lo_discord_stats_of(h.discord).zombies >= 1);
    CHECK(lo_metrics_get(h.metrics, LO_METRIC_RECONNECTS, "discord") >= 3); /* op 7, drop, zombie */
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).identifies, 1);

    /* a channel that refuses the bot (403 Missing Permissions) is left alone for a while */
    discord_fake_rest_fail_next(h.fake, 1, 403, 0, false);
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("106", "24", "30", "45", "<@999> anyone there", true));
    wait_until(&h, never, NULL, 800);
    CHECK_EQ_U64(rest_status_count(&h, 403), 1);
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("107", "24", "30", "46", "<@999> hello?", true));
    wait_until(&h, never, NULL, 500);
    CHECK_EQ_U64(rest_status_count(&h, 403), 1); /* not asked again */
    CHECK_EQ_U64(lo_discord_stats_of(h.discord).replies_skipped, 1);
    CHECK(strstr(h.log, "discord.channel_refused channel=24 status=403") != NULL);

    /* 4009 (session timed out): a new session; then Discord refuses the intents with 4014 */
    discord_fake_close_on_identify(h.fake, 4014);
    discord_fake_close(h.fake, 4009);
    CHECK(wait_until(&h, got_fatal, NULL, 15000));
    CHECK(strstr(h.fatal, "Message Content Intent") != NULL);
    CHECK(strstr(h.fatal, "developers/applications") != NULL);
    unsigned connections = discord_fake_counts_of(h.fake).connections;
    wait_until(&h, never, NULL, 1500); /* well past any reconnect backoff used here */
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).connections, connections);
    CHECK_EQ_U64(h.fatals, 1);
    CHECK_EQ_U64(h.answered, 8); /* 101..107 and the slash command */
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).protocol_errors, 0);
    finish(&h);
}

static void test_bad_token_stops(void)
{
    harness h;
    start(&h, 41250);
    discord_fake_close_on_identify(h.fake, 4004);
    CHECK(wait_until(&h, got_fatal, NULL, 10000));
    CHECK(strstr(h.fatal, "LEANON_DISCORD_TOKEN") != NULL);
    unsigned connections = discord_fake_counts_of(h.fake).connections;
    wait_until(&h, never, NULL, 1000);
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).connections, connections);
    CHECK_EQ_U64(connections, 1);
    finish(&h);
}

/* GET /gateway/bot failing past the REST client's retries (502s) is tried again later: the
 * platform connects once Discord answers instead of stopping for good */
static void test_gateway_bot_retried(void)
{
    harness h;
    discord_fake_config fc = {.heartbeat_interval_ms = 41250, .gateway_bot_failures = 6};
    start_with(&h, &fc, false);
    CHECK(wait_until(&h, fake_ready, NULL, 20000));
    unsigned gets = 0;
    const fake_http *rest = discord_fake_rest(h.fake);
    for (unsigned i = 0; i < fake_http_count(rest); i++)
        gets += strcmp(fake_http_request(rest, i)->path, "/api/v10/gateway/bot") == 0;
    CHECK_EQ_U64(gets, 7);
    CHECK_EQ_U64(h.fatals, 0);
    CHECK(strstr(h.log, "discord.gateway_bot_failed") != NULL);
    finish(&h);
}

/* A reply carries a "Not helpful" button; pressing it is counted for the rule and thanked
 * privately; a crisis reply carries none. */
static void test_feedback_button(void)
{
    harness h;
    start(&h, 300);
    CHECK(wait_until(&h, fake_ready, NULL, 10000));
    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("201", "20", "30", "40", "<@999> hello", true));
    unsigned want = 1;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    const json_t *row = json_array_get(json_object_get(message_at(&h, 0, NULL), "components"), 0);
    const json_t *button = json_array_get(json_object_get(row, "components"), 0);
    CHECK_STR(json_string_value(json_object_get(button, "custom_id")), "leanon:unhelpful:echo");
    CHECK_STR(json_string_value(json_object_get(button, "label")), "Not helpful");

    discord_fake_dispatch(h.fake, "INTERACTION_CREATE",
                          json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:{s:{s:s}}, s:{s:s, s:i}}",
                                    "id", "802", "application_id", DISCORD_FAKE_APP_ID, "type", 3,
                                    "token", "interaction-token-def", "channel_id", "20",
                                    "guild_id", "30", "member", "user", "id", "40", "data",
                                    "custom_id", "leanon:unhelpful:echo", "component_type", 2));
    want = 2;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    const char *path = NULL;
    const json_t *body = message_at(&h, 1, &path);
    CHECK_STR(path, "/interactions/802/interaction-token-def/callback");
    CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(body, "data"), "flags")), 64);
    CHECK(lo_metrics_get(h.metrics, LO_METRIC_UNHELPFUL, "echo") == 1);

    discord_fake_dispatch(h.fake, "MESSAGE_CREATE",
                          message_event("203", "20", "30", "40", "<@999> crisis", true));
    want = 3;
    CHECK(wait_until(&h, messages_at_least, &want, 10000));
    for (unsigned i = 2; i < discord_fake_messages(h.fake); i++)
        CHECK(json_object_get(message_at(&h, i, NULL), "components") == NULL);
    CHECK(h.log_len == 0 || strstr(h.log, "interaction-token-def") == NULL);
    finish(&h);
}

int main(void)
{
    test_full_session();
    test_feedback_button();
    test_bad_token_stops();
    test_gateway_bot_retried();
    TEST_MAIN_END();
}
