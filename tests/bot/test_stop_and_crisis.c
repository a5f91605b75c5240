/* test_stop_and_crisis.c - stop, opt out and crisis made coherent (issue 14, part 1), through
 * the bot with the shipped responses and a clock the test sets: "stop" inside a flow ends
 * only the flow; outside one it opts out, with the undo words of the platform; "opt out"
 * opts out anywhere; a crisis message from a person who opted out gets the crisis reply,
 * and the bot stays with them in that conversation for 30 minutes, then is quiet again. */
#include "bot_fixture.h"

static const lo_message webchat = {
    .platform = "webchat", .channel = "tab-1", .author = "browser-1", .is_dm = true};
static const lo_message discord_dm = {
    .platform = "discord", .community = "g1", .channel = "dm-7", .author = "u7", .is_dm = true};
static const lo_message discord_channel = {
    .platform = "discord", .community = "g1", .channel = "general", .author = "u8"};

/* In a flow, stop ends the flow; then stop opts out, saying how to undo it in the web chat. */
static void stop_in_a_flow(bot_fixture *f)
{
    bot_said s = bot_say(f, NULL, webchat, "reflect", 10);
    CHECK_STR(s.category, "reflect");
    s = bot_say(f, NULL, webchat, "stop", 11);
    CHECK(s.verdict == LO_VERDICT_ANSWER);
    CHECK_STR(s.category, "reflect"); /* the flow's leave answer */
    CHECK(strstr(s.text, "Thank you for the time you gave this") != NULL);
    CHECK(lo_optout_has(f->optouts, "webchat", "browser-1") == 0);
    s = bot_say(f, NULL, webchat, "hello", 12);
    CHECK_STR(s.category, "greeting"); /* still talking */

    s = bot_say(f, NULL, webchat, "stop", 13); /* outside a flow: opts out */
    CHECK_STR(s.category, "command-stop");
    CHECK(strstr(s.text, "you have opted out") && strstr(s.text, "until you write \"start\""));
    CHECK(strstr(s.text, "!leanon") == NULL);
    CHECK(lo_optout_has(f->optouts, "webchat", "browser-1") == 1);
    char undo[64] = "";
    lo_reply confirmation = {.category = "command-stop"};
    CHECK(lo_bot_opted_out_notice(NULL, &webchat, LO_VERDICT_ANSWER, &confirmation, undo,
                                  sizeof undo));
    CHECK_STR(undo, "start");

    s = bot_say(f, NULL, webchat, "hello", 14);
    CHECK(s.verdict == LO_VERDICT_SKIP_OPTED_OUT);
    lo_reply none = {0};
    undo[0] = '\0';
    CHECK(lo_bot_opted_out_notice(NULL, &webchat, s.verdict, &none, undo, sizeof undo));
    CHECK_STR(undo, "start");
    CHECK(!lo_bot_opted_out_notice(NULL, &webchat, LO_VERDICT_SKIP_COOLDOWN, &none, undo,
                                   sizeof undo));
    s = bot_say(f, NULL, webchat, "start", 15);
    CHECK_STR(s.category, "command-start");
    CHECK(strstr(s.text, "Write \"opt out\"") != NULL);
    CHECK(lo_optout_has(f->optouts, "webchat", "browser-1") == 0);
}

