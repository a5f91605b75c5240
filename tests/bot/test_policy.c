/* test_policy.c - when the bot answers: addressing, bots, listen channels,
 * opt-outs, cooldowns, and crisis replies that nothing holds back. */
#include "bot/policy.h"

#include "../testing.h"

static lo_message channel_msg(const char *author, const char *channel, const char *text)
{
    return (lo_message){.platform = "discord",
                        .community = "g1",
                        .channel = channel,
                        .author = author,
                        .text = text,
                        .text_len = strlen(text)};
}

int main(void)
{
    const char *listen[] = {"support"};
    lo_community_settings g1 = {.id = "g1",
                                .listen_channels = listen,
                                .listen_count = 1,
                                .person_cooldown = 60,
                                .channel_cooldown = 10};
    lo_policy *p = lo_policy_new(0);
    lo_command cmd;

    /* Addressing. */
    lo_message m = channel_msg("u1", "general", "hello there");
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_NOT);
    m.mentions_bot = true;
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_DIRECT);
    m = channel_msg("u1", "general", "!leanon tips");
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_COMMAND);
    CHECK(cmd.kind == LO_COMMAND_ENGINE && cmd.text_len == 4);
    lo_community_settings custom = {.prefix = "?lo"};
    CHECK(lo_policy_addressing(&custom, &m, "bot", &cmd) == LO_ADDRESSED_NOT);
    m = channel_msg("u1", "support", "rough day");
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_LISTEN);
    m = channel_msg("u1", "dm-1", "rough day");
    m.is_dm = true;
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_DIRECT);

    m = channel_msg("u1", "dm-1", "stop");
    m.is_dm = true;
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_COMMAND &&
          cmd.kind == LO_COMMAND_STOP);
    m = channel_msg("u1", "general", "stop");
    m.mentions_bot = true; /* bare commands only in DMs */
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_DIRECT);

    /* Never bots, never itself, even with a crisis. */
    m = channel_msg("bot", "general", "!leanon help");
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_NOT);
    m = channel_msg("other-bot", "general", "I want to die");
    m.author_is_bot = true;
    m.is_dm = true;
    CHECK(lo_policy_addressing(&g1, &m, "bot", &cmd) == LO_ADDRESSED_NOT);
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, true, false, 0) == LO_VERDICT_SKIP_BOT);

    /* Listen channels: crisis only. */
    m = channel_msg("u1", "support", "rough day");
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_LISTEN, false, false, 0) ==
          LO_VERDICT_SKIP_NOT_ADDRESSED);
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_LISTEN, true, false, 0) == LO_VERDICT_ANSWER);
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_NOT, true, false, 0) ==
          LO_VERDICT_SKIP_NOT_ADDRESSED);

    /* Opt-outs: silence, except for a crisis. */
    m = channel_msg("u2", "general", "hi");
    m.mentions_bot = true;
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, false, true, 0) ==
          LO_VERDICT_SKIP_OPTED_OUT);
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, true, true, 0) == LO_VERDICT_ANSWER);

    /* Cooldowns: per person, per channel; crisis bypasses them. */
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, false, false, 100) ==
          LO_VERDICT_ANSWER);
    lo_policy_record(p, &m, 100);
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, false, false, 130) ==
          LO_VERDICT_SKIP_COOLDOWN); /* same person, 30 s later */
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, true, false, 101) == LO_VERDICT_ANSWER);
    lo_message other = channel_msg("u3", "general", "hi");
    CHECK(lo_policy_decide(p, &g1, &other, LO_ADDRESSED_DIRECT, false, false, 105) ==
          LO_VERDICT_SKIP_COOLDOWN); /* same channel, 5 s later */
    CHECK(lo_policy_decide(p, &g1, &other, LO_ADDRESSED_DIRECT, false, false, 111) ==
          LO_VERDICT_ANSWER); /* channel cooldown over */
    lo_message elsewhere = channel_msg("u2", "random", "hi");
    CHECK(lo_policy_decide(p, &g1, &elsewhere, LO_ADDRESSED_DIRECT, false, false, 120) ==
          LO_VERDICT_SKIP_COOLDOWN); /* the person, anywhere */
    CHECK(lo_policy_decide(p, &g1, &m, LO_ADDRESSED_DIRECT, false, false, 161) ==
          LO_VERDICT_ANSWER);

    /* DMs have no cooldown. */
    lo_message dm = channel_msg("u4", "dm-4", "hi");
    dm.is_dm = true;
    lo_policy_record(p, &dm, 200);
    CHECK(lo_policy_decide(p, &g1, &dm, LO_ADDRESSED_DIRECT, false, false, 200) ==
          LO_VERDICT_ANSWER);

    CHECK_STR(lo_verdict_name(LO_VERDICT_SKIP_COOLDOWN), "cooldown");
    lo_policy_free(p);
    TEST_MAIN_END();
}
