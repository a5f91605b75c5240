/* test_check_in.c - a check-in through the bot, with the shipped response
 * set: it passes an opt-out and a cooldown like a crisis answer, raises no
 * moderator alert, is counted by category, and a "yes" to it is a crisis. */
#include "bot_fixture.h"

static lo_message message(const char *author, const char *text)
{
    return (lo_message){.platform = "discord",
                        .community = "g1",
                        .channel = "general",
                        .author = author,
                        .text = text,
                        .text_len = strlen(text)};
}

static lo_verdict ask(lo_bot *bot, const lo_community_settings *g1, const char *author,
                      const char *text, double now, lo_reply *r)
{
    lo_message m = message(author, text);
    return lo_bot_handle(bot, g1, &m, now, r);
}

int main(void)
{
    bot_fixture f;
    bot_fixture_open(&f, RESPONSES);
    lo_bot *bot = f.bot;
    lo_optout *optouts = f.optouts;
    lo_metrics *metrics = f.metrics;
    lo_community_settings g1 = {.id = "g1", .person_cooldown = 60, .channel_cooldown = 10};

    lo_reply r;
    CHECK(ask(bot, &g1, "u1", "!leanon stop", 1, &r) == LO_VERDICT_ANSWER);
    lo_reply_clear(&r);
    CHECK(lo_optout_has(optouts, "discord", "u1") == 1);
    /* opted out, and within the cooldown of the stop reply: still asked */
    CHECK(ask(bot, &g1, "u1", "!leanon the bridge, tonight", 2, &r) == LO_VERDICT_ANSWER);
    CHECK(r.risk == LO_RISK_CHECK_IN);
    CHECK(!r.crisis);
    CHECK(!r.alert_moderators);
    CHECK_STR(r.category, "check-in-suicide");
    CHECK(r.text && strstr(r.text, "hurting yourself") != NULL);
    lo_reply_clear(&r);
    CHECK(lo_metrics_get(metrics, LO_METRIC_CHECK_INS, "suicide") == 1);
    CHECK(lo_metrics_get(metrics, LO_METRIC_CRISIS_REPLIES, "discord") == 0);

    /* a person not opted out: the answer "yes" makes it a crisis, with the alert */
    CHECK(ask(bot, &g1, "u2", "!leanon the bridge, tonight", 100, &r) == LO_VERDICT_ANSWER);
    CHECK(r.risk == LO_RISK_CHECK_IN);
    lo_reply_clear(&r);
    CHECK(ask(bot, &g1, "u2", "!leanon yes", 101, &r) == LO_VERDICT_ANSWER);
    CHECK(r.risk == LO_RISK_CRISIS);
    CHECK(r.alert_moderators);
    CHECK_STR(r.category, "crisis-suicide");
    lo_reply_clear(&r);
    CHECK(lo_metrics_get(metrics, LO_METRIC_CHECK_INS, "suicide") == 2);
    CHECK(lo_metrics_get(metrics, LO_METRIC_CRISIS_REPLIES, "discord") == 1);

    bot_fixture_close(&f);
    TEST_MAIN_END();
}
