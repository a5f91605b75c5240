/* test_commands.c - prefix recognition and the bot's own commands. */
#include "bot/commands.h"

#include <stdlib.h>

#include "../testing.h"

static lo_command parse(const char *text, bool *matched)
{
    lo_command c = {0};
    *matched = lo_command_parse("!leanon", text, strlen(text), &c);
    return c;
}

static bool text_is(const lo_command *c, const char *want)
{
    return c->text_len == strlen(want) && memcmp(c->text, want, c->text_len) == 0;
}

int main(void)
{
    bool matched;
    lo_command c = parse("!leanon help", &matched);
    CHECK(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "help"));
    c = parse("  !LeanOn:  tips for sleep  ", &matched);
    CHECK(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "tips for sleep"));
    c = parse("!leanon", &matched);
    CHECK(matched && text_is(&c, "help"));
    c = parse("!leanon stop", &matched);
    CHECK(matched && c.kind == LO_COMMAND_STOP);
    c = parse("!leanon START", &matched);
    CHECK(matched && c.kind == LO_COMMAND_START);
    c = parse("!leanon about", &matched);
    CHECK(matched && c.kind == LO_COMMAND_ABOUT);
    c = parse("!leanon stop making me sad", &matched); /* not the stop command */
    CHECK(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "stop making me sad"));
    parse("!leanonx help", &matched);
    CHECK(!matched);
    parse("hey !leanon help", &matched);
    CHECK(!matched);
    parse("!lean", &matched);
    CHECK(!matched);

    lo_command bare;
    CHECK(lo_command_parse_bare("  Stop \n", 7, &bare) && bare.kind == LO_COMMAND_STOP);
    CHECK(lo_command_parse_bare("about", 5, &bare) && bare.kind == LO_COMMAND_ABOUT);
    CHECK(!lo_command_parse_bare("help", 4, &bare));
    CHECK(!lo_command_parse_bare("stop it", 7, &bare));

    CHECK(lo_command_parse_bare(" Opt out ", 9, &bare) && bare.kind == LO_COMMAND_OPT_OUT);
    c = parse("!leanon opt-out", &matched);
    CHECK(matched && c.kind == LO_COMMAND_OPT_OUT);

    /* The words of a command on each platform: bare where every message is direct. */
    char words[64];
    lo_command_words("webchat", "!leanon", "start", words, sizeof words);
    CHECK_STR(words, "start");
    lo_command_words("console", "!leanon", "start", words, sizeof words);
    CHECK_STR(words, "start");
    lo_command_words("discord", "?lo", "start", words, sizeof words);
    CHECK_STR(words, "?lo start");

    /* The opt-out confirmation says what it means and how to undo it on this platform. */
    char *answer = lo_command_answer(LO_COMMAND_STOP, "discord", "!leanon", 30);
    CHECK(answer && strstr(answer, "you have opted out") && strstr(answer, "\"!leanon start\"") &&
          strstr(answer, "crisis"));
    free(answer);
    answer = lo_command_answer(LO_COMMAND_OPT_OUT, "webchat", "!leanon", 30);
    CHECK(answer && strstr(answer, "until you write \"start\"") && !strstr(answer, "!leanon"));
    free(answer);
    answer = lo_command_answer(LO_COMMAND_ABOUT, "discord", "?lo", 45);
    CHECK(answer && strstr(answer, "not a therapist") && strstr(answer, "?lo opt out") &&
          strstr(answer, "up to 45 minutes"));
    free(answer);
    CHECK(lo_command_answer(LO_COMMAND_ENGINE, "discord", "!leanon", 30) == NULL);
    /* Not saved: said so, asked to try again, never the confirmation. */
    answer = lo_command_unsaved_answer(LO_COMMAND_STOP, "discord", "?lo");
    CHECK(answer && strstr(answer, "could not save") && strstr(answer, "\"?lo opt out\" again") &&
          strstr(answer, "mute me") && !strstr(answer, "Okay"));
    free(answer);
    answer = lo_command_unsaved_answer(LO_COMMAND_START, "discord", "?lo");
    CHECK(answer && strstr(answer, "could not save") && strstr(answer, "\"?lo start\" again") &&
          !strstr(answer, "Welcome back"));
    free(answer);
    CHECK(lo_command_unsaved_answer(LO_COMMAND_ABOUT, "discord", "?lo") == NULL);
    answer = lo_command_stay_note("webchat", "!leanon", 30);
    CHECK(answer && strstr(answer, "next 30 minutes") && strstr(answer, "\"start\""));
    free(answer);
    answer = lo_command_people_answer("Write to #helpers, we answer within a day.", "discord",
                                      "!leanon");
    CHECK(answer && strstr(answer, "I am a bot") && strstr(answer, "Write to #helpers") &&
          strstr(answer, "\"!leanon helpline\""));
    free(answer);

    /* "helpline <region>" */
    char region[32];
    CHECK(lo_command_region_request("helpline uk", 11, region, sizeof region));
    CHECK_STR(region, "uk");
    CHECK(lo_command_region_request(" Hotlines New Zealand? ", 23, region, sizeof region));
    CHECK_STR(region, "New Zealand");
    CHECK(!lo_command_region_request("helpline", 8, region, sizeof region));
    CHECK(!lo_command_region_request("helpline 911", 12, region, sizeof region));
    CHECK(
        !lo_command_region_request("helpline for my friend who is sad", 33, region, sizeof region));
    CHECK_STR(lo_command_unsaved_category(LO_COMMAND_STOP), "command-stop-failed");
    CHECK_STR(lo_command_unsaved_category(LO_COMMAND_START), "command-start-failed");
    CHECK_STR(lo_command_category(LO_COMMAND_START), "command-start");
    TEST_MAIN_END();
}
