/* test_commands.c - prefix recognition and the bot's own commands. */
#include "bot/commands.h"

#include <stdlib.h>

#include "../expect.h"

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
    EXPECT(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "help"));
    c = parse("  !LeanOn:  tips for sleep  ", &matched);
    EXPECT(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "tips for sleep"));
    c = parse("!leanon", &matched);
    EXPECT(matched && text_is(&c, "help"));
    c = parse("!leanon stop", &matched);
    EXPECT(matched && c.kind == LO_COMMAND_STOP);
    c = parse("!leanon START", &matched);
    EXPECT(matched && c.kind == LO_COMMAND_START);
    c = parse("!leanon about", &matched);
    EXPECT(matched && c.kind == LO_COMMAND_ABOUT);
    c = parse("!leanon stop making me sad", &matched);   /* not the stop command */
    EXPECT(matched && c.kind == LO_COMMAND_ENGINE && text_is(&c, "stop making me sad"));
    parse("!leanonx help", &matched);
    EXPECT(!matched);
    parse("hey !leanon help", &matched);
    EXPECT(!matched);
    parse("!lean", &matched);
    EXPECT(!matched);

    lo_command bare;
    EXPECT(lo_command_parse_bare("  Stop \n", 7, &bare) && bare.kind == LO_COMMAND_STOP);
    EXPECT(lo_command_parse_bare("about", 5, &bare) && bare.kind == LO_COMMAND_ABOUT);
    EXPECT(!lo_command_parse_bare("help", 4, &bare));
    EXPECT(!lo_command_parse_bare("stop it", 7, &bare));

    char *answer = lo_command_answer(LO_COMMAND_STOP, "!leanon", 30);
    EXPECT(answer && strstr(answer, "!leanon start") && strstr(answer, "crisis"));
    free(answer);
    answer = lo_command_answer(LO_COMMAND_ABOUT, "?lo", 45);
    EXPECT(answer && strstr(answer, "not a therapist") && strstr(answer, "?lo stop") &&
           strstr(answer, "up to 45 minutes"));
    free(answer);
    EXPECT(lo_command_answer(LO_COMMAND_ENGINE, "!leanon", 30) == NULL);
    EXPECT_STR(lo_command_category(LO_COMMAND_START), "command-start");
    return expect_finish();
}
