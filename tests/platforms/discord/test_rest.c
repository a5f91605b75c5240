/* test_rest.c - the REST calls as data: routes and top-level resources for the rate limiter
 * (channel_id, guild_id, webhook id + token), order keys, message_reference and
 * allowed_mentions on every message, interaction callbacks (type 4, flags 64 when private),
 * the token kept out of everything but the path, the User-Agent form, the /leanon definition
 * and invocations, and the moderators' alert (link and category, text only when asked). */
#include "platforms/discord_alert.h"
#include "platforms/discord_commands.h"
#include "platforms/discord_rest.h"
#include "testing.h"

#include <stdlib.h>

#define ITOKEN "aW50ZXJhY3Rpb246MTIz.secret_token-value"

static void check_no_pings(const json_t *body, bool replied_user)
{
    const json_t *am = json_object_get(body, "allowed_mentions");
    CHECK(json_is_array(json_object_get(am, "parse")));
    CHECK_EQ_U64(json_array_size(json_object_get(am, "parse")), 0);
    CHECK(json_is_true(json_object_get(am, "replied_user")) == replied_user);
}

static void test_create_message(void)
{
    lo_discord_call call;
    CHECK(lo_discord_call_create_message(&call, "20", "hello there", 5, "10", "30", "r10.0"));
    CHECK_STR(call.request.method, "POST");
    CHECK_STR(call.request.path, "/channels/20/messages");
    CHECK_STR(call.request.route, "POST /channels/{channel_id}/messages");
    CHECK_STR(call.request.major, "channel:20");
    CHECK_STR(call.request.order_key, "channel:20");
    CHECK(call.request.retry_safe); /* enforce_nonce makes a resend harmless */
    CHECK_STR(json_string_value(json_object_get(call.body, "nonce")), "r10.0");
    CHECK(json_is_true(json_object_get(call.body, "enforce_nonce")));
    CHECK_STR(json_string_value(json_object_get(call.body, "content")), "hello");
    const json_t *ref = json_object_get(call.body, "message_reference");
    CHECK_STR(json_string_value(json_object_get(ref, "message_id")), "10");
    CHECK_STR(json_string_value(json_object_get(ref, "guild_id")), "30");
    CHECK(json_is_false(json_object_get(ref, "fail_if_not_exists")));
    check_no_pings(call.body, true);
    lo_discord_call_clear(&call);

    CHECK(lo_discord_call_create_message(&call, "21", "second piece", 12, NULL, NULL, NULL));
    CHECK(json_object_get(call.body, "message_reference") == NULL);
    CHECK(json_object_get(call.body, "nonce") == NULL);
    CHECK(!call.request.retry_safe); /* without a nonce a resend could post twice */
    check_no_pings(call.body, false);
    lo_discord_call_clear(&call);
    CHECK(!lo_discord_call_create_message(&call, "21", "x", 1, NULL, NULL,
                                          "r12345678901234567890.1234")); /* 26 > 25 */
}

static void test_interaction_calls_hide_the_token(void)
{
    lo_discord_call call;
    CHECK(lo_discord_call_interaction_reply(&call, "77", ITOKEN, "lines", 5, true));
    CHECK_STR(call.request.path, "/interactions/77/" ITOKEN "/callback");
    CHECK(strstr(call.request.route, ITOKEN) == NULL);
    CHECK(strstr(call.request.major, ITOKEN) == NULL);
    CHECK(strstr(call.request.order_key, ITOKEN) == NULL);
    CHECK_EQ_U64(json_integer_value(json_object_get(call.body, "type")), 4);
    const json_t *data = json_object_get(call.body, "data");
    CHECK_EQ_U64(json_integer_value(json_object_get(data, "flags")), 64);
    check_no_pings(data, false);
    lo_discord_call_clear(&call);

    CHECK(lo_discord_call_interaction_reply(&call, "77", ITOKEN, "help", 4, false));
    CHECK(json_object_get(json_object_get(call.body, "data"), "flags") == NULL);
    lo_discord_call_clear(&call);

    CHECK(lo_discord_call_followup(&call, "555", "77", ITOKEN, "more", 4, true));
    CHECK_STR(call.request.path, "/webhooks/555/" ITOKEN);
    CHECK_STR(call.request.route, "POST /webhooks/{webhook_id}/{webhook_token}");
    CHECK(strncmp(call.request.major, "webhook:555:", 12) == 0);
    CHECK(strstr(call.request.major, ITOKEN) == NULL);
    CHECK_STR(call.request.order_key, "interaction:77"); /* after the callback */
    CHECK_EQ_U64(json_integer_value(json_object_get(call.body, "flags")), 64);
    lo_discord_call_clear(&call);

    CHECK(!lo_discord_call_interaction_reply(&call, "77", "bad/token", "x", 1, false));
    CHECK(call.body == NULL);
    /* regression fuzz-token-dot-dot: a token of dots would walk the path */
    CHECK(!lo_discord_call_interaction_reply(&call, "77", "..", "x", 1, false));
    CHECK(!lo_discord_call_interaction_reply(&call, "77", ".", "x", 1, false));
    CHECK(call.body == NULL);
    CHECK(lo_discord_call_interaction_reply(&call, "77", "a..b", "x", 1, false));
    lo_discord_call_clear(&call);
}

