/* test_bot.c - the whole flow of a message with the engine's test fixture set:
 * addressing, stop/start persisted, crisis replies through opt-out, cooldown
 * and a running flow, listen channels, and the metrics it counts. */
#include "bot_fixture.h"

static lo_message message(const char *author, const char *channel, bool dm, const char *text)
{
    return (lo_message){.platform = "discord",
                        .community = "g1",
                        .channel = channel,
                        .author = author,
                        .is_dm = dm,
                        .text = text,
                        .text_len = strlen(text)};
}

static lo_verdict ask(lo_bot *bot, const lo_community_settings *g1, lo_message m, double now,
                      char *category, size_t size)
{
    lo_reply r;
    lo_verdict v = lo_bot_handle(bot, g1, &m, now, &r);
    snprintf(category, size, "%s", v == LO_VERDICT_ANSWER ? r.category : "");
    if (v == LO_VERDICT_ANSWER)
        CHECK(r.text && *r.text);
    else
        CHECK(r.text == NULL);
    lo_reply_clear(&r);
    return v;
}

int main(void)
{
    char cat[48];
    bot_fixture f;
    bot_fixture_open(&f, FIXTURE_SET);
    lo_bot *bot = f.bot;
    lo_optout *optouts = f.optouts;
    lo_metrics *metrics = f.metrics;

    const char *listen[] = {"support"};
    lo_community_settings g1 = {.id = "g1",
                                .listen_channels = listen,
                                .listen_count = 1,
                                .person_cooldown = 60,
                                .channel_cooldown = 10};

    CHECK(ask(bot, &g1, message("u1", "dm-1", true, "hello"), 1, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "greeting");
    CHECK(ask(bot, &g1, message("u1", "general", false, "hello"), 2, cat, sizeof cat) ==
          LO_VERDICT_SKIP_NOT_ADDRESSED);
    CHECK(ask(bot, &g1, message("u1", "general", false, "!leanon hello"), 3, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "greeting"); /* the prefix is taken off */
    CHECK(ask(bot, &g1, message("u1", "general", false, "!leanon hello"), 4, cat, sizeof cat) ==
          LO_VERDICT_SKIP_COOLDOWN);
    CHECK(ask(bot, &g1, message("u1", "general", false, "!leanon I want to die"), 5, cat,
              sizeof cat) == LO_VERDICT_ANSWER); /* crisis: no cooldown */
    CHECK(strncmp(cat, "crisis-", 7) == 0);

    /* Listen channel: crisis only, unaddressed. */
    CHECK(ask(bot, &g1, message("u2", "support", false, "I feel so lonely"), 100, cat,
              sizeof cat) == LO_VERDICT_SKIP_NOT_ADDRESSED);
    CHECK(ask(bot, &g1, message("u2", "support", false, "i want to die"), 101, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "crisis-suicide");

    /* Stop, persisted; crisis still answered; start again. */
    CHECK(ask(bot, &g1, message("u3", "dm-3", true, "stop"), 200, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "command-stop");
    CHECK(lo_optout_has(optouts, "discord", "u3") == 1);
    CHECK(ask(bot, &g1, message("u3", "dm-3", true, "hello"), 201, cat, sizeof cat) ==
          LO_VERDICT_SKIP_OPTED_OUT);
    CHECK(ask(bot, &g1, message("u3", "dm-3", true, "I want to die"), 202, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "crisis-suicide");
    CHECK(ask(bot, &g1, message("u3", "general", false, "!leanon start"), 203, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK(lo_optout_has(optouts, "discord", "u3") == 0);
    CHECK(ask(bot, &g1, message("u3", "dm-3", true, "hello"), 204, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);

    /* In the middle of a guided flow, a crisis message still gets the crisis reply. */
    CHECK(ask(bot, &g1, message("u5", "dm-5", true, "reflect"), 250, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "reflect");
    CHECK(ask(bot, &g1, message("u5", "dm-5", true, "I want to die"), 251, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "crisis-suicide");

    /* "That was wrong" is counted for the rule of the previous reply. */
    CHECK(ask(bot, &g1, message("u6", "dm-6", true, "I feel tired"), 260, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK(ask(bot, &g1, message("u6", "dm-6", true, "that was wrong"), 261, cat, sizeof cat) ==
          LO_VERDICT_ANSWER);
    CHECK_STR(cat, "feedback");
    CHECK(lo_metrics_get(metrics, LO_METRIC_UNHELPFUL, "feel") == 1);

    /* Never itself, never bots. */
    CHECK(ask(bot, &g1, message("leanon-bot", "dm-9", true, "I want to die"), 300, cat,
              sizeof cat) == LO_VERDICT_SKIP_BOT);
    lo_message from_bot = message("b2", "dm-9", true, "I want to die");
    from_bot.author_is_bot = true;
    CHECK(ask(bot, &g1, from_bot, 301, cat, sizeof cat) == LO_VERDICT_SKIP_BOT);

    CHECK(lo_metrics_get(metrics, LO_METRIC_MESSAGES_IN, "discord") == 18);
    CHECK(lo_metrics_get(metrics, LO_METRIC_CRISIS_REPLIES, "discord") == 4);
    CHECK(lo_metrics_get(metrics, LO_METRIC_REPLIES_OUT, "crisis") == 4);
    CHECK(lo_metrics_get(metrics, LO_METRIC_IGNORED, "cooldown") == 1);
    CHECK(lo_metrics_get(metrics, LO_METRIC_IGNORED, "opted_out") == 1);
    CHECK(lo_metrics_get(metrics, LO_METRIC_IGNORED, "bot") == 2);

    bot_fixture_close(&f);
    TEST_MAIN_END();
}
