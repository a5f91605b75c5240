/* test_asks.c - what a person can ask about the bot itself (issue 14, parts 2, 4 and 5),
 * through the bot with the shipped responses: "why did you say that?" explains the last
 * reply in plain words; "I want to talk to a real person" gives the community's
 * people_contact, or says honestly that the bot cannot bring one and gives the lines;
 * "helpline <region>" gives that region's lines, or the known regions; and a crisis reply
 * with no region configured carries the first line of the common English regions. */
#include "bot_fixture.h"

/* A direct message from the web chat tab channel (its author too). */
static bot_said say(bot_fixture *f, const lo_community_settings *community, const char *channel,
                    const char *text, double now)
{
    lo_message m = {.platform = "webchat", .channel = channel, .author = channel, .is_dm = true};
    return bot_say(f, community, m, text, now);
}

/* "why" names the kind of message the last reply was for, in plain words, and that a bot
 * chose a reply the moderators wrote; asking twice explains the same reply. */
static void why(bot_fixture *f)
{
    bot_said s = say(f, NULL, "why-1", "why", 1);
    CHECK_STR(s.category, "why");
    CHECK(strstr(s.text, "I have not answered anything yet") != NULL);
    CHECK_STR(say(f, NULL, "why-1", "hello", 2).category, "greeting");
    s = say(f, NULL, "why-1", "why did you say that?", 3);
    CHECK_STR(s.category, "why");
    CHECK(strstr(s.text, "You greeted me, so I said hello back.") != NULL);
    CHECK(strstr(s.text, "bot") && strstr(s.text, "moderators"));
    s = say(f, NULL, "why-1", "why", 4);
    CHECK(strstr(s.text, "You greeted me") != NULL); /* still about the greeting */

    CHECK_STR(say(f, NULL, "why-1", "qwxz plorb", 5).category, "fallback");
    s = say(f, NULL, "why-1", "why would you say that", 6);
    CHECK(strstr(s.text, "I did not recognise what your last message was about") != NULL);

    /* a category without a sentence of its own: made from its name */
    CHECK_STR(say(f, NULL, "why-1", "I can't sleep at night", 7).category, "sleep");
    s = say(f, NULL, "why-1", "why", 8);
    CHECK(strstr(s.text, "I took your last message to be about sleep, so I chose") != NULL);

    CHECK_STR(say(f, NULL, "why-1", "I want to kill myself", 9).category, "crisis-suicide");
    s = say(f, NULL, "why-1", "why", 10);
    CHECK(strstr(s.text, "thinking about suicide, so I shared crisis lines first") != NULL);

    /* after the bot's own command, "why" is about that reply, not the one before it */
    CHECK_STR(say(f, NULL, "why-1", "about", 11).category, "command-about");
    s = say(f, NULL, "why-1", "why", 12);
    CHECK(strstr(s.text, "You asked what I am, so I said: a bot") != NULL);
}

static void a_person(bot_fixture *f)
{
    bot_said s = say(f, NULL, "human-1", "I want to talk to a real person", 20);
    CHECK_STR(s.category, "human");
    CHECK(strstr(s.text, "can't bring a person into this chat") != NULL);
    CHECK(strstr(s.text, "988") && strstr(s.text, "findahelpline.com"));

    lo_community_settings community = {
        .people_contact = "Write to our volunteers at https://example.org/talk (9-21 every day)."};
    s = say(f, &community, "human-2", "human", 21);
    CHECK_STR(s.category, "human");
    CHECK(strstr(s.text, "I am a bot, so I cannot be that person") != NULL);
    CHECK(strstr(s.text, "Write to our volunteers at https://example.org/talk") != NULL);
    CHECK(strstr(s.text, "write \"helpline\"") != NULL);
    CHECK(strstr(s.text, "can't bring a person") == NULL);
}

static void helplines(bot_fixture *f)
{
    bot_said s = say(f, NULL, "lines-1", "helpline uk", 30);
    CHECK_STR(s.category, "helpline");
    CHECK(strstr(s.text, "Samaritans: call 116 123") && strstr(s.text, "call 999"));
    CHECK(strstr(s.text, "988") == NULL);
    s = say(f, NULL, "lines-1", "helpline US", 31);
    CHECK(strstr(s.text, "988 Suicide & Crisis Lifeline: call or text 988") &&
          strstr(s.text, "call 911"));
    s = say(f, NULL, "lines-1", "hotlines new zealand", 32);
    CHECK(strstr(s.text, "1737") != NULL);
    s = say(f, NULL, "lines-1", "helpline germany", 33);
    CHECK(strstr(s.text, "0800 111 0 111") != NULL);

    s = say(f, NULL, "lines-1", "helpline narnia", 34);
    CHECK_STR(s.category, "helpline");
    CHECK(strstr(s.text, "I do not have lines for \"narnia\". The regions I know are: US "
                         "(United States), CA (Canada), GB (United Kingdom)") != NULL);
    CHECK(strstr(s.text, "Write, for example, \"helpline US\".") != NULL);
    CHECK(strstr(s.text, "international (") == NULL);
    CHECK(strstr(s.text, "findahelpline.com") != NULL); /* the lines meanwhile */

    /* with no region: the common English regions' first lines, then the directory */
    s = say(f, NULL, "lines-2", "I want to kill myself", 35);
    const char *us =
        strstr(s.text, "988 Suicide & Crisis Lifeline (United States): call or text 988");
    const char *gb = strstr(s.text, "Samaritans (United Kingdom): call 116 123");
    const char *ca = strstr(s.text, "(Canada): call or text 988");
    const char *au = strstr(s.text, "Lifeline (Australia): call 13 11 14");
    const char *directory = strstr(s.text, "https://findahelpline.com");
    CHECK(us && gb && ca && au && directory);
    CHECK(us < gb && gb < ca && ca < au && au < directory);
    /* a community with a region: its own lines only */
    lo_community_settings gb_community = {.region = "GB"};
    s = say(f, &gb_community, "lines-3", "I want to kill myself", 36);
    CHECK(strstr(s.text, "116 123") && !strstr(s.text, "(United States)"));
}

int main(void)
{
    bot_fixture f;
    bot_fixture_open(&f, RESPONSES);
    why(&f);
    a_person(&f);
    helplines(&f);
    bot_fixture_close(&f);
    TEST_MAIN_END();
}