static void test_commands_registration(void)
{
    lo_discord_call call;
    CHECK(lo_discord_call_register_commands(&call, "555", NULL));
    CHECK_STR(call.request.method, "PUT");
    CHECK_STR(call.request.path, "/applications/555/commands");
    CHECK(call.request.major == NULL);
    const json_t *command = json_array_get(call.body, 0);
    CHECK_STR(json_string_value(json_object_get(command, "name")), "leanon");
    const char *expected[] = {"help", "reflect", "resources", "helpline", "stop", "start"};
    const json_t *options = json_object_get(command, "options");
    CHECK_EQ_U64(json_array_size(options), 6);
    for (size_t i = 0; i < 6; i++) {
        const json_t *sub = json_array_get(options, i);
        CHECK_STR(json_string_value(json_object_get(sub, "name")), expected[i]);
        CHECK_EQ_U64(json_integer_value(json_object_get(sub, "type")), 1);
        CHECK(strlen(json_string_value(json_object_get(sub, "description"))) <= 100);
    }
    lo_discord_call_clear(&call);
    CHECK(lo_discord_call_register_commands(&call, "555", "30"));
    CHECK_STR(call.request.path, "/applications/555/guilds/30/commands");
    CHECK_STR(call.request.major, "guild:30");
    lo_discord_call_clear(&call);
}

static void test_invocation(void)
{
    json_t *d = json_loads(
        "{\"id\":\"77\",\"application_id\":\"555\",\"type\":2,\"token\":\"" ITOKEN "\","
        "\"channel_id\":\"20\",\"guild_id\":\"30\",\"member\":{\"user\":{\"id\":\"40\","
        "\"username\":\"sam\"}},\"data\":{\"name\":\"leanon\",\"options\":[{\"type\":1,"
        "\"name\":\"reflect\",\"options\":[{\"name\":\"text\",\"type\":3,\"value\":\"I feel lost\"}]}]}}",
        0, NULL);
    lo_discord_invocation inv;
    CHECK(lo_discord_invocation_parse(d, &inv));
    CHECK_STR(inv.in.msg.text, "reflect I feel lost");
    CHECK_STR(inv.subcommand, "reflect");
    CHECK_STR(inv.in.msg.author, "40");
    CHECK_STR(inv.in.msg.community, "30");
    CHECK(inv.in.msg.mentions_bot);
    CHECK(!lo_discord_invocation_private(&inv));
    CHECK_STR(inv.token, ITOKEN);
    lo_discord_invocation_clear(&inv);
    json_decref(d);

    d = json_loads("{\"id\":\"78\",\"application_id\":\"555\",\"type\":2,\"token\":\"t\","
                   "\"channel_id\":\"21\",\"user\":{\"id\":\"41\"},\"data\":{\"name\":\"leanon\","
                   "\"options\":[{\"type\":1,\"name\":\"helpline\"}]}}",
                   0, NULL);
    CHECK(lo_discord_invocation_parse(d, &inv));
    CHECK(inv.in.msg.is_dm);
    CHECK_STR(inv.in.msg.text, "helpline");
    CHECK(lo_discord_invocation_private(&inv));
    lo_discord_invocation_clear(&inv);
    json_decref(d);

    d = json_loads("{\"id\":\"79\",\"application_id\":\"555\",\"type\":2,\"token\":\"t\","
                   "\"channel_id\":\"21\",\"user\":{\"id\":\"41\"},\"data\":{\"name\":\"leanon\","
                   "\"options\":[{\"type\":1,\"name\":\"rm -rf\"}]}}",
                   0, NULL);
    CHECK(!lo_discord_invocation_parse(d, &inv));
    CHECK(inv.token == NULL);
    json_decref(d);
}

