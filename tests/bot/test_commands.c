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

    char *answer = lo_command_answer(LO_COMMAND_STOP, "!leanon", 30);
    CHECK(answer && strstr(answer, "!leanon start") && strstr(answer, "crisis"));
    free(answer);
    answer = lo_command_answer(LO_COMMAND_ABOUT, "?lo", 45);
    CHECK(answer && strstr(answer, "not a therapist") && strstr(answer, "?lo stop") &&
          strstr(answer, "up to 45 minutes"));
    free(answer);
    CHECK(lo_command_answer(LO_COMMAND_ENGINE, "!leanon", 30) == NULL);
    /* Not saved: said so, asked to try again, never the confirmation. */
    answer = lo_command_unsaved_answer(LO_COMMAND_STOP, "?lo");
    CHECK(answer && strstr(answer, "could not save") && strstr(answer, "\"?lo stop\" again") &&
          strstr(answer, "mute me") && !strstr(answer, "Okay"));
    free(answer);
    answer = lo_command_unsaved_answer(LO_COMMAND_START, "?lo");
    CHECK(answer && strstr(answer, "could not save") && strstr(answer, "\"?lo start\" again") &&
          !strstr(answer, "Welcome back"));
    free(answer);
    CHECK(lo_command_unsaved_answer(LO_COMMAND_ABOUT, "?lo") == NULL);
    CHECK_STR(lo_command_unsaved_category(LO_COMMAND_STOP), "command-stop-failed");
    CHECK_STR(lo_command_unsaved_category(LO_COMMAND_START), "command-start-failed");
    CHECK_STR(lo_command_category(LO_COMMAND_START), "command-start");
    TEST_MAIN_END();
}