/* "opt out" opts out even inside a flow; on Discord the undo words carry the prefix. */
static void opt_out_anywhere(bot_fixture *f)
{
    lo_community_settings g1 = {.id = "g1", .prefix = "?lo"};
    bot_said s = bot_say(f, &g1, discord_dm, "reflect", 20);
    CHECK_STR(s.category, "reflect");
    s = bot_say(f, &g1, discord_dm, "opt out", 21);
    CHECK_STR(s.category, "command-stop");
    CHECK(strstr(s.text, "until you write \"?lo start\"") != NULL);
    CHECK(lo_optout_has(f->optouts, "discord", "u7") == 1);
    CHECK(bot_say(f, &g1, discord_dm, "hello", 22).verdict == LO_VERDICT_SKIP_OPTED_OUT);
    char undo[64];
    lo_reply none = {0};
    CHECK(lo_bot_opted_out_notice(&g1, &discord_dm, LO_VERDICT_SKIP_OPTED_OUT, &none, undo,
                                  sizeof undo));
    CHECK_STR(undo, "?lo start");
    CHECK_STR(bot_say(f, &g1, discord_dm, "?lo start", 23).category, "command-start");

    /* in a server channel: "!leanon stop" outside a flow opts out, "!leanon start" undoes */
    s = bot_say(f, NULL, discord_channel, "!leanon stop", 30);
    CHECK_STR(s.category, "command-stop");
    CHECK(strstr(s.text, "until you write \"!leanon start\"") != NULL);
    CHECK(bot_say(f, NULL, discord_channel, "!leanon hello", 31).verdict ==
          LO_VERDICT_SKIP_OPTED_OUT);
    CHECK_STR(bot_say(f, NULL, discord_channel, "!leanon start", 32).category, "command-start");
}

/* A crisis from a person who opted out: the crisis reply, saying the bot stays; answered
 * for 30 minutes in that conversation; quiet again after. */
static void crisis_while_opted_out(bot_fixture *f)
{
    const double t = 1000;
    CHECK_STR(bot_say(f, NULL, webchat, "opt out", t).category, "command-stop");
    CHECK(bot_say(f, NULL, webchat, "hello", t + 1).verdict == LO_VERDICT_SKIP_OPTED_OUT);
    bot_said s = bot_say(f, NULL, webchat, "I want to kill myself", t + 2);
    CHECK(s.verdict == LO_VERDICT_ANSWER);
    CHECK_STR(s.category, "crisis-suicide");
    CHECK(strstr(s.text, "findahelpline.com") != NULL);
    CHECK(strstr(s.text, "I will stay with you here and answer you for the next 30 minutes") &&
          strstr(s.text, "unless you write \"start\""));
    s = bot_say(f, NULL, webchat, "I'm scared, please talk to me", t + 60);
    CHECK(s.verdict == LO_VERDICT_ANSWER && s.text[0]);
    CHECK_STR(bot_say(f, NULL, webchat, "hello?", t + 2 + 29 * 60).category, "greeting");
    /* another tab of the same browser is another conversation: still quiet there */
    lo_message other_tab = webchat;
    other_tab.channel = "tab-2";
    CHECK(bot_say(f, NULL, other_tab, "hello", t + 120).verdict == LO_VERDICT_SKIP_OPTED_OUT);
    /* 30 minutes after the crisis message: quiet again, still opted out */
    CHECK(bot_say(f, NULL, webchat, "hello", t + 2 + 30 * 60 + 1).verdict ==
          LO_VERDICT_SKIP_OPTED_OUT);
    CHECK(lo_optout_has(f->optouts, "webchat", "browser-1") == 1);

    /* a new crisis starts a new stay; opting out again ends it at once */
    CHECK_STR(bot_say(f, NULL, webchat, "I want to kill myself", t + 4000).category,
              "crisis-suicide");
    CHECK_STR(bot_say(f, NULL, webchat, "hello", t + 4001).category, "greeting");
    CHECK_STR(bot_say(f, NULL, webchat, "stop", t + 4002).category, "command-stop");
    CHECK(bot_say(f, NULL, webchat, "hello", t + 4003).verdict == LO_VERDICT_SKIP_OPTED_OUT);

    /* A person who did not opt out gets no such note. */
    lo_message fresh = webchat;
    fresh.author = "browser-2";
    fresh.channel = "tab-9";
    s = bot_say(f, NULL, fresh, "I want to kill myself", t + 5000);
    CHECK_STR(s.category, "crisis-suicide");
    CHECK(strstr(s.text, "stay with you") == NULL);
}

int main(void)
{
    bot_fixture f;
    bot_fixture_open(&f, RESPONSES);
    stop_in_a_flow(&f);
    opt_out_anywhere(&f);
    crisis_while_opted_out(&f);
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_IGNORED, "opted_out") == 7);
    bot_fixture_close(&f);
    TEST_MAIN_END();
}