static void test_user_agent(void)
{
    char ua[128];
    lo_discord_user_agent(ua, sizeof ua, "https://127.0.0.1/leanon", "0.1.0");
    CHECK_STR(ua, "DiscordBot (https://127.0.0.1/leanon, 0.1.0)");
}

static void test_alert(void)
{
    char *alert = lo_discord_alert_content("30", "20", "10", "crisis-suicide", NULL, 0);
    CHECK(strstr(alert, "https://discord.com/channels/30/20/10") != NULL);
    CHECK(strstr(alert, "crisis-suicide") != NULL);
    CHECK(strstr(alert, ">>>") == NULL);
    free(alert);
    const char *words = "I can't go on";
    alert = lo_discord_alert_content("30", "20", "10", "crisis-suicide", words, strlen(words));
    CHECK(strstr(alert, ">>> I can't go on") != NULL);
    free(alert);
    char link[128];
    lo_discord_jump_link(link, sizeof link, NULL, "20", "10");
    CHECK_STR(link, "https://discord.com/channels/@me/20/10");
    lo_discord_jump_link(link, sizeof link, "30", "20", NULL);
    CHECK_STR(link, "https://discord.com/channels/30/20");
}

/* The "Not helpful" button under a reply, and reading a press of it. */
static void test_feedback_button(void)
{
    lo_discord_call call;
    CHECK(lo_discord_call_create_message(&call, "20", "hello", 5, "10", NULL, "r10.0"));
    CHECK(lo_discord_call_add_feedback_button(&call, "loneliness"));
    const json_t *row = json_array_get(json_object_get(call.body, "components"), 0);
    const json_t *button = json_array_get(json_object_get(row, "components"), 0);
    CHECK_EQ_U64(json_integer_value(json_object_get(row, "type")), 1);
    CHECK_EQ_U64(json_integer_value(json_object_get(button, "type")), 2);
    CHECK_STR(json_string_value(json_object_get(button, "custom_id")),
              "leanon:unhelpful:loneliness");
    CHECK(!lo_discord_call_add_feedback_button(&call, ""));
    lo_discord_call_clear(&call);

    const char *press =
        "{\"type\": 3, \"id\": \"555\", \"token\": \"" ITOKEN "\","
        " \"member\": {\"user\": {\"id\": \"7\"}},"
        " \"data\": {\"custom_id\": \"leanon:unhelpful:reflect/q2\", \"component_type\": 2}}";
    json_t *d = json_loads(press, 0, NULL);
    lo_discord_feedback fb;
    CHECK(lo_discord_feedback_parse(d, &fb));
    CHECK_STR(fb.rule_id, "reflect/q2");
    CHECK_STR(fb.interaction_id, "555");
    lo_discord_feedback_clear(&fb);
    /* another button, a forged id, a bot, a slash command: not feedback */
    json_object_set_new(json_object_get(d, "data"), "custom_id", json_string("other:thing"));
    CHECK(!lo_discord_feedback_parse(d, &fb));
    json_object_set_new(json_object_get(d, "data"), "custom_id",
                        json_string("leanon:unhelpful:<@everyone>"));
    CHECK(!lo_discord_feedback_parse(d, &fb));
    json_object_set_new(json_object_get(d, "data"), "custom_id",
                        json_string("leanon:unhelpful:greeting"));
    json_object_set_new(json_object_get(json_object_get(d, "member"), "user"), "bot", json_true());
    CHECK(!lo_discord_feedback_parse(d, &fb));
    json_object_set_new(json_object_get(json_object_get(d, "member"), "user"), "bot", json_false());
    json_object_set_new(d, "type", json_integer(2));
    CHECK(!lo_discord_feedback_parse(d, &fb));
    json_decref(d);
}

int main(void)
{
    test_create_message();
    test_interaction_calls_hide_the_token();
    test_commands_registration();
    test_invocation();
    test_user_agent();
    test_alert();
    test_feedback_button();
    TEST_MAIN_END();
}
