/* test_message.c - MESSAGE_CREATE -> lo_message: people only (not bots, webhooks, itself,
 * system messages), community/channel/author, is_dm, mentions_bot, the bot's mention stripped
 * in both forms, ids checked before they can reach a REST path. */
#include "platforms/discord_message.h"
#include "testing.h"

#define SELF "999"

static bool parse(const char *json, lo_discord_inbound *in)
{
    json_t *d = json_loads(json, 0, NULL);
    bool ok = lo_discord_message_parse(d, SELF, in);
    json_decref(d);
    return ok;
}

static void test_guild_mention(void)
{
    lo_discord_inbound in;
    CHECK(parse("{\"id\":\"10\",\"type\":0,\"channel_id\":\"20\",\"guild_id\":\"30\","
                "\"author\":{\"id\":\"40\",\"username\":\"sam\"},\"member\":{\"nick\":\"Sammy\"},"
                "\"content\":\"<@999> I feel alone\",\"mentions\":[{\"id\":\"999\"}]}",
                &in));
    CHECK_STR(in.msg.platform, "discord");
    CHECK_STR(in.msg.community, "30");
    CHECK_STR(in.msg.channel, "20");
    CHECK_STR(in.msg.author, "40");
    CHECK_STR(in.msg.author_name, "Sammy");
    CHECK_STR(in.message_id, "10");
    CHECK(!in.msg.is_dm);
    CHECK(in.msg.mentions_bot);
    CHECK_STR(in.msg.text, "I feel alone");
    CHECK_EQ_U64(in.msg.text_len, 12);
    lo_discord_inbound_clear(&in);
}

static void test_dm_and_nick_mention_form(void)
{
    lo_discord_inbound in;
    CHECK(parse("{\"id\":\"11\",\"type\":19,\"channel_id\":\"21\",\"author\":{\"id\":\"41\","
                "\"username\":\"kim\",\"global_name\":\"Kim\"},\"content\":\"hey <@!999> there\","
                "\"mentions\":[]}",
                &in));
    CHECK(in.msg.is_dm);
    CHECK(in.msg.community == NULL);
    CHECK(!in.msg.mentions_bot); /* not in `mentions`: only the text names it */
    CHECK_STR(in.msg.text, "hey there");
    CHECK_STR(in.msg.author_name, "Kim");
    lo_discord_inbound_clear(&in);
}

static void test_other_mentions_stay(void)
{
    char text[] = "<@123> and <@999> and <@9990>";
    lo_discord_strip_mention(text, SELF);
    CHECK_STR(text, "<@123> and and <@9990>");
}

static void test_not_from_people(void)
{
    lo_discord_inbound in;
    CHECK(!parse(
        "{\"id\":\"1\",\"type\":0,\"channel_id\":\"2\",\"author\":{\"id\":\"3\",\"bot\":true},"
        "\"content\":\"hi\"}",
        &in));
    CHECK(!parse("{\"id\":\"1\",\"type\":0,\"channel_id\":\"2\",\"author\":{\"id\":\"999\"},"
                 "\"content\":\"my own reply\"}",
                 &in));
    CHECK(!parse("{\"id\":\"1\",\"type\":0,\"channel_id\":\"2\",\"webhook_id\":\"5\","
                 "\"author\":{\"id\":\"3\"},\"content\":\"hook\"}",
                 &in));
    CHECK(!parse("{\"id\":\"1\",\"type\":7,\"channel_id\":\"2\",\"author\":{\"id\":\"3\"},"
                 "\"content\":\"\"}",
                 &in)); /* member join */
    CHECK(!parse("{\"id\":\"1\",\"type\":0,\"channel_id\":\"../x\",\"author\":{\"id\":\"3\"},"
                 "\"content\":\"hi\"}",
                 &in)); /* not a snowflake */
    CHECK(!parse("{\"id\":\"1\",\"type\":0,\"channel_id\":\"2\",\"author\":{\"id\":\"3\"}}", &in));
    CHECK(in.text == NULL && in.author_name == NULL);
}

static void test_snowflakes(void)
{
    CHECK(lo_discord_is_snowflake("1"));
    CHECK(lo_discord_is_snowflake("12345678901234567890"));
    CHECK(!lo_discord_is_snowflake("123456789012345678901"));
    CHECK(!lo_discord_is_snowflake(""));
    CHECK(!lo_discord_is_snowflake("12a"));
    CHECK(!lo_discord_is_snowflake(NULL));
}

int main(void)
{
    test_guild_mention();
    test_dm_and_nick_mention_form();
    test_other_mentions_stay();
    test_not_from_people();
    test_snowflakes();
    TEST_MAIN_END();
}
